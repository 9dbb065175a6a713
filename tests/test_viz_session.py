"""A dashboard session without a browser: same results as a plain run, levers, speed."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from circsim import TextileEconomy
from circsim.scenario.schema import Policies
from circsim.viz.levers import clean_value, lever_fields, with_levers
from circsim.viz.session import DEMO_SCALE, DemoRun, demo_scenario

COMPARED = ("residual_waste_t", "mean_service_life_months", "low_income_reach_share",
            "symbiosis_exchanged_t", "co2e_t")


@pytest.fixture(scope="module")
def programme() -> DemoRun:
    return DemoRun("milan_programme")


def test_cached_spin_up_gives_the_same_run_as_a_fresh_model(programme: DemoRun) -> None:
    """The spin-up is shared between scenarios; a session must still match a plain run."""
    programme.reset()
    for _ in range(14):
        programme.step()
    model = TextileEconomy(demo_scenario("milan_programme"), seed=programme.seed)
    model.run(14)
    for mine, theirs in zip(programme.records(), model.records, strict=True):
        for key in COMPARED:
            assert mine[key] == theirs[key], key


def test_baseline_is_the_same_run_without_levers(programme: DemoRun) -> None:
    programme.reset()
    for _ in range(6):
        programme.step()
    base = TextileEconomy(demo_scenario("baseline"), seed=programme.seed)
    base.run(6)
    assert [r["residual_waste_t"] for r in programme.baseline()] == \
        [r["residual_waste_t"] for r in base.records]
    assert programme.records()[-1]["residual_waste_t"] != base.records[-1]["residual_waste_t"]


def test_a_lever_moved_during_a_run_acts_from_the_next_month() -> None:
    run = DemoRun("baseline")
    run.step()
    assert run.acting_levers() == []
    assert run.bins_per_10k() == pytest.approx(3.0)
    run.set_lever("collection", "enabled", True)
    run.set_lever("collection", "bins_per_10k_residents", 9.5)
    assert run.month == 1 and run.acting_levers() == []     # nothing recomputed yet
    run.step()
    assert run.acting_levers() == ["collection"]
    assert run.bins_per_10k() == pytest.approx(9.5)
    run.reset()                                             # levers stay as set
    assert run.month == 0 and run.levers["collection"]["enabled"] is True


def test_sessions_are_independent() -> None:
    a, b = DemoRun("baseline"), DemoRun("baseline")
    for _ in range(3):
        a.step()
    a.set_lever("epr", "enabled", True)
    assert (a.month, b.month) == (3, 0)
    assert b.levers["epr"]["enabled"] is False
    assert a.model is not b.model and a.model.households is not b.model.households


def test_controls_cover_every_lever_key_within_schema_bounds() -> None:
    scenario = demo_scenario("baseline")
    fields = lever_fields(scenario)
    assert list(fields) == list(Policies.model_fields)
    for lever, specs in fields.items():
        keys = {s.name for s in specs}
        assert keys == set(type(getattr(scenario.policies, lever)).model_fields), lever
        for spec in specs:
            if spec.kind in ("float", "int"):
                for value in (spec.lo, spec.hi):      # both ends are valid scenario values
                    levers = scenario.policies.model_dump()
                    levers[lever][spec.name] = clean_value(spec, value)
                    with_levers(scenario, levers)
    bins = next(s for s in fields["collection"] if s.name == "bins_per_10k_residents")
    assert (bins.lo, bins.hi) == (0.0, 100.0)


def test_values_out_of_schema_are_refused() -> None:
    run = DemoRun("baseline")
    levers = run.levers | {"epr": run.levers["epr"] | {"fee_eur_per_kg": 25.0}}
    with pytest.raises(ValidationError):
        with_levers(run.scenario, levers)
    run.set_lever("destruction_ban", "firm_sizes", ["large", "small"])
    assert run.levers["destruction_ban"]["firm_sizes"] == ["small", "large"]
    run.set_lever("destruction_ban", "medium_firms_from_month", 0)
    assert run.levers["destruction_ban"]["medium_firms_from_month"] is None


def test_a_demo_month_is_timed_and_advances_the_run() -> None:
    """Each step advances the run one month and reports how long it took (the dashboard
    shows it); how long is a speed target, measured by ``circsim bench --demo``, not here."""
    run = DemoRun("milan_programme", seed=11)
    assert run.scale == DEMO_SCALE
    run.reset()
    start = run.month
    times = [run.step() for _ in range(3)]
    assert run.month == start + 3
    assert all(t > 0 for t in times) and run.last_step_ms == times[-1]
