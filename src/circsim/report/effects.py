"""The time profile of each effect: the change against the reference, year by year.

Why: a ten-year mean hides an effect that peaks and fades (a three-year programme) or one
that builds up slowly (a ban phased in). Each year's value of a run is the sum of its
months for outcomes that are totals and the mean of its months otherwise; the change is
paired on the replicate (common random numbers) with a t-based 95 % interval, as in the
headline table. :func:`profile_words` turns one metric's row of years into a sentence.
"""

from __future__ import annotations

import math

import pandas as pd

from circsim.experiments.stats import t_interval
from circsim.outcomes import BY_NAME


def yearly(monthly: pd.DataFrame, metric: str) -> pd.DataFrame:
    """Each run's value of ``metric`` per calendar year: scenario, replicate, year, value."""
    outcome = BY_NAME.get(metric)
    how = "sum" if outcome is not None and outcome.aggregate == "sum" else "mean"
    frame = monthly.assign(cal=monthly["year"].astype(float).round(6).floordiv(1).astype(int))
    if "point" in frame:
        frame = frame[frame["point"] == frame["point"].min()]
    return (frame.groupby(["scenario", "replicate", "cal"])[metric].agg(how).reset_index()
            .rename(columns={"cal": "year", metric: "value"}))


def effects_by_year(monthly: pd.DataFrame, reference: str, metrics: list[str]) -> pd.DataFrame:
    """Per scenario, metric and year: the reference's mean, the paired difference with its
    95 % interval and the % change (columns scenario, metric, year, reference, diff,
    ci_low, ci_high, pct)."""
    rows = []
    for metric in metrics:
        if metric not in monthly:
            continue
        table = yearly(monthly, metric)
        ref = table[table["scenario"] == reference].set_index(["replicate", "year"])["value"]
        for scenario in dict.fromkeys(table["scenario"]):
            if scenario == reference:
                continue
            mine = table[table["scenario"] == scenario].set_index(["replicate", "year"])["value"]
            both = pd.concat({"x": mine, "r": ref}, axis=1, join="inner").dropna()
            for year, group in both.groupby(level="year"):
                _, diff, _, half = t_interval(group["x"] - group["r"])
                base = float(group["r"].mean())
                rows.append({"scenario": scenario, "metric": metric, "year": int(year),
                             "reference": base, "diff": diff, "ci_low": diff - half,
                             "ci_high": diff + half,
                             "pct": diff / abs(base) * 100 if base else math.nan})
    return pd.DataFrame(rows, columns=["scenario", "metric", "year", "reference", "diff",
                                       "ci_low", "ci_high", "pct"])


def shape(rows: pd.DataFrame) -> tuple[str, dict]:
    """The shape of one effect over the years and the numbers that say it.

    ``none``: no year's interval excludes zero. ``peak``: the largest effect comes before
    the last year and the last year keeps less than two thirds of it. ``grows``: the
    first year had less than half of the largest. ``steady`` otherwise. The numbers: peak
    year and value, first and last year and value.
    """
    rows = rows.sort_values("year")
    size = rows["diff"].abs()
    significant = (rows["ci_low"] > 0) | (rows["ci_high"] < 0)
    first, last = rows.iloc[0], rows.iloc[-1]
    peak = rows.loc[size.idxmax()]
    facts = {"peak_year": int(peak["year"]), "peak": peak, "first_year": int(first["year"]),
             "first": first, "last_year": int(last["year"]), "last": last}
    if not significant.any():
        return "none", facts
    top = float(size.max())
    if peak["year"] < last["year"] and abs(last["diff"]) < 2 / 3 * top:
        return "peak", facts
    if abs(first["diff"]) < 0.5 * top:
        return "grows", facts
    return "steady", facts
