"""Payments and moves in one batch round exactly as one call each would (the exchange
pays thousands of firms' disposal this way, and the pinned baseline depends on it)."""

from __future__ import annotations

import numpy as np
import pytest

from circsim.ledger import Ledger, LedgerImbalanceError
from circsim.money import EuroLedger, Wallet


def _firms(n, rng):
    firms = [Wallet("other_firms") for _ in range(n)]
    for f in firms:
        f.cash_eur = float(rng.normal(0, 1e4))
    return firms


def _state(ledger, firms, payees):
    return ([(f.cash_eur, f.cost_eur) for f in firms],
            [(p.cash_eur, p.revenue_eur) for p in payees],
            dict(ledger.balance), ledger.turnover_eur, dict(ledger._current))


@pytest.mark.parametrize("same_payee", [False, True])
def test_pay_each_equals_one_pay_per_payment_to_the_last_bit(same_payee):
    rng = np.random.default_rng(3)
    gate = rng.lognormal(0, 3, 500) * (rng.random(500) < 0.8)     # some zeros
    tax = rng.lognormal(0, 3, 500)
    tax[:3] = -1e-12                                              # rounding noise, ignored
    results = []
    for batch in (False, True):
        ledger, r = EuroLedger(), np.random.default_rng(9)
        firms = _firms(500, r)
        ops, budget = Wallet("waste_operators"), Wallet("public_budget")
        ops.cash_eur, budget.cash_eur = 0.1, 7.3
        second = ops if same_payee else budget
        if batch:
            ledger.pay_each(firms, [("gate_fee", ops, gate), ("disposal_tax", second, tax)])
        else:
            for f, g, t in zip(firms, gate.tolist(), tax.tolist(), strict=True):
                ledger.pay(f, "gate_fee", ops, g)
                ledger.pay(f, "disposal_tax", second, t)
        results.append(_state(ledger, firms, [ops, budget]))
    assert results[0] == results[1]


def test_pay_each_refuses_a_negative_payment_and_a_payer_twice():
    ledger, f, ops = EuroLedger(), Wallet("other_firms"), Wallet("waste_operators")
    with pytest.raises(Exception, match="negative payment"):
        ledger.pay_each([f], [("gate_fee", ops, np.array([-1.0]))])
    with pytest.raises(ValueError):
        ledger.pay_each([f, f], [("gate_fee", ops, np.array([1.0, 2.0]))])


def test_move_each_equals_one_move_per_element_to_the_last_bit():
    kgs = np.random.default_rng(4).lognormal(0, 4, 2000) * (np.arange(2000) % 7 != 0)
    one, many = Ledger(), Ledger()
    for kg in kgs.tolist():
        one.move("sector_byproducts", "sector_byproduct_disposal", "sector_disposal", kg)
    many.move_each("sector_byproducts", "sector_byproduct_disposal", "sector_disposal", kgs)
    assert one.balance == many.balance and dict(one._current) == dict(many._current)
    with pytest.raises(LedgerImbalanceError):
        many.move_each("sector_byproducts", "sector_byproduct_disposal", "sector_disposal",
                       np.array([1.0, -2.0]))


@pytest.mark.parametrize("share", [0.0, 0.3])
def test_move_rows_equals_the_moves_row_by_row_to_the_last_bit(share):
    rng = np.random.default_rng(5)
    kg = rng.lognormal(0, 3, 400) * (rng.random(400) < 0.8)        # some zeros
    rows = np.stack([kg * share, kg * (1 - share)], axis=1)
    one, many = Ledger(), Ledger()
    for ledger in (one, many):
        ledger.balance["firms"] = 1e5 / 3
        ledger.move("firms", "destruction", "landfill", 7.0)        # sums already running
    for row in rows.tolist():
        one.move("firms", "scrap_disposal", "landfill", row[0])
        one.move("firms", "scrap_disposal", "incineration", row[1])
    many.move_rows("firms", "scrap_disposal", ("landfill", "incineration"), rows)
    assert dict(many.balance) == dict(one.balance)
    assert list(many._current.items()) == list(one._current.items())   # order kept too
    with pytest.raises(LedgerImbalanceError):
        many.move_rows("firms", "scrap_disposal", ("landfill", "incineration"), -rows - 1)


@pytest.mark.parametrize("mixed", [False, True])
def test_pay_table_equals_one_pay_per_payment_row_by_row_to_the_last_bit(mixed):
    rng = np.random.default_rng(11)
    n = 300
    amounts = rng.lognormal(0, 3, (n, 3)) * (rng.random((n, 3)) < 0.85)   # some zeros
    state = []
    for batch in (False, True):
        ledger, rng_w = EuroLedger(), np.random.default_rng(1)
        firms = _firms(n, rng_w)
        if mixed:                                    # two accounts: paid one call each
            firms[7].account = "firms"
        households, world = Wallet("households"), Wallet("world")
        legs = [(households, "garment_sale", None), (None, "cost_of_goods", world),
                (None, "epr_fee", households)]       # a fixed wallet on two legs
        if batch:
            ledger.pay_table(firms, legs, amounts)
        else:
            for f, row in zip(firms, amounts.tolist(), strict=True):
                for (a, purpose, b), eur in zip(legs, row, strict=True):
                    ledger.pay(a or f, purpose, b or f, eur)
        state.append((_state(ledger, firms, [households, world]),
                      list(ledger._current), households.cost_eur))
    assert state[0] == state[1]


def test_move_table_equals_the_moves_row_by_row_to_the_last_bit():
    rng = np.random.default_rng(12)
    kgs = rng.lognormal(0, 3, (200, 3)) * (rng.random((200, 3)) < 0.7)
    moves = [("firms", "discount_sale", "households"),
             ("recycled_fibre", "recycled_fabric", "firms"), ("firms", "new_sale", "households")]
    one, many = Ledger(), Ledger()
    for row in kgs.tolist():
        for (s, r, d), kg in zip(moves, row, strict=True):
            one.move(s, r, d, kg)
    many.move_table(moves, kgs)
    assert dict(many.balance) == dict(one.balance)
    assert list(many._current.items()) == list(one._current.items())
