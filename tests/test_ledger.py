"""The mass-balance ledger: unit behaviour, and conservation over random scenarios."""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from circsim import load_scenario, run_scenario
from circsim.flows import UndeclaredFlowError
from circsim.ledger import FATES, NODES, SOURCES, STOCKS, Ledger, LedgerImbalanceError

# ---------------------------------------------------------------- unit tests


def held(**kg: float) -> dict[str, float]:
    """What holders report: every declared stock, zero unless given."""
    return {**dict.fromkeys(STOCKS, 0.0), **kg}


def test_new_ledger_knows_every_node_with_zero_balance():
    ledger = Ledger()
    assert set(ledger.balance) == set(NODES)
    assert all(v == 0.0 for v in ledger.balance.values())
    assert set(SOURCES).isdisjoint(STOCKS) and set(STOCKS).isdisjoint(FATES)


def test_move_changes_source_and_destination_balances():
    ledger = Ledger()
    ledger.move("virgin_fibre", "virgin_fabric", "firms", 10.0)
    ledger.move("firms", "new_sale", "households", 4.0)
    assert ledger.balance["virgin_fibre"] == pytest.approx(-10.0)
    assert ledger.balance["firms"] == pytest.approx(6.0)
    assert ledger.balance["households"] == pytest.approx(4.0)
    untouched = set(NODES) - {"virgin_fibre", "firms", "households"}
    assert all(ledger.balance[n] == 0.0 for n in untouched)


def test_zero_move_records_nothing():
    ledger = Ledger()
    ledger.move("virgin_fibre", "virgin_fabric", "firms", 0.0)
    ledger.close_month(1, held())
    assert ledger.flows_frame().empty


def test_close_month_passes_when_held_matches():
    ledger = Ledger()
    ledger.move("virgin_fibre", "virgin_fabric", "firms", 10.0)
    ledger.move("firms", "new_sale", "households", 7.0)
    ledger.move("firms", "unsold_disposal", "incineration", 1.0)
    worst = ledger.close_month(1, held(firms=2.0, households=7.0))
    assert worst == pytest.approx(0.0, abs=1e-12)
    assert ledger.month == 1
    assert ledger.routed("new_sale") == pytest.approx(7.0)
    assert ledger.into("incineration") == pytest.approx(1.0)


def test_close_month_raises_when_an_agent_holds_something_else():
    ledger = Ledger()
    ledger.move("virgin_fibre", "virgin_fabric", "firms", 10.0)
    with pytest.raises(LedgerImbalanceError, match="firms"):
        ledger.close_month(1, held(firms=9.0))


def test_close_month_raises_when_a_stock_is_missing_from_held():
    ledger = Ledger()
    ledger.move("virgin_fibre", "virgin_fabric", "firms", 10.0)
    with pytest.raises(LedgerImbalanceError):
        ledger.close_month(1, {})


def test_close_month_raises_when_no_holder_reports_a_stock_even_at_zero():
    ledger = Ledger()
    report = held()
    del report["recycled_fibre"]
    with pytest.raises(LedgerImbalanceError, match="recycled_fibre: no holder"):
        ledger.close_month(1, report)


def test_close_month_raises_when_a_holder_reports_an_undeclared_stock():
    ledger = Ledger()
    with pytest.raises(LedgerImbalanceError, match="wardrobes: reported"):
        ledger.close_month(1, held(wardrobes=0.0))


def test_close_month_tolerates_float_noise_only():
    ledger = Ledger()
    ledger.move("virgin_fibre", "virgin_fabric", "firms", 1000.0)
    ledger.close_month(1, held(firms=1000.0 * (1 + 1e-12)))
    with pytest.raises(LedgerImbalanceError):
        ledger.close_month(2, held(firms=1000.0 * (1 + 1e-6)))


def test_close_month_raises_on_negative_stock():
    ledger = Ledger()
    ledger.move("firms", "new_sale", "households", 5.0)    # nothing entered firms
    with pytest.raises(LedgerImbalanceError, match="negative"):
        ledger.close_month(1, held(firms=-5.0, households=5.0))


def test_close_month_raises_when_mass_appears_from_nowhere():
    ledger = Ledger()
    ledger.balance["households"] = 5.0                       # no source paid for it
    with pytest.raises(LedgerImbalanceError, match="entered"):
        ledger.close_month(1, held(households=5.0))


def test_negative_flow_raises():
    ledger = Ledger()
    with pytest.raises(LedgerImbalanceError, match="negative"):
        ledger.move("virgin_fibre", "virgin_fabric", "firms", -1.0)
    assert ledger.balance["firms"] == 0.0


def test_rounding_noise_below_zero_is_ignored():
    ledger = Ledger()
    ledger.move("virgin_fibre", "virgin_fabric", "firms", -1e-12)
    assert ledger.balance["firms"] == 0.0


