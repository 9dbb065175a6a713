"""A self-contained HTML report for a policy maker, from a ``compare`` or ``sweep`` folder.

One file, figures embedded as data URIs, no external assets: it can be mailed, printed
or opened offline. Sections: a plain-words summary, the headline metrics as a metric ×
scenario grid (every number with its unit and period, changes coloured better or worse
by the outcome table), the benefits of industrial symbiosis when a scenario switches on
a symbiosis lever (:mod:`circsim.report.symbiosis`), how each effect changes over the
years, the figures (drawn in the report's language at a page's width), what each
scenario changes, the assumptions that matter most with their sources, and how to
reproduce the results. The page is a Jinja2 template (``templates/report.html.j2``)
that escapes everything it is given.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
from html import escape
from pathlib import Path

import pandas as pd
from jinja2 import Environment, PackageLoader, select_autoescape

from circsim.experiments import figures as figs
from circsim.experiments.stats import significant
from circsim.outcomes import BY_NAME, fmt
from circsim.report import words
from circsim.report.costs import costs_section
from circsim.report.discovery import discovery_section
from circsim.report.effects import effects_by_year
from circsim.report.i18n import LANGUAGES, STRINGS, text
from circsim.report.results import (
    HEADLINE,
    _definition,
    _names,
    _reference,
    _row,
    _run_shape,
    _scenarios,
    load_results,
)
from circsim.report.scenario_sections import (
    assumptions_section,
    changes_section,
    reproduce_section,
)
from circsim.report.search import search_section
from circsim.report.symbiosis import benefits_section
from circsim.scenario import CircsimError

#: The headline outcomes a report shows, in rank order (the checks left out).
#: How many headline outcomes the year-by-year section and the figures show.
PROFILE = 3
FIGURE_PANELS = 6
#: Scenario columns per headline table (the reference included): wider does not print.
GRID_COLUMNS = 4
CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;max-width:62rem;
margin:2rem auto;padding:0 1rem;color:#1d2329;line-height:1.45}
h1{margin-bottom:0}h1+p{margin-top:.2rem;color:#55606b}h2{border-bottom:2px solid #0072B2;
padding-bottom:.2rem;margin-top:2.2rem}table{border-collapse:collapse;width:100%;
margin:.8rem 0;font-size:.92rem}th,td{border-bottom:1px solid #dde2e6;padding:.35rem .5rem;
text-align:left;vertical-align:top}td.n{text-align:right;white-space:nowrap;
font-variant-numeric:tabular-nums}th{background:#f3f6f8}.worse{color:#b14a00;font-weight:600}
.better{color:#00795a;font-weight:600}.ns{color:#777}.ci{color:#6b7580;font-size:.85rem}
td.small{font-size:.8rem}figure{margin:1.2rem 0}figure img{max-width:100%;
border:1px solid #e4e8eb}figcaption{color:#55606b;font-size:.9rem}
code{background:#f3f6f8;padding:.1rem .3rem}.summary p{font-size:1.05rem}
.muted{color:#6b7580;font-size:.9rem}
"""
_ENV = Environment(loader=PackageLoader("circsim.report", "templates"),
                   autoescape=select_autoescape(["j2", "html"]))


def _tone(metric: str, row) -> str:
    """CSS class of a change: ``better`` or ``worse`` by the outcome's direction in the
    outcome table, ``ns`` when its interval includes zero or the outcome has no direction."""
    if not (row["diff_ci_low"] > 0 or row["diff_ci_high"] < 0):
        return "ns"
    better = BY_NAME[metric].better if metric in BY_NAME else None
    if better is None:
        return "ns"
    up = row.get("diff", row["pct_change"]) > 0
    return "better" if up == (better == "more") else "worse"


