"""The report's industrial-symbiosis section: a programme's effects as the programme counts them.

The regional symbiosis programme (seed 004) counts its benefits in three kinds —
economic (procurement, disposal and transport savings, revenue from byproducts),
environmental (waste avoided, virgin material avoided, CO2e) and social (jobs,
collaborations) — and builds a network (firms taking part, links, sectors connected,
shared-service groups, machines reused). For every compared scenario that switches on a
symbiosis lever, this section shows each benefit against the reference with its unit,
period, 95 % interval and paired change, and says in one sentence per kind which changes
are distinguishable from zero. Names, units and labels come from the outcome table; this
module declares only which outcome belongs to which kind. (The tonnes exchanged,
``symbiosis_exchanged_t``, are a headline outcome shown in the grid; here they appear as
the waste they avoid.)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from html import escape

import pandas as pd

from circsim.outcomes import BY_NAME, fmt
from circsim.report import words
from circsim.report.i18n import text
from circsim.scenario import Scenario

#: Levers that act on industrial symbiosis (the section appears when one is on).
SYMBIOSIS_LEVERS = ("symbiosis_programme", "symbiosis_platform", "shared_services_support",
                    "machinery_marketplace")
#: The programme's kinds of benefit and the outcomes that measure each, in the order shown.
BENEFITS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("economic", ("symbiosis_procurement_savings_eur", "symbiosis_disposal_savings_eur",
                  "symbiosis_transport_savings_eur", "symbiosis_byproduct_revenue_eur",
                  "shared_services_savings_eur", "machinery_entry_savings_eur")),
    ("environmental", ("symbiosis_waste_avoided_t", "symbiosis_virgin_avoided_t",
                       "symbiosis_co2e_avoided_t", "shared_services_energy_saved_mwh",
                       "shared_services_co2e_saved_t")),
    ("social", ("symbiosis_jobs", "symbiosis_collaborations", "maker_entries")),
    ("network", ("symbiosis_firms_participating", "symbiosis_links",
                 "symbiosis_sectors_connected", "shared_services_groups",
                 "shared_services_firms", "machines_reused")),
)


def levers_on(sc: Scenario) -> list[str]:
    """The symbiosis levers a scenario switches on."""
    return [lever for lever in SYMBIOSIS_LEVERS if getattr(sc.policies, lever).enabled]


def _row(table: pd.DataFrame, scenario: str, metric: str) -> pd.Series | None:
    hit = table[(table["scenario"] == scenario) & (table["metric"] == metric)]
    return None if hit.empty else hit.iloc[0]


def _signed(x: float, lang: str) -> str:
    """A signed amount in the outcome's unit: ``+1,234``, ``−0.52``."""
    text = fmt.number(abs(x), lang)
    return text if text.strip("0.,") == "" else ("+" if x > 0 else fmt.MINUS) + text


def _size(metric: str, row: pd.Series, lang: str) -> tuple[str, str]:
    """The size of a change (unsigned) and its 95 % interval: in % of the reference, or in
    the outcome's own unit when the reference is zero (or in points for a share)."""
    o = BY_NAME.get(metric)
    pct = row["pct_change"]
    size = fmt.change(o, row["diff"], pct, lang, sign=False)
    if o.unit != "share" and pd.notna(pct) and pd.notna(row["pct_ci_low"]):
        return size, text(lang, "ci", low=fmt.percent(row["pct_ci_low"], lang),
                          high=fmt.percent(row["pct_ci_high"], lang))
    one = (lambda x: fmt.points(x, lang)) if o.unit == "share" else \
        (lambda x: _signed(x, lang))
    return size, text(lang, "ci", low=one(row["diff_ci_low"]), high=one(row["diff_ci_high"]))


def _kind_sentence(kind: str, rows: list[tuple[str, pd.Series]], lang: str) -> str:
    """``Economic benefits: procurement savings rise by 12 % (95 % CI …); …`` or, when no
    change is distinguishable from zero, a sentence that says so."""
    said = []
    for metric, row in rows:
        if not words.significant(row):
            continue
        size, ci = _size(metric, row, lang)
        verb = text(lang, "sym_up" if row["diff"] > 0 else "sym_down")
        said.append(text(lang, "sym_change", what=BY_NAME[metric].label(lang).lower(),
                         verb=verb, change=size, ci=ci))
    title = text(lang, f"sym_{kind}")
    if not said:
        return text(lang, "sym_none", kind=title)
    return f"{title}: " + "; ".join(said) + "."


def benefits_section(table: pd.DataFrame | None, known: Mapping[str, Scenario], ref: str,
                     names: Mapping[str, str], months: int, start_year: int, lang: str,
                     tone: Callable[[str, pd.Series], str]) -> dict | None:
    """One block per scenario with a symbiosis lever on: its benefits by kind, in a table
    (reference, scenario with 95 % CI, paired change with 95 % CI) and in sentences."""
    if table is None:
        return None
    present = set(table["metric"])
    blocks = []
    for sc in dict.fromkeys(table["scenario"]):
        if sc == ref or sc not in known or not levers_on(known[sc]):
            continue
        kinds = []
        for kind, metrics in BENEFITS:
            rows = []
            pairs = []
            for m in (m for m in metrics if m in present and m in BY_NAME):
                mine, base = _row(table, sc, m), _row(table, ref, m)
                if mine is None or base is None:
                    continue
                o = BY_NAME[m]
                pairs.append((m, mine))
                lo, hi = mine["diff_ci_low"], mine["diff_ci_high"]
                rows.append({
                    "heading": words.heading(m, months, start_year, lang),
                    "reference": fmt.value(o, base["mean"], lang),
                    "mean": fmt.value(o, mine["mean"], lang),
                    "ci": f"{fmt.value(o, mine['ci_low'], lang)} \u2013 "
                          f"{fmt.value(o, mine['ci_high'], lang)}",
                    "change": f"{_signed(mine['diff'], lang)} "
                              f"({fmt.change(o, mine['diff'], mine['pct_change'], lang)})",
                    "change_ci": f"{_signed(lo, lang)} \u2026 {_signed(hi, lang)}",
                    "tone": tone(m, mine)})
            if rows:
                kinds.append({"title": text(lang, f"sym_{kind}"), "rows": rows,
                              "sentence": _kind_sentence(kind, pairs, lang)})
        if kinds:
            levers = ", ".join(f"<code>{escape(lever)}</code>" for lever in levers_on(known[sc]))
            blocks.append({"scenario": names.get(sc, sc), "kinds": kinds,
                           "intro": text(lang, "sym_intro", scenario=escape(names.get(sc, sc)),
                                         levers=levers, ref=escape(names.get(ref, ref)))})
    if not blocks:
        return None
    return {"note": text(lang, "sym_note"), "blocks": blocks,
            "head": [text(lang, k) for k in ("metric", "sym_reference", "mean", "change")]}