def test_unknown_node_raises():
    ledger = Ledger()
    with pytest.raises(KeyError):
        ledger.move("virgin_fibre", "virgin_fabric", "nowhere", 1.0)


@pytest.mark.parametrize(("source", "route", "destination", "named"), [
    ("virgin_fibre", "virgin_fabrc", "firms", "did you mean 'virgin_fabric'"),
    ("virgin_fibre", "virgin_fabric", "firm", "did you mean 'firms'"),
    ("virgn_fibre", "virgin_fabric", "firms", "did you mean 'virgin_fibre'"),
    ("virgin_fibre", "teleport", "firms", "undeclared route 'teleport'"),
])
def test_undeclared_route_or_node_raises_with_a_suggestion(source, route, destination, named):
    ledger = Ledger()
    for kg in (1.0, 0.0):          # even a zero flow names a declared route
        with pytest.raises(UndeclaredFlowError, match=named):
            ledger.move(source, route, destination, kg)
    assert all(v == 0.0 for v in ledger.balance.values())


def test_reading_an_undeclared_route_or_node_raises_instead_of_reading_zero():
    ledger = Ledger()
    ledger.move("virgin_fibre", "virgin_fabric", "firms", 1.0)
    ledger.close_month(1, held(firms=1.0))
    assert ledger.routed("new_sale") == 0.0              # declared, unused: zero
    with pytest.raises(UndeclaredFlowError, match="did you mean 'new_sale'"):
        ledger.routed("new_sales")
    with pytest.raises(UndeclaredFlowError, match="did you mean 'firms'"):
        ledger.routed("virgin_fabric", source="firm")
    with pytest.raises(UndeclaredFlowError, match="did you mean 'landfill'"):
        ledger.into("landfil")


def test_flows_frame_has_one_row_per_month_source_route_destination():
    ledger = Ledger()
    report = held()
    for month in (1, 2):
        for _ in range(3):                       # the same flow three times in a month
            ledger.move("virgin_fibre", "virgin_fabric", "firms", 2.0)
            report["firms"] += 2.0
        ledger.move("firms", "new_sale", "households", 1.0)
        ledger.move("firms", "discount_sale", "households", 0.5)
        report["firms"] -= 1.5
        report["households"] += 1.5
        ledger.close_month(month, report)
    df = ledger.flows_frame()
    assert list(df.columns) == ["month", "source", "route", "destination", "kg"]
    keys = ["month", "source", "route", "destination"]
    assert not df.duplicated(keys).any()
    assert len(df) == 2 * 3
    fabric = df[(df["route"] == "virgin_fabric")].set_index("month")["kg"]
    assert fabric.to_dict() == pytest.approx({1: 6.0, 2: 6.0})
    totals = ledger.totals_frame()
    assert len(totals) == 3
    assert totals["kg"].sum() == pytest.approx(df["kg"].sum())


def test_failed_close_keeps_the_month_open():
    ledger = Ledger()
    ledger.move("virgin_fibre", "virgin_fabric", "firms", 3.0)
    with pytest.raises(LedgerImbalanceError):
        ledger.close_month(1, held(firms=0.0))
    assert ledger.flows_frame().empty
    ledger.close_month(1, held(firms=3.0))
    assert len(ledger.flows_frame()) == 1


# ---------------------------------------------------------------- conservation


def _lever(name: str, params: dict) -> st.SearchStrategy[dict]:
    """Overrides for one lever: enabled or not, a start (and maybe end) month, its values."""

    @st.composite
    def build(draw):
        out = {f"policies.{name}.enabled": draw(st.booleans())}
        start = draw(st.integers(1, 18))
        out[f"policies.{name}.start_month"] = start
        if draw(st.booleans()):
            out[f"policies.{name}.end_month"] = draw(st.integers(start, 24))
        for key, strategy in params.items():
            out[f"policies.{name}.{key}"] = draw(strategy)
        return out

    return build()


def _share() -> st.SearchStrategy[float]:
    return st.floats(0.0, 1.0)


LEVER_STRATEGIES = [
    _lever("epr", {"fee_eur_per_kg": st.floats(0.0, 20.0), "durability_bonus": _share(),
                   "recycled_content_bonus": _share(), "collection_funding_share": _share()}),
    _lever("destruction_ban", {
        "firm_sizes": st.lists(st.sampled_from(["small", "medium", "large"]), unique=True),
        "medium_firms_from_month": st.one_of(st.none(), st.integers(1, 18))}),
    _lever("landfill_tax", {"eur_per_t": st.floats(0.0, 1000.0),
                            "incineration_share": _share()}),
    _lever("collection", {"bins_per_10k_residents": st.floats(0.0, 100.0)}),
    _lever("awareness_campaign", {"reach_share_per_month": _share(), "effect": _share()}),
    _lever("repair_subsidy", {"eur_per_repair": st.floats(0.0, 200.0),
                              "max_share_of_bill": _share()}),
    _lever("symbiosis_platform", {"reach_km": st.floats(0.5, 500.0),
                                  "transaction_cost_reduction": _share(),
                                  "participation_threshold": _share()}),
    _lever("enterprise_support", {"entry_cost_reduction": _share(),
                                  "coop_sorting_grant_t_month": st.floats(0.0, 2000.0),
                                  "max_new_per_year": st.integers(0, 50)}),
]


