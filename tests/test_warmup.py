"""The spin-up before month 1: unrecorded, without levers, and the same for every scenario."""

from __future__ import annotations

import numpy as np

from circsim import TextileEconomy, load_scenario

SMALL = {"scale": 0.002, "months": 6, "warmup_months": 12}


def test_spin_up_is_not_recorded_and_the_clock_starts_at_month_1():
    model = TextileEconomy(load_scenario("baseline", overrides=SMALL), seed=5)
    assert model.month == 0 and model.records == [] and model.ledger.flows_frame().empty
    model.run(6)
    assert [r["month"] for r in model.records] == [1, 2, 3, 4, 5, 6]
    assert model.ledger.flows_frame()["month"].min() == 1
    # free garments given during the spin-up count as given before month 1
    assert (model.households.last_gift_month <= 6).all()


def test_spin_up_is_identical_whatever_the_levers():
    base = TextileEconomy(load_scenario("baseline", overrides=SMALL), seed=5)
    ban = TextileEconomy(load_scenario("destruction_ban", overrides={
        **SMALL, "policies.destruction_ban.start_month": 1}), seed=5)
    np.testing.assert_array_equal(base.households.wardrobe, ban.households.wardrobe)
    np.testing.assert_array_equal(base.households.awareness, ban.households.awareness)
    assert all(f.destroyed_kg == 0.0 for f in ban.firms)
    ban.run(3)
    assert sum(f.destroyed_kg for f in ban.firms if f.size == "large") == 0.0


def test_spin_up_moves_the_state_towards_steady_state():
    cold = TextileEconomy(load_scenario("baseline", overrides={**SMALL, "warmup_months": 0}),
                          seed=5)
    warm = TextileEconomy(load_scenario("baseline", overrides=SMALL), seed=5)
    from circsim.wardrobe import lot_mass
    assert sum(lot_mass(c.shop_lots) for c in cold.cooperatives) == 0.0
    assert sum(lot_mass(c.shop_lots) for c in warm.cooperatives) > 0.0
