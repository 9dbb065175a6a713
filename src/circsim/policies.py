"""Policy levers: each turns the world's baseline conditions into those of a month.

:func:`conditions_at` starts from the scenario's parameters and lets every lever
that is active in that month change them. Agents read only the resulting
:class:`Conditions`, so a lever is defined in exactly one place.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from circsim.scenario.schema import Scenario


@dataclass(frozen=True)
class Conditions:
    """Effective settings of one month, after the active levers."""

    month: int
    reach_km: float
    transaction_cost_eur_per_t: float
    max_new_enterprises_per_year: int
    epr_fee_eur_per_kg: float = 0.0
    epr_durability_bonus: float = 0.0
    epr_recycled_content_bonus: float = 0.0
    epr_collection_funding_share: float = 0.0
    banned_destruction: frozenset[str] = frozenset()
    landfill_tax_eur_per_t: float = 0.0
    incineration_tax_eur_per_t: float = 0.0
    bins_per_10k_residents: float = 0.0
    bin_capital_eur_per_bin_month: float = 0.0     # public, per bin added by the lever
    bin_running_public_share: float = 0.0           # of the added bins' running cost
    campaign_reach_share: float = 0.0
    campaign_effect: float = 0.0
    campaign_cost_eur_per_household: float = 0.0
    repair_subsidy_eur: float = 0.0
    repair_subsidy_max_share: float = 0.0
    declutter_reach_share: float = 0.0
    declutter_release_share: float = 0.0
    declutter_cost_eur_per_household: float = 0.0
    resale_utility_gain: float = 0.0
    dormant_release_gain: float = 0.0
    resale_platform_cost_eur_month: float = 0.0
    platform_threshold: float | None = None
    symbiosis_platform_cost_eur_month: float = 0.0
    entry_cost_reduction: float = 0.0
    coop_sorting_grant_t_month: float = 0.0
    # shared services and idle machinery (shared_services_support, machinery_marketplace)
    shared_services_consider_boost: float = 0.0
    shared_services_setup_subsidy_share: float = 0.0
    shared_services_facilitation_eur: float = 0.0
    machinery_visibility_share: float | None = None
    machinery_reach_km: float | None = None
    machinery_transfer_subsidy_share: float = 0.0
    machinery_operation_eur: float = 0.0
    programme_month: int = 0          # month of the symbiosis programme (0: not running)

    def disposal_taxes_eur_per_t(self, scenario: Scenario) -> float:
        """Average tax on a tonne sent to residual treatment (landfill and incineration)."""
        share = scenario.waste.landfill_share_of_residual
        return share * self.landfill_tax_eur_per_t + (1 - share) * self.incineration_tax_eur_per_t

    @staticmethod
    def plant_fees_eur_per_t(scenario: Scenario) -> float:
        """Average gate fee of the treatment plants (``waste``) for a tonne, before taxes."""
        w = scenario.waste
        share = w.landfill_share_of_residual
        return share * w.landfill_fee_eur_per_t + (1 - share) * w.incineration_fee_eur_per_t

    def disposal_cost_eur_per_t(self, scenario: Scenario) -> float:
        """Average cost of sending a tonne of textiles to residual treatment, with taxes.

        What cooperatives pay: the treatment plants' gate fees (``waste``) plus taxes.
        """
        return self.plant_fees_eur_per_t(scenario) + self.disposal_taxes_eur_per_t(scenario)

    def firm_disposal_cost_eur_per_t(self, scenario: Scenario) -> float:
        """What a firm pays to dispose of a tonne: the commercial waste price plus taxes."""
        return scenario.firms.disposal_fee_eur_per_t + self.disposal_taxes_eur_per_t(scenario)


def _epr(c: Conditions, s: Scenario) -> Conditions:
    p = s.policies.epr
    return replace(c, epr_fee_eur_per_kg=p.fee_eur_per_kg, epr_durability_bonus=p.durability_bonus,
                   epr_recycled_content_bonus=p.recycled_content_bonus,
                   epr_collection_funding_share=p.collection_funding_share)


def _destruction_ban(c: Conditions, s: Scenario) -> Conditions:
    p = s.policies.destruction_ban
    sizes = set(p.firm_sizes)
    if p.medium_firms_from_month is not None and c.month >= p.medium_firms_from_month:
        sizes.add("medium")
    return replace(c, banned_destruction=frozenset(sizes))


def _landfill_tax(c: Conditions, s: Scenario) -> Conditions:
    p = s.policies.landfill_tax
    return replace(c, landfill_tax_eur_per_t=p.eur_per_t,
                   incineration_tax_eur_per_t=p.eur_per_t * p.incineration_share)


def _collection(c: Conditions, s: Scenario) -> Conditions:
    p = s.policies.collection
    return replace(c, bins_per_10k_residents=p.bins_per_10k_residents,
                   bin_capital_eur_per_bin_month=p.capital_eur_per_bin / (p.bin_life_years * 12),
                   bin_running_public_share=p.public_running_share)


def _awareness_campaign(c: Conditions, s: Scenario) -> Conditions:
    p = s.policies.awareness_campaign
    return replace(c, campaign_reach_share=p.reach_share_per_month, campaign_effect=p.effect,
                   campaign_cost_eur_per_household=p.cost_eur_per_household_reached)


def _repair_subsidy(c: Conditions, s: Scenario) -> Conditions:
    p = s.policies.repair_subsidy
    return replace(c, repair_subsidy_eur=p.eur_per_repair,
                   repair_subsidy_max_share=p.max_share_of_bill)


def _decluttering_campaign(c: Conditions, s: Scenario) -> Conditions:
    p = s.policies.decluttering_campaign
    return replace(c, declutter_reach_share=p.reach_share_per_month,
                   declutter_release_share=p.release_share,
                   declutter_cost_eur_per_household=p.cost_eur_per_household_reached)


def _resale_platform(c: Conditions, s: Scenario) -> Conditions:
    p = s.policies.resale_platform
    return replace(c, resale_utility_gain=p.resale_utility_gain,
                   dormant_release_gain=p.dormant_release_gain,
                   resale_platform_cost_eur_month=p.operating_cost_eur_per_month)


def _symbiosis_platform(c: Conditions, s: Scenario) -> Conditions:
    p = s.policies.symbiosis_platform
    return replace(c, reach_km=max(c.reach_km, p.reach_km),
                   transaction_cost_eur_per_t=c.transaction_cost_eur_per_t
                   * (1 - p.transaction_cost_reduction),
                   platform_threshold=p.participation_threshold,
                   symbiosis_platform_cost_eur_month=p.operating_cost_eur_per_month)


def _symbiosis_programme(c: Conditions, s: Scenario) -> Conditions:
    return replace(c, programme_month=c.month - s.policies.symbiosis_programme.start_month + 1)


def _enterprise_support(c: Conditions, s: Scenario) -> Conditions:
    p = s.policies.enterprise_support
    return replace(c, entry_cost_reduction=p.entry_cost_reduction,
                   coop_sorting_grant_t_month=p.coop_sorting_grant_t_month,
                   max_new_enterprises_per_year=p.max_new_per_year)


def _shared_services_support(c: Conditions, s: Scenario) -> Conditions:
    p = s.policies.shared_services_support
    return replace(c, shared_services_consider_boost=p.consider_rate_boost,
                   shared_services_setup_subsidy_share=p.setup_subsidy_share,
                   shared_services_facilitation_eur=p.facilitation_eur_per_month)


def _machinery_marketplace(c: Conditions, s: Scenario) -> Conditions:
    p = s.policies.machinery_marketplace
    return replace(c, machinery_visibility_share=p.visibility_share,
                   machinery_reach_km=p.reach_km,
                   machinery_transfer_subsidy_share=p.transfer_subsidy_share,
                   machinery_operation_eur=p.operation_eur_per_month)


LEVER_EFFECTS: dict[str, Callable[[Conditions, Scenario], Conditions]] = {
    "epr": _epr,
    "destruction_ban": _destruction_ban,
    "landfill_tax": _landfill_tax,
    "collection": _collection,
    "awareness_campaign": _awareness_campaign,
    "repair_subsidy": _repair_subsidy,
    "symbiosis_platform": _symbiosis_platform,
    "symbiosis_programme": _symbiosis_programme,
    "enterprise_support": _enterprise_support,
    "decluttering_campaign": _decluttering_campaign,
    "resale_platform": _resale_platform,
    "shared_services_support": _shared_services_support,
    "machinery_marketplace": _machinery_marketplace,
}


def conditions_at(scenario: Scenario, month: int, levers: bool = True) -> Conditions:
    """The world's conditions in ``month`` (1-based): parameters, then active levers in order.

    With ``levers=False`` (the spin-up before month 1) no lever acts.
    """
    cond = Conditions(
        month=month,
        bins_per_10k_residents=scenario.cooperatives.bins_per_10k_residents,
        reach_km=scenario.exchange.reach_km,
        transaction_cost_eur_per_t=scenario.exchange.transaction_cost_eur_per_t,
        max_new_enterprises_per_year=scenario.recyclers.max_entries_per_year,
    )
    for name, effect in LEVER_EFFECTS.items():
        if levers and getattr(scenario.policies, name).active(month):
            cond = effect(cond, scenario)
    return cond


def active_levers(scenario: Scenario, month: int) -> list[str]:
    """Names of the levers acting in ``month``."""
    return [n for n in LEVER_EFFECTS if getattr(scenario.policies, n).active(month)]
