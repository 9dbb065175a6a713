"""Shared services and idle machinery: groups form within their rules, stocks stay bounded,
money balances, and the two levers act in the expected direction on the same seeds."""

from __future__ import annotations

import functools

import numpy as np
import pytest

from circsim import load_scenario, run_scenario
from circsim.model import TextileEconomy
from circsim.sectors import municipality_table

SHORT = {"scale": 0.002, "months": 36, "warmup_months": 3}
SUPPORT = {"policies.shared_services_support.enabled": True}
MARKETPLACE = {"policies.machinery_marketplace.enabled": True}
SEEDS = (3, 4)


@functools.cache
def summary(levers: tuple[tuple[str, bool], ...], seed: int) -> dict:
    return run_scenario(load_scenario("baseline", {**SHORT, **dict(levers)}), seed=seed).summary


def total(key: str, levers: dict) -> float:
    return sum(summary(tuple(sorted(levers.items())), s)[key] for s in SEEDS)


def test_symbiosis_firms_offer_the_interface():
    model = TextileEconomy(load_scenario("baseline", {**SHORT, "warmup_months": 0}))
    firms = model.symbiosis_firms()
    assert len(firms) == model.scenario.firms.count + len(model.sector_firms)
    towns = set(municipality_table()["municipality"])
    for f in firms:
        assert isinstance(f.sector, str) and f.sector.replace("/", "").isdigit()
        assert f.xy.shape == (2,) and f.municipality in towns
        assert f.employees > 0 and f.weight > 0 and 0 <= f.symbiosis_awareness <= 1


def test_support_raises_groups_and_savings():
    assert total("shared_services_groups", SUPPORT) > total("shared_services_groups", {})
    assert total("shared_services_savings_eur", SUPPORT) > total("shared_services_savings_eur", {})
    assert (total("shared_services_energy_saved_mwh", SUPPORT)
            >= total("shared_services_energy_saved_mwh", {}))


def test_marketplace_raises_machines_reused_and_lowers_idle_stock():
    assert total("machines_reused", MARKETPLACE) > total("machines_reused", {})
    assert total("machines_idle", MARKETPLACE) < total("machines_idle", {})
    assert (total("machinery_entry_savings_eur", MARKETPLACE)
            > total("machinery_entry_savings_eur", {}))


@pytest.mark.parametrize("key", ["residual_waste_t", "symbiosis_exchanged_t", "co2e_t", "jobs",
                                 "cooperatives_revenue_eur"])
def test_levers_leave_the_textile_economy_unchanged(key):
    """Both mechanisms draw from streams of their own: material flows do not move."""
    both = {**SUPPORT, **MARKETPLACE}
    assert total(key, both) == total(key, {})


def _run(overrides: dict, months: int, seed: int = 7) -> TextileEconomy:
    model = TextileEconomy(load_scenario("baseline", {**SHORT, "warmup_months": 0,
                                                      **overrides}), seed=seed)
    for _ in range(months):
        model.step()
    return model


def test_groups_respect_their_size_and_radius():
    model = _run({**SUPPORT, "policies.shared_services_support.consider_rate_boost": 0.3}, 24)
    p = model.scenario.shared_services
    groups = model.shared_services.groups
    assert groups
    for g in groups:
        assert len(g.members) >= p.min_group_size
        assert len(set(g.members)) == len(g.members)
        assert max(float(np.hypot(*(f.xy - g.xy))) for f in g.members) <= p.radius_km


def test_groups_dissolve_when_members_leave():
    model = _run({**SUPPORT, "policies.shared_services_support.consider_rate_boost": 0.3,
                  "shared_services.leave_rate_per_month": 1.0}, 0)
    ss = model.shared_services
    dissolved = 0
    for _ in range(12):
        before = len(ss.groups)
        model.step()
        assert ss.dissolved == before         # every older group lost all its members
        assert len(ss.groups) == ss.formed
        dissolved += ss.dissolved
    assert dissolved > 0


def test_programme_spends_at_most_its_budgets():
    model = _run({**SUPPORT, **MARKETPLACE,
                  "policies.shared_services_support.consider_rate_boost": 0.3,
                  "policies.shared_services_support.budget_eur": 50_000.0,
                  "policies.machinery_marketplace.budget_eur": 20_000.0}, 24)
    assert model.shared_services.budget_spent_eur == pytest.approx(50_000.0)
    assert model.machinery.budget_spent_eur == pytest.approx(20_000.0)
    flows = model.money.flows_frame()
    public = flows[(flows.payer == "public_budget")
                   & flows.purpose.isin(["programme_operation", "machine_transfer"])]
    grants_to_firms = flows[(flows.payer == "public_budget") & (flows.payee == "firms")]
    assert public.eur.sum() + grants_to_firms.eur.sum() == pytest.approx(70_000.0)


def test_members_pay_smaller_bills():
    model = _run({**SUPPORT, "policies.shared_services_support.consider_rate_boost": 0.3}, 12)
    ss = model.shared_services
    sharing = ss.memberships()
    full = sum(ss.bill_eur_year(f, s) / 12 * f.weight
               for f in model.symbiosis_firms() for s in ("water", "heat", "wastewater",
                                                          "security", "cleaning", "catering",
                                                          "logistics"))
    paid = model.money.paid("service_bill")
    assert sharing and paid < full
    assert model.money.paid("shared_service_coordination") > 0


@pytest.mark.parametrize("overrides", [
    {"machinery.scrap_rate_per_month": 0.01, "machinery.maker_entries_per_year": 0.0},
    {"machinery.scrap_rate_per_month": 0.05, "machinery.max_age_years": 60.0,
     "machinery.idle_machines_per_employee_year": 0.06},
])
def test_idle_machines_stay_bounded(overrides):
    """Without buyers the idle stock settles below its inflow over the scrap rate."""
    model = _run(overrides, 240)
    mp = model.scenario.machinery
    inflow = sum(f.employees * f.weight for f in model.symbiosis_firms()
                 if f.sector in mp.holder_sectors) * mp.idle_machines_per_employee_year / 12
    bound = inflow / mp.scrap_rate_per_month
    assert model.machinery.idle <= 1.2 * bound + 3 * np.sqrt(bound)
    assert model.machinery.age_months.max(initial=0) < mp.max_age_years * 12