def summary_section(data: dict, lang: str) -> list[str]:
    """Paragraphs in plain words (HTML-escaped inputs): what each scenario does."""
    table, ref, runs = data["comparison"], _reference(data), data["runs"]
    names = {k: escape(v) for k, v in _names(data, lang).items()}
    if table is None:
        params = [c for c in runs.columns if "." in c]
        return [text(lang, "sweep_intro", points=runs["point"].nunique(),
                     r=int(runs["replicate"].nunique()),
                     params=", ".join(f"<code>{escape(p)}</code>" for p in params)),
                uncertainty_sentence(data, lang)]
    months, scale, start = _run_shape(data)
    scenarios = list(dict.fromkeys(table["scenario"]))
    end = words.last_month(start, months)
    parts = [text(lang, "intro", n=len(scenarios), r=int(table["n"].max()), months=months,
                  start=words.month_text(dt.date(start, 1, 1), lang),
                  end=words.month_text(end, lang),
                  scale_pct=fmt.percent(scale * 100, lang, 1, sign=False),
                  scale=fmt.number(scale, lang, 3), ref=names[ref])]
    known = _scenarios(data)
    low_income = None
    if ref in known:
        pop = known[ref].population
        low_income = pop.households * pop.low_income_share
    best, best_waste = None, 0.0
    what_waste = text(lang, "what_waste",
                      period=words.period("residual_waste_t", months, start, lang))
    for sc in scenarios:
        waste, life = _row(table, sc, "residual_waste_t"), _row(table, sc,
                                                                "mean_service_life_months")
        reach = _row(table, sc, "low_income_reach_share")
        if sc == ref or waste is None or life is None or reach is None:
            continue
        if waste["pct_change"] < best_waste and significant(waste):
            best, best_waste = sc, waste["pct_change"]
        pp = fmt.points(reach["diff"], lang)
        n = abs(reach["diff"]) * low_income if low_income else float("nan")
        if low_income is None or round(n, -2) == 0 or not significant(reach):
            reach_text = text(lang, "reach_same", pct=pp)
        else:
            key = "reach_more" if reach["diff"] > 0 else "reach_fewer"
            reach_text = text(lang, key, n=fmt.number(round(n, -2), lang, 0), pct=pp)
        t = STRINGS[lang]
        parts.append(text(lang, "sentence", scenario=names[sc], reach=reach_text,
                          waste=words.directed("residual_waste_t", waste, what_waste,
                                               (t["waste_less"], t["waste_more"]), lang),
                          life=words.directed("mean_service_life_months", life,
                                              t["what_life"], (t["life_less"],
                                                               t["life_more"]), lang)))
    if best is not None and len(scenarios) > 2:
        parts.append(text(lang, "best", scenario=names[best]))
    parts.append(uncertainty_sentence(data, lang))
    return parts


def uncertainty_sentence(data: dict, lang: str) -> str:
    """Which uncertainty the CIs show: stochastic only, or with a parameter ensemble."""
    ensemble = _definition(data).get("ensemble")
    if not ensemble:
        return text(lang, "uncertainty_stochastic")
    runs = data["runs"]
    n = int(runs["ensemble_set"].nunique()) if "ensemble_set" in runs else "N"
    return text(lang, "uncertainty_ensemble", n=n, file=escape(Path(ensemble).name))


def grid_section(data: dict, lang: str) -> dict | None:
    """The headline metrics as a metric × scenario grid: mean with CI, change coloured."""
    table = data["comparison"]
    if table is None:
        return None
    ref, names = _reference(data), _names(data, lang)
    months, _, start = _run_shape(data)
    scenarios = list(dict.fromkeys(table["scenario"]))
    rows = []
    for m in (m for m in HEADLINE if m in set(table["metric"])):
        o, cells = BY_NAME.get(m), []
        for sc in scenarios:
            r = _row(table, sc, m)
            if r is None:
                cells.append({"mean": "", "ci": ""})
                continue
            undefined = text(lang, "ci_undefined")
            cell = {"mean": fmt.value(o, r["mean"], lang),
                    "ci": f"{fmt.value(o, r['ci_low'], lang)} \u2013 "
                          f"{fmt.value(o, r['ci_high'], lang)}" if pd.notna(r["ci_low"])
                    else undefined}
            if sc != ref:
                share = o is not None and o.unit == "share"
                lo, hi = ((r["diff_ci_low"], r["diff_ci_high"]) if share
                          else (r["pct_ci_low"], r["pct_ci_high"]))
                cell.update(change=fmt.change(o, r["diff"], r["pct_change"], lang),
                            tone=_tone(m, r),
                            change_ci=f"{fmt.change(o, lo, lo, lang)} \u2026 "
                                      f"{fmt.change(o, hi, hi, lang)}" if pd.notna(lo)
                            else undefined)
            cells.append(cell)
        rows.append({"heading": words.heading(m, months, start, lang), "cells": cells})
    note = text(lang, "headline_note", n=int(table["n"].max()), ref=escape(names[ref]))
    if (table["n"] < 2).any():
        note += f" {text(lang, 'ci_undefined')}."
    return {"blocks": _blocks([names[sc] for sc in scenarios], rows), "note": note}


def _blocks(columns: list[str], rows: list[dict], width: int = GRID_COLUMNS) -> list[dict]:
    """The grid cut into tables of at most ``width`` scenario columns that fit a printed
    page, each repeating the reference (the first column) so every change reads against it."""
    others = list(range(1, len(columns)))
    chunks = [others[i:i + width - 1] for i in range(0, len(others), width - 1)] or [[]]
    return [{"scenarios": [columns[j] for j in (0, *chunk)],
             "rows": [{"heading": r["heading"], "cells": [r["cells"][j] for j in (0, *chunk)]}
                      for r in rows]} for chunk in chunks]


def symbiosis_section(data: dict, lang: str) -> dict | None:
    """The benefits of industrial symbiosis for scenarios that switch on a symbiosis lever."""
    months, _, start = _run_shape(data)
    return benefits_section(data["comparison"], _scenarios(data), _reference(data),
                            _names(data, lang), months, start, lang, _tone)


