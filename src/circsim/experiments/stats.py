"""Honest uncertainty over replicates: t-based 95 % intervals and paired differences.

Replicate ``r`` of every scenario (and design point) runs on the same random
streams (common random numbers), so a difference between two scenarios is taken
replicate by replicate and its interval comes from the spread of those paired
differences, which is usually far narrower than the two separate intervals.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd
from scipy import stats as st

LEVEL = 0.95


def t_interval(values: Iterable[float], level: float = LEVEL) -> tuple[int, float, float, float]:
    """``(n, mean, sample sd, half-width)`` of the t-based interval; NaN where undefined.

    NaN values are left out. Half-width = t(1 - (1 - level) / 2, n - 1) * sd / sqrt(n).
    """
    x = np.asarray([v for v in values if v is not None], dtype=float)
    x = x[~np.isnan(x)]
    n = len(x)
    if n == 0:
        return 0, math.nan, math.nan, math.nan
    mean = float(x.mean())
    if n == 1:
        return 1, mean, math.nan, math.nan
    sd = float(x.std(ddof=1))
    half = float(st.t.ppf(1 - (1 - level) / 2, n - 1)) * sd / math.sqrt(n)
    return n, mean, sd, half


def summarize_groups(frame: pd.DataFrame, by: Sequence[str], metrics: Sequence[str],
                     level: float = LEVEL) -> pd.DataFrame:
    """Tidy: one row per group and metric with n, mean, sd, ci_low, ci_high (vectorised)."""
    by = list(by)
    if not len(frame):
        return pd.DataFrame(columns=[*by, "metric", "n", "mean", "sd", "ci_low", "ci_high"])
    long = frame.melt(id_vars=by, value_vars=list(metrics), var_name="metric")
    long["value"] = pd.to_numeric(long["value"], errors="coerce")
    grouped = long.groupby([*by, "metric"], sort=False, dropna=False)["value"]
    table = grouped.agg(n="count", mean="mean", sd="std").reset_index()
    n = table["n"].to_numpy(dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        tq = st.t.ppf(1 - (1 - level) / 2, np.where(n > 1, n - 1, np.nan))
        half = tq * table["sd"].to_numpy(dtype=float) / np.sqrt(n)
    table["sd"] = table["sd"].where(table["n"] > 1)
    table["ci_low"] = table["mean"] - half
    table["ci_high"] = table["mean"] + half
    order = {m: i for i, m in enumerate(metrics)}
    table["_m"] = table["metric"].map(order)
    return (table.sort_values([*by, "_m"], kind="stable").drop(columns="_m")
            .reset_index(drop=True))


def reference_of(runs: pd.DataFrame, reference: str | None = None) -> str:
    """The reference scenario: ``reference`` if named (and run), else the first by run id."""
    order = list(dict.fromkeys(runs.sort_values("run_id")["scenario"]))
    reference = order[0] if reference is None else reference
    if reference not in order:
        raise ValueError(f"reference scenario {reference!r} is not among {order}")
    return reference


def compare(runs: pd.DataFrame, metrics: Sequence[str], reference: str | None = None,
            level: float = LEVEL) -> pd.DataFrame:
    """Per scenario (and design point) and metric: mean with CI, paired difference with CI.

    Columns: scenario, [point,] metric, n, mean, sd, ci_low, ci_high, n_pairs, diff,
    diff_ci_low, diff_ci_high, pct_change, pct_ci_low, pct_ci_high. The reference is
    the first scenario in run-id order unless named; its own difference columns are
    empty. Differences pair runs on the replicate (and point); % change = difference /
    |reference mean| (its interval divides the difference's by the same number).
    """
    runs = runs.sort_values("run_id")
    order = list(dict.fromkeys(runs["scenario"]))
    reference = reference_of(runs, reference)
    pair_on = ["point", "replicate"]
    ref = runs[runs["scenario"] == reference].set_index(pair_on)
    rows = []
    for scenario in order:
        mine = runs[runs["scenario"] == scenario]
        for point, group in mine.groupby("point", sort=True):
            indexed = group.set_index(pair_on)
            ref_point = ref[ref.index.get_level_values("point") == point]
            for metric in metrics:
                n, mean, sd, half = t_interval(group[metric], level)
                row = {"scenario": scenario, "point": point, "metric": metric, "n": n,
                       "mean": mean, "sd": sd, "ci_low": mean - half, "ci_high": mean + half}
                if scenario != reference:
                    both = indexed[[metric]].join(
                        ref_point[[metric]].rename(columns={metric: "_reference"}),
                        how="inner").dropna()
                    diffs = both[metric] - both["_reference"]
                    k, diff, _, dhalf = t_interval(diffs, level)
                    base = abs(float(both["_reference"].mean())) if k else math.nan
                    scale = 100.0 / base if base and base == base else math.nan
                    row.update(n_pairs=k, diff=diff, diff_ci_low=diff - dhalf,
                               diff_ci_high=diff + dhalf, pct_change=diff * scale,
                               pct_ci_low=(diff - dhalf) * scale,
                               pct_ci_high=(diff + dhalf) * scale)
                rows.append(row)
    table = pd.DataFrame(rows)
    for col in ("n_pairs", "diff", "diff_ci_low", "diff_ci_high", "pct_change", "pct_ci_low",
                "pct_ci_high"):
        if col not in table:
            table[col] = math.nan
    if runs["point"].nunique() <= 1:
        table = table.drop(columns="point")
    return table


def significant(row: pd.Series) -> bool:
    """Whether a comparison row's paired interval excludes zero."""
    low, high = row.get("diff_ci_low"), row.get("diff_ci_high")
    return bool(low == low and high == high and (low > 0 or high < 0))
