"""Declared flows: nodes, routes and tallies are named once, used, and nothing else is.

Also the holders of stocks: every stock node is reported by exactly one kind of holder,
and cooperatives that stock the same zone each keep (and clear) their own stock.
"""

from __future__ import annotations

import numpy as np
import pytest

from circsim import TextileEconomy, load_scenario
from circsim.agents import SocialCooperative
from circsim.flows import (
    NODE_TABLE,
    NODES,
    ROUTE_TABLE,
    ROUTES,
    STOCKS,
    TALLIES,
    TALLY_TABLE,
    Tally,
    UndeclaredFlowError,
)
from circsim.model import ORGANISATIONS
from circsim.money import PURPOSES
from circsim.scenario.schema import LEVERS
from circsim.wardrobe import MASS, empty_lot, lot_mass

ALL_LEVERS = {f"policies.{lever}.enabled": True for lever in LEVERS}
# with every lever on, one run uses every route but the disposal of unsold goods, which
# takes firms that may not destroy and cooperatives with no room for their donations
RUNS_WITH_ALL_LEVERS = (
    {**ALL_LEVERS, "months": 36,
     "firms.scrap_value_eur_per_kg": 0.0},       # scraps worth nothing: sellers pay the fee
    {**ALL_LEVERS, "months": 12,
     "policies.machinery_marketplace.enabled": False,   # newcomers buy most machines new
     "policies.destruction_ban.firm_sizes": ["small", "medium", "large"],
     "cooperatives.sorting_capacity_t_month": 200.0,
     "recyclers.capacity_t_month": 20.0},                  # scraps no recycler can take
    {**ALL_LEVERS, "months": 18, "policies.epr.fee_eur_per_kg": 0.0,
     "recyclers.fibre_price_eur_per_kg": 0.35, "recyclers.exit_debt_months": 1.0,  # closures
     "firms.scrap_value_eur_per_kg": 0.1, "cooperatives.recyclable_price_eur_per_kg": 0.0,
     "recyclers.capacity_t_month": 100.0,        # full recyclers close with stock in store
     "symbiosis.awareness_mean": 0.9, "symbiosis.need_factor": 0.0},  # all sell to them
)


def _model(overrides: dict) -> TextileEconomy:
    return TextileEconomy(load_scenario("baseline", overrides={
        "scale": 0.002, "months": 12, "warmup_months": 0, **overrides}))


# ---------------------------------------------------------------- declarations


def test_every_name_is_declared_once_with_a_description():
    names = [*NODES, *ROUTES, *TALLIES]
    assert len(names) == len(set(names))
    for item in (*NODE_TABLE, *ROUTE_TABLE, *TALLY_TABLE):
        assert item.description.strip(), item.name
    assert {n.kind for n in NODE_TABLE} == {"source", "stock", "fate"}
    assert all(n.holder for n in NODE_TABLE if n.kind == "stock")
    assert all(not n.holder for n in NODE_TABLE if n.kind != "stock")
    assert {t.unit for t in TALLY_TABLE} <= {"kg", "EUR", "count"}


def test_the_ledger_keeps_its_names_importable():
    from circsim import ledger
    assert ledger.STOCKS == STOCKS and ledger.NODES == NODES
    assert {"households", "firms", "peer_listings", "cooperatives", "coop_shops",
            "coop_free_stock", "recyclers", "recycled_fibre"} == set(STOCKS)


# ---------------------------------------------------------------- tallies


def test_tally_starts_every_declared_key_at_zero():
    tally = Tally()
    assert dict(tally) == dict.fromkeys(TALLIES, 0.0)
    tally["sorted_kg"] += 2.5
    assert tally["sorted_kg"] == 2.5


@pytest.mark.parametrize("key", ["sorted_kgs", "recycled_fiber_kg", "anything"])
def test_tally_rejects_an_undeclared_key_read_or_written(key):
    tally = Tally()
    with pytest.raises(UndeclaredFlowError, match=f"undeclared tally '{key}'"):
        tally[key]
    with pytest.raises(UndeclaredFlowError):
        tally[key] = 1.0
    with pytest.raises(UndeclaredFlowError):
        tally[key] += 1.0
    assert set(tally) == set(TALLIES)


def test_tally_suggests_the_declared_key():
    with pytest.raises(UndeclaredFlowError, match="did you mean 'sorted_kg'"):
        Tally()["sorted_kgs"]


def test_tally_keys_cannot_be_removed():
    with pytest.raises(TypeError):
        del Tally()["sorted_kg"]


# ---------------------------------------------------------------- used, and only declared


def test_every_route_the_baseline_uses_is_declared():
    model = _model({})
    model.run()
    assert set(model.ledger.flows_frame()["route"]) <= set(ROUTES)


