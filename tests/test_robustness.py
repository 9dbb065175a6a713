"""Numeric edge cases still balance the ledger, and nothing touches the network."""

from __future__ import annotations

import math
import socket

import numpy as np
import pytest

from circsim import load_scenario, run_scenario
from circsim.cli import main

BASE = {"scale": 0.001, "months": 6, "warmup_months": 0}


def _run(overrides: dict, seed: int = 3):
    result = run_scenario(load_scenario("baseline", overrides={**BASE, **overrides}),
                          seed=seed, keep_model=True)
    entered = -result.model.ledger.balance["virgin_fibre"]
    assert result.summary["ledger_imbalance_kg"] <= 1e-9 * max(entered, 1.0)
    assert len(result.monthly) == result.summary["months"]
    return result


def test_minimum_scale_one_household_and_empty_zones():
    result = _run({"scale": 1e-9})
    model = result.model
    assert model.households.n == 1
    assert (np.bincount(model.households.zone, minlength=8) == 0).sum() == 7


def test_a_handful_of_households_leaves_most_zones_empty():
    result = _run({"scale": 3e-6})
    zones = np.bincount(result.model.households.zone, minlength=8)
    assert (zones == 0).any() and zones.sum() == result.model.households.n


def test_one_month():
    assert len(_run({"months": 1}).monthly) == 1


@pytest.mark.parametrize("overrides", [
    {"recyclers.count": 0},
    {"recyclers.capacity_t_month": 0.0},
    {"cooperatives.bins_per_10k_residents": 0.0},
    {"cooperatives.rewearable_share_out_of_use": {"clothing": 0.0, "footwear": 0.0,
                                                  "household": 0.0},
     "cooperatives.rewearable_share_worn_out": 0.0,
     "cooperatives.recyclable_share_of_rest": {"clothing": 0.0, "footwear": 0.0,
                                               "household": 0.0}},
    {"cooperatives.rewearable_share_out_of_use": {"clothing": 1.0, "footwear": 1.0,
                                                  "household": 1.0},
     "cooperatives.rewearable_share_worn_out": 1.0, "cooperatives.condition_loss_per_year": 0.0},
    {"cooperatives.export_price_eur_per_kg": 0.0},
    {"cooperatives.export_price_eur_per_kg": 20.0, "cooperatives.storage_months": 0.0},
    {"firms.unsold_share": 0.0, "firms.cutting_waste_share": 0.0},
    {"households.consumption_kg_per_person_year": {"clothing": 0.0, "footwear": 0.0,
                                                   "household": 0.0}},
    {"population.low_income_share": 0.0},
    {"population.low_income_share": 1.0},
    {"households.wear_out_share": 1.0, "households.repair_base_share": 1.0},
])
def test_zero_and_extreme_parameters_balance(overrides):
    _run(overrides)


LEVERS_AT_BOUNDS = {
    "policies.epr": {"enabled": True, "fee_eur_per_kg": 20.0, "durability_bonus": 1.0,
                     "recycled_content_bonus": 1.0, "collection_funding_share": 1.0},
    "policies.destruction_ban": {"enabled": True, "firm_sizes": ["small", "medium", "large"]},
    "policies.landfill_tax": {"enabled": True, "eur_per_t": 1000.0, "incineration_share": 1.0},
    "policies.collection": {"enabled": True, "bins_per_10k_residents": 100.0},
    "policies.awareness_campaign": {"enabled": True, "reach_share_per_month": 1.0,
                                    "effect": 1.0},
    "policies.repair_subsidy": {"enabled": True, "eur_per_repair": 200.0,
                                "max_share_of_bill": 1.0},
    "policies.symbiosis_platform": {"enabled": True, "reach_km": 500.0,
                                    "transaction_cost_reduction": 1.0,
                                    "participation_threshold": 0.0},
    "policies.enterprise_support": {"enabled": True, "entry_cost_reduction": 1.0,
                                    "coop_sorting_grant_t_month": 10000.0,
                                    "max_new_per_year": 50},
}


@pytest.mark.parametrize("lever", sorted(LEVERS_AT_BOUNDS))
def test_each_lever_at_its_bounds_balances(lever):
    result = _run({lever: LEVERS_AT_BOUNDS[lever], "months": 12})
    assert all(math.isfinite(v) or math.isnan(v) for v in result.summary.values()
               if isinstance(v, float))


def test_all_levers_at_their_bounds_at_once():
    _run({**LEVERS_AT_BOUNDS, "months": 12})


def test_lever_starting_after_the_horizon_changes_nothing():
    base = _run({})
    late = _run({"policies.collection": {"enabled": True, "start_month": 1200,
                                         "bins_per_10k_residents": 50.0}})
    assert late.summary["residual_waste_t"] == base.summary["residual_waste_t"]


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a network connection fails the test."""
    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def test_the_baseline_runs_and_saves_without_network(no_network, tmp_path):
    code = main(["run", "--months", "12", "--scale", "0.002", "--out", str(tmp_path)])
    assert code == 0
    assert (tmp_path / "run.png").exists() and (tmp_path / "monthly.parquet").exists()
