"""Outcomes: monthly metrics from the ledger and the state, and the run summary.

Tonnes (``_t``) and money (``_eur``) are metro-equivalent: simulated amounts
divided by ``scale``, so runs at any scale report the whole metro. Per-capita
figures use the simulated residents. Rates are shares in [0, 1].
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from circsim.agents import Recycler

if TYPE_CHECKING:
    from circsim.households import Acquisitions, Discards
    from circsim.model import TextileEconomy

# Where discarded textiles end up, best to worst (waste hierarchy): the monthly columns
# that make up each fate, and the one colour-blind-safe (Okabe-Ito) colour every picture
# of fates uses, so the run's PNG and the dashboard always agree.
FATES: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("domestic_reuse", ("secondhand_bought_t", "free_given_t"), "#009E73"),
    ("reuse_abroad", ("exported_reuse_t",), "#56B4E9"),
    ("recycled", ("recycled_out_t", "recycled_fibre_to_firms_t"), "#0072B2"),
    ("waste_abroad", ("exported_waste_t",), "#E69F00"),
    ("incineration", ("incinerated_t",), "#D55E00"),
    ("landfill", ("landfilled_t",), "#6E6E6E"),
)

HEADLINE = (
    "residual_waste_t", "residual_waste_kg_per_capita_year",
    "separately_collected_kg_per_capita_year", "mean_service_life_months",
    "mean_owners_per_garment", "second_life_share", "low_income_reach_share",
    "low_income_kg_per_household_year", "collection_rate", "reuse_rate", "recycling_rate",
    "symbiosis_exchanged_t", "co2e_t", "jobs", "new_enterprises", "ledger_imbalance_kg",
)


def _ratio(a: float, b: float) -> float:
    return a / b if b > 0 else float("nan")


def monthly(model: TextileEconomy, d: Discards, a: Acquisitions, imbalance: float) -> dict:
    """One month's metrics (kg amounts kept raw under ``_kg_sim`` for summaries)."""
    L = model.ledger
    s = model.scenario
    hh = model.households
    t = 1.0 / model.scale / 1000.0          # simulated kg -> metro tonnes
    residents = hh.residents
    n_low = max(int(hh.low_income.sum()), 1)
    incin, landf = L.into("incineration"), L.into("landfill")
    bins = L.routed("collection_bin")
    donated = L.routed("donation", "households")
    take_back = L.routed("take_back")
    separate = bins + donated + take_back
    residual_bin = L.routed("residual_bin")
    listed = L.routed("peer_resale_listing")
    discarded = separate + residual_bin + listed
    secondhand = L.routed("charity_shop_sale") + L.routed("peer_resale")
    free = L.routed("free_distribution")
    reuse_abroad, waste_abroad = L.into("reuse_abroad"), L.into("waste_abroad")
    recycled_fibre = model.tally["recycled_fibre_kg"]
    recycled_to_firms = L.routed("recycled_fabric")
    recycled_out = L.into("recycled_out")
    scraps_arising = L.routed("symbiosis_exchange", "firms") + L.routed("scrap_disposal")
    unsold_out = (L.routed("destruction") + L.routed("unsold_disposal")
                  + model.tally["firm_donations_kg"])
    arising = discarded + scraps_arising + unsold_out
    exchanged = L.routed("symbiosis_exchange")
    c = s.climate
    fabric = model.tally["virgin_fibre_kg"] + model.tally["recycled_fibre_used_kg"]
    co2e_kg = (fabric * c.production_kg_per_kg
               - (recycled_to_firms + recycled_out) * c.recycled_fibre_saving_kg_per_kg
               + incin * c.incineration_kg_per_kg + landf * c.landfill_kg_per_kg
               + model.exchange.tkm * c.transport_kg_per_tkm
               - (secondhand + free + reuse_abroad) * c.reuse_credit_kg_per_kg)
    coop_jobs = sum(co.jobs for co in model.cooperatives)
    recyclers = list(model.agents_by_type.get(Recycler, []))
    rec_jobs = sum(r.processed_kg for r in recyclers) / model.scale * 12 / 1e6 \
        * s.recyclers.jobs_per_kt
    recent_free = sum(r["free_given_kg_sim"] for r in model.records[-11:]) + free
    firms = list(model.firms)
    return {
        "month": model.month,
        "year": s.start_year + (model.month - 1) / 12,
        "residents": residents,
        "households": hh.n,
        "placed_on_market_t": (L.routed("new_sale") + L.routed("discount_sale")) * t,
        "production_t": model.tally["production_kg"] * t,
        "virgin_fibre_t": model.tally["virgin_fibre_kg"] * t,
        "discarded_t": discarded * t,
        "repaired_t": d.repaired_kg * t,
        "repairs": d.repairs / model.scale,
        "residual_bin_t": residual_bin * t,
        "bin_overflow_t": d.bin_overflow_kg * t,
        "collected_bins_t": bins * t,
        "donated_t": donated * t,
        "take_back_t": take_back * t,
        "resale_listed_t": listed * t,
        "secondhand_bought_t": secondhand * t,
        "free_given_t": free * t,
        "free_given_kg_sim": free,
        "firm_donations_t": model.tally["firm_donations_kg"] * t,
        "sorted_t": model.tally["sorted_kg"] * t,
        "sorted_rewearable_t": model.tally["sorted_rewearable_kg"] * t,
        "sorted_recyclable_t": model.tally["sorted_recyclable_kg"] * t,
        "destroyed_t": L.routed("destruction") * t,
        "incinerated_t": incin * t,
        "landfilled_t": landf * t,
        "residual_waste_t": (incin + landf) * t,
        "exported_reuse_t": reuse_abroad * t,
        "exported_waste_t": waste_abroad * t,
        "recycled_out_t": recycled_out * t,
        "recycled_fibre_to_firms_t": recycled_to_firms * t,
        "symbiosis_exchanged_t": exchanged * t,
        "symbiosis_links": model.exchange.links,
        "residual_waste_kg_per_capita_year": _ratio((incin + landf) * 12, residents),
        "household_residual_kg_per_capita_year": _ratio(residual_bin * 12, residents),
        "separately_collected_kg_per_capita_year": _ratio(separate * 12, residents),
        "new_purchases_kg_per_capita_year": _ratio(
            (L.routed("new_sale") + L.routed("discount_sale")) * 12, residents),
        "discarded_kg_per_capita_year": _ratio(discarded * 12, residents),
        "post_consumer_waste_kg_per_capita_year": _ratio((separate + residual_bin) * 12,
                                                         residents),
        "consumption_kg_per_capita_year": _ratio(
            (L.routed("new_sale") + L.routed("discount_sale") + secondhand + free) * 12,
            residents),
        "mean_service_life_months": _ratio(d.eol_age_kg_months, d.eol_kg),
        "mean_owners_per_garment": _ratio(d.eol_owner_kg, d.eol_kg),
        "second_life_share": _ratio(d.eol_second_life_kg, d.eol_kg),
        "eol_kg_sim": d.eol_kg,
        "eol_age_kg_months_sim": d.eol_age_kg_months,
        "eol_owner_kg_sim": d.eol_owner_kg,
        "eol_second_life_kg_sim": d.eol_second_life_kg,
        "low_income_reach_share": hh.low_income_reach(model.month),
        "low_income_kg_per_household_year": recent_free / n_low,
        "unmet_need_kg_per_low_income_household": a.unmet_low_income_kg / n_low,
        "free_recipients": a.free_recipients / model.scale,
        "collection_rate": _ratio(separate, separate + residual_bin),
        "reuse_rate": _ratio(secondhand + free + reuse_abroad, discarded),
        "recycling_rate": _ratio(recycled_fibre, arising),
        "destroyed_share_of_production": _ratio(L.routed("destruction"),
                                                model.tally["production_kg"]),
        "recycled_content_share": _ratio(model.tally["recycled_fibre_used_kg"], fabric),
        "virgin_fibre_avoided_t": (recycled_to_firms + (secondhand + free) *
                                   s.households.displacement_rate) * t,
        "co2e_t": co2e_kg / model.scale / 1000,
        "jobs": coop_jobs + rec_jobs,
        "disadvantaged_jobs": coop_jobs * s.cooperatives.disadvantaged_worker_share,
        "awareness_mean": float(hh.awareness.mean()),
        "firms_with_innovation_share": float(np.mean([bool(f.innovations) for f in firms])),
        "mean_new_durability": model.mean_new_durability,
        "epr_fees_eur": model.tally["epr_fees_eur"],
        "firms_cost_eur": sum(f.cost_eur for f in firms),
        "firms_revenue_eur": sum(f.revenue_eur for f in firms),
        "cooperatives_cost_eur": sum(co.cost_eur for co in model.cooperatives),
        "cooperatives_revenue_eur": sum(co.revenue_eur for co in model.cooperatives),
        "recyclers_cost_eur": sum(r.cost_eur for r in recyclers),
        "recyclers_revenue_eur": sum(r.revenue_eur for r in recyclers),
        "repair_subsidy_eur": d.repairs / model.scale * model.conditions.repair_subsidy_eur,
        "recyclers": len(recyclers),
        "cooperatives": len(model.cooperatives),
        "new_enterprises": len(model.entries),
        "ledger_imbalance_kg": imbalance,
    }


