"""The Mesa agents: firms, cooperatives, recyclers and consumers."""

from __future__ import annotations

import numpy as np
import pytest

import circsim.model
from circsim.agents import Consumer, FashionFirm, Recycler, SocialCooperative
from circsim.agents.firm import INNOVATIONS
from circsim.agents.recycler import (
    POST_CONSUMER,
    PRE_CONSUMER,
    feedstock_price_eur_per_kg,
    margin_eur_per_t,
)
from circsim.wardrobe import DUR, MASS, empty_lot, lot_mass
from circsim.world import unmet_feedstock_price

BAN_LARGE = {"policies.destruction_ban.enabled": True,
             "policies.destruction_ban.firm_sizes": ["large"]}
HIGH_PROTECTION = {"firms.brand_protection_eur_per_kg": {"small": 0.0, "medium": 0.3,
                                                         "large": 50.0}}
STRONG_EPR = {"policies.epr.enabled": True, "policies.epr.fee_eur_per_kg": 2.0,
              "policies.epr.durability_bonus": 1.0, "policies.epr.recycled_content_bonus": 1.0}


def _firms(model, size):
    firms = [f for f in model.firms if f.size == size]
    assert firms, f"no {size} firm in the scenario"
    return firms


# ---------------------------------------------------------------- fashion firms


def test_large_firm_never_destroys_under_a_ban(make_model):
    model = make_model({**HIGH_PROTECTION, **BAN_LARGE})
    for _ in range(4):
        model.step()
        for firm in _firms(model, "large"):
            assert "destroy" not in firm.outlet_values()
            assert firm.fallback_outlet != "destroy"
            assert firm.destroyed_kg == 0.0
    # the ban covers large firms only: medium firms may still destroy
    assert all("destroy" in f.outlet_values() for f in _firms(model, "medium"))


def test_large_firm_with_high_brand_protection_destroys_without_a_ban(make_model):
    model = make_model(HIGH_PROTECTION, months=3)
    large = _firms(model, "large")
    for firm in large:
        values = firm.outlet_values()
        assert max(values, key=values.get) == "destroy"
    assert all(f.destroyed_kg > 0 for f in large)
    assert model.ledger.routed("destruction", "firms") > 0
    assert model.monthly_frame()["destroyed_t"].iloc[-1] > 0


def test_destroyed_goods_end_in_residual_treatment(make_model):
    model = make_model(HIGH_PROTECTION, months=1)
    flows = model.ledger.flows_frame()
    destroyed = flows[flows["route"] == "destruction"]
    assert set(destroyed["destination"]) <= {"incineration", "landfill"}
    assert destroyed["kg"].sum() == pytest.approx(sum(f.destroyed_kg for f in model.firms))


def test_epr_modulation_falls_with_durability_and_recycled_content(make_model):
    model = make_model(STRONG_EPR)
    model.step()
    firm = next(iter(model.firms))
    firm.durability, firm.recycled_content = 1.0, 0.0
    plain = firm.epr_modulation()
    assert plain == pytest.approx(1.0)
    firm.durability = 1.15
    more_durable = firm.epr_modulation()
    firm.recycled_content = 0.1
    both = firm.epr_modulation()
    assert plain > more_durable > both
    firm.durability, firm.recycled_content = 1.0, 0.1
    assert firm.epr_modulation() < plain
    firm.durability, firm.recycled_content = 2.0, 1.0
    assert 0.0 <= firm.epr_modulation() < both


def test_epr_modulation_is_neutral_without_epr(make_model):
    model = make_model()
    firm = next(iter(model.firms))
    firm.durability, firm.recycled_content = 1.3, 0.2
    assert firm.epr_modulation() == pytest.approx(1.0)


def test_adopting_durable_design_raises_durability(make_model):
    model = make_model()
    firm = next(iter(model.firms))
    before = firm.durability
    firm.adopt("durable_design")
    assert "durable_design" in firm.innovations
    assert firm.durability > before
    assert firm.durability == pytest.approx(
        model.scenario.firms.durability * model.scenario.firms.durable_design_factor)


def test_adopting_recycled_content_raises_recycled_content(make_model):
    model = make_model()
    firm = next(iter(model.firms))
    before = firm.recycled_content
    firm.adopt("recycled_content")
    assert firm.recycled_content == pytest.approx(
        max(before, model.scenario.firms.recycled_content_target))
    assert firm.recycled_content > before


def test_strong_epr_raises_adoption(make_model):
    def adopted(overrides):
        model = make_model(overrides, seed=11, months=24)
        return sum(len(f.innovations) for f in model.firms), model

    n_without, without = adopted({})
    n_with, with_epr = adopted(STRONG_EPR)
    assert n_with > n_without
    share = with_epr.monthly_frame()["firms_with_innovation_share"].iloc[-1]
    assert share > without.monthly_frame()["firms_with_innovation_share"].iloc[-1]
    assert all(i in INNOVATIONS for f in with_epr.firms for i in f.innovations)


