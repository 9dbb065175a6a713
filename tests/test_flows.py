"""Declared flows: nodes, routes and tallies are named once, used, and nothing else is."""

from __future__ import annotations

import pytest

from circsim import TextileEconomy, load_scenario
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
from circsim.scenario.schema import LEVERS

ALL_LEVERS = {f"policies.{lever}.enabled": True for lever in LEVERS}
# with every lever on, one run uses every route but the disposal of unsold goods, which
# takes firms that may not destroy and cooperatives with no room for their donations
RUNS_WITH_ALL_LEVERS = (
    {**ALL_LEVERS, "months": 36},
    {**ALL_LEVERS, "months": 12,
     "policies.destruction_ban.firm_sizes": ["small", "medium", "large"],
     "cooperatives.sorting_capacity_t_month": 200.0},
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
    routes, tallies = set(), set()
    for overrides in RUNS_WITH_ALL_LEVERS:
        model = _model(overrides)
        for _ in range(model.scenario.months):
            model.step()
            routes |= {route for (_, route, _), kg in model.ledger.last_month.items() if kg > 0}
            tallies |= {key for key, value in model.tally.items() if value > 0}
    assert set(ROUTES) - routes == set(), "declared routes no run uses"
    assert set(TALLIES) - tallies == set(), "declared tallies no run counts"