def points_section(data: dict, lang: str) -> str:
    points = data["points"]
    if points is None:
        return ""
    keep = [c for c in points.columns if c in {"point", "metric", "mean", "ci_low", "ci_high"}
            or "." in c]
    points = points[points["metric"].isin(HEADLINE)] if "metric" in points else points
    return points[keep].head(60).to_html(index=False, border=0, escape=True,
                                         float_format=lambda v: fmt.number(v, lang))


def effects_section(data: dict, lang: str) -> dict | None:
    """Year by year: the change of the first headline metrics, and a sentence on its shape."""
    monthly, table = data["monthly"], data["comparison"]
    if monthly is None or table is None:
        return None
    ref, names = _reference(data), _names(data, lang)
    metrics = [m for m in HEADLINE if m in monthly][:PROFILE]
    effects = effects_by_year(monthly, ref, metrics)
    if effects.empty:
        return None
    months, _, start = _run_shape(data)
    blocks = []
    for sc, rows in effects.groupby("scenario", sort=False):
        years = sorted(rows["year"].unique())
        block = {"scenario": names.get(sc, sc), "years": years, "rows": [], "sentences": []}
        for m in metrics:
            mine = rows[rows["metric"] == m].sort_values("year")
            if mine.empty:
                continue
            block["sentences"].append(words.profile_sentence(m, mine, lang))
            o = BY_NAME[m]
            block["rows"].append({"heading": o.label_with_unit(lang) if o.unit != "share"
                                  else f"{o.label(lang)} ({fmt.PP[lang]})",
                                  "cells": [words.effect_cell(m, r, lang)
                                            for _, r in mine.iterrows()]})
        blocks.append(block)
    return {"note": text(lang, "effects_note", ref=escape(names[ref])), "blocks": blocks}


def figures_section(data: dict, lang: str) -> list[dict]:
    """The figures, drawn now in ``lang`` at a page's width, as base64 PNGs."""
    names, out = _names(data, lang), []
    table, monthly = data["comparison"], data["monthly"]
    drawn = []
    if table is not None:
        drawn.append(("comparison", lambda b: figs.comparison_bars(
            table, list(HEADLINE), b, lang, names, FIGURE_PANELS)))
    if monthly is not None and table is not None:
        drawn.append(("timeseries", lambda b: figs.time_series(
            monthly, list(HEADLINE), b, lang, names, FIGURE_PANELS)))
    if data["sensitivity"] is not None and len(data["sensitivity"]):
        method = "sobol" if "ST" in data["sensitivity"] else "morris"
        drawn.append(("sensitivity", lambda b: figs.sensitivity_bars(
            data["sensitivity"], method, b, lang)))
    for name, draw in drawn:
        buffer = io.BytesIO()
        draw(buffer)
        out.append({"caption": text(lang, f"fig_{name}"), "width": round(figs.WIDTH_IN * 96),
                    "data": base64.b64encode(buffer.getvalue()).decode("ascii")})
    return out


def _costs(data: dict, lang: str) -> dict | None:
    months, _, start = _run_shape(data)
    return costs_section(data["comparison"], _reference(data), _names(data, lang), months,
                         start, lang)


def render(data: dict, lang: str) -> str:
    """The report page in ``lang`` from a loaded results folder."""
    from circsim import __version__

    generated = text(lang, "generated", date=fmt.date(dt.date.today(), lang),
                     version=__version__)
    return _ENV.get_template("report.html.j2").render(
        lang=lang, t=STRINGS[lang], css=CSS, generated=generated,
        summary=summary_section(data, lang), grid=grid_section(data, lang),
        points=points_section(data, lang), costs=_costs(data, lang),
        symbiosis=symbiosis_section(data, lang),
        discovery=discovery_section(data["folder"], lang),
        search=search_section(data["folder"], lang),
        effects=effects_section(data, lang),
        figures=figures_section(data, lang), changes=changes_section(data, lang),
        assumptions=assumptions_section(data, lang), reproduce=reproduce_section(data, lang))


def build_report(folder: str | Path, lang: str = "en", out: str | Path | None = None) -> Path:
    """Write ``report.html`` (or ``report.it.html``) into the results folder; return its path.

    ``out`` names another file; the other language, when asked for, goes beside it.
    """
    if lang not in LANGUAGES:
        raise CircsimError(f"--lang: expected one of {', '.join(LANGUAGES)}, got {lang!r}")
    folder = Path(folder)
    page = render(load_results(folder), lang)
    default = "report.html" if lang == "en" else f"report.{lang}.html"
    path = Path(out) if out else folder / default
    path.write_text(page, encoding="utf-8")
    return path


def write_report(results, out: str | Path | None = None, lang: str = "en") -> Path:
    """The HTML report of an experiment from Python: ``results`` is an
    :class:`~circsim.experiments.ExperimentResult` run into a folder, or that folder."""
    folder = getattr(results, "out", results)
    if folder is None:
        raise CircsimError("write_report needs results saved in a folder: run the experiment "
                           "with out=FOLDER")
    return build_report(folder, lang=lang, out=out)
