"""History matching by waves: implausibility, refocusing, and the parameters to fit.

The pieces of :mod:`circsim.analysis.fit` that are plain arithmetic on tables, so that
each can be tested without running the model:

- :func:`implausibility`: for every parameter set, how far its replicates' mean lies from
  each calibration target, in standard deviations of everything that separates them
  (observation, stochasticity, and the error of a mean of few replicates);
- :func:`refocus`: the box the next wave samples, around the sets not ruled out;
- :func:`choose_parameters`: from a Morris screening, the parameters with the largest
  effect (mu*) on at least one target.

References: Vernon, Goldstein and Bower (2010), Bayesian Analysis 5(4); Andrianakis et al.
(2015), PLoS Computational Biology 11(1), e1003968 (history matching of an agent-based
model, with the variance of its replicates as model stochasticity).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

#: Pukelsheim's three-sigma rule: a set whose largest implausibility exceeds this is ruled out
CUTOFF = 3.0


@dataclass(frozen=True)
class Observed:
    """A calibration target: a summary metric and its public range."""

    metric: str
    low: float
    high: float

    @property
    def value(self) -> float:
        """The centre of the public range, taken as the observation."""
        return (self.low + self.high) / 2

    @property
    def variance(self) -> float:
        """The public range read as a 95 % interval (± 2 standard deviations)."""
        return ((self.high - self.low) / 4) ** 2


def implausibility(runs: pd.DataFrame, targets: Sequence[Observed], by: str = "ensemble_set"
                   ) -> pd.DataFrame:
    """Per parameter set (``by``): each target's mean, implausibility, and the largest.

    ``I = |mean - z| / sqrt(V_obs + V_s + V_s / R)``: ``z`` and ``V_obs`` from the public
    range, ``V_s`` the variance of a single run (replicates' variance, pooled over the
    wave's sets so that two replicates suffice), ``V_s / R`` the error of the mean of ``R``
    replicates (the role an emulator's variance plays in Andrianakis et al. 2015).
    """
    metrics = [t.metric for t in targets]
    grouped = runs.groupby(by)[metrics]
    means, counts = grouped.mean(), grouped.count()
    pooled = grouped.var(ddof=1).mean()
    out = pd.DataFrame(index=means.index)
    for t in targets:
        v_s = float(pooled[t.metric]) if pooled[t.metric] == pooled[t.metric] else 0.0
        spread = t.variance + v_s + v_s / counts[t.metric].clip(lower=1)
        out[t.metric] = means[t.metric]
        out[f"I:{t.metric}"] = (means[t.metric] - t.value).abs() / np.sqrt(spread)
    out["I_max"] = out[[f"I:{t.metric}" for t in targets]].max(axis=1)
    return out


def refocus(sets: pd.DataFrame, scores: pd.Series, prior: Mapping[str, Sequence[float]],
            cutoff: float = CUTOFF, margin: float = 0.1, fallback_share: float = 0.2
            ) -> tuple[dict[str, list[float]], str]:
    """The next wave's box: around the sets not ruled out, widened by ``margin`` of each
    prior width and kept inside the prior. With none left, around the ``fallback_share``
    least implausible (said in the returned note)."""
    kept = sets[scores < cutoff]
    note = f"{len(kept)} of {len(sets)} sets not ruled out (I_max < {cutoff:g})"
    if not len(kept):
        n = max(2, int(np.ceil(fallback_share * len(sets))))
        kept = sets.loc[scores.sort_values().index[:n]]
        note += f"; refocused on the {len(kept)} least implausible instead"
    box = {}
    for path, (low, high) in prior.items():
        pad = margin * (high - low)
        box[path] = [max(low, float(kept[path].min()) - pad),
                     min(high, float(kept[path].max()) + pad)]
    return box, note


def sample_box(box: Mapping[str, Sequence[float]], n: int, rng: np.random.Generator
               ) -> pd.DataFrame:
    """``n`` points of a Latin hypercube over ``box`` (one column per dotted path)."""
    columns = {}
    for path, (low, high) in box.items():
        strata = (rng.permutation(n) + rng.random(n)) / n
        columns[path] = low + strata * (high - low)
    return pd.DataFrame(columns)


def choose_parameters(screening: pd.DataFrame, targets: Sequence[Observed], limit: int = 8,
                      threshold: float = 0.1) -> tuple[list[str], dict[str, str]]:
    """Parameters by their Morris mu* on each target, at most ``limit``, and why each.

    mu* is read in units of the target's public range (how far the parameter moves the
    target across its plausible range, against how well the target is known); a
    parameter below ``threshold`` on every target cannot be identified by the targets.
    Targets take turns: the strongest parameter of each, then the second, and so on.
    """
    width = {t.metric: t.high - t.low for t in targets}
    table = screening[screening["metric"].isin(width)].copy()
    table["relative"] = table["mu_star"] / table["metric"].map(width)
    ranked = {m: g.sort_values("relative", ascending=False).reset_index(drop=True)
              for m, g in table.groupby("metric", sort=False)}
    chosen: dict[str, str] = {}
    depth = max((len(g) for g in ranked.values()), default=0)
    for rank in range(depth):
        for metric in (t.metric for t in targets):
            rows = ranked.get(metric)
            if rows is None or rank >= len(rows) or len(chosen) >= limit:
                continue
            row = rows.iloc[rank]
            if row["relative"] < threshold or row["parameter"] in chosen:
                continue
            chosen[row["parameter"]] = (
                f"rank {rank + 1} on {metric}: mu* = {row['mu_star']:.3g}, "
                f"{row['relative']:.2f} times the target's public range")
    return list(chosen), chosen
