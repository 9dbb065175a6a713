"""Money outcomes, read from the euro ledger's payments of the month.

Amounts are metro-equivalent euros. Costs and revenues by actor type are what its
members paid and received, whoever the other side; the public budget's net cost is
what it paid (subsidies, vouchers, grants, campaigns, the plants' gate fees for
households' waste) less what it received (taxes, the households' waste tariff).
"""

from __future__ import annotations

from circsim.outcomes.core import Outcome as O

ACTORS = (("firms", "Firms'", "delle imprese", "fashion firms"),
          ("cooperatives", "Cooperatives'", "delle cooperative", "social cooperatives"),
          ("recyclers", "Recyclers'", "dei riciclatori", "recyclers"))


def _by_actor() -> tuple[O, ...]:
    out = []
    for account, en, it, who in ACTORS:
        out += [
            O(f"{account}_cost_eur", "EUR", "money", f"{en} costs", f"Costi {it}",
              f"Everything {who} paid this month (suppliers, fees, taxes, wages, ...).",
              lambda v, a=account: v.money.paid(payer=a), "sum"),
            O(f"{account}_revenue_eur", "EUR", "money", f"{en} revenue", f"Ricavi {it}",
              f"Everything {who} received this month (sales, funding, grants, ...).",
              lambda v, a=account: v.money.paid(payee=a), "sum"),
        ]
    return tuple(out)


MONEY: tuple[O, ...] = (
    O("net_public_cost_eur", "EUR", "money", "Net cost to the public budget",
      "Costo netto per il bilancio pubblico",
      "The public_budget account's net outflow in the euro ledger: what it paid (campaigns, "
      "platforms, the bins a lever adds and their running, repair vouchers, grants, the "
      "symbiosis programme, shared-service and machinery support, the plants' gate fees for "
      "households' residual textiles) less what it received (disposal taxes, the waste "
      "tariff); taxes lost when less is thrown away show as lower revenue. A run's total.",
      lambda v: v.money.paid(payer="public_budget") - v.money.paid(payee="public_budget"),
      "sum", better="less"),
    O("net_public_cost_eur_per_year", "EUR/yr", "money", "Net cost to the public budget "
      "per year", "Costo netto per il bilancio pubblico all'anno",
      "The run's net cost to the public budget divided by its years.",
      aggregate="per_year", of="net_public_cost_eur", better="less"),
    O("public_spending_eur", "EUR", "money", "Public spending", "Spesa pubblica",
      "Everything the public budget paid (the gross cost of the levers and the plants' gate "
      "fees for households' waste); a run's total.",
      lambda v: v.money.paid(payer="public_budget"), "sum"),
    O("public_revenue_eur", "EUR", "money", "Public revenue", "Entrate pubbliche",
      "Everything the public budget received: disposal taxes and the households' waste "
      "tariff; a run's total.",
      lambda v: v.money.paid(payee="public_budget"), "sum"),
    O("epr_fees_eur", "EUR", "money", "Producer responsibility fees", "Contributi EPR",
      "Fees firms pay per kg placed on the market under extended producer responsibility.",
      lambda v: v.money.paid("epr_fee"), "sum"),
    O("epr_collection_funding_eur", "EUR", "money", "EPR funding of collection",
      "Finanziamento EPR della raccolta",
      "What the EPR scheme paid cooperatives for the tonnes they collected.",
      lambda v: v.money.paid("epr_collection_funding"), "sum"),
    *_by_actor(),
    O("investment_eur", "EUR", "money", "Investment in capacity", "Investimenti in capacità",
      "What cooperatives and entering recyclers paid to build or extend capacity.",
      lambda v: v.money.paid("investment"), "sum"),
    O("wages_eur", "EUR", "money", "Wages", "Salari",
      "Wages cooperatives and recyclers paid for the hours their work took.",
      lambda v: v.money.paid("wages"), "sum", better="more"),
    O("repair_subsidy_eur", "EUR", "money", "Repair subsidy paid", "Bonus riparazione erogato",
      "Public money paid out as repair vouchers.",
      lambda v: v.money.paid("repair_voucher"), "sum"),
    O("money_imbalance_eur", "EUR", "check", "Euro ledger imbalance",
      "Squilibrio del bilancio in euro",
      "Largest difference between the euro ledger and the cash actors hold (must be about "
      "zero); the run's value is the worst of any month, spin-up included.",
      lambda v: v.money_imbalance, "end", at_end=lambda m: float(m.money.max_imbalance_eur),
      better="less", headline=18, fmt="small"),
)
