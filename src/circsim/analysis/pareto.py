"""The Pareto filter and the rules that pick three named packages from a front.

A candidate dominates another when it is at least as good on every objective and better
on one. The front is the feasible candidates no other feasible candidate dominates.

The three packages (each a candidate on the front; the same candidate may answer two
rules, which is said):

- **Lean**: the cheapest package that does at least as well on the first effect objective
  (e.g. residual waste) as the scenario's own package (candidate 0); if none on the front
  does, the one that does best on it.
- **Reach**: the best on the last effect objective (e.g. low-income reach) within the
  constraints; among equals, the cheapest.
- **Balanced**: the closest to the ideal point (the best value of each objective on the
  front) after scaling each objective to [0, 1] over the front (Euclidean distance).

"Cheapest" is the cost objective: ``net_public_cost_eur`` when it is an objective, else
the first objective.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from circsim.experiments.cost import COST

if TYPE_CHECKING:
    from .search_spec import SearchExperiment


def pareto_mask(values: np.ndarray, directions: Sequence[str]) -> np.ndarray:
    """Which rows of ``values`` (candidates x objectives) no other row dominates.

    ``directions`` holds ``"min"`` or ``"max"`` per column. Rows with NaN are never on the
    front. Identical rows are all kept.
    """
    x = np.asarray(values, dtype=float)
    if x.ndim != 2 or x.shape[1] != len(directions):
        raise ValueError("values must be candidates x objectives, one direction per column")
    signs = np.array([1.0 if d == "min" else -1.0 for d in directions])
    x = x * signs                                       # everything minimised
    ok = ~np.isnan(x).any(axis=1)
    mask = ok.copy()
    for i in np.flatnonzero(ok):
        others = x[ok]
        dominated = (others <= x[i]).all(axis=1) & (others < x[i]).any(axis=1)
        mask[i] = not dominated.any()
    return mask


def roles(objectives: Sequence[str]) -> tuple[str, str, str]:
    """(cost, first effect, last effect) among a search's objectives."""
    names = list(objectives)
    cost = COST if COST in names else names[0]
    effects = [n for n in names if n != cost] or [cost]
    return cost, effects[0], effects[-1]


RULES = {
    "lean": ("Lean", "the cheapest package on the front that does at least as well on "
             "{first} as the scenario's own package"),
    "reach": ("Reach", "the best {last} on the front (all within the constraints); among "
              "equals, the cheapest"),
    "balanced": ("Balanced", "the closest to the ideal point after scaling each objective "
                 "to [0, 1] over the front"),
}


def pick_packages(front: pd.DataFrame, evaluations: pd.DataFrame,
                  spec: SearchExperiment) -> list[dict[str, Any]]:
    """The three named packages of a front (empty when the front is empty)."""
    if not len(front):
        return []
    objectives = spec.search.objectives
    cost, first, last = roles(objectives)
    sign = {m: 1.0 if d == "min" else -1.0 for m, d in objectives.items()}
    score = {m: front[f"{m}_mean"].to_numpy(float) * sign[m] for m in objectives}  # lower=better
    designed = evaluations[evaluations["candidate"] == 0]
    picks: dict[str, int] = {}
    note = ""
    if len(designed) and designed["n_ok"].iloc[0] > 0:
        target = float(designed[f"{first}_mean"].iloc[0]) * sign[first]
        good = score[first] <= target
    else:
        good = np.zeros(len(front), bool)
    if good.any():
        picks["lean"] = int(np.flatnonzero(good)[np.argmin(score[cost][good])])
    else:
        picks["lean"] = int(np.argmin(score[first]))
        note = f"no package on the front matches the scenario's own {first}; the best shown"
    picks["reach"] = int(np.lexsort((score[cost], score[last]))[0])
    matrix = np.column_stack([score[m] for m in objectives])
    span = matrix.max(axis=0) - matrix.min(axis=0)
    scaled = (matrix - matrix.min(axis=0)) / np.where(span > 0, span, 1.0)
    picks["balanced"] = int(np.argmin(np.sqrt((scaled ** 2).sum(axis=1))))
    packages = []
    for key, index in picks.items():
        title, rule = RULES[key]
        row = front.iloc[index]
        same = [RULES[k][0] for k, i in picks.items() if i == index and k != key]
        packages.append({
            "key": key, "name": title, "rule": rule.format(first=first, last=last),
            "candidate": int(row["candidate"]),
            "levers": {p: float(row[p]) for p in spec.search.levers},
            "effects": {m: (float(row[f"{m}_mean"]), float(row[f"{m}_ci_low"]),
                            float(row[f"{m}_ci_high"])) for m in spec.search.metrics},
            "cost": float(row[f"{cost}_mean"]), "cost_metric": cost,
            "same_as": same, "note": note if key == "lean" else ""})
    return packages