def frame(model: TextileEconomy) -> pd.DataFrame:
    """Monthly metrics as a tidy table, without the internal ``_sim`` columns."""
    df = pd.DataFrame(model.records)
    return df[[c for c in df.columns if not c.endswith("_sim")]] if len(df) else df


def summarize(model: TextileEconomy) -> dict:
    """Run summary: totals over the run, means per year, state at the end."""
    df = pd.DataFrame(model.records)
    years = len(df) / 12
    eol = df["eol_kg_sim"].sum()
    last = df.iloc[-1]

    def total(col: str) -> float:
        return float(df[col].sum())

    sep = total("collected_bins_t") + total("donated_t") + total("take_back_t")
    return {
        "residual_waste_t": total("residual_waste_t"),
        "residual_waste_t_per_year": total("residual_waste_t") / years,
        "residual_waste_kg_per_capita_year": float(df["residual_waste_kg_per_capita_year"].mean()),
        "household_residual_kg_per_capita_year":
            float(df["household_residual_kg_per_capita_year"].mean()),
        "separately_collected_kg_per_capita_year":
            float(df["separately_collected_kg_per_capita_year"].mean()),
        "consumption_kg_per_capita_year": float(df["consumption_kg_per_capita_year"].mean()),
        "new_purchases_kg_per_capita_year":
            float(df["new_purchases_kg_per_capita_year"].mean()),
        "discarded_kg_per_capita_year": float(df["discarded_kg_per_capita_year"].mean()),
        "post_consumer_waste_kg_per_capita_year":
            float(df["post_consumer_waste_kg_per_capita_year"].mean()),
        "mean_service_life_months": _ratio(df["eol_age_kg_months_sim"].sum(), eol),
        "mean_owners_per_garment": _ratio(df["eol_owner_kg_sim"].sum(), eol),
        "second_life_share": _ratio(df["eol_second_life_kg_sim"].sum(), eol),
        "low_income_households_share": float(model.households.low_income.mean()),
        "low_income_reach_share": float(last["low_income_reach_share"]),
        "low_income_kg_per_household_year": float(last["low_income_kg_per_household_year"]),
        "unmet_need_kg_per_low_income_household_year":
            float(df["unmet_need_kg_per_low_income_household"].mean() * 12),
        "collection_rate": _ratio(sep, sep + total("residual_bin_t")),
        "reuse_rate": _ratio(total("secondhand_bought_t") + total("free_given_t")
                             + total("exported_reuse_t"), total("discarded_t")),
        "recycling_rate": float(df["recycling_rate"].mean()),    # NaN months are skipped
        "destroyed_share_of_production": _ratio(total("destroyed_t"), total("production_t")),
        "sorted_rewearable_share": _ratio(total("sorted_rewearable_t"), total("sorted_t")),
        "sorted_recyclable_share": _ratio(total("sorted_recyclable_t"), total("sorted_t")),
        "recycled_content_share": float(last["recycled_content_share"]),
        "symbiosis_exchanged_t": total("symbiosis_exchanged_t"),
        "symbiosis_links": int(last["symbiosis_links"]),
        "virgin_fibre_avoided_t": total("virgin_fibre_avoided_t"),
        "co2e_t": total("co2e_t"),
        "jobs": float(last["jobs"]),
        "disadvantaged_jobs": float(last["disadvantaged_jobs"]),
        "new_enterprises": int(last["new_enterprises"]),
        "firms_with_innovation_share": float(last["firms_with_innovation_share"]),
        "ledger_imbalance_kg": float(model.ledger.max_imbalance_kg),
    }
