"""The euro ledger: declared accounts and purposes, double entry, the monthly hard check."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from circsim.money import (
    ACCOUNTS,
    PURPOSES,
    EuroLedger,
    MoneyImbalanceError,
    UndeclaredMoneyError,
    Wallet,
)


def wallets():
    return {a: Wallet(a) for a in ACCOUNTS}


def held(ws):
    return {a: w.cash_eur for a, w in ws.items()}


def test_a_payment_moves_cash_and_is_recorded():
    ledger, ws = EuroLedger(), wallets()
    ledger.pay(ws["households"], "garment_sale", ws["firms"], 25.0)
    assert ws["households"].cash_eur == -25.0 and ws["firms"].cash_eur == 25.0
    ledger.close_month(1, held(ws))
    assert ledger.paid("garment_sale") == 25.0
    assert ledger.paid(payer="households") == 25.0 and ledger.paid(payee="world") == 0.0
    frame = ledger.flows_frame()
    assert frame[["payer", "purpose", "payee"]].iloc[0].tolist() == [
        "households", "garment_sale", "firms"]


def test_undeclared_names_fail_with_a_suggestion():
    ledger, ws = EuroLedger(), wallets()
    with pytest.raises(UndeclaredMoneyError, match="garment_sale"):
        ledger.pay(ws["households"], "garment_sales", ws["firms"], 1.0)
    with pytest.raises(UndeclaredMoneyError):
        Wallet("banks")
    with pytest.raises(UndeclaredMoneyError):
        ledger.paid("wage")


def test_cash_changed_behind_the_ledgers_back_fails_the_month():
    ledger, ws = EuroLedger(), wallets()
    ledger.pay(ws["firms"], "epr_fee", ws["epr_scheme"], 100.0)
    ws["epr_scheme"].cash_eur += 5.0            # money created from nothing
    with pytest.raises(MoneyImbalanceError, match="epr_scheme"):
        ledger.close_month(1, held(ws))


def test_an_account_without_holder_fails_and_negative_payments_are_bugs():
    ledger, ws = EuroLedger(), wallets()
    report = held(ws)
    del report["world"]
    with pytest.raises(MoneyImbalanceError, match="world"):
        ledger.close_month(1, report)
    with pytest.raises(MoneyImbalanceError, match="negative"):
        ledger.pay(ws["world"], "export_sale", ws["cooperatives"], -3.0)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(ACCOUNTS), st.sampled_from(PURPOSES),
                          st.sampled_from(ACCOUNTS), st.floats(0, 1e9)), max_size=60))
def test_double_entry_always_sums_to_zero_and_matches_holders(payments):
    ledger, ws = EuroLedger(), wallets()
    for payer, purpose, payee, eur in payments:
        ledger.pay(ws[payer], purpose, ws[payee], eur)
    assert abs(sum(ledger.balance.values())) <= 1e-6 * max(1.0, ledger.turnover_eur)
    assert ledger.close_month(1, held(ws)) <= 1e-6 * max(1.0, ledger.turnover_eur)
