"""Tests of the market-clearing functions (by-products, donations, second-hand) and of
the recycled-fibre pool."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from circsim.markets import (
    ExchangeResult,
    RecycledFibrePool,
    SecondHandResult,
    allocate_donations,
    clear_secondhand,
    distance_matrix,
    distribute_free,
    match_byproducts,
)

TOL = 1e-9

# ---------------------------------------------------------------- by-products


def _two_by_two(**overrides):
    """Two offers, two needs, numbers chosen so every surplus can be checked by hand.

    Transport 10 EUR/tkm = 0.01 EUR/kg/km; transaction 50 EUR/t = 0.05 EUR/kg.
    (offer 0, need 0): d = 5,     0.50 - 0.10 - 0.05  - 0.05 = 0.30   EUR/kg
    (offer 1, need 0): d = 65**.5, 0.50 + 0.05 - 0.0806 - 0.05 = 0.4194 EUR/kg
    (offer 0, need 1): material 0 not accepted by need 1
    (offer 1, need 1): d = 3,     0.30 + 0.05 - 0.03  - 0.05 = 0.27   EUR/kg
    """
    kw = dict(
        offer_kg=np.array([100.0, 50.0]),
        offer_xy=np.array([[0.0, 0.0], [10.0, 0.0]]),
        offer_value_eur_per_kg=np.array([0.10, -0.05]),
        offer_material=np.array([0, 1]),
        need_kg=np.array([80.0, 60.0]),
        need_xy=np.array([[3.0, 4.0], [10.0, 3.0]]),
        need_value_eur_per_kg=np.array([0.50, 0.30]),
        need_accepts=np.array([[True, True], [False, True]]),
        reach_km=20.0,
        transport_eur_per_tkm=10.0,
        transaction_cost_eur_per_t=50.0,
    )
    kw.update(overrides)
    return kw


def _trades(res: ExchangeResult) -> dict[tuple[int, int], float]:
    return {(int(i), int(j)): float(q) for i, j, q in zip(res.offer, res.need, res.kg, strict=True)}


def test_distance_matrix():
    d = distance_matrix(np.array([[0.0, 0.0], [1.0, 1.0]]), np.array([[3.0, 4.0]]))
    assert d.shape == (2, 1)
    assert d[0, 0] == pytest.approx(5.0)
    assert d[1, 0] == pytest.approx(np.hypot(2.0, 3.0))
    assert distance_matrix(np.zeros((0, 2)), np.zeros((3, 2))).shape == (0, 3)


def test_exchange_hand_computed_greedy():
    res = match_byproducts(**_two_by_two())
    # Best pair (1, 0) goes first and exhausts offer 1 (50 kg); then (0, 0) fills the
    # remaining 30 kg of need 0; (1, 1) finds offer 1 empty; (0, 1) is not accepted.
    assert _trades(res) == pytest.approx({(1, 0): 50.0, (0, 0): 30.0})
    assert list(res.offer) == [1, 0]  # highest surplus per kg first
    d10 = np.hypot(7.0, 4.0)
    assert res.distance_km == pytest.approx([d10, 5.0])
    assert res.surplus_eur == pytest.approx([50 * (0.50 + 0.05 - d10 / 100 - 0.05), 30 * 0.30])
    assert res.total_kg == pytest.approx(80.0)
    assert res.sold_kg(2) == pytest.approx([30.0, 50.0])
    assert res.bought_kg(2) == pytest.approx([80.0, 0.0])


def test_exchange_beyond_reach_does_not_trade_and_wider_reach_enables_it():
    # Reach 7 km excludes (1, 0) at 8.06 km: now offer 0 fills need 0, offer 1 serves need 1.
    short = match_byproducts(**_two_by_two(reach_km=7.0))
    assert _trades(short) == pytest.approx({(0, 0): 80.0, (1, 1): 50.0})
    # Reach 4 km leaves only (1, 1) at 3 km.
    tiny = match_byproducts(**_two_by_two(reach_km=4.0))
    assert _trades(tiny) == pytest.approx({(1, 1): 50.0})
    # Reach 1 km: nothing is close enough.
    assert match_byproducts(**_two_by_two(reach_km=1.0)).total_kg == 0.0


def test_exchange_negative_surplus_does_not_trade_and_trust_enables_it():
    # One offer, one need, 0 km apart: surplus = 0.08 - 0 - 0 - 0.10 * (1 - trust) EUR/kg.
    kw = dict(
        offer_kg=np.array([10.0]),
        offer_xy=np.array([[0.0, 0.0]]),
        offer_value_eur_per_kg=np.array([0.0]),
        offer_material=np.array([0]),
        need_kg=np.array([4.0]),
        need_xy=np.array([[0.0, 0.0]]),
        need_value_eur_per_kg=np.array([0.08]),
        need_accepts=np.array([[True]]),
        reach_km=5.0,
        transport_eur_per_tkm=10.0,
        transaction_cost_eur_per_t=100.0,
    )
    assert match_byproducts(**kw).total_kg == 0.0
    assert match_byproducts(**kw, trust=np.array([[0.1]])).total_kg == 0.0  # 0.08 - 0.09 < 0
    res = match_byproducts(**kw, trust=np.array([[0.5]]))  # 0.08 - 0.05 = 0.03 EUR/kg
    assert _trades(res) == pytest.approx({(0, 0): 4.0})
    assert res.surplus_eur == pytest.approx([4 * 0.03])
    # A cheaper transaction (a matchmaking platform) also enables it.
    kw["transaction_cost_eur_per_t"] = 50.0
    assert match_byproducts(**kw).total_kg == pytest.approx(4.0)


def test_exchange_zero_surplus_does_not_trade():
    kw = _two_by_two(need_value_eur_per_kg=np.array([0.0, 0.0]))
    assert match_byproducts(**kw).total_kg == 0.0


def test_exchange_unaccepted_material_does_not_trade():
    # Need 1 accepts nothing; need 0 accepts only material 1: offer 0 (material 0) can't sell.
    kw = _two_by_two(need_accepts=np.array([[False, True], [False, False]]))
    res = match_byproducts(**kw)
    assert _trades(res) == pytest.approx({(1, 0): 50.0})
    # With acceptance of material 0 by need 1, (0, 1) becomes feasible.
    kw = _two_by_two(need_accepts=np.array([[False, False], [True, False]]))
    res = match_byproducts(**kw)
    assert set(_trades(res)) == {(0, 1)}


def test_exchange_empty_inputs():
    kw = _two_by_two()
    res = match_byproducts(
        **{
            **kw,
            "offer_kg": np.zeros(0),
            "offer_xy": np.zeros((0, 2)),
            "offer_value_eur_per_kg": np.zeros(0),
            "offer_material": np.zeros(0, dtype=int),
        }
    )
    assert res.offer.size == res.need.size == res.kg.size == 0
    assert res.total_kg == 0.0
    assert res.sold_kg(0).shape == (0,)
    assert res.bought_kg(2) == pytest.approx([0.0, 0.0])
    res = match_byproducts(
        **{
            **kw,
            "need_kg": np.zeros(0),
            "need_xy": np.zeros((0, 2)),
            "need_value_eur_per_kg": np.zeros(0),
            "need_accepts": np.zeros((0, 2), dtype=bool),
        }
    )
    assert res.kg.size == 0 and res.sold_kg(2) == pytest.approx([0.0, 0.0])


def test_exchange_rejects_bad_inputs():
    with pytest.raises(ValueError):
        match_byproducts(**_two_by_two(offer_material=np.array([0, 2])))
    with pytest.raises(ValueError):
        match_byproducts(**_two_by_two(), trust=np.full((2, 2), 1.5))
    with pytest.raises(ValueError):
        match_byproducts(**_two_by_two(), trust=np.zeros((2, 3)))


@settings(max_examples=150, deadline=None)
@given(
    n_o=st.integers(0, 12),
    n_n=st.integers(0, 8),
    n_m=st.integers(1, 3),
    seed=st.integers(0, 2**32 - 1),
    reach=st.floats(0.0, 60.0),
    use_trust=st.booleans(),
)
def test_exchange_capacity_and_surplus_properties(n_o, n_n, n_m, seed, reach, use_trust):
    rng = np.random.default_rng(seed)
    kw = dict(
        offer_kg=rng.choice([0.0, 1.0, 7.5, 1000.0], n_o) * rng.random(n_o),
        offer_xy=rng.uniform(0, 50, (n_o, 2)),
        offer_value_eur_per_kg=rng.normal(0.0, 0.3, n_o),
        offer_material=rng.integers(0, n_m, n_o),
        need_kg=rng.choice([0.0, 2.0, 500.0], n_n) * rng.random(n_n),
        need_xy=rng.uniform(0, 50, (n_n, 2)),
        need_value_eur_per_kg=rng.normal(0.3, 0.3, n_n),
        need_accepts=rng.random((n_n, n_m)) < 0.6,
        reach_km=reach,
        transport_eur_per_tkm=float(rng.uniform(0, 20)),
        transaction_cost_eur_per_t=float(rng.uniform(0, 100)),
        trust=rng.random((n_o, n_n)) if use_trust else None,
    )
    res = match_byproducts(**kw)
    sold, bought = res.sold_kg(n_o), res.bought_kg(n_n)
    assert np.all(sold <= kw["offer_kg"] + TOL)
    assert np.all(bought <= kw["need_kg"] + TOL)
    assert np.all(res.kg > 0) and np.all(res.surplus_eur >= 0)
    assert np.all(res.distance_km <= reach + TOL)
    assert sold.sum() == pytest.approx(bought.sum()) == pytest.approx(res.total_kg)
    # Every trade is of an accepted material, and no pair appears twice.
    if res.kg.size:
        assert np.all(kw["need_accepts"][res.need, kw["offer_material"][res.offer]])
        assert len(set(zip(res.offer.tolist(), res.need.tolist(), strict=True))) == res.kg.size
    # Greedy: no feasible pair with positive surplus is left with both sides unexhausted.
    d = distance_matrix(kw["offer_xy"], kw["need_xy"])
    trust = kw["trust"] if use_trust else np.zeros((n_o, n_n))
    per_kg = (
        kw["need_value_eur_per_kg"][None, :]
        - kw["offer_value_eur_per_kg"][:, None]
        - kw["transport_eur_per_tkm"] * d / 1000
        - kw["transaction_cost_eur_per_t"] / 1000 * (1 - trust)
    )
    left_o = kw["offer_kg"] - sold > 1e-6
    left_n = kw["need_kg"] - bought > 1e-6
    ok = kw["need_accepts"][:, kw["offer_material"]].T & (d <= reach) & (per_kg > 0)
    assert not np.any(ok & left_o[:, None] & left_n[None, :])
    # Determinism.
    again = match_byproducts(**kw)
    assert np.array_equal(again.kg, res.kg) and np.array_equal(again.offer, res.offer)


# ------------------------------------------------------------------ donations


def test_donations_nearest_with_room_then_next():
    coop_xy = np.array([[0.0, 0.0], [10.0, 0.0], [3.0, 0.0]])
    offer_xy = np.array([[1.0, 0.0], [9.0, 0.0]])
    # Offer 0 (largest, 30 kg, at x=1) first: coop 0 (1 km, room 20) then coop 2 (2 km).
    # Offer 1 (10 kg, at x=9): coop 1 (1 km, room 5) then coop 2 (6 km, 5 left of 15).
    placed, unplaced = allocate_donations(
        np.array([30.0, 10.0]), offer_xy, coop_xy, np.array([20.0, 5.0, 15.0])
    )
    assert placed == pytest.approx(np.array([[20.0, 0.0, 10.0], [0.0, 5.0, 5.0]]))
    assert unplaced == pytest.approx([0.0, 0.0])


def test_donations_unplaced_when_no_room_and_largest_first():
    coop_xy = np.array([[0.0, 0.0]])
    # The 8 kg offer is placed first even though the 5 kg one is listed first.
    placed, unplaced = allocate_donations(
        np.array([5.0, 8.0]), np.array([[0.0, 0.0], [50.0, 0.0]]), coop_xy, np.array([10.0])
    )
    assert placed[:, 0] == pytest.approx([2.0, 8.0])
    assert unplaced == pytest.approx([3.0, 0.0])
    placed, unplaced = allocate_donations(
        np.array([5.0]), np.array([[0.0, 0.0]]), coop_xy, np.array([0.0])
    )
    assert placed.sum() == 0.0 and unplaced == pytest.approx([5.0])
    placed, unplaced = allocate_donations(
        np.array([5.0]), np.array([[0.0, 0.0]]), np.zeros((0, 2)), np.zeros(0)
    )
    assert placed.shape == (1, 0) and unplaced == pytest.approx([5.0])


@settings(max_examples=100, deadline=None)
@given(n_o=st.integers(0, 15), n_c=st.integers(0, 6), seed=st.integers(0, 2**32 - 1))
def test_donations_conservation_property(n_o, n_c, seed):
    rng = np.random.default_rng(seed)
    offer = rng.choice([0.0, 1.0, 100.0], n_o) * rng.random(n_o)
    room = rng.choice([0.0, 10.0, 200.0], n_c) * rng.random(n_c)
    placed, unplaced = allocate_donations(
        offer, rng.uniform(0, 30, (n_o, 2)), rng.uniform(0, 30, (n_c, 2)), room
    )
    assert placed.shape == (n_o, n_c)
    assert np.all(placed >= 0) and np.all(unplaced >= -TOL)
    assert placed.sum(axis=1) + unplaced == pytest.approx(offer, abs=TOL)
    assert np.all(placed.sum(axis=0) <= room + TOL)
    # Something is unplaced only if every cooperative is full.
    if np.any(unplaced > 1e-6):
        assert placed.sum(axis=0) == pytest.approx(room, abs=1e-6)


def test_distribute_free_hand_computed():
    stock = np.array([5.0, 100.0])
    need = np.array([3.0, 1.0, 4.0, 0.0, 10.0, 2.0])
    eligible = np.array([True, True, True, True, False, True])
    zone = np.array([0, 0, 0, 0, 0, 1])
    given_ = distribute_free(stock, need, eligible, zone, 2.0, np.random.default_rng(1))
    # Zone 0 wants min(2, need) = 2 + 1 + 2 = 5 = stock: all served; 3 (no need) and 4
    # (ineligible) get nothing. Zone 1 has plenty.
    assert given_ == pytest.approx([2.0, 1.0, 2.0, 0.0, 0.0, 2.0])


@settings(max_examples=100, deadline=None)
@given(
    n=st.integers(0, 300),
    n_zones=st.integers(1, 5),
    seed=st.integers(0, 2**32 - 1),
    parcel=st.floats(0.1, 5.0),
    scarcity=st.floats(0.0, 1.5),
)
def test_distribute_free_properties(n, n_zones, seed, parcel, scarcity):
    rng = np.random.default_rng(seed)
    need = rng.choice([0.0, 0.5, 3.0, 8.0], n) * rng.random(n)
    eligible = rng.random(n) < 0.7
    zone = rng.integers(0, n_zones, n)
    want = np.where(eligible, np.minimum(parcel, need), 0.0)
    zone_want = np.bincount(zone, weights=want, minlength=n_zones)
    stock = zone_want * scarcity * rng.random(n_zones)
    given_ = distribute_free(stock, need, eligible, zone, parcel, np.random.default_rng(seed))
    per_zone = np.bincount(zone, weights=given_, minlength=n_zones)
    assert np.all(per_zone <= stock + TOL)
    assert np.all(given_ >= 0) and np.all(given_ <= want + TOL)
    assert np.all(given_[~eligible] == 0)
    # As many served as stock allows: a zone ends with either no stock or no unmet want.
    short = zone_want - per_zone > 1e-9
    assert per_zone[short] == pytest.approx(stock[short], abs=1e-9)
    # At most one household per zone gets a partial parcel.
    partial = (given_ > 0) & (given_ < want - 1e-12)
    assert np.all(np.bincount(zone[partial], minlength=n_zones) <= 1)
    # Same seed, same result.
    again = distribute_free(stock, need, eligible, zone, parcel, np.random.default_rng(seed))
    assert np.array_equal(given_, again)
    # Abundant stock: everyone eligible gets min(parcel, need).
    full = distribute_free(zone_want + 1.0, need, eligible, zone, parcel, rng)
    assert full == pytest.approx(want)


def test_distribute_free_random_order_depends_on_seed():
    n = 1000
    need = np.ones(n)
    args = (np.array([100.0]), need, np.ones(n, bool), np.zeros(n, int), 1.0)
    a = distribute_free(*args, np.random.default_rng(0))
    b = distribute_free(*args, np.random.default_rng(1))
    assert a.sum() == pytest.approx(100.0) and b.sum() == pytest.approx(100.0)
    assert np.count_nonzero(a) == 100
    assert not np.array_equal(a, b)


def test_distribute_free_is_fast_for_the_metropolitan_population():
    import time

    rng = np.random.default_rng(0)
    n, n_zones = 1_600_000, 133
    need = rng.gamma(2.0, 1.0, n)
    zone = rng.integers(0, n_zones, n)
    eligible = rng.random(n) < 0.15
    t0 = time.perf_counter()
    given_ = distribute_free(np.full(n_zones, 800.0), need, eligible, zone, 2.0, rng)
    assert time.perf_counter() - t0 < 5.0
    per_zone = np.bincount(zone, weights=given_, minlength=n_zones)
    assert per_zone == pytest.approx(np.full(n_zones, 800.0))


# ---------------------------------------------------------------- second-hand


def test_secondhand_pro_rata_by_hand():
    # Zone 0: demand 2 + 6 = 8 > shop stock 4, so everyone gets half from the shop.
    # Zone 1: demand 3 <= stock 10, served fully.
    # Remaining demand 1 + 3 = 4 > peer stock 2: everyone gets half of what is left.
    res = clear_secondhand(
        np.array([2.0, 6.0, 3.0]), np.array([0, 0, 1]), np.array([4.0, 10.0]), 2.0
    )
    assert isinstance(res, SecondHandResult)
    assert res.sold_shop_kg == pytest.approx([4.0, 3.0])
    assert res.sold_peer_kg == pytest.approx(2.0)
    assert res.bought_kg == pytest.approx([1.0 + 0.5, 3.0 + 1.5, 3.0])


def test_secondhand_abundant_by_hand():
    # Zone 0 shops empty, zone 1 holds enough; the peer pool covers everything left.
    res = clear_secondhand(
        np.array([2.0, 0.0, 3.0]), np.array([0, 0, 1]), np.array([0.0, 10.0]), 100.0
    )
    assert res.bought_kg == pytest.approx([2.0, 0.0, 3.0])
    assert res.sold_shop_kg == pytest.approx([0.0, 3.0])
    assert res.sold_peer_kg == pytest.approx(2.0)
    empty = clear_secondhand(np.zeros(0), np.zeros(0, int), np.array([5.0]), 5.0)
    assert empty.bought_kg.size == 0 and empty.sold_peer_kg == 0.0
    assert empty.sold_shop_kg == pytest.approx([0.0])


@settings(max_examples=150, deadline=None)
@given(
    n=st.integers(0, 200),
    n_zones=st.integers(1, 6),
    seed=st.integers(0, 2**32 - 1),
    peer=st.floats(0.0, 500.0),
)
def test_secondhand_conservation_property(n, n_zones, seed, peer):
    rng = np.random.default_rng(seed)
    demand = rng.choice([0.0, 1.0, 4.0], n) * rng.random(n)
    zone = rng.integers(0, n_zones, n)
    stock = rng.choice([0.0, 5.0, 100.0], n_zones) * rng.random(n_zones)
    res = clear_secondhand(demand, zone, stock, peer)
    assert res.bought_kg.sum() == pytest.approx(res.sold_shop_kg.sum() + res.sold_peer_kg, abs=TOL)
    assert np.all(res.bought_kg >= 0) and np.all(res.bought_kg <= demand + TOL)
    assert np.all(res.sold_shop_kg <= stock + TOL)
    assert res.sold_peer_kg <= peer + TOL
    # Rationing only when a pool is exhausted.
    zone_demand = np.bincount(zone, weights=demand, minlength=n_zones)
    assert res.sold_shop_kg == pytest.approx(np.minimum(zone_demand, stock), abs=TOL)
    rest = zone_demand.sum() - res.sold_shop_kg.sum()
    assert res.sold_peer_kg == pytest.approx(min(rest, peer), abs=1e-7)


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 40), st.integers(1, 5), st.floats(0.0, 50.0), st.integers(0, 2**32 - 1))
def test_zone_clearing_agrees_with_household_clearing(n, n_zones, peer, seed):
    """Clearing on zone totals gives every household the same purchase as clearing per household."""
    rng = np.random.default_rng(seed)
    from circsim.markets import clear_by_zone
    demand = rng.uniform(0, 5, n) * (rng.random(n) < 0.8)
    zone = rng.integers(0, n_zones, n)
    shops = rng.uniform(0, 10, n_zones)
    per_household = clear_secondhand(demand, zone, shops, peer)
    by_zone = clear_by_zone(np.bincount(zone, demand, n_zones), shops, peer)
    np.testing.assert_allclose(demand * by_zone.served[zone], per_household.bought_kg,
                               rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(by_zone.sold_shop_kg, per_household.sold_shop_kg, atol=1e-12)
    assert math.isclose(by_zone.sold_peer_kg, per_household.sold_peer_kg, abs_tol=1e-9)


# ---------------------------------------------------------------- recycled fibre


def test_fibre_pool_adds_draws_at_most_what_it_holds_and_sells_beyond_the_reserve():
    pool = RecycledFibrePool()
    assert pool.holdings() == {"recycled_fibre": 0.0}
    pool.add(10.0)
    assert pool.draw(4.0) == 4.0
    assert pool.draw(100.0) == 6.0              # no more than it holds
    assert pool.holdings() == {"recycled_fibre": 0.0}
    pool.add(10.0)
    assert pool.sell_leftover(3.0) == 7.0       # keeps the reserve
    assert pool.sell_leftover(5.0) == 0.0       # below the reserve: nothing sold
    assert pool.holdings() == {"recycled_fibre": 3.0}


def test_trust_approaches_full_at_a_pace_the_gain_sets_and_fades_without_trade():
    """Trust closes a share ``gain`` of its gap to 1 each month of trade: a larger gain
    builds it faster, no gain in the declared range saturates it (which made the gain
    move nothing), and a pair that stops trading loses it."""
    from circsim.partners import Relationships

    def after(gain: float, months: int) -> float:
        rel = Relationships(4)
        for _ in range(months):
            rel.update({7}, gain, 0.02, 12)
        return rel.trust[7]

    assert after(0.02, 12) == pytest.approx(1 - 0.98**12)
    assert after(0.02, 36) < after(0.05, 36) < after(0.1, 36) < 1.0
    rel = Relationships(4)
    rel.update({7}, 0.1, 0.02, 12)
    rel.update(set(), 0.1, 0.02, 12)
    assert rel.trust[7] == pytest.approx(0.1 * 0.98)
