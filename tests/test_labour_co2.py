"""Jobs come from the work performed; CO2 credits reuse once, through displaced production."""

from __future__ import annotations

import pytest

from circsim import load_scenario, run_scenario
from circsim.labour import COOPERATIVE_ACTIVITIES, cooperative_hours, fte
from circsim.model import TextileEconomy

QUICK = {"scale": 0.002, "months": 6, "warmup_months": 6}


def model(**overrides) -> TextileEconomy:
    m = TextileEconomy(load_scenario("baseline", overrides={**QUICK, **overrides}))
    m.warm_up(m.scenario.warmup_months)
    for _ in range(m.scenario.months):
        m.step()
    return m


def test_hours_follow_each_activity_and_its_parameter():
    lab = load_scenario("baseline").labour
    base = cooperative_hours(lab, collected_t=10, bins=100, sorted_t=8, sold_t=1, given_t=0.5,
                             parcel_kg=5)
    assert set(base) == set(COOPERATIVE_ACTIVITIES)
    assert base["sorting"] == pytest.approx(8 * lab.sorting_hours_per_t)
    assert base["shops"] == pytest.approx(lab.shop_hours_per_t_sold)
    assert base["free_distribution"] == pytest.approx(100 * lab.hours_per_parcel)
    assert base["collection"] == pytest.approx(
        10 * lab.collection_hours_per_t
        + 100 * lab.bin_emptyings_per_month * lab.hours_per_bin_emptied)
    idle = cooperative_hours(lab, 0, 0, 0, 0, 0, 5)
    assert sum(idle.values()) == 0.0
    assert fte(lab, lab.hours_per_fte_month * 3) == pytest.approx(3.0)


def test_sorting_hours_are_the_tonnes_sorted_not_what_waits():
    m = model()
    for coop in m.cooperatives:
        sorted_t = coop.sorted_kg / m.scale / 1000
        assert coop.hours["sorting"] == pytest.approx(
            sorted_t * m.scenario.labour.sorting_hours_per_t)
    for r in m.recyclers:
        assert r.jobs == pytest.approx(fte(m.scenario.labour, r.hours["recycling"]))


def test_an_unsorted_pile_creates_no_jobs():
    """With a tenth of the sorting capacity (and no investment to extend it), collection is
    refused and what waits unsorted employs nobody: sorting jobs fall."""
    base = run_scenario(load_scenario("baseline", overrides=QUICK)).summary
    slow = run_scenario(load_scenario("baseline", overrides={
        **QUICK, "cooperatives.sorting_capacity_t_month": 166.7,
        "cooperatives.investment_trigger_months": 60})).summary
    assert slow["sorting_jobs"] < 0.3 * base["sorting_jobs"]
    assert slow["jobs"] < base["jobs"]


def test_jobs_scale_with_hours_per_unit():
    summary = run_scenario(load_scenario("baseline", overrides=QUICK)).summary
    more = run_scenario(load_scenario("baseline", overrides={
        **QUICK, "labour.sorting_hours_per_t": 16.0})).summary
    assert more["sorting_jobs"] == pytest.approx(2 * summary["sorting_jobs"], rel=1e-9)
    assert more["jobs"] > summary["jobs"]
    assert more["residual_waste_t"] == summary["residual_waste_t"]      # labour moves no mass
    assert summary["repair_jobs"] > 0 and summary["collection_jobs"] > 0


def test_reuse_abroad_credit_uses_the_export_displacement_rate():
    lo = run_scenario(load_scenario("baseline", overrides={
        **QUICK, "climate.export_displacement_rate": 0.0})).summary
    hi = run_scenario(load_scenario("baseline", overrides={
        **QUICK, "climate.export_displacement_rate": 1.0})).summary
    credit = lo["co2e_t"] - hi["co2e_t"]
    expected = lo["exported_reuse_t"] * load_scenario("baseline").climate.production_kg_per_kg
    assert credit == pytest.approx(expected, rel=1e-9)
    assert lo["residual_waste_t"] == hi["residual_waste_t"]


def test_transport_counts_collection_and_export():
    base = run_scenario(load_scenario("baseline", overrides=QUICK)).summary
    far = run_scenario(load_scenario("baseline", overrides={
        **QUICK, "climate.export_sea_km": 10000.0, "climate.road_km_per_straight_km": 2.0})
    ).summary
    assert 0 < base["co2e_transport_t"] < far["co2e_transport_t"]
    assert far["co2e_t"] - base["co2e_t"] == pytest.approx(
        far["co2e_transport_t"] - base["co2e_transport_t"], rel=1e-9)
