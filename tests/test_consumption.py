"""Consumption as a choice, garments kept unworn, routes by category (the behaviour model).

Each lever or parameter is checked for the direction of its effect and the channel it
acts through, on paired runs (same seed) of a small metro after a short spin-up.
"""

from __future__ import annotations

import functools

import numpy as np
import pytest

from circsim import load_scenario, run_scenario
from circsim.policies import conditions_at
from circsim.wardrobe import MASS

RUN = {"scale": 0.003, "months": 36, "warmup_months": 24}
SEED = 3


@functools.cache
def summary(**overrides) -> dict:
    return run_scenario(load_scenario("baseline", {**RUN, **overrides}), seed=SEED).summary


def base() -> dict:
    return summary()


def change(key: str, **overrides) -> float:
    """Relative change of ``key`` against the baseline run with the same seed."""
    return summary(**overrides)[key] / base()[key] - 1


def test_an_epr_fee_reaches_purchases_through_the_price_elasticity():
    """EUR 2/kg on EUR 25/kg at elasticity 0.5: the desired stock falls by about 3.8 %;
    garments leave at a rate, so purchases fall more while stocks adjust, then by about as
    much as the stock. The fee's other channels (eco-modulation, which makes firms design
    for durability, and collection funding) are switched off to see the price alone."""
    s = load_scenario("baseline")
    expected = (1 + 2.0 / s.firms.price_eur_per_kg) ** -s.firms.price_elasticity - 1
    key = "new_purchases_kg_per_capita_year"
    long = {**RUN, "months": 72}
    fee = {"policies.epr.enabled": True, "policies.epr.fee_eur_per_kg": 2.0,
           "policies.epr.durability_bonus": 0.0, "policies.epr.recycled_content_bonus": 0.0,
           "policies.epr.collection_funding_share": 0.0}
    runs = [run_scenario(load_scenario("baseline", {**long, **o}), seed=SEED).monthly[key]
            for o in ({}, fee)]
    first, last = (runs[1].iloc[:12].mean() / runs[0].iloc[:12].mean() - 1,
                   runs[1].iloc[-12:].mean() / runs[0].iloc[-12:].mean() - 1)
    assert first < last < 0                       # the stock adjusts, then purchases follow
    assert expected * 1.4 < last < expected * 0.6


def test_a_higher_elasticity_cuts_purchases_more():
    fee = {"policies.epr.enabled": True, "policies.epr.fee_eur_per_kg": 2.0}
    low = change("new_purchases_kg_per_capita_year", **fee)
    high = change("new_purchases_kg_per_capita_year", **fee, **{"firms.price_elasticity": 1.0})
    assert high < low < 0


def test_second_hand_that_displaces_less_adds_to_consumption():
    """Rebound: with displacement 0.3 the money saved on second hand buys more garments."""
    low = summary(**{"households.displacement_rate": 0.3})
    full = summary(**{"households.displacement_rate": 1.0})
    assert low["new_purchases_kg_per_capita_year"] > full["new_purchases_kg_per_capita_year"]
    assert low["household_residual_kg_per_capita_year"] > \
        full["household_residual_kg_per_capita_year"]


def test_more_second_hand_demand_is_not_inert():
    more = summary(**{"households.secondhand_share_mean": 0.24})
    assert more["secondhand_share_of_acquisitions"] > base()["secondhand_share_of_acquisitions"]
    assert more["new_purchases_kg_per_capita_year"] != base()["new_purchases_kg_per_capita_year"]


def test_a_tighter_budget_leaves_low_income_households_short():
    tight = summary(**{"households.low_income_budget_share": 0.15})
    assert tight["unmet_need_kg_per_low_income_household_year"] > \
        base()["unmet_need_kg_per_low_income_household_year"]
    assert tight["new_purchases_kg_per_capita_year"] < base()["new_purchases_kg_per_capita_year"]


def test_buying_less_and_fashion_turnover_move_purchases_their_way():
    assert change("new_purchases_kg_per_capita_year",
                  **{"households.fashion_turnover": 1.3}) > 0.03
    aware = {"policies.awareness_campaign.enabled": True}
    plain = change("new_purchases_kg_per_capita_year", **aware,
                   **{"households.buy_less_gain": 0.0, "households.keep_longer_gain": 0.0})
    minded = change("new_purchases_kg_per_capita_year", **aware)
    assert minded < plain


def test_a_decluttering_campaign_releases_dormant_garments():
    on = {"policies.decluttering_campaign.enabled": True}
    assert summary(**on)["decluttered_t"] > 0 and base()["decluttered_t"] == 0
    assert summary(**on)["dormant_share"] < base()["dormant_share"]
    assert summary(**on)["separately_collected_kg_per_capita_year"] > \
        base()["separately_collected_kg_per_capita_year"]


def test_a_resale_platform_raises_peer_resale_and_releases():
    on = summary(**{"policies.resale_platform.enabled": True})
    assert on["dormant_released_t"] > base()["dormant_released_t"]
    assert on["secondhand_share_of_acquisitions"] > base()["secondhand_share_of_acquisitions"]


def test_gifts_displace_purchases():
    none = summary(**{"households.gift_share.clothing": 0.0})
    assert none["gifts_to_family_kg_per_capita_year"] < base()["gifts_to_family_kg_per_capita_year"]
    assert none["new_purchases_kg_per_capita_year"] > base()["new_purchases_kg_per_capita_year"]


def test_the_dormant_stock_stays_in_a_plausible_range():
    s = base()
    assert 0.1 < s["dormant_share"] < 0.5
    assert 0 < s["garments_owned_items_per_capita"] < 1000


def test_unmet_need_is_a_flow_counted_once(make_model):
    """A month's unmet need never exceeds the month's norm for every low-income household."""
    model = make_model(months=6)
    hh = model.households
    norm = hh.size[hh.low_income].sum() * model.scenario.households.need_norm_kg_per_person_year
    frame = model.monthly_frame()
    per_hh = frame["unmet_need_kg_per_low_income_household"]
    assert (per_hh <= norm / 12 / hh.low_income.sum() + 1e-9).all()


def test_each_category_has_its_own_route_preferences(make_model):
    """A lower offset for shoes sends fewer shoes to the bin and leaves clothes as they were."""
    def binned(offset: float) -> np.ndarray:
        model = make_model({"households.separate_route_asc.footwear": offset})
        res = model.households.discard(conditions_at(model.scenario, 1), 0.0, 0.0, 1e12,
                                       np.random.default_rng(1))
        return res.bin_lots[:, MASS].sum(axis=(0, 2))                 # kg by category

    usual, shunned = binned(0.0), binned(-1.0)
    assert shunned[1] < 0.6 * usual[1]
    np.testing.assert_allclose(shunned[[0, 2]], usual[[0, 2]], rtol=1e-12)


def test_holdings_include_dormant_garments_and_rags(make_model):
    model = make_model(months=3)
    hh = model.households
    assert hh.dormant.sum() > 0 and hh.rags.sum() > 0
    assert hh.held_kg() == pytest.approx(hh.wardrobe.sum() + hh.dormant.sum() + hh.rags.sum())
    np.testing.assert_allclose(hh.dormant_cells[MASS].sum(axis=-1), hh.group_sum(hh.dormant),
                               rtol=1e-9, atol=1e-9)