def test_firm_market_shares_sum_to_one(make_model):
    model = make_model()
    assert sum(f.market_share for f in model.firms) == pytest.approx(1.0)
    assert all(f.market_share > 0 for f in model.firms)


# ---------------------------------------------------------------- social cooperatives


def _capacity(model, coop):
    grant = model.conditions.coop_sorting_grant_t_month * 1000 * model.scale
    return coop.sorting_capacity_kg + grant / max(len(model.cooperatives), 1)


def test_sorting_never_exceeds_capacity(make_model):
    model = make_model({"cooperatives.sorting_capacity_t_month": 300.0})
    at_capacity = 0
    for _ in range(6):
        model.step()
        for coop in model.cooperatives:
            cap = _capacity(model, coop)
            assert coop.sorted_kg <= cap * (1 + 1e-12)
            at_capacity += coop.sorted_kg == pytest.approx(cap)
    assert at_capacity > 0, "capacity never bound: the test would prove nothing"
    assert any(lot_mass(c.unsorted) > 0 for c in model.cooperatives)


def test_sort_splits_a_known_lot_into_grades(make_model):
    """New clothing that merely fell out of use: rewearable at the out-of-use share."""
    model = make_model()
    model.month = 1
    coop = next(iter(model.cooperatives))
    cp = model.scenario.cooperatives
    coop.unsorted = empty_lot()
    coop.unsorted[MASS, 0, 0] = 0.5 * coop.sorting_capacity_kg
    coop.unsorted[DUR, 0, 0] = coop.unsorted[MASS, 0, 0]
    kg = lot_mass(coop.unsorted)
    before = dict(model.ledger.balance)
    recyclable_before = coop.recyclable_kg
    coop.sort()

    def gained(*nodes):
        return sum(model.ledger.balance[n] - before[n] for n in nodes)

    rewear = cp.rewearable_share_out_of_use.clothing
    assert coop.sorted_kg == pytest.approx(kg)
    assert lot_mass(coop.unsorted) == pytest.approx(0.0, abs=1e-9)
    assert gained("incineration", "landfill") == pytest.approx(
        (1 - rewear) * (1 - cp.recyclable_share_of_rest.clothing) * kg)
    rewearable = gained("coop_free_stock", "coop_shops", "reuse_abroad", "waste_abroad") \
        + (coop.recyclable_kg - recyclable_before) - (1 - rewear) \
        * cp.recyclable_share_of_rest.clothing * kg      # downgraded surplus, if any
    assert rewearable == pytest.approx(rewear * kg)


def test_free_stock_goes_only_to_zones_the_cooperative_serves(make_model):
    model = make_model({"cooperatives.count": 3})
    model.month = 1
    for coop in model.cooperatives:
        coop.unsorted = empty_lot()
        coop.unsorted[MASS, :, 0] = 0.2 * coop.sorting_capacity_kg
        coop.sort()
        free_by_zone = coop.free_lots[:, MASS].sum(axis=(1, 2))
        shop_by_zone = coop.shop_lots[:, MASS].sum(axis=(1, 2))
        others = np.setdiff1d(np.arange(model.geo.n_zones), coop.zones)
        assert free_by_zone[coop.zones].sum() > 0
        assert (free_by_zone[others] == 0).all()
        assert (shop_by_zone[others] == 0).all()


def test_cooperatives_serve_every_zone_once(make_model):
    model = make_model({"cooperatives.count": 4})
    zones = sorted(z for c in model.cooperatives for z in c.zones)
    assert zones == list(range(model.geo.n_zones))


# ---------------------------------------------------------------- recyclers


def test_recycler_never_processes_more_than_capacity_and_respects_yield(make_model):
    model = make_model({"recyclers.capacity_t_month": 20.0})
    yield_share = model.scenario.recyclers.yield_share
    at_capacity = 0
    for _ in range(6):
        model.step()
        processed = 0.0
        for r in model.recyclers:
            assert r.processed_kg <= r.capacity_kg * (1 + 1e-12)
            assert r.stock_kg >= 0
            at_capacity += r.processed_kg == pytest.approx(r.capacity_kg)
            processed += r.processed_kg
        fibre = model.tally["recycled_fibre_kg"]
        assert fibre == pytest.approx(processed * yield_share, rel=1e-9)
        assert model.ledger.routed("recycling_loss", "recyclers") == pytest.approx(
            processed * (1 - yield_share), rel=1e-9)
        assert (model.ledger.routed("fibre_to_fibre") + model.ledger.routed(
            "open_loop_recycling", "recyclers")) == pytest.approx(fibre, rel=1e-9)
    assert at_capacity > 0, "capacity never bound: the test would prove nothing"


