"""Grades follow from the condition of what is collected; export responds to its price."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from circsim import load_scenario, run_scenario
from circsim.agents import grading
from circsim.wardrobe import AGE, DUR, MASS, WORN, empty_lot, lot_mass

SHORT = {"scale": 0.002, "months": 24, "warmup_months": 6}


def _cp(**overrides):
    return load_scenario("baseline", overrides={f"cooperatives.{k}": v
                                                for k, v in overrides.items()}).cooperatives


def _lot(kg=10.0, age_months=0.0, durability=1.0, worn=0.0):
    lot = empty_lot()
    lot[MASS, 0, 0] = kg
    lot[AGE, 0, 0] = kg * age_months
    lot[DUR, 0, 0] = kg * durability
    lot[WORN, 0, 0] = kg * worn
    return lot


def test_grades_of_new_worn_old_and_durable_lots():
    cp = _cp()
    new = grading.grade(_lot(), cp)
    assert lot_mass(new.rewearable) == pytest.approx(10 * cp.rewearable_share_out_of_use.clothing)
    worn = grading.grade(_lot(worn=1.0), cp)
    assert lot_mass(worn.rewearable) == pytest.approx(10 * cp.rewearable_share_worn_out)
    old = lot_mass(grading.grade(_lot(age_months=120), cp).rewearable)
    durable = lot_mass(grading.grade(_lot(age_months=120, durability=1.5), cp).rewearable)
    assert old < durable < lot_mass(new.rewearable)
    g = grading.grade(_lot(age_months=60, worn=0.4), cp)
    assert lot_mass(g.rewearable) + g.recyclable_kg + g.residual_kg == pytest.approx(10.0)


def test_better_grades_fetch_more_and_are_worn_again_more():
    cp = _cp()
    good, poor = _lot(), _lot(age_months=96, worn=0.5)
    assert grading.export_price_eur_per_kg(good, cp)[0, 0] > \
        grading.export_price_eur_per_kg(poor, cp)[0, 0]
    assert grading.abroad_reuse_share(good, cp)[0, 0] > grading.abroad_reuse_share(poor, cp)[0, 0]


def _summary(overrides):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return run_scenario(load_scenario("baseline", overrides={**SHORT, **overrides}),
                            seed=7).summary


def test_export_volume_and_waste_abroad_respond_to_the_export_price():
    cheap = _summary({"cooperatives.export_price_eur_per_kg": 0.05})
    dear = _summary({"cooperatives.export_price_eur_per_kg": 2.0})
    exported = [s["exported_reuse_t"] + s["exported_waste_t"] for s in (cheap, dear)]
    assert exported[0] < 0.5 * exported[1]
    assert cheap["exported_waste_t"] < dear["exported_waste_t"]
    for s in (cheap, dear):
        assert s["textile_waste_incl_abroad_t"] == pytest.approx(
            s["residual_waste_t"] + s["exported_waste_t"], rel=1e-9)


def test_more_worn_out_garments_in_collection_lower_the_rewearable_share():
    few = _summary({"households.wear_out_share": 0.3})
    many = _summary({"households.wear_out_share": 0.7})
    assert many["sorted_rewearable_share"] < few["sorted_rewearable_share"] - 0.05


def test_a_full_store_refuses_collection_and_it_shows():
    s = _summary({"cooperatives.sorting_capacity_t_month": 100.0,
                  "cooperatives.storage_months": 1.0})
    assert s["collection_refused_t"] > 0
    assert 0 < s["collection_refused_share"] < 1
    base = _summary({})
    assert base["collection_refused_t"] == 0
    assert np.isfinite(s["residual_waste_t"]) and s["residual_waste_t"] > base["residual_waste_t"]


def test_a_campaign_draws_in_worn_out_garments_and_the_rewearable_share_falls():
    """Awareness lifts the belief that worn-out textiles do not belong in collection, so a
    campaign collects relatively more worn-out garments and sorting yields fewer
    rewearable ones; without that belief the campaign lowers the share much less (aware
    households also keep clothes longer, so what they discard is a little older)."""
    campaign = {"policies.awareness_campaign.enabled": True,
                "policies.awareness_campaign.reach_share_per_month": 0.2}
    def share(extra):
        s = run_scenario(load_scenario("baseline", overrides={
            "scale": 0.003, "months": 24, "warmup_months": 6, **extra}), seed=3).summary
        return s["sorted_rewearable_share"]
    belief_drop = share({}) - share(campaign)
    assert belief_drop > 0.005
    neutral = {"households.worn_out_collection_penalty": 0.0}
    neutral_drop = share(neutral) - share({**campaign, **neutral})
    assert neutral_drop < 0.5 * belief_drop                 # the channel is mostly the belief
