"""The euro ledger: every payment between the economy's actors, declared and balanced.

Money is tracked like material. Each actor holds a wallet (``account`` and ``cash_eur``):
every firm, cooperative and recycler, the households as a sector, and sectors that are
not agents (repairers, waste operators, the public budget, the EPR scheme, the rest of
the world). A payment moves euros from one wallet to another along a declared purpose
and is recorded by (payer account, purpose, payee account). At the end of each month
:meth:`EuroLedger.close_month` compares the ledger's balance of every account with the
cash its holders report; any difference beyond float tolerance is a bug and fails the
run, as for the material ledger. Amounts are metro-equivalent euros (simulated kg
divided by the run's scale, times prices), so decisions weigh real money at any scale.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
import pandas as pd

from circsim.ledger import add_in_order, running_sum


@dataclass(frozen=True)
class Account:
    """A kind of actor that pays and is paid."""

    name: str
    description: str
    holder: str


@dataclass(frozen=True)
class Purpose:
    """What a payment is for."""

    name: str
    description: str


ACCOUNT_TABLE: tuple[Account, ...] = (
    Account("households", "residents: buy garments and repairs, pay the waste tariff, "
            "earn wages", "Households"),
    Account("firms", "fashion brands and retailers", "each FashionFirm"),
    Account("other_firms", "firms of other sectors taking part in industrial symbiosis",
            "each SectorFirm"),
    Account("cooperatives", "social cooperatives collecting, sorting and reselling",
            "each SocialCooperative"),
    Account("recyclers", "textile recyclers", "each Recycler"),
    Account("repairers", "tailors and repair shops", "a sector of the model"),
    Account("waste_operators", "incinerators and landfills (gate fees)", "a sector of the model"),
    Account("public_budget", "municipality, region and state: taxes, tariffs, subsidies, "
            "grants, campaigns", "a sector of the model"),
    Account("epr_scheme", "the producer responsibility organisation: fees in, collection "
            "and sorting funding out", "a sector of the model"),
    Account("makers", "new small enterprises (makers, artisans, start-ups, social "
            "enterprises) setting up workshops", "a sector of the model"),
    Account("world", "outside the metro's textile economy: suppliers of goods and services, "
            "export traders, buyers of recycled fibre", "a sector of the model"),
)
ACCOUNTS = tuple(a.name for a in ACCOUNT_TABLE)
#: Accounts held by one wallet of the model rather than by agents.
SECTORS = tuple(a.name for a in ACCOUNT_TABLE if a.holder == "a sector of the model")

PURPOSE_TABLE: tuple[Purpose, ...] = (
    # garments and repair
    Purpose("garment_sale", "new garments households buy from firms"),
    Purpose("cost_of_goods", "what firms pay suppliers for the garments they produce"),
    Purpose("charity_shop_sale", "second-hand garments households buy in charity shops"),
    Purpose("repair_bill", "what households pay repairers, net of any voucher"),
    Purpose("repair_voucher", "the public repair subsidy paid to repairers"),
    # producer responsibility
    Purpose("epr_fee", "fees firms pay per kg placed on the market"),
    Purpose("epr_collection_funding", "the EPR scheme's payment to cooperatives per tonne "
            "collected separately"),
    Purpose("epr_other_spending", "EPR fees the scheme spends on other tasks"),
    # waste
    Purpose("waste_tariff", "households' waste tariff for the residual textiles they throw"),
    Purpose("gate_fee", "incineration and landfill gate fees"),
    Purpose("disposal_tax", "landfill and incineration taxes"),
    # cooperatives and recyclers
    Purpose("export_sale", "used garments sold to export traders"),
    Purpose("operating_cost", "cooperatives' and recyclers' costs other than wages "
            "(vehicles, energy, rent, bins)"),
    Purpose("wages", "wages of the workers of cooperatives and recyclers"),
    Purpose("feedstock_sale", "what recyclers pay for scraps and recyclable grades"),
    Purpose("recycler_gate_fee", "what recyclers charge to take feedstock"),
    Purpose("fibre_sale", "recycled fibre recyclers sell"),
    # industrial symbiosis
    Purpose("byproduct_sale", "what a firm pays another for a byproduct"),
    Purpose("byproduct_gate_fee", "what a seller pays a firm to take a byproduct"),
    Purpose("byproduct_logistics", "transport and transaction costs of a byproduct exchange"),
    Purpose("symbiosis_setup", "the set-up cost of a new byproduct contract"),
    Purpose("symbiosis_programme", "the symbiosis programme's mapping, training, workshops, "
            "support and guidelines"),
    # public programmes
    Purpose("campaign_cost", "awareness and decluttering campaigns"),
    Purpose("platform_operation", "running a public platform: the resale platform, the "
            "symbiosis matchmaking platform"),
    Purpose("collection_bins", "the capital of textile bins the public budget adds, "
            "annualised over their life"),
    Purpose("collection_service", "the public budget's payment to cooperatives for running "
            "the bins it added"),
    Purpose("grant", "grants to cooperatives and new enterprises"),
    Purpose("investment", "what an enterprise pays to build or extend capacity"),
    # shared services and idle machinery
    Purpose("service_bill", "firms' bills for utilities (water, heat, wastewater treatment) "
            "and accessory services (security, cleaning, catering, logistics)"),
    Purpose("shared_service_setup", "what a firm pays to join a shared-service group"),
    Purpose("shared_service_coordination", "members' monthly fee for running a shared-service "
            "group"),
    Purpose("programme_operation", "running public programmes: facilitators of shared "
            "services, the machinery marketplace"),
    Purpose("workshop_setup", "what a new small enterprise pays to set up its workshop "
            "besides machines (premises, fit-out, first stock)"),
    Purpose("machine_purchase", "new machines new enterprises buy"),
    Purpose("machine_sale", "disused machines new enterprises buy from firms"),
    Purpose("machine_transfer", "moving, inspecting and servicing a reused machine"),
    Purpose("closure", "when an enterprise closes, the debt its creditors absorb or the cash "
            "its owners take out; its stock's disposal "
            "is paid as a gate fee)"),
)
PURPOSES = tuple(p.name for p in PURPOSE_TABLE)
_PURPOSE_SET = frozenset(PURPOSES)


class UndeclaredMoneyError(KeyError):
    """A payment names an account or purpose that is not declared: a model bug."""


class MoneyImbalanceError(RuntimeError):
    """The euro ledger and the actors' cash disagree: a model bug."""


