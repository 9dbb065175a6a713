"""The model as a whole: it builds, runs, reproduces itself and keeps its books."""

from __future__ import annotations

import pandas as pd
import pytest

from circsim import TextileEconomy, load_scenario, run_scenario
from circsim.agents import Recycler
from circsim.ledger import SOURCES
from circsim.outcomes import headline
from circsim.run import IDENTITY

MIXED = {"policies.epr.enabled": True, "policies.collection.enabled": True,
         "policies.collection.start_month": 3, "policies.awareness_campaign.enabled": True,
         "policies.symbiosis_platform.enabled": True}


def _entered(model):
    return -sum(model.ledger.balance[s] for s in SOURCES)


@pytest.mark.parametrize("overrides", [{}, MIXED], ids=["baseline", "levers"])
def test_same_scenario_and_seed_give_identical_results(make_scenario, overrides):
    scenario = make_scenario({**overrides, "months": 8})
    a = run_scenario(scenario, seed=123)
    b = run_scenario(scenario, seed=123)
    pd.testing.assert_frame_equal(a.monthly, b.monthly)
    pd.testing.assert_frame_equal(a.flows, b.flows)
    without_runtime = {k: v for k, v in a.summary.items() if k != "runtime_s"}
    assert without_runtime == {k: v for k, v in b.summary.items() if k != "runtime_s"}


def test_model_step_by_step_equals_run_scenario(make_scenario):
    scenario = make_scenario({"months": 5})
    model = TextileEconomy(scenario, seed=9)
    for _ in range(5):
        model.step()
    ran = run_scenario(scenario, seed=9).monthly     # the same, with the run's identity
    pd.testing.assert_frame_equal(model.monthly_frame(),
                                  ran.drop(columns=[*IDENTITY, "date"]))


def test_different_seeds_give_different_results(make_scenario):
    scenario = make_scenario({"months": 6})
    a = run_scenario(scenario, seed=1)
    b = run_scenario(scenario, seed=2)
    assert not a.monthly.equals(b.monthly)
    assert a.monthly["residual_waste_t"].tolist() != b.monthly["residual_waste_t"].tolist()
    assert not a.flows["kg"].equals(b.flows["kg"])


def test_seed_defaults_to_the_scenario_seed(make_scenario):
    scenario = make_scenario({"months": 3, "seed": 77})
    pd.testing.assert_frame_equal(TextileEconomy(scenario).ledger.flows_frame(),
                                  TextileEconomy(scenario, seed=77).ledger.flows_frame())
    a = TextileEconomy(scenario)
    a.run(3)
    b = TextileEconomy(scenario, seed=77)
    b.run(3)
    pd.testing.assert_frame_equal(a.monthly_frame(), b.monthly_frame())


def test_model_without_arguments_builds_the_baseline():
    model = TextileEconomy()
    baseline = load_scenario("baseline")
    assert model.scenario == baseline
    # the effective share: households simulated over real households
    assert model.scale == model.households.n / baseline.population.households
    assert model.scale == pytest.approx(baseline.scale, rel=1e-4)
    assert model.month == 0
    assert model.households.n == round(baseline.population.households * baseline.scale)
    assert len(model.firms) == baseline.firms.count
    assert len(model.cooperatives) == baseline.cooperatives.count
    assert len(model.recyclers) == baseline.recyclers.count


def test_model_accepts_a_scenario_name():
    assert TextileEconomy("baseline", seed=3).scenario == load_scenario("baseline")


def test_one_month_run(make_model):
    model = make_model()
    model.run(1)
    assert model.month == 1
    df = model.monthly_frame()
    assert len(df) == 1
    assert df["month"].tolist() == [1]
    for col in (o.name for o in headline() if o.is_monthly):
        assert col in df.columns
    assert not any(c.endswith("_sim") for c in df.columns)
    assert df["placed_on_market_t"].iloc[0] > 0
    assert df["discarded_t"].iloc[0] > 0
    assert model.ledger.month == 1


def test_run_defaults_to_the_scenario_months(make_scenario):
    model = TextileEconomy(make_scenario({"months": 4}), seed=1)
    model.run()
    assert model.month == 4
    assert model.monthly_frame()["month"].tolist() == [1, 2, 3, 4]


def test_runs_without_recyclers(make_model):
    model = make_model({"recyclers.count": 0}, months=12)
    df = model.monthly_frame()
    assert len(df) == 12
    assert df["recycled_out_t"].iloc[0] == 0        # other sectors still trade their byproducts
    # any recycler present came in later as an entrant
    assert all(r.entrant for r in model.agents_by_type.get(Recycler, []))
    assert (df["ledger_imbalance_kg"] <= 1e-6 * _entered(model)).all()


def test_ledger_imbalance_reported_every_month_and_tiny(make_model):
    model = make_model(MIXED, months=12)
    df = model.monthly_frame()
    assert "ledger_imbalance_kg" in df.columns
    assert len(df) == 12
    assert df["ledger_imbalance_kg"].notna().all()
    assert (df["ledger_imbalance_kg"] >= 0).all()
    assert (df["ledger_imbalance_kg"] < 1e-6 * _entered(model)).all()
    assert model.ledger.max_imbalance_kg == pytest.approx(df["ledger_imbalance_kg"].max())


def test_flows_cover_every_month(make_model):
    model = make_model(months=4)
    flows = model.ledger.flows_frame()
    assert sorted(flows["month"].unique()) == [1, 2, 3, 4]
    assert (flows["kg"] > 0).all()
    assert not flows.duplicated(["month", "source", "route", "destination"]).any()


def test_metro_tonnes_do_not_depend_much_on_scale(make_scenario):
    """Reported tonnes are metro-equivalent: halving the scale keeps them about equal."""
    small = run_scenario(make_scenario({"months": 3, "scale": 0.002}), seed=4).monthly
    large = run_scenario(make_scenario({"months": 3, "scale": 0.004}), seed=4).monthly
    for col in ("placed_on_market_t", "discarded_t"):
        assert small[col].sum() == pytest.approx(large[col].sum(), rel=0.05), col
