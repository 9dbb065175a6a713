"""No stock grows without bound: every place where mass waits is finite.

Over random valid scenarios (levers and capacities drawn from their schema ranges), each
stock held by an organisation stays within a few months of its own inflow, plus the
months of stock its holder is allowed to keep (storage, shop and reserve months), in every
month of the second half of the run.
"""

from __future__ import annotations

import warnings

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from circsim import load_scenario
from circsim.model import TextileEconomy

MONTHS = 60
SLACK_MONTHS = 3.0        # "a few months" beyond what the holder may keep


def _allowed_months(scenario, node: str) -> float:
    """Months of its inflow a stock may hold by its own rules."""
    cp, rp, hp = scenario.cooperatives, scenario.recyclers, scenario.households
    return {"cooperatives": cp.storage_months, "coop_shops": cp.shop_stock_months,
            "coop_free_stock": cp.free_stock_months, "recyclers": rp.storage_months,
            "peer_listings": 1.0 / hp.unsold_listing_donation_share}.get(node, 1.0)


@st.composite
def scenarios(draw) -> dict:
    """A random valid scenario: strong or weak collection, campaigns, capacities, prices."""
    return {
        "scale": 0.002, "months": MONTHS, "warmup_months": 0,
        "seed": draw(st.integers(0, 2**31)),
        "cooperatives.storage_months": draw(st.floats(0.0, 24.0)),
        "cooperatives.sorting_capacity_t_month": draw(st.floats(10.0, 5000.0)),
        "cooperatives.bin_capacity_kg_month": draw(st.floats(100.0, 20000.0)),
        "cooperatives.export_price_eur_per_kg": draw(st.floats(0.0, 20.0)),
        "recyclers.storage_months": draw(st.floats(0.0, 24.0)),
        "recyclers.capacity_t_month": draw(st.floats(0.0, 2000.0)),
        "households.unsold_listing_donation_share": draw(st.floats(0.05, 1.0)),
        "policies.collection.enabled": True,
        "policies.collection.bins_per_10k_residents": draw(st.floats(0.0, 100.0)),
        "policies.awareness_campaign.enabled": draw(st.booleans()),
        "policies.awareness_campaign.reach_share_per_month": draw(st.floats(0.0, 1.0)),
        "policies.awareness_campaign.effect": draw(st.floats(0.0, 1.0)),
        "policies.destruction_ban.enabled": draw(st.booleans()),
    }


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(overrides=scenarios())
def test_no_stock_grows_without_bound(overrides):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        scenario = load_scenario("baseline", overrides=overrides)
    model = TextileEconomy(scenario)
    nodes = [n for n in model.held_by_node() if n not in ("households", "recycled_fibre")]
    held, inflow, fibre_over = [], [], []
    for _ in range(MONTHS):
        model.step()
        by_node = model.held_by_node()
        held.append([by_node[n] for n in nodes])
        inflow.append([model.ledger.into(n) for n in nodes])
        keep = model.new_demand_kg * scenario.firms.recycled_fibre_stock_share
        fibre_over.append(by_node["recycled_fibre"] - keep)     # the pool keeps its reserve
    held, inflow = np.array(held), np.array(inflow)
    for t in range(MONTHS // 2, MONTHS):
        recent = inflow[max(0, t - 11):t + 1].mean(axis=0)
        for i, node in enumerate(nodes):
            bound = (_allowed_months(scenario, node) + SLACK_MONTHS) * recent[i] + 1e-6
            assert held[t, i] <= bound, (node, t, held[t, i], recent[i])
        assert fibre_over[t] <= 1e-6, ("recycled_fibre", t, fibre_over[t])
