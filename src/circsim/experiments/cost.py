"""Cost-effectiveness: what a scenario's change in net public cost buys, with honest CIs.

A cost-effectiveness ratio compares two scenarios, so it is a statistic of a comparison,
not an outcome of a run: the change in net public cost against the reference divided by
the change in an effect (tonnes of waste avoided, tonnes of CO2e avoided, low-income
households reached). Both changes are paired on the replicate (common random numbers),
and the ratio of their means gets Fieller's 95 % interval, which is bounded exactly when
the effect's own paired interval excludes zero. So a ratio whose effect is not
significantly different from zero is reported as undefined (NaN, with a note saying
why) rather than as a huge, meaningless number; so is one whose effect goes the wrong
way (a policy that adds waste has no cost per tonne avoided). A negative ratio means
the public budget saves money while achieving the effect.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats as st

from .stats import LEVEL

#: The comparison-level statistic every ratio divides: an outcome of the run.
COST = "net_public_cost_eur"


@dataclass(frozen=True)
class CostRatio:
    """One cost-effectiveness ratio, declared once.

    Attributes:
        name: the ``metric`` of its rows in ``comparison.csv``.
        cost: the outcome whose paired change is the numerator (net public cost).
        effect: the outcome whose paired change, times ``sign``, is the denominator.
        sign: +1 when more of ``effect`` is the gain, -1 when less is (waste avoided).
        unit_en, unit_it: the unit with its period, as people read it.
        en, it: the label.
        short: the terminal's column heading (label and unit in a few words).
        doc: what it measures, for the docs and the report.
    """

    name: str
    cost: str
    effect: str
    sign: int
    unit_en: str
    unit_it: str
    en: str
    it: str
    short: str
    doc: str


COST_RATIOS: tuple[CostRatio, ...] = (
    CostRatio("eur_per_t_waste_avoided", COST, "residual_waste_t", -1,
              "EUR per t, over the run", "EUR per t, nel periodo",
              "Public cost per tonne of waste avoided", "Costo pubblico per tonnellata di "
              "rifiuti evitata", "EUR/t waste avoided",
              "Change in the net public cost over the run / textile waste avoided over the "
              "run (the fall of residual_waste_t)."),
    CostRatio("eur_per_t_co2e_avoided", COST, "co2e_t", -1,
              "EUR per t CO2e, over the run", "EUR per t CO2e, nel periodo",
              "Public cost per tonne of CO2e avoided", "Costo pubblico per tonnellata di "
              "CO2e evitata", "EUR/t CO2e avoided",
              "Change in the net public cost over the run / emissions avoided over the run "
              "(the fall of co2e_t)."),
    CostRatio("eur_per_low_income_household_reached", f"{COST}_per_year",
              "low_income_households_reached", +1,
              "EUR per household per year", "EUR per famiglia all'anno",
              "Public cost per extra low-income household reached",
              "Costo pubblico per famiglia a basso reddito raggiunta in più",
              "EUR/yr per low-income household reached",
              "Change in the net public cost per year / extra low-income households given "
              "free garments in a year (low_income_households_reached, the run's last 12 "
              "months)."),
)
BY_NAME: dict[str, CostRatio] = {r.name: r for r in COST_RATIOS}


def fieller(num: np.ndarray, den: np.ndarray, level: float = LEVEL
            ) -> tuple[float, float, float, bool]:
    """Ratio of the means of paired ``num`` and ``den`` with Fieller's interval.

    Returns ``(ratio, low, high, bounded)``. The interval is bounded (``bounded``) only
    when the mean of ``den`` differs from zero at ``level`` (t-test on the pairs); else
    ratio and bounds are NaN. Fieller solves ``(a - R b)^2 <= t^2 var(a - R b)`` for R,
    with a, b the means and their (co)variances over n pairs.
    """
    num, den = np.asarray(num, dtype=float), np.asarray(den, dtype=float)
    n = len(num)
    if n < 2:
        return math.nan, math.nan, math.nan, False
    a, b = float(num.mean()), float(den.mean())
    cov = np.cov(num, den, ddof=1) / n
    v11, v12, v22 = float(cov[0, 0]), float(cov[0, 1]), float(cov[1, 1])
    t = float(st.t.ppf(1 - (1 - level) / 2, n - 1))
    if b == 0 or b * b <= t * t * v22:                 # den's interval includes zero
        return math.nan, math.nan, math.nan, False
    r = a / b
    g = t * t * v22 / (b * b)
    centre = r - t * t * v12 / (b * b)
    inside = v11 - 2 * r * v12 + r * r * v22 - t * t * (v11 * v22 - v12 * v12) / (b * b)
    half = t / abs(b) * math.sqrt(max(inside, 0.0))
    return r, (centre - half) / (1 - g), (centre + half) / (1 - g), True


def _paired(runs: pd.DataFrame, scenario: str, reference: str, metric: str) -> pd.Series:
    """Per (point, replicate): ``scenario``'s value of ``metric`` minus the reference's."""
    keys = ["point", "replicate"]
    mine = runs[runs["scenario"] == scenario].set_index(keys)[metric]
    ref = runs[runs["scenario"] == reference].set_index(keys)[metric]
    return (mine - ref).dropna()


def ratio_row(runs: pd.DataFrame, scenario: str, reference: str, ratio: CostRatio,
              level: float = LEVEL) -> dict:
    """One scenario's ratio: its estimate and Fieller interval, or NaN with a note."""
    cost = _paired(runs, scenario, reference, ratio.cost)
    gain = ratio.sign * _paired(runs, scenario, reference, ratio.effect)
    both = pd.concat({"cost": cost, "gain": gain}, axis=1, join="inner").dropna()
    row = {"scenario": scenario, "metric": ratio.name, "n": len(both), "n_pairs": len(both),
           "mean": math.nan, "ci_low": math.nan, "ci_high": math.nan, "note": ""}
    what = "avoided" if ratio.sign < 0 else "gained"
    if len(both) < 2:
        row["note"] = "undefined: fewer than two paired replicates"
        return row
    value, low, high, bounded = fieller(both["cost"].to_numpy(), both["gain"].to_numpy(),
                                        level)
    if not bounded:
        row["note"] = (f"undefined: the change in {ratio.effect} is not significantly "
                       f"different from zero (its 95 % CI includes 0)")
    elif float(both["gain"].mean()) < 0:
        worse = "more" if ratio.sign < 0 else "fewer"
        row["note"] = (f"undefined: {ratio.effect} is significantly {worse} than in "
                       f"{reference}, so nothing is {what}")
    else:
        row.update(mean=value, ci_low=low, ci_high=high)
    return row


def cost_effectiveness(runs: pd.DataFrame, reference: str, level: float = LEVEL
                       ) -> pd.DataFrame:
    """Every non-reference scenario's ratios (rows as in ``comparison.csv``; a ``point``
    column when the runs have several design points, compared point by point)."""
    needed = {r.cost for r in COST_RATIOS} | {r.effect for r in COST_RATIOS}
    if not needed <= set(runs.columns):
        return pd.DataFrame()
    rows = []
    for scenario in dict.fromkeys(runs.sort_values("run_id")["scenario"]):
        if scenario == reference:
            continue
        for point, group in runs.groupby("point", sort=True):
            for ratio in COST_RATIOS:
                row = ratio_row(group, scenario, reference, ratio, level)
                rows.append({"point": point, **row})
    table = pd.DataFrame(rows)
    if len(table) and runs["point"].nunique() <= 1:
        table = table.drop(columns="point")
    return table


def undefined(row) -> bool:
    """Whether a comparison row is a ratio reported as undefined."""
    return row.get("metric") in BY_NAME and row.get("mean") != row.get("mean")
