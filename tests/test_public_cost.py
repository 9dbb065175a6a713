"""Public cost: every lever's cost flows through the euro ledger's public_budget account,
and the cost-effectiveness ratios are undefined exactly when their effect is not significant."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from circsim import outcomes
from circsim.experiments.cli import format_costs
from circsim.experiments.cost import COST_RATIOS, cost_effectiveness, fieller, ratio_row
from circsim.public_spending import bin_running_eur_month
from circsim.repair import bills

# -- the euro ledger -----------------------------------------------------------------------

#: Each lever with a public cost, the overrides that switch it on and the purposes by which
#: the public budget pays for it.
LEVER_PURPOSES = {
    "collection": ({}, {"collection_bins", "collection_service"}),
    "awareness_campaign": ({}, {"campaign_cost"}),
    "decluttering_campaign": ({}, {"campaign_cost"}),
    "resale_platform": ({}, {"platform_operation"}),
    "symbiosis_platform": ({}, {"platform_operation"}),
    "repair_subsidy": ({}, {"repair_voucher"}),
    "symbiosis_programme": ({}, {"symbiosis_programme"}),
    "shared_services_support": ({}, {"programme_operation"}),
    "machinery_marketplace": ({}, {"programme_operation"}),
    "enterprise_support": ({"policies.enterprise_support.coop_sorting_grant_t_month": 100.0},
                           {"grant"}),
}


def public_paid(model) -> pd.Series:
    flows = model.money.flows_frame()
    return flows[flows["payer"] == "public_budget"].groupby("purpose")["eur"].sum()


@pytest.mark.parametrize("lever", sorted(LEVER_PURPOSES))
def test_every_lever_with_a_public_cost_is_paid_by_the_public_budget(make_model, lever):
    extra, purposes = LEVER_PURPOSES[lever]
    paid = public_paid(make_model({f"policies.{lever}.enabled": True, **extra}, months=2))
    assert set(paid.index) >= purposes and all(paid[p] > 0 for p in purposes)


def test_no_lever_no_programme_spending(make_model):
    paid = public_paid(make_model(months=2))
    assert set(paid.index) <= {"gate_fee"}          # only the plants' fees for households


def test_net_public_cost_is_the_public_budgets_net_flow_in_the_euro_ledger(make_model):
    model = make_model({"policies.collection.enabled": True,
                        "policies.repair_subsidy.enabled": True,
                        "policies.landfill_tax.enabled": True,
                        "policies.symbiosis_platform.enabled": True}, months=4)
    flows = model.money.flows_frame()
    out = flows.loc[flows["payer"] == "public_budget", "eur"].sum()
    into = flows.loc[flows["payee"] == "public_budget", "eur"].sum()
    summary = outcomes.summarize(model)
    assert into > 0                                   # the landfill tax and waste tariff
    assert summary["net_public_cost_eur"] == pytest.approx(out - into, rel=1e-9)
    assert summary["public_spending_eur"] == pytest.approx(out, rel=1e-9)
    assert summary["public_revenue_eur"] == pytest.approx(into, rel=1e-9)
    assert summary["net_public_cost_eur_per_year"] == pytest.approx((out - into) / (4 / 12))


def test_repair_vouchers_cost_repairs_times_the_voucher(make_scenario, make_model):
    # a voucher below the smallest bill, at most the whole bill: every repair gets exactly it
    voucher = 0.9 * float(bills(make_scenario().households).min())
    model = make_model({"policies.repair_subsidy.enabled": True,
                        "policies.repair_subsidy.eur_per_repair": voucher,
                        "policies.repair_subsidy.max_share_of_bill": 1.0}, months=3)
    summary = outcomes.summarize(model)
    assert summary["repairs"] > 0
    assert summary["repair_subsidy_eur"] == pytest.approx(voucher * summary["repairs"],
                                                          rel=1e-9)


def test_added_bins_cost_their_annualised_capital_and_running(make_model):
    over = {"policies.collection.enabled": True,
            "policies.collection.bins_per_10k_residents": 5.0,
            "policies.collection.capital_eur_per_bin": 1200.0,
            "policies.collection.bin_life_years": 10.0,
            "policies.collection.public_running_share": 0.5}
    model = make_model(over, months=3)
    base = model.scenario.cooperatives.bins_per_10k_residents
    added = (5.0 - base) * model.households.residents / 1e4 / model.scale
    paid = public_paid(model)
    assert paid["collection_bins"] == pytest.approx(3 * added * 1200.0 / 120, rel=1e-9)
    lab = model.scenario.labour
    running = (model.scenario.cooperatives.cost_eur_per_bin_month
               + lab.bin_emptyings_per_month * lab.hours_per_bin_emptied
               / lab.hours_per_fte_month * lab.wage_eur_per_fte_month)
    assert bin_running_eur_month(model.scenario) == pytest.approx(running)
    assert paid["collection_service"] == pytest.approx(3 * added * running * 0.5, rel=1e-9)


# -- the ratios ----------------------------------------------------------------------------

def test_fieller_collapses_on_an_exact_ratio_and_is_undefined_for_a_null_denominator():
    ratio, low, high, bounded = fieller(np.array([2.0, 2.2, 2.4]), np.array([1.0, 1.1, 1.2]))
    assert bounded and ratio == pytest.approx(2.0)
    assert (low, high) == (pytest.approx(2.0), pytest.approx(2.0))
    ratio, low, high, bounded = fieller(np.array([1.0, 2.0, 3.0]), np.array([-1.0, 0.5, 0.6]))
    assert not bounded and math.isnan(ratio) and math.isnan(low) and math.isnan(high)


def runs(cost: list[float], waste: list[float], co2e: list[float], reached: list[float],
         noise: float = 1.0) -> pd.DataFrame:
    """A reference and a policy, three paired replicates: the policy adds the given changes
    (per replicate) to the reference's values."""
    rows, k = [], 0
    ref = {"net_public_cost_eur": 1e6, "residual_waste_t": 5e4, "co2e_t": 8e5,
           "low_income_households_reached": 1e4}
    for scenario, deltas in (("ref", None), ("policy", (cost, waste, co2e, reached))):
        for r in range(3):
            row = {"run_id": k, "scenario": scenario, "point": 0, "replicate": r, "seed": r}
            for i, (key, value) in enumerate(ref.items()):
                row[key] = value + noise * r + (deltas[i][r] if deltas else 0.0)
            row["net_public_cost_eur_per_year"] = row["net_public_cost_eur"] / 10
            rows.append(row)
            k += 1
    return pd.DataFrame(rows)


