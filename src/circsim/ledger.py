"""Mass-balance accounting: every kilogram from its source to a stock or a final fate.

Agents move material with :meth:`Ledger.move`; the ledger keeps its own running
balance of every node. At the end of each month :meth:`Ledger.close_month`
compares that balance with what the agents actually hold. Any difference beyond
float tolerance is a bug and raises :class:`LedgerImbalanceError`, failing the run.
Nodes and routes are those declared in :mod:`circsim.flows`; any other name raises
:class:`~circsim.flows.UndeclaredFlowError`, whether moved along or asked about.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pandas as pd

from circsim.flows import FATES, NODES, SOURCES, STOCKS, check_node, check_route

__all__ = ["FATES", "NODES", "SOURCES", "STOCKS", "Ledger", "LedgerImbalanceError"]


#: (source, route, destination) triples already found declared
_CHECKED: set[tuple[str, str, str]] = set()


class LedgerImbalanceError(RuntimeError):
    """The ledger and the agents disagree about where material is: a model bug."""


class Ledger:
    """Flows by (source, route, destination) per month and balances by node."""

    def __init__(self, rel_tolerance: float = 1e-9) -> None:
        self.rel_tolerance = rel_tolerance
        self.balance: dict[str, float] = dict.fromkeys(NODES, 0.0)
        self.month = 0
        self._current: dict[tuple[str, str, str], float] = defaultdict(float)
        self._rows: list[tuple[int, str, str, str, float]] = []
        self.max_imbalance_kg = 0.0
        self.last_month: dict[tuple[str, str, str], float] = {}

    def move(self, source: str, route: str, destination: str, kg: float) -> None:
        """Record ``kg`` moving from ``source`` to ``destination`` along ``route``.

        Raises:
            UndeclaredFlowError: a node or route not declared in :mod:`circsim.flows`
                (checked even for a zero flow, so a typo in a rare branch shows early).
            LedgerImbalanceError: a negative flow beyond rounding noise.
        """
        key = (source, route, destination)
        if key not in _CHECKED:                # names are declarations: checked once
            check_route(route)
            check_node(source)
            check_node(destination)
            _CHECKED.add(key)
        if kg == 0.0:
            return
        if kg < 0.0:
            if kg > -1e-9:
                return
            raise LedgerImbalanceError(f"negative flow {source} -{route}-> {destination}: {kg} kg")
        kg = float(kg)
        self._current[key] += kg
        self.balance[source] -= kg
        self.balance[destination] += kg

    def move_each(self, source: str, route: str, destination: str, kgs) -> None:
        """One :meth:`move` per element of ``kgs``, in order, without a call for each.

        Running sums are taken in the same order as separate moves would (``cumsum``), so
        balances agree with them to the last bit; used where thousands of firms dispose.
        """
        kgs = np.asarray(kgs, dtype=np.float64).ravel()
        if source == destination or kgs.size == 0:
            for kg in kgs.tolist():
                self.move(source, route, destination, kg)
            return
        check_route(route)
        check_node(source)
        check_node(destination)
        if (kgs <= -1e-9).any():
            bad = float(kgs[kgs <= -1e-9][0])
            raise LedgerImbalanceError(f"negative flow {source} -{route}-> {destination}: "
                                       f"{bad} kg")
        kgs = kgs[kgs > 0.0]
        if kgs.size == 0:
            return
        key = (source, route, destination)
        self._current[key] = running_sum(self._current[key], kgs)
        self.balance[source] = running_sum(self.balance[source], -kgs)
        self.balance[destination] = running_sum(self.balance[destination], kgs)

    def move_rows(self, source: str, route: str, destinations: tuple[str, ...], kgs) -> None:
        """For each row of ``kgs``, one :meth:`move` from ``source`` to each destination in
        turn: :meth:`move_table` with one column per destination."""
        self.move_table([(source, route, d) for d in destinations], kgs)

    def move_table(self, moves: list[tuple[str, str, str]], kgs) -> None:
        """For each row of ``kgs``, the moves ``(source, route, destination)`` of its
        columns in turn, without a call for each: the same sums as those moves, to the
        last bit (every balance and flow runs over the rows in order, each row's columns
        in order, as the separate moves would; new flows are listed in the same order).
        """
        kgs = np.asarray(kgs, dtype=np.float64).reshape(-1, len(moves))
        if (kgs.size == 0 or (kgs <= -1e-9).any()
                or any(s == d for s, _, d in moves)):
            for row in kgs.tolist():
                for (s, r, d), kg in zip(moves, row, strict=True):
                    self.move(s, r, d, kg)
            return
        for s, r, d in moves:
            self.move(s, r, d, 0.0)                         # checks the names only
        took = kgs > 0.0
        flat, col = kgs[took], np.nonzero(took)[1]          # row by row, as the moves run
        if flat.size == 0:
            return
        add_in_order(self._current, moves, col, flat)
        nodes = {n for s, _, d in moves for n in (s, d)}
        sign = np.array([[-1.0 if s == n else 1.0 if d == n else 0.0 for s, _, d in moves]
                         for n in sorted(nodes)])
        for node, signs in zip(sorted(nodes), sign, strict=True):
            mine = signs[col] != 0.0
            self.balance[node] = running_sum(self.balance[node], signs[col][mine] * flat[mine])

    def routed(self, route: str, source: str | None = None) -> float:
        """kg moved along ``route`` (from ``source``, if given) in the last closed month."""
        check_route(route)
        if source is not None:
            check_node(source)
        return sum(kg for (s, r, _), kg in self.last_month.items()
                   if r == route and (source is None or s == source))

    def into(self, destination: str) -> float:
        """kg that reached ``destination`` in the last closed month."""
        check_node(destination)
        return sum(kg for (_, _, d), kg in self.last_month.items() if d == destination)

    def close_month(self, month: int, held: dict[str, float]) -> float:
        """Check balances against what agents hold; archive the month's flows.

        Args:
            month: the month being closed (1-based).
            held: kg actually held by the agents in every stock node (every declared
                stock must be there, even at zero: a stock no holder reports is a bug).

        Returns:
            The largest absolute difference found, in kg.

        Raises:
            LedgerImbalanceError: if any node disagrees beyond tolerance, or a
                stock is negative or reported by no holder, or inputs differ from
                stocks plus fates.
        """
        entered = -sum(self.balance[s] for s in SOURCES)
        scale = max(1.0, entered)
        tol = self.rel_tolerance * scale
        worst = 0.0
        problems = []
        for node in STOCKS:
            if node not in held:
                problems.append(f"{node}: no holder reports this stock")
                continue
            diff = abs(self.balance[node] - held[node])
            worst = max(worst, diff)
            if diff > tol:
                problems.append(f"{node}: ledger {self.balance[node]:.6f} kg, agents hold "
                                f"{held[node]:.6f} kg")
            if held[node] < -tol:
                problems.append(f"{node}: negative stock {held[node]:.6f} kg")
        problems += [f"{node}: reported as held but not a declared stock"
                     for node in held.keys() - set(STOCKS)]
        located = sum(self.balance[n] for n in STOCKS + FATES)
        total_diff = abs(located - entered)
        worst = max(worst, total_diff)
        if total_diff > tol:
            problems.append(f"{entered:.3f} kg entered but {located:.3f} kg located")
        if problems:
            raise LedgerImbalanceError(f"month {month}: " + "; ".join(problems))
        for (s, r, d), kg in self._current.items():
            self._rows.append((month, s, r, d, kg))
        self.last_month = self._current
        self._current = defaultdict(float)
        self.month = month
        self.max_imbalance_kg = max(self.max_imbalance_kg, worst)
        return worst

    def clear_history(self) -> None:
        """Forget archived flows (after a spin-up); balances and the worst imbalance stay."""
        self._rows.clear()
        self.last_month = {}
        self.month = 0

    def flows_frame(self) -> pd.DataFrame:
        """All archived flows as a tidy table: month, source, route, destination, kg."""
        return pd.DataFrame(self._rows, columns=["month", "source", "route", "destination", "kg"])

    def totals_frame(self) -> pd.DataFrame:
        """Flows summed over the whole run, by (source, route, destination)."""
        df = self.flows_frame()
        return (df.groupby(["source", "route", "destination"], as_index=False)["kg"].sum()
                .sort_values("kg", ascending=False, ignore_index=True))


def add_in_order(totals: dict, keys: list, col: np.ndarray, amounts: np.ndarray) -> None:
    """Add each ``amounts[i]`` to ``totals[keys[col[i]]]`` in turn, as a loop of ``+=``
    would round it; keys met for the first time join ``totals`` in the order first met
    (several columns may share a key)."""
    where: dict = {}
    for j, key in enumerate(keys):
        at = np.flatnonzero(col == j)
        if at.size:
            where.setdefault(key, []).append(at)
    for key in sorted(where, key=lambda k: min(int(a[0]) for a in where[k])):
        totals[key] = running_sum(totals[key], amounts[np.sort(np.concatenate(where[key]))])


def running_sum(start: float, steps: np.ndarray) -> float:
    """``start`` plus each of ``steps`` in turn, as a loop of ``+=`` would round it."""
    steps = np.asarray(steps, dtype=np.float64).ravel()
    run = np.empty(steps.size + 1)
    run[0] = start
    run[1:] = steps
    return float(np.cumsum(run)[-1])
