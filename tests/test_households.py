"""Households as columns: wardrobes and cohorts agree, and choices respond to policy."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from circsim.households import R_BIN, R_RESALE, ROUTES, group_sum
from circsim.policies import conditions_at
from circsim.wardrobe import lot_mass

# ---------------------------------------------------------------- wardrobes and cohorts


@pytest.mark.parametrize("overrides", [
    {},
    {"policies.repair_subsidy.enabled": True, "policies.awareness_campaign.enabled": True,
     "policies.collection.enabled": True, "policies.epr.enabled": True},
    {"population.low_income_share": 0.3, "households.secondhand_share_mean": 0.4},
], ids=["baseline", "levers", "more_low_income_and_second_hand"])
def test_cohort_stock_equals_wardrobes(make_model, overrides):
    model = make_model(overrides)
    hh = model.households
    assert hh.cohorts.total_kg() == pytest.approx(hh.wardrobe.sum(), rel=1e-9)
    start = hh.wardrobe.sum()
    for _ in range(8):
        model.step()
        assert hh.cohorts.total_kg() == pytest.approx(hh.wardrobe.sum(), rel=1e-9)
    # and per group, not just in total
    by_group = hh.group_sum(hh.wardrobe)                          # (G, C)
    np.testing.assert_allclose(hh.cohorts.mass.sum(axis=(2, 3)), by_group, rtol=1e-9,
                               atol=1e-9 * start)
    assert hh.wardrobe.min() >= 0
    assert hh.wardrobe.sum() != start     # garments did flow in and out


def test_wardrobes_start_at_their_targets(make_model):
    hh = make_model().households
    np.testing.assert_array_equal(hh.wardrobe, hh.target)
    assert (hh.wardrobe > 0).all()


# ---------------------------------------------------------------- awareness


def test_awareness_campaign_raises_mean_awareness(make_model):
    without = make_model(months=12, seed=7)
    with_campaign = make_model({"policies.awareness_campaign.enabled": True,
                                "policies.awareness_campaign.reach_share_per_month": 0.2},
                               months=12, seed=7)
    a0 = without.households.awareness.mean()
    a1 = with_campaign.households.awareness.mean()
    assert a1 > a0 + 0.02
    assert with_campaign.households.awareness.min() >= 0
    assert with_campaign.households.awareness.max() <= 1


def test_awareness_campaign_not_active_before_its_start(make_model):
    without = make_model(months=3, seed=7)
    later = make_model({"policies.awareness_campaign.enabled": True,
                        "policies.awareness_campaign.start_month": 4}, months=3, seed=7)
    np.testing.assert_array_equal(without.households.awareness, later.households.awareness)


# ---------------------------------------------------------------- bins and routes


def test_more_bins_shorten_distance_and_raise_bin_share(make_model):
    model = make_model()
    hh = model.households
    few = model.conditions
    many = replace(few, bins_per_10k_residents=few.bins_per_10k_residents * 4)
    d_few, d_many = hh.bin_distance_km(few), hh.bin_distance_km(many)
    assert (d_many <= d_few).all()
    assert d_many.mean() < 0.75 * d_few.mean()
    _, p_few = hh.route_probabilities(few, 0.0)
    _, p_many = hh.route_probabilities(many, 0.0)
    assert (p_many[:, R_BIN] >= p_few[:, R_BIN]).all()
    assert p_many[:, R_BIN].mean() > p_few[:, R_BIN].mean()


def test_collection_lever_raises_bin_route_share_in_a_run(make_model):
    def bin_share(model):
        df = model.monthly_frame()
        return df["collected_bins_t"].sum() / df["discarded_t"].sum()

    base = make_model(months=6, seed=3)
    dense = make_model({"policies.collection.enabled": True,
                        "policies.collection.bins_per_10k_residents": 12.0}, months=6, seed=3)
    assert bin_share(dense) > bin_share(base)


@pytest.mark.parametrize("take_back_share", [0.0, 0.3, 1.0])
def test_route_probabilities_sum_to_one_and_worn_garments_are_not_resold(
        make_model, take_back_share):
    model = make_model(months=2)
    worn, out_of_use = model.households.route_probabilities(model.conditions, take_back_share)
    n = model.households.n
    assert worn.shape == out_of_use.shape == (n, len(ROUTES))
    np.testing.assert_allclose(worn.sum(axis=1), 1.0, rtol=1e-12)
    np.testing.assert_allclose(out_of_use.sum(axis=1), 1.0, rtol=1e-12)
    assert (worn >= 0).all() and (out_of_use >= 0).all()
    assert (worn[:, R_RESALE] == 0).all()
    assert (out_of_use[:, R_RESALE] > 0).all()
    take_back = ROUTES.index("take_back")
    if take_back_share == 0:
        assert (out_of_use[:, take_back] == 0).all()
    else:
        assert (out_of_use[:, take_back] > 0).all()


# ---------------------------------------------------------------- repair


def test_repair_subsidy_raises_repair_share(make_model, make_scenario):
    model = make_model()
    hh = model.households
    base = conditions_at(model.scenario, 1)
    subsidised = conditions_at(make_scenario({"policies.repair_subsidy.enabled": True}), 1)
    assert subsidised.repair_subsidy_eur > 0
    p0, p1 = hh.repair_share(base, 0.0), hh.repair_share(subsidised, 0.0)
    assert (p1 >= p0).all() and p1.mean() > p0.mean()
    assert ((p1 >= 0) & (p1 <= 0.9)).all()


def test_repair_subsidy_raises_repaired_mass_in_a_run(make_model):
    base = make_model(months=6, seed=5).monthly_frame()
    sub = make_model({"policies.repair_subsidy.enabled": True}, months=6, seed=5).monthly_frame()
    assert sub["repaired_t"].sum() > base["repaired_t"].sum()
    assert sub["repair_subsidy_eur"].sum() > 0
    assert (base["repair_subsidy_eur"] == 0).all()


# ---------------------------------------------------------------- population


@pytest.mark.parametrize("share", [0.064, 0.25])
def test_low_income_households_are_about_the_scenario_share(make_model, share):
    model = make_model({"population.low_income_share": share})
    hh = model.households
    assert hh.low_income.mean() == pytest.approx(share, abs=max(2 / hh.n, 0.002))
    # low-income households have the scenario's size
    size = model.scenario.population.low_income_household_size
    np.testing.assert_allclose(hh.size[hh.low_income], size, rtol=1e-6)


@pytest.mark.parametrize("scale", [0.001, 0.002, 0.005])
def test_simulated_residents_match_residents_times_scale(make_model, scale):
    model = make_model({"scale": scale})
    pop = model.scenario.population
    hh = model.households
    assert hh.residents == pytest.approx(pop.residents * scale, rel=0.01)
    assert hh.n == round(pop.households * scale)
    assert hh.residents_by_zone.sum() == pytest.approx(hh.residents, rel=1e-6)


def test_households_are_sorted_by_group(make_model):
    hh = make_model().households
    assert (np.diff(hh.group) >= 0).all()
    assert hh.group_counts.sum() == hh.n
    np.testing.assert_array_equal(np.bincount(hh.group, minlength=hh.n_groups),
                                  hh.group_counts)


# ---------------------------------------------------------------- group_sum


def test_group_sum_handles_empty_groups():
    values = np.arange(12, dtype=float).reshape(6, 2)
    counts = np.array([0, 2, 0, 0, 3, 1, 0])
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    out = group_sum(values, starts, counts)
    expected = np.array([[0, 0], [0 + 2, 1 + 3], [0, 0], [0, 0],
                         [4 + 6 + 8, 5 + 7 + 9], [10, 11], [0, 0]], dtype=float)
    np.testing.assert_array_equal(out, expected)


def test_group_sum_of_all_empty_groups_is_zero():
    out = group_sum(np.zeros((0, 3)), np.zeros(4, int), np.zeros(4, int))
    assert out.shape == (4, 3)
    assert (out == 0).all()


@settings(max_examples=50, deadline=None)
@given(counts=st.lists(st.integers(0, 4), min_size=1, max_size=12), seed=st.integers(0, 999))
def test_group_sum_matches_a_loop(counts, seed):
    counts = np.array(counts)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    values = np.random.default_rng(seed).normal(size=(int(counts.sum()), 3))
    out = group_sum(values, starts, counts)
    for g, (s, c) in enumerate(zip(starts, counts, strict=True)):
        np.testing.assert_allclose(out[g], values[s:s + c].sum(axis=0), atol=1e-12)


# ---------------------------------------------------------------- peer listings


def test_households_hold_their_listings_until_sold_or_expired(make_model):
    model = make_model()
    hh = model.households
    assert hh.holdings() == {"households": hh.held_kg(), "peer_listings": 0.0}
    model.month = 1
    res = model.discard()
    listed = lot_mass(res.resale_lot)
    assert listed > 0
    assert lot_mass(hh.listings) == pytest.approx(listed)
    part = hh.expire_listings(0.3)
    assert lot_mass(part) == pytest.approx(0.3 * listed)
    assert lot_mass(hh.listings) == pytest.approx(0.7 * listed)
    assert hh.holdings()["peer_listings"] == pytest.approx(0.7 * listed)