def test_recycler_recycle_directly(make_model):
    model = make_model({"recyclers.yield_share": 0.7})
    recycler = next(iter(model.recyclers))
    recycler.stock_kg = 3 * recycler.capacity_kg
    model.ledger.balance["recyclers"] += recycler.stock_kg
    recycler.recycle()
    assert recycler.processed_kg == pytest.approx(recycler.capacity_kg)
    assert recycler.stock_kg == pytest.approx(2 * recycler.capacity_kg)
    assert model.tally["recycled_fibre_kg"] == pytest.approx(0.7 * recycler.capacity_kg)


def test_entry_margin_is_net_of_what_the_recycler_pays_for_feedstock(make_scenario):
    sc = make_scenario()
    rp, lab = sc.recyclers, sc.labour
    wages = lab.recycling_hours_per_t * lab.wage_eur_per_fte_month / lab.hours_per_fte_month
    fibre = (rp.yield_share * rp.fibre_price_eur_per_kg * 1000 - rp.processing_cost_eur_per_t
             - wages)
    assert margin_eur_per_t(sc, 0.0) == pytest.approx(fibre)
    assert margin_eur_per_t(sc, 0.1) == pytest.approx(fibre - 100.0)
    # a seller who pays the recycler (the gate fee above the material's value) adds to it
    assert margin_eur_per_t(sc, -0.05) == pytest.approx(fibre + 50.0)


# recyclers full from the start, entry cheap: any positive margin pays back the entry
FULL_CHEAP_ENTRY = {"recyclers.capacity_t_month": 20.0, "recyclers.entry_cost_eur": 1000.0,
                    "recyclers.entry_backlog_months": 2}


def test_entry_weighs_the_price_of_the_feedstock_that_went_unmet(make_model):
    model = make_model(FULL_CHEAP_ENTRY, months=12)
    kg = model.exchange.unmet_kg_by_material
    assert kg[POST_CONSUMER] > 0 and kg[PRE_CONSUMER] >= 0
    price = feedstock_price_eur_per_kg(model.scenario)
    assert unmet_feedstock_price(model) == pytest.approx(price @ kg / kg.sum())
    assert model.entries, "cheap entry with a positive margin: a recycler enters"
    # dear post-consumer grades (EUR 0.6/kg, less the gate fee) leave no margin on the mix
    # that went unmet, although the gate fee and the fibre alone would still pay
    dear = make_model({**FULL_CHEAP_ENTRY, "cooperatives.recyclable_price_eur_per_kg": 0.6},
                      months=12)
    rp = dear.scenario.recyclers
    assert margin_eur_per_t(dear.scenario, unmet_feedstock_price(dear)) < 0
    assert rp.gate_fee_eur_per_t + margin_eur_per_t(dear.scenario, 0.0) > 0
    assert dear.entries == []


# ---------------------------------------------------------------- consumers


def test_one_consumer_per_household_in_small_runs(make_model):
    model = make_model()
    consumers = list(model.consumers)
    assert len(consumers) == model.households.n
    assert all(c.households == 1 for c in consumers)


def test_consumer_blocks_read_the_household_columns(make_model, monkeypatch):
    monkeypatch.setattr(circsim.model, "MAX_CONSUMER_AGENTS", 500)
    model = make_model(months=2)
    hh = model.households
    consumers = list(model.consumers)
    assert len(consumers) < hh.n
    assert sum(c.households for c in consumers) == hh.n
    covered = np.zeros(hh.n, int)
    for c in consumers:
        rows = np.arange(c.rows.start, c.rows.stop)
        covered[rows] += 1
        assert (hh.zone[rows] == c.zone).all()          # a block is one zone ...
        assert (hh.low_income[rows] == c.low_income).all()   # ... and one income class
        assert c.awareness == pytest.approx(float(hh.awareness[rows].mean()), rel=1e-6)
        assert c.size == pytest.approx(float(hh.size[rows].mean()), rel=1e-6)
        np.testing.assert_allclose(c.wardrobe_kg, hh.wardrobe[rows].mean(axis=0))
    assert (covered == 1).all()


def test_consumer_properties_follow_the_columns_when_they_change(make_model):
    model = make_model()
    consumer = next(iter(model.consumers))
    model.households.awareness[consumer.rows] = 0.9
    assert consumer.awareness == pytest.approx(0.9)
    assert not consumer.received_free_garments_recently
    model.households.last_gift_month[consumer.rows] = model.month
    assert consumer.received_free_garments_recently


def test_agents_are_registered_on_the_model(make_model):
    overrides = {"firms.count": 17, "cooperatives.count": 4, "recyclers.count": 2}
    model = make_model(overrides)
    by_type = model.agents_by_type
    assert len(by_type[FashionFirm]) == 17
    assert len(by_type[SocialCooperative]) == 4
    assert len(by_type[Recycler]) == 2
    assert len(by_type[Consumer]) == model.households.n
    assert len(model.agents) == 17 + 4 + 2 + len(model.sector_firms) + model.households.n
    assert all(a.model is model for a in model.agents)