def test_ratios_are_defined_with_the_right_sign_when_the_effect_is_significant():
    frame = runs(cost=[1e6, 1.1e6, 0.9e6], waste=[-100, -110, -95], co2e=[50, -40, 5],
                 reached=[200, 210, 190])
    table = cost_effectiveness(frame, "ref").set_index("metric")
    assert set(table.index) == {r.name for r in COST_RATIOS}
    assert (table["scenario"] == "policy").all()
    waste = table.loc["eur_per_t_waste_avoided"]
    assert waste["mean"] == pytest.approx(1e6 / (305 / 3))   # cost / tonnes avoided
    assert 0 < waste["ci_low"] < waste["mean"] < waste["ci_high"] and not waste["note"]
    reached = table.loc["eur_per_low_income_household_reached"]
    assert reached["mean"] == pytest.approx(1e5 / 200)      # per year / households
    co2e = table.loc["eur_per_t_co2e_avoided"]               # CI of the change includes 0
    assert math.isnan(co2e["mean"]) and "not significantly different from zero" in co2e["note"]


def test_a_policy_that_saves_money_has_a_negative_ratio_and_a_harmful_one_none():
    saving = ratio_row(runs(cost=[-5e5, -4e5, -6e5], waste=[-100, -110, -95], co2e=[1, 2, 3],
                            reached=[0, 1, 2]), "policy", "ref", COST_RATIOS[0])
    assert saving["mean"] < 0 and saving["ci_high"] < 0
    harm = ratio_row(runs(cost=[1e5, 1e5, 1e5], waste=[100, 110, 95], co2e=[1, 2, 3],
                          reached=[0, 1, 2]), "policy", "ref", COST_RATIOS[0])
    assert math.isnan(harm["mean"]) and "significantly more" in harm["note"]


def test_printed_summary_says_undefined_and_why():
    frame = runs(cost=[1e6, 1.1e6, 0.9e6], waste=[-100, -110, -95], co2e=[50, -40, 5],
                 reached=[200, 210, 190])
    from circsim.experiments.stats import compare

    table = pd.concat([compare(frame, ["net_public_cost_eur"], "ref"),
                       cost_effectiveness(frame, "ref")], ignore_index=True)
    text = format_costs(table)
    assert "Public cost and cost-effectiveness against ref" in text
    assert "n/a" in text and "eur_per_t_co2e_avoided: undefined" in text
    assert "1,000,000 [" in text                              # the cost's paired change
