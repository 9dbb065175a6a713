"""The report's public cost and cost-effectiveness section, from ``comparison.csv``.

Rows: the change in the public budget's net cost over the run against the reference
(paired 95 % interval), then each cost-effectiveness ratio of
:mod:`circsim.experiments.cost` with its Fieller interval, or "undefined" and why.
"""

from __future__ import annotations

from html import escape

import pandas as pd

from circsim.experiments.cost import COST, COST_RATIOS
from circsim.outcomes import fmt
from circsim.report import words
from circsim.report.i18n import text


def _reason(note: object) -> str:
    """The i18n key of why a ratio is undefined, from its note in ``comparison.csv``."""
    note = str(note)
    if "not significantly" in note:
        return "ce_ns"
    if "significantly" in note:
        return "ce_wrong"
    return "ce_few"


def _interval(low: float, high: float, lang: str) -> str:
    return f"{fmt.number(low, lang)} \u2013 {fmt.number(high, lang)}"


def _cost_cell(row: pd.Series | None, lang: str) -> dict:
    if row is None:
        return {"value": "", "ci": ""}
    return {"value": fmt.signed(row["diff"], lang, 0),
            "ci": _interval(row["diff_ci_low"], row["diff_ci_high"], lang)}


def _ratio_cell(row: pd.Series | None, lang: str) -> dict:
    if row is None:
        return {"value": "", "ci": ""}
    if row["mean"] != row["mean"]:
        return {"value": text(lang, "undefined"), "ci": text(lang, _reason(row.get("note"))),
                "undefined": True}
    return {"value": fmt.number(row["mean"], lang), "ci": _interval(row["ci_low"],
                                                                     row["ci_high"], lang)}


def costs_section(table: pd.DataFrame | None, reference: str, names: dict[str, str],
                  months: int, start: int, lang: str) -> dict | None:
    """A metric × scenario grid of the net public cost's change and the ratios, or None
    when the comparison holds no cost-effectiveness rows (older results, a sweep)."""
    if table is None or not table["metric"].isin([r.name for r in COST_RATIOS]).any():
        return None
    if "point" in table:
        table = table[table["point"] == table["point"].min()]
    scenarios = [sc for sc in dict.fromkeys(table["scenario"]) if sc != reference]

    def row(sc: str, metric: str) -> pd.Series | None:
        hit = table[(table["scenario"] == sc) & (table["metric"] == metric)]
        return None if hit.empty else hit.iloc[0]

    period = words.period(COST, months, start, lang)
    rows = [{"heading": f"{text(lang, 'cost_change')} (EUR, {period})",
             "cells": [_cost_cell(row(sc, COST), lang) for sc in scenarios]}]
    for r in COST_RATIOS:
        label, unit = (r.it, r.unit_it) if lang == "it" else (r.en, r.unit_en)
        rows.append({"heading": f"{label} ({unit})",
                     "cells": [_ratio_cell(row(sc, r.name), lang) for sc in scenarios]})
    n = int(table.loc[table["metric"] == COST, "n"].max())
    return {"note": text(lang, "costs_note", ref=escape(names.get(reference, reference)), n=n),
            "scenarios": [names.get(sc, sc) for sc in scenarios], "rows": rows}
