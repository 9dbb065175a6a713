"""Outcomes: every output of circsim declared once, recorded monthly and summarised.

:data:`OUTCOMES` (in :mod:`circsim.outcomes.table`) is the single declaration of every
outcome. :func:`record` computes one month's row, :func:`summarize` a run's summary,
:func:`headline` the headline outcomes in rank order; everything that shows outcomes
(command line, experiments, report, dashboard, calibration, ODD) reads this package.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from circsim.outcomes.core import GROUPS, UNITS, Outcome
from circsim.outcomes.fates import FATES
from circsim.outcomes.table import OUTCOMES
from circsim.outcomes.view import MonthView, ratio

if TYPE_CHECKING:
    from circsim.households import Acquisitions, Discards
    from circsim.model import TextileEconomy

__all__ = ["FATES", "GROUPS", "OUTCOMES", "UNITS", "Outcome", "by_name", "frame",
           "headline", "monthly_names", "record", "summarize", "summary_names"]

#: Columns of the monthly record that describe the month rather than measure an outcome.
INDEX = ("month", "year", "residents", "households")

BY_NAME: dict[str, Outcome] = {o.name: o for o in OUTCOMES}


def _check_table() -> None:
    """The table is consistent: unique names and ranks, references to monthly outcomes."""
    if len(BY_NAME) != len(OUTCOMES):
        seen: set[str] = set()
        dup = [o.name for o in OUTCOMES if o.name in seen or seen.add(o.name)]
        raise ValueError(f"outcomes declared twice: {dup}")
    ranks = [o.headline for o in OUTCOMES if o.headline is not None]
    if len(ranks) != len(set(ranks)):
        raise ValueError("two outcomes share a headline rank")
    for o in OUTCOMES:
        if o.of is not None and not (o.of in BY_NAME and BY_NAME[o.of].is_monthly):
            raise ValueError(f"outcome {o.name}: `of` names no monthly outcome: {o.of}")
        if o.name in INDEX:
            raise ValueError(f"outcome {o.name} clashes with an index column")


_check_table()


def by_name(name: str) -> Outcome:
    """The outcome called ``name`` (KeyError if none is declared)."""
    return BY_NAME[name]


def headline(n: int | None = None) -> tuple[Outcome, ...]:
    """The headline outcomes in rank order (the first ``n`` if given)."""
    ranked = sorted((o for o in OUTCOMES if o.headline is not None), key=lambda o: o.headline)
    return tuple(ranked[:n] if n is not None else ranked)


def monthly_names() -> tuple[str, ...]:
    """Columns of ``monthly.parquet``: the index columns, then every monthly outcome."""
    return (*INDEX, *(o.name for o in OUTCOMES if o.is_monthly))


def summary_names() -> tuple[str, ...]:
    """Keys of the run summary that are outcomes (numbers), in declaration order."""
    return tuple(o.name for o in OUTCOMES if o.in_summary)


def record(model: TextileEconomy, discards: Discards, acquired: Acquisitions,
           imbalance: float) -> dict:
    """One month's row: index columns, every monthly outcome, ratios' raw parts (``_sim``)."""
    v = MonthView(model, discards, acquired, imbalance)
    row: dict = {"month": model.month,
                 "year": model.scenario.start_year + (model.month - 1) / 12,
                 "residents": v.residents, "households": model.households.n}
    for o in OUTCOMES:
        if o.aggregate == "ratio":
            num, den = float(o.num(v)), float(o.den(v))
            n_col, d_col = o.hidden_columns()
            row[n_col], row[d_col] = num, den
            row[o.name] = ratio(num, den)
        elif o.monthly is not None:
            row[o.name] = o.monthly(v)
    return row


def frame(records: list[dict]) -> pd.DataFrame:
    """Monthly records as a tidy table, without the internal ``_sim`` columns."""
    df = pd.DataFrame(records)
    return df[[c for c in df.columns if not c.endswith("_sim")]] if len(df) else df


def summarize(model: TextileEconomy) -> dict:
    """The run summary: each outcome aggregated as its declaration says."""
    df = pd.DataFrame(model.records)
    years = len(df) / 12
    out: dict = {}
    for o in OUTCOMES:
        if not o.in_summary:
            continue
        if o.aggregate == "end":
            value = o.at_end(model)
        elif o.aggregate == "ratio":
            n_col, d_col = o.hidden_columns()
            value = ratio(float(df[n_col].sum()), float(df[d_col].sum()))
        elif o.aggregate == "sum":
            value = float(df[o.name].sum())
        elif o.aggregate == "mean":
            value = float(df[o.name].mean())          # months without a value are skipped
        elif o.aggregate == "last":
            value = float(df[o.name].iloc[-1])
        elif o.aggregate == "per_year":
            value = float(df[o.of].sum()) / years
        else:  # annual
            value = float(df[o.of].mean() * 12)
        out[o.name] = int(value) if o.integer else value
    return out