def test_every_declared_route_and_tally_is_used_with_all_levers_on():
    """No dead declarations: each route carries mass, each tally counts something."""
    routes, tallies, purposes = set(), set(), set()
    for overrides in RUNS_WITH_ALL_LEVERS:
        model = _model(overrides)
        for _ in range(model.scenario.months):
            model.step()
            routes |= {route for (_, route, _), kg in model.ledger.last_month.items() if kg > 0}
            tallies |= {key for key, value in model.tally.items() if value > 0}
            purposes |= {p for (_, p, _), eur in model.money.last_month.items() if eur > 0}
    assert set(ROUTES) - routes == set(), "declared routes no run uses"
    assert set(TALLIES) - tallies == set(), "declared tallies no run counts"
    assert set(PURPOSES) - purposes == set(), "declared payment purposes no run uses"


# ---------------------------------------------------------------- holders


def test_every_stock_has_exactly_one_kind_of_holder():
    model = _model({})
    kinds = [*ORGANISATIONS, type(model.households), type(model.fibre)]
    held = [node for kind in kinds for node in kind.HOLDS]
    assert sorted(held) == sorted(STOCKS)
    for holder in model.holders():
        assert set(holder.holdings()) == set(type(holder).HOLDS), type(holder).__name__


def test_a_kind_of_organisation_with_no_agent_reports_zero():
    model = _model({"recyclers.count": 0})
    assert model.held_by_node()["recyclers"] == 0.0
    model.run(2)                                 # the ledger's check passes


def _sharing_pair(model: TextileEconomy) -> tuple[SocialCooperative, SocialCooperative, int]:
    """Two cooperatives that stock the same zone (one has no zone of its own)."""
    coops = list(model.cooperatives)
    for a in coops:
        for b in coops:
            shared = set(a.shop_zones) & set(b.shop_zones)
            if a is not b and shared and not b.zones:
                return a, b, shared.pop()
    raise AssertionError("no two cooperatives share a shop zone")


def _stock(model, coop, zone, kg):
    """Put ``kg`` of clothing (first owner) in a cooperative's shop and reserve in ``zone``."""
    for lots, node in ((coop.shop_lots, "coop_shops"), (coop.free_lots, "coop_free_stock")):
        lots[zone, MASS, 0, 0] += kg
        model.ledger.balance[node] += kg
        model.ledger.balance["virgin_fibre"] -= kg


def test_households_take_from_the_pooled_zone_stock_in_proportion_to_holdings():
    model = _model({"cooperatives.count": 9})      # the ninth shares the first one's base
    a, b, zone = _sharing_pair(model)
    _stock(model, a, zone, 3000.0)
    _stock(model, b, zone, 1000.0)
    before = {c: (lot_mass(c.shop_lots), lot_mass(c.free_lots)) for c in (a, b)}
    model.month = 1
    model.discard()                                # garments leave use: households need some
    model.acquire()
    left = {c: (lot_mass(c.shop_lots) / before[c][0], lot_mass(c.free_lots) / before[c][1])
            for c in (a, b)}
    assert left[a][0] < 1.0 and left[a][1] < 1.0, "households took nothing"
    assert left[a] == pytest.approx(left[b], rel=1e-12)
    held = model.held_by_node()
    for node in ("coop_shops", "coop_free_stock"):
        assert held[node] == pytest.approx(model.ledger.balance[node], rel=1e-12)
    # each earns the shop price on what its own shops sold, at real volumes
    price = model.scenario.cooperatives.shop_price_eur_per_kg
    for c in (a, b):
        sold = before[c][0] - lot_mass(c.shop_lots)
        assert c.revenue_eur == pytest.approx(sold / model.scale * price, rel=1e-12)
    assert a.revenue_eur == pytest.approx(3 * b.revenue_eur, rel=1e-9)


def test_a_cooperative_clears_only_its_own_stock():
    model = _model({"cooperatives.count": 9})
    a, b, zone = _sharing_pair(model)
    _stock(model, a, zone, 3000.0)
    _stock(model, b, zone, 1000.0)
    a.shop_inflow_kg = a.free_inflow_kg = 10_000.0       # keeps all of it
    b.shop_inflow_kg = b.free_inflow_kg = 0.0            # keeps none of it
    b.clear_old_stock()
    assert lot_mass(b.shop_lots) == 0.0 and lot_mass(b.free_lots) == 0.0
    assert lot_mass(a.shop_lots) == 3000.0 and lot_mass(a.free_lots) == 3000.0
    assert model.ledger.balance["coop_shops"] == pytest.approx(
        sum(lot_mass(c.shop_lots) for c in model.cooperatives))


def test_a_cooperative_hands_over_its_stock_with_a_zone():
    model = _model({})
    old, new = list(model.cooperatives)[:2]
    zone = old.shop_zones[0]
    old.shop_lots[zone] = empty_lot()
    old.shop_lots[zone, MASS, 1, 2] = 7.0
    old.free_lots[zone, MASS, 0, 0] = 2.0
    total = lot_mass(old.shop_lots) + lot_mass(new.shop_lots)
    old.hand_over_stock(zone, new)
    assert lot_mass(old.shop_lots[zone]) == 0.0 and lot_mass(old.free_lots[zone]) == 0.0
    assert new.shop_lots[zone, MASS, 1, 2] == 7.0 and new.free_lots[zone, MASS, 0, 0] == 2.0
    assert lot_mass(old.shop_lots) + lot_mass(new.shop_lots) == pytest.approx(total)
    assert np.all(old.shop_lots >= 0)
