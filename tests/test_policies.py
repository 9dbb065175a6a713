"""Policy levers: when they act, and what each changes in the month's conditions."""

from __future__ import annotations

from dataclasses import fields

import pytest

from circsim.policies import LEVER_EFFECTS, Conditions, active_levers, conditions_at
from circsim.repair import bills, repair_prices
from circsim.scenario.schema import LEVERS


def _differences(a: Conditions, b: Conditions) -> set[str]:
    return {f.name for f in fields(Conditions)
            if f.name != "month" and getattr(a, f.name) != getattr(b, f.name)}


def test_every_schema_lever_has_an_effect():
    assert set(LEVERS) == set(LEVER_EFFECTS)
    assert all(callable(effect) for effect in LEVER_EFFECTS.values())


def test_no_lever_is_active_in_the_baseline(make_scenario):
    scenario = make_scenario()
    for month in (1, 12, 120):
        assert active_levers(scenario, month) == []
        assert conditions_at(scenario, month).month == month


@pytest.mark.parametrize("lever", LEVERS)
def test_lever_acts_only_from_its_start_month_to_its_end_month(make_scenario, lever):
    base = make_scenario()
    scenario = make_scenario({f"policies.{lever}.enabled": True,
                              f"policies.{lever}.start_month": 4,
                              f"policies.{lever}.end_month": 7})
    for month in range(1, 10):
        changed = _differences(conditions_at(base, month), conditions_at(scenario, month))
        acting = 4 <= month <= 7
        assert bool(changed) == acting, (lever, month, changed)
        assert (lever in active_levers(scenario, month)) == acting


@pytest.mark.parametrize("lever", LEVERS)
def test_disabled_lever_never_acts(make_scenario, lever):
    base = make_scenario()
    scenario = make_scenario({f"policies.{lever}.enabled": False,
                              f"policies.{lever}.start_month": 1})
    for month in (1, 5, 50):
        assert conditions_at(scenario, month) == conditions_at(base, month)


def test_lever_without_end_month_stays_on(make_scenario):
    scenario = make_scenario({"policies.landfill_tax.enabled": True,
                              "policies.landfill_tax.start_month": 3})
    taxes = [conditions_at(scenario, m).landfill_tax_eur_per_t for m in (1, 2, 3, 60, 1200)]
    assert taxes[:2] == [0.0, 0.0]
    assert all(t == scenario.policies.landfill_tax.eur_per_t for t in taxes[2:])


def test_destruction_ban_adds_medium_firms_later(make_scenario):
    scenario = make_scenario({"policies.destruction_ban.enabled": True,
                              "policies.destruction_ban.firm_sizes": ["large"],
                              "policies.destruction_ban.medium_firms_from_month": 6})
    assert conditions_at(scenario, 5).banned_destruction == frozenset({"large"})
    assert conditions_at(scenario, 6).banned_destruction == frozenset({"large", "medium"})
    assert conditions_at(scenario, 30).banned_destruction == frozenset({"large", "medium"})


def test_medium_firms_lose_the_destroy_outlet_when_the_ban_reaches_them(make_model):
    model = make_model({"policies.destruction_ban.enabled": True,
                        "policies.destruction_ban.medium_firms_from_month": 3})
    medium = [f for f in model.firms if f.size == "medium"]
    assert medium
    model.step()
    assert all("destroy" in f.outlet_values() for f in medium)
    model.run(2)
    assert model.month == 3
    assert all("destroy" not in f.outlet_values() for f in medium)


def test_landfill_tax_raises_disposal_cost(make_scenario):
    base = make_scenario()
    taxed = make_scenario({"policies.landfill_tax.enabled": True,
                           "policies.landfill_tax.eur_per_t": 100.0,
                           "policies.landfill_tax.incineration_share": 0.5})
    c0, c1 = conditions_at(base, 1), conditions_at(taxed, 1)
    assert c1.landfill_tax_eur_per_t == 100.0
    assert c1.incineration_tax_eur_per_t == pytest.approx(50.0)
    cost0, cost1 = c0.disposal_cost_eur_per_t(base), c1.disposal_cost_eur_per_t(taxed)
    assert cost1 > cost0
    w = base.waste
    expected = w.landfill_share_of_residual * 100.0 + (1 - w.landfill_share_of_residual) * 50.0
    assert cost1 - cost0 == pytest.approx(expected)