@st.composite
def scenarios(draw) -> dict:
    """Overrides of a random valid scenario: scale, horizon, levers and a few parameters."""
    overrides = {
        "scale": draw(st.floats(0.0005, 0.004)),
        "months": draw(st.integers(1, 18)),
        "warmup_months": draw(st.sampled_from([0, 0, 3, 6])),
        "seed": draw(st.integers(0, 2**32 - 1)),
        "firms.unsold_share": draw(st.floats(0.0, 0.85)),
        "firms.cutting_waste_share": draw(st.floats(0.0, 0.85)),
        "cooperatives.rewearable_share_worn_out": draw(st.floats(0.0, 1.0)),
        "cooperatives.condition_loss_per_year": draw(st.floats(0.0, 1.0)),
        "cooperatives.export_price_eur_per_kg": draw(st.floats(0.0, 20.0)),
        "cooperatives.storage_months": draw(st.floats(0.0, 24.0)),
        "cooperatives.shop_price_eur_per_kg": draw(st.floats(0.0, 20.0)),
        "cooperatives.exit_debt_months": draw(st.floats(0.0, 24.0)),
        "recyclers.exit_debt_months": draw(st.floats(0.0, 24.0)),
        "cooperatives.investment_trigger_months": draw(st.integers(1, 12)),
        "recyclers.count": draw(st.integers(0, 4)),
        "cooperatives.count": draw(st.integers(1, 12)),
        "firms.count": draw(st.integers(1, 50)),
    }
    for lever in LEVER_STRATEGIES:
        overrides.update(draw(lever))
    return overrides


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(overrides=scenarios())
def test_mass_is_conserved_in_random_scenarios(overrides):
    scenario = load_scenario("baseline", overrides=overrides)
    result = run_scenario(scenario, keep_model=True)     # LedgerImbalanceError fails the test
    model = result.model
    ledger = model.ledger
    assert ledger.month == scenario.months
    assert len(result.monthly) == scenario.months

    entered = -sum(ledger.balance[s] for s in SOURCES)
    assert entered > 0
    tol = 1e-9 * entered
    held = model.held_by_node()
    assert set(held) == set(STOCKS)
    for node in STOCKS:
        assert ledger.balance[node] == pytest.approx(held[node], abs=tol), node
        assert held[node] >= -tol, node
    for node in FATES:
        assert ledger.balance[node] >= -tol, node
    located = sum(ledger.balance[n] for n in STOCKS + FATES)
    assert located == pytest.approx(entered, abs=tol)

    # the flows archive tells the same story as the balances; only the initial wardrobes
    # (households, paid for by virgin fibre) were booked before the first flow; after a
    # spin-up the opening balances are what the spin-up left, and still add up to zero
    flows = result.flows
    assert (flows["kg"] > 0).all()
    assert flows["month"].min() >= 1
    opening = {}
    for node in NODES:
        net = (flows.loc[flows["destination"] == node, "kg"].sum()
               - flows.loc[flows["source"] == node, "kg"].sum())
        opening[node] = ledger.balance[node] - net
    assert opening["households"] > 0
    assert sum(opening.values()) == pytest.approx(0.0, abs=tol)
    for node in set(NODES) - {"virgin_fibre", "sector_byproducts"}:   # the sources
        assert opening[node] >= -tol, node
    if scenario.warmup_months == 0:
        assert opening["virgin_fibre"] == pytest.approx(-opening["households"], abs=tol)
        for node in set(NODES) - {"households", "virgin_fibre"}:
            assert opening[node] == pytest.approx(0.0, abs=tol), node

    imbalance = result.summary["ledger_imbalance_kg"]
    assert math.isfinite(imbalance)
    assert imbalance < 1e-6 * entered
    assert (result.monthly["ledger_imbalance_kg"] < 1e-6 * entered).all()

    # the euro ledger balances too: every account against its holders' cash, and the
    # accounts sum to zero (every euro paid by someone was received by someone)
    money = model.money
    cash = model.cash_by_account()
    for account, balance in money.balance.items():
        assert balance == pytest.approx(cash[account], abs=1e-9 * max(1.0, money.turnover_eur))
    assert abs(sum(money.balance.values())) <= 1e-9 * max(1.0, money.turnover_eur)
    assert result.summary["money_imbalance_eur"] <= 1e-9 * max(1.0, money.turnover_eur)
