"""What the public budget pays each month for the levers that run programmes.

Every lever's public cost flows through the euro ledger (:mod:`circsim.money`) from the
``public_budget`` account, so a run's net public cost is that account's net flow. Costs
paid where the activity happens stay there (repair vouchers with the repairs, grants to
entering recyclers and reuse hubs at their entry, the shared-service and machinery
subsidies with the deals, the symbiosis programme in its module); this module pays the
month's running programmes: campaigns, platforms, sorting grants and the bins a
collection lever adds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from circsim.model import TextileEconomy
    from circsim.scenario.schema import Scenario


def bin_running_eur_month(scenario: Scenario) -> float:
    """What running one collection bin costs a cooperative a month: vehicles and upkeep
    (``cooperatives.cost_eur_per_bin_month``) plus the crew's wages for emptying it."""
    lab = scenario.labour
    crew_hours = lab.bin_emptyings_per_month * lab.hours_per_bin_emptied
    return (scenario.cooperatives.cost_eur_per_bin_month
            + crew_hours / lab.hours_per_fte_month * lab.wage_eur_per_fte_month)


def added_bins(model: TextileEconomy) -> float:
    """Bins (metro-equivalent) the collection lever adds above today's density."""
    base = model.scenario.cooperatives.bins_per_10k_residents
    extra = max(0.0, model.conditions.bins_per_10k_residents - base)
    return extra * model.households.residents / 1e4 / model.scale


def fund_programmes(model: TextileEconomy) -> None:
    """The public budget pays the month's campaigns, platforms, sorting grants and bins."""
    c, m = model.conditions, model
    reached = c.campaign_reach_share * m.households.n / m.scale
    m.pay("public_budget", "campaign_cost", "world", reached * c.campaign_cost_eur_per_household)
    decluttered = c.declutter_reach_share * m.households.n / m.scale
    m.pay("public_budget", "campaign_cost", "world",
          decluttered * c.declutter_cost_eur_per_household)
    m.pay("public_budget", "platform_operation", "world", c.resale_platform_cost_eur_month)
    m.pay("public_budget", "platform_operation", "world", c.symbiosis_platform_cost_eur_month)
    coops = list(m.cooperatives)
    if c.coop_sorting_grant_t_month > 0 and coops:
        per_coop = (c.coop_sorting_grant_t_month / len(coops)
                    * m.scenario.cooperatives.cost_eur_per_t_sorted)
        for coop in coops:
            m.pay("public_budget", "grant", coop, per_coop)
    fund_added_bins(m, coops)


def fund_added_bins(model: TextileEconomy, coops: list) -> None:
    """Bins added by the collection lever: their capital, annualised over their life, to
    the suppliers; the public share of their running cost to the cooperatives that empty
    them (split by the bins each runs)."""
    c = model.conditions
    bins = added_bins(model)
    if bins <= 0:
        return
    model.pay("public_budget", "collection_bins", "world", bins * c.bin_capital_eur_per_bin_month)
    running = bins * bin_running_eur_month(model.scenario) * c.bin_running_public_share
    held = [coop.bins() for coop in coops]
    total = sum(held)
    if running <= 0 or total <= 0:
        return
    for coop, share in zip(coops, held, strict=True):
        model.pay("public_budget", "collection_service", coop, running * share / total)