def _check_purpose(purpose: str) -> None:
    """:func:`_check` of a purpose, with a set lookup first (it runs on every payment)."""
    if purpose not in _PURPOSE_SET:
        _check(purpose, PURPOSES, "purpose")


def _check(name: str, known: tuple[str, ...], what: str) -> None:
    if name not in known:
        close = difflib.get_close_matches(name, known, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise UndeclaredMoneyError(f"undeclared {what} {name!r}{hint}")


def open_wallet(holder, account: str) -> None:
    """Give ``holder`` (an agent, the households) a wallet of ``account``.

    ``cash_eur`` is what it holds; ``revenue_eur`` and ``cost_eur`` what it received and
    paid this month (the model resets them at the start of each month).
    """
    _check(account, ACCOUNTS, "account")
    holder.account = account
    holder.cash_eur = 0.0
    holder.revenue_eur = 0.0
    holder.cost_eur = 0.0


class Wallet:
    """The cash of a sector that is not an agent (repairers, the public budget, ...)."""

    def __init__(self, account: str) -> None:
        open_wallet(self, account)


class EuroLedger:
    """Payments by (payer account, purpose, payee account) per month, balances by account."""

    def __init__(self, rel_tolerance: float = 1e-9) -> None:
        self.rel_tolerance = rel_tolerance
        self.balance: dict[str, float] = dict.fromkeys(ACCOUNTS, 0.0)
        self.turnover_eur = 0.0
        self.max_imbalance_eur = 0.0
        self.last_imbalance_eur = 0.0
        self._current: dict[tuple[str, str, str], float] = defaultdict(float)
        self._rows: list[tuple[int, str, str, str, float]] = []
        self.last_month: dict[tuple[str, str, str], float] = {}

    def pay(self, payer, purpose: str, payee, eur: float) -> None:
        """Move ``eur`` from ``payer``'s wallet to ``payee``'s, for ``purpose``.

        Wallets are anything with ``account`` and ``cash_eur``. A negative amount is a
        model bug (reverse the payment instead); amounts within 1e-9 of zero are ignored.
        """
        _check_purpose(purpose)
        if eur < 0.0:
            if eur > -1e-9:
                return
            raise MoneyImbalanceError(
                f"negative payment {payer.account} -{purpose}-> {payee.account}: {eur} EUR")
        if eur == 0.0:
            return
        payer.cash_eur -= eur
        payer.cost_eur += eur
        payee.cash_eur += eur
        payee.revenue_eur += eur
        self.balance[payer.account] -= eur
        self.balance[payee.account] += eur
        self.turnover_eur += eur
        self._current[(payer.account, purpose, payee.account)] += eur

    def pay_each(self, payers: list, legs: list[tuple[str, object, np.ndarray]]) -> None:
        """Each of ``payers`` pays every leg ``(purpose, payee, amounts)`` in turn.

        The same as ``pay(payers[i], purpose, payee, amounts[i])`` for each payer and then
        each leg, in that order, rounded alike to the last bit (running sums by
        ``cumsum``), but without a call per payment: thousands of firms pay their disposal
        this way. Payers must be distinct and none of them a payee.
        """
        n = len(payers)
        if n == 0:
            return
        for purpose, _, _ in legs:
            _check_purpose(purpose)
        ids = set(map(id, payers))
        if len(ids) != n or any(id(payee) in ids for _, payee, _ in legs):
            raise ValueError("pay_each needs distinct payers, none of them a payee")
        amounts = np.stack([np.asarray(a, dtype=np.float64).reshape(n) for *_, a in legs], 1)
        if (amounts <= -1e-9).any():
            i, k = np.argwhere(amounts <= -1e-9)[0]
            raise MoneyImbalanceError(f"negative payment {payers[i].account} -{legs[k][0]}-> "
                                      f"{legs[k][1].account}: {amounts[i, k]} EUR")
        amounts = np.where(amounts > 0.0, amounts, 0.0)
        cash = np.fromiter((p.cash_eur for p in payers), np.float64, n)
        cost = np.fromiter((p.cost_eur for p in payers), np.float64, n)
        for k in range(len(legs)):
            cash, cost = cash - amounts[:, k], cost + amounts[:, k]
        for p, c, o in zip(payers, cash.tolist(), cost.tolist(), strict=True):
            p.cash_eur, p.cost_eur = c, o
        self._book_each([p.account for p in payers], legs, amounts)

    def pay_table(self, wallets: list, legs: list[tuple[object, str, object]],
                  amounts) -> None:
        """For each row ``i``, the payments ``(payer, purpose, payee)`` of the columns in
        turn, of ``amounts[i]``; a payer or payee given as ``None`` is ``wallets[i]``.

        The same as one :meth:`pay` each, row by row, rounded alike to the last bit
        (running sums by ``cumsum``, new flows listed in the same order), without a call
        per payment: every firm's sale and costs of a month this way. ``wallets`` must be
        distinct and none of them a fixed payer or payee; wallets of several accounts
        are paid one call each.
        """
        amounts = np.asarray(amounts, dtype=np.float64).reshape(len(wallets), len(legs))
        fixed = [w for a, _, b in legs for w in (a, b) if w is not None]
        if ({id(w) for w in fixed} & set(map(id, wallets))
                or len(set(map(id, wallets))) != len(wallets)):
            raise ValueError("pay_table needs distinct row wallets, none of them fixed")
        if (amounts.size == 0 or (amounts <= -1e-9).any()
                or len({w.account for w in wallets}) != 1):
            for w, row in zip(wallets, amounts.tolist(), strict=True):
                for (a, purpose, b), eur in zip(legs, row, strict=True):
                    self.pay(w if a is None else a, purpose, w if b is None else b, eur)
            return
        for _, purpose, _ in legs:
            _check_purpose(purpose)
        took = amounts > 0.0
        # the row wallets, each in its own row: the same operations as the calls
        for w, row, ok in zip(wallets, amounts.tolist(), took.tolist(), strict=True):
            for (a, _, _), eur, yes in zip(legs, row, ok, strict=True):
                if not yes:
                    continue
                if a is None:
                    w.cash_eur -= eur
                    w.cost_eur += eur
                else:
                    w.cash_eur += eur
                    w.revenue_eur += eur
        flat, col = amounts[took], np.nonzero(took)[1]      # payment by payment
        if flat.size == 0:
            return
        row_account = wallets[0].account
        fixed_by_id = {id(w): w for w in fixed}             # the fixed wallets
        for key, w in fixed_by_id.items():
            pays = np.array([a is not None and id(a) == key for a, _, _ in legs])[col]
            gets = np.array([b is not None and id(b) == key for _, _, b in legs])[col]
            w.cash_eur = running_sum(w.cash_eur, np.where(pays, -flat, flat)[pays | gets])
            if pays.any():
                w.cost_eur = running_sum(w.cost_eur, flat[pays])
            if gets.any():
                w.revenue_eur = running_sum(w.revenue_eur, flat[gets])
        # each payment takes from its payer's account, then adds to its payee's
        names = [(row_account if a is None else a.account, purpose,
                  row_account if b is None else b.account) for a, purpose, b in legs]
        codes = sorted({x for a, _, b in names for x in (a, b)})
        self._book_balances(codes, np.array([codes.index(a) for a, _, _ in names])[col],
                            np.array([codes.index(b) for _, _, b in names])[col], flat)
        add_in_order(self._current, names, col, flat)

    def _book_balances(self, accounts: list[str], payer: np.ndarray, payee: np.ndarray,
                       eur: np.ndarray) -> None:
        """Account balances and turnover after payments ``eur`` from ``accounts[payer]`` to
        ``accounts[payee]``, in turn: each takes from its payer's account, then adds to its
        payee's, rounded as one :meth:`pay` each would."""
        codes = np.stack([payer, payee], 1).ravel()
        steps = np.stack([-eur, eur], 1).ravel()
        for c, account in enumerate(accounts):
            mine = codes == c
            if mine.any():
                self.balance[account] = running_sum(self.balance[account], steps[mine])
        self.turnover_eur = running_sum(self.turnover_eur, eur)

    def _book_each(self, payer_accounts: list[str], legs: list, amounts: np.ndarray) -> None:
        """The payees' cash and the ledger's running sums of :meth:`pay_each`."""
        names = sorted(set(payer_accounts) | {payee.account for _, payee, _ in legs})
        code = {a: c for c, a in enumerate(names)}
        n, n_legs = amounts.shape
        flat = amounts.ravel()                              # payer-major, as the calls run
        took = flat > 0.0
        leg = np.tile(np.arange(n_legs), n)
        payer_code = np.repeat([code[a] for a in payer_accounts], n_legs)
        payee_code = np.array([code[payee.account] for _, payee, _ in legs])[leg]
        payees = {id(payee): payee for _, payee, _ in legs}
        for key, payee in payees.items():
            ks = [k for k, (_, p, _) in enumerate(legs) if id(p) == key]
            mine = flat[took & np.isin(leg, ks)]
            payee.cash_eur = running_sum(payee.cash_eur, mine)
            payee.revenue_eur = running_sum(payee.revenue_eur, mine)
        self._book_balances(names, payer_code[took], payee_code[took], flat[took])
        for k, (purpose, payee, _) in enumerate(legs):
            for c, account in enumerate(names):
                mine = took & (leg == k) & (payer_code == c)
                if mine.any():
                    key = (account, purpose, payee.account)
                    self._current[key] = running_sum(self._current[key], flat[mine])

    def paid(self, purpose: str | None = None, payer: str | None = None,
             payee: str | None = None) -> float:
        """EUR paid in the last closed month, filtered by purpose, payer and payee."""
        for name, known, what in ((purpose, PURPOSES, "purpose"), (payer, ACCOUNTS, "account"),
                                  (payee, ACCOUNTS, "account")):
            if name is not None:
                _check(name, known, what)
        return sum(eur for (a, p, b), eur in self.last_month.items()
                   if (purpose is None or p == purpose) and (payer is None or a == payer)
                   and (payee is None or b == payee))

    def close_month(self, month: int, held: dict[str, float]) -> float:
        """Check every account's balance against its holders' cash; archive the month.

        Raises:
            MoneyImbalanceError: an account disagrees with its holders beyond tolerance,
                or an account has no holder.
        """
        tol = self.rel_tolerance * max(1.0, self.turnover_eur)
        problems, worst = [], 0.0
        for account in ACCOUNTS:
            if account not in held:
                problems.append(f"{account}: no holder reports its cash")
                continue
            diff = abs(self.balance[account] - held[account])
            worst = max(worst, diff)
            if diff > tol:
                problems.append(f"{account}: ledger {self.balance[account]:,.2f} EUR, "
                                f"holders {held[account]:,.2f} EUR")
        if problems:
            raise MoneyImbalanceError(f"month {month}: " + "; ".join(problems))
        for (a, p, b), eur in self._current.items():
            self._rows.append((month, a, p, b, eur))
        self.last_month = self._current
        self._current = defaultdict(float)
        self.max_imbalance_eur = max(self.max_imbalance_eur, worst)
        self.last_imbalance_eur = worst
        return worst

    def clear_history(self) -> None:
        """Forget archived payments (after a spin-up); balances stay."""
        self._rows.clear()
        self.last_month = {}

    def flows_frame(self) -> pd.DataFrame:
        """All archived payments: month, payer, purpose, payee, eur."""
        return pd.DataFrame(self._rows, columns=["month", "payer", "purpose", "payee", "eur"])