def test_landfill_tax_lowers_the_value_of_disposal_for_firms(make_model):
    base = make_model()
    taxed = make_model({"policies.landfill_tax.enabled": True,
                        "policies.landfill_tax.eur_per_t": 200.0})
    f0, f1 = next(iter(base.firms)), next(iter(taxed.firms))
    assert f1.outlet_values()["dispose"] < f0.outlet_values()["dispose"]


def test_symbiosis_platform_raises_reach_and_lowers_transaction_cost(make_scenario):
    base = make_scenario()
    platform = make_scenario({"policies.symbiosis_platform.enabled": True,
                              "policies.symbiosis_platform.reach_km": 80.0,
                              "policies.symbiosis_platform.transaction_cost_reduction": 0.5})
    c0, c1 = conditions_at(base, 1), conditions_at(platform, 1)
    assert c1.reach_km == 80.0 > c0.reach_km
    assert c1.transaction_cost_eur_per_t == pytest.approx(0.5 * c0.transaction_cost_eur_per_t)
    assert c0.platform_threshold is None
    assert c1.platform_threshold == platform.policies.symbiosis_platform.participation_threshold


def test_symbiosis_platform_never_shrinks_reach(make_scenario):
    platform = make_scenario({"policies.symbiosis_platform.enabled": True,
                              "policies.symbiosis_platform.reach_km": 5.0})
    assert conditions_at(platform, 1).reach_km == platform.exchange.reach_km


def test_platform_terms_apply_once_enough_firms_join(make_model):
    model = make_model({"policies.symbiosis_platform.enabled": True,
                        "policies.symbiosis_platform.participation_threshold": 0.2})
    ex = model.scenario.exchange
    model.step()
    assert model.exchange.terms() == (ex.reach_km, ex.transaction_cost_eur_per_t)
    model.run(6)
    reach, cost = model.exchange.terms()
    assert model.exchange.platform_users >= 0.2
    assert reach == model.conditions.reach_km > ex.reach_km
    assert cost == model.conditions.transaction_cost_eur_per_t < ex.transaction_cost_eur_per_t


@pytest.mark.parametrize(("lever", "field", "value", "expected"), [
    ("epr", "fee_eur_per_kg", 0.5, ("epr_fee_eur_per_kg", 0.5)),
    ("collection", "bins_per_10k_residents", 9.0, ("bins_per_10k_residents", 9.0)),
    ("awareness_campaign", "effect", 0.4, ("campaign_effect", 0.4)),
    ("enterprise_support", "max_new_per_year", 7, ("max_new_enterprises_per_year", 7)),
])
def test_lever_values_reach_the_conditions(make_scenario, lever, field, value, expected):
    scenario = make_scenario({f"policies.{lever}.enabled": True,
                              f"policies.{lever}.{field}": value})
    name, want = expected
    assert getattr(conditions_at(scenario, 1), name) == want


def test_repair_subsidy_is_capped_by_share_of_the_bill(make_scenario):
    scenario = make_scenario({"policies.repair_subsidy.enabled": True,
                              "policies.repair_subsidy.eur_per_repair": 100.0,
                              "policies.repair_subsidy.max_share_of_bill": 0.5})
    cond = conditions_at(scenario, 1)
    assert (cond.repair_subsidy_eur, cond.repair_subsidy_max_share) == (100.0, 0.5)
    prices = repair_prices(scenario.households, 100.0, 0.5)
    # every bill is paid half by the voucher, half by the household
    assert prices.voucher_eur == pytest.approx(prices.household_eur)
    assert prices.demand_factor > 1


def test_repair_bills_vary_around_their_mean(make_scenario):
    hp = make_scenario().households
    b = bills(hp)
    assert b.min() < hp.repair_cost_eur < b.max()
    assert b.mean() == pytest.approx(hp.repair_cost_eur, rel=0.05)


def test_a_larger_voucher_keeps_mattering_until_repair_is_free(make_scenario):
    """No floor on the net price: each euro more raises demand until every bill is paid."""
    hp = make_scenario().households
    top_bill = bills(hp).max()
    vouchers = (0, 7, 15, 25, top_bill, 2 * top_bill)
    factors = [repair_prices(hp, v, 1.0).demand_factor for v in vouchers]
    assert all(a < b for a, b in zip(factors[:4], factors[1:5], strict=True))
    assert factors[4] == pytest.approx(factors[5])          # every bill already free
    top = repair_prices(hp, 1000, 1.0)
    assert top.household_eur == pytest.approx(0.0)
    assert top.demand_factor < 1e3                            # the hassle keeps it finite
