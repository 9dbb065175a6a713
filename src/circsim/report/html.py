"""A self-contained HTML report for a policy maker, from a ``compare`` or ``sweep`` folder.

One file, figures embedded as data URIs, no external assets: it can be mailed, printed
or opened offline. Sections: a plain-words summary, headline metrics with 95 % CIs and
changes against the reference, the figures, what each scenario changes, the assumptions
that matter most (from the sensitivity analysis when present) with their sources, and how
to reproduce the results.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from html import escape
from pathlib import Path

import pandas as pd

from circsim.outcomes import BY_NAME, headline
from circsim.report.i18n import LANGUAGES, metric_label, text
from circsim.scenario import CircsimError, Scenario, load_scenario
from circsim.scenario.schema import LEVERS

#: The headline outcomes a report shows, in rank order (the checks left out).
HEADLINE = tuple(o.name for o in headline() if o.group != "check")
FIGURES = ("comparison", "timeseries", "sweep", "sensitivity")
UNCERTAIN = ("climate.export_displacement_rate", "households.displacement_rate",
             "firms.unsold_share", "firms.cutting_waste_share", "households.life_months",
             "cooperatives.abroad_reuse_share", "households.asc_bin")
CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;max-width:60rem;
margin:2rem auto;padding:0 1rem;color:#1d2329;line-height:1.45}
h1{margin-bottom:0}h1+p{margin-top:.2rem;color:#55606b}h2{border-bottom:2px solid #0072B2;
padding-bottom:.2rem;margin-top:2.2rem}table{border-collapse:collapse;width:100%;
margin:.8rem 0;font-size:.92rem}th,td{border-bottom:1px solid #dde2e6;padding:.35rem .5rem;
text-align:left;vertical-align:top}td.n{text-align:right;white-space:nowrap;
font-variant-numeric:tabular-nums}th{background:#f3f6f8}.worse{color:#b14a00}.better{color:#00795a}
.ns{color:#777}figure{margin:1.2rem 0}figure img{max-width:100%;border:1px solid #e4e8eb}
figcaption{color:#55606b;font-size:.9rem}code{background:#f3f6f8;padding:.1rem .3rem}
.summary p{font-size:1.05rem}.muted{color:#6b7580;font-size:.9rem}
"""


def _pct(value: float, lang: str) -> str:
    sign = "+" if value > 0 else "\u2212" if value < 0 else ""
    number = f"{abs(value):.1f}"
    return f"{sign}{number.replace('.', ',') if lang == 'it' else number} %"


def _num(value: float, lang: str, digits: int = 3) -> str:
    if value != value:
        return "n/a"
    if abs(value) >= 1000:
        s = f"{value:,.0f}"
    elif abs(value) >= 10:
        s = f"{value:,.1f}"
    else:
        s = f"{value:.{digits}g}"
    if lang == "it":
        s = s.replace(",", "\u202f").replace(".", ",")
    return s


def load_results(folder: Path) -> dict:
    """The tables, manifest and figures a results folder holds."""
    if not folder.is_dir():
        raise CircsimError(f"{folder}: no such results folder (expected the output of "
                           "'circsim compare' or 'circsim sweep')")
    runs = folder / "runs.parquet"
    if not runs.exists():
        raise CircsimError(f"{folder}: no runs.parquet here; is this the output folder of "
                           "'circsim compare' or 'circsim sweep'?")
    data: dict = {"folder": folder, "runs": pd.read_parquet(runs)}
    for name in ("comparison", "points", "sensitivity"):
        path = folder / f"{name}.csv"
        data[name] = pd.read_csv(path) if path.exists() else None
    manifest = folder / "manifest.json"
    data["manifest"] = json.loads(manifest.read_text()) if manifest.exists() else {}
    data["figures"] = {name: folder / f"{name}.png" for name in FIGURES
                       if (folder / f"{name}.png").exists()}
    return data


def _definition(data: dict) -> dict:
    return data["manifest"].get("experiment", {}).get("definition", {}) or {}


def _scenarios(data: dict) -> dict[str, Scenario]:
    """Scenario objects by the name runs carry, where their files can still be loaded."""
    out: dict[str, Scenario] = {}
    sources = _definition(data).get("scenarios") or sorted(data["runs"]["scenario"].unique())
    for source in sources:
        try:
            sc = load_scenario(source)
        except CircsimError:
            continue
        out[str(source)] = sc
        out[sc.name] = sc
    return out


def _reference(data: dict) -> str:
    table = data["comparison"]
    if table is not None and "diff" in table:
        refs = table.loc[table["diff"].isna(), "scenario"]
        if len(refs):
            return str(refs.iloc[0])
    return str(data["runs"]["scenario"].iloc[0])


def _row(table: pd.DataFrame, scenario: str, metric: str) -> pd.Series | None:
    hit = table[(table["scenario"] == scenario) & (table["metric"] == metric)]
    return None if hit.empty else hit.iloc[0]


def summary_section(data: dict, lang: str) -> str:
    """A paragraph in plain words: what each scenario does against the reference."""
    table, ref = data["comparison"], _reference(data)
    runs = data["runs"]
    definition = _definition(data)
    parts = []
    if table is None:
        params = [c for c in runs.columns if "." in c]
        parts.append(text(lang, "sweep_intro", points=runs["point"].nunique()
                          if "point" in runs else len(runs),
                          r=definition.get("replicates", "?"),
                          params=", ".join(f"<code>{escape(p)}</code>" for p in params)))
        return f'<section class="summary"><h2>{text(lang, "summary")}</h2>' + \
            "".join(f"<p>{p}</p>" for p in parts) + "</section>"
    scenarios = list(dict.fromkeys(table["scenario"]))
    parts.append(text(lang, "intro", n=len(scenarios), r=int(table["n"].max()),
                      months=definition.get("months") or "?", scale=definition.get("scale")
                      or "?", ref=escape(ref)))
    known = _scenarios(data)
    low_income = None
    if ref in known:
        pop = known[ref].population
        low_income = pop.households * pop.low_income_share
    best, best_waste = None, 0.0
    for sc in scenarios:
        if sc == ref:
            continue
        waste = _row(table, sc, "residual_waste_t")
        life = _row(table, sc, "mean_service_life_months")
        reach = _row(table, sc, "low_income_reach_share")
        if waste is None or life is None or reach is None:
            continue
        if waste["pct_change"] < best_waste:
            best, best_waste = sc, waste["pct_change"]
        reach_pct = _change(reach, lang)
        n = abs(reach["diff"]) * low_income if low_income else float("nan")
        if low_income is None or round(n, -2) == 0:
            reach_text = text(lang, "reach_same", pct=reach_pct)
        else:
            key = "reach_more" if reach["diff"] > 0 else "reach_fewer"
            reach_text = text(lang, key, n=_num(round(n, -2), lang), pct=reach_pct)
        parts.append(text(lang, "sentence", scenario=escape(sc), waste=_change(waste, lang),
                          life=_change(life, lang), reach=reach_text))
    if best is not None:
        parts.append(text(lang, "best", scenario=escape(best)))
    return f'<section class="summary"><h2>{text(lang, "summary")}</h2>' + \
        "".join(f"<p>{p}</p>" for p in parts) + "</section>"


def _change(row: pd.Series, lang: str) -> str:
    """'−12.3 % (95 % CI −13.0 to −11.6 %)', or 'not distinguishable' when the CI spans 0."""
    ci = text(lang, "ci", low=_pct(row["pct_ci_low"], lang), high=_pct(row["pct_ci_high"], lang))
    significant = row["diff_ci_low"] > 0 or row["diff_ci_high"] < 0
    note = "" if significant else f"; {text(lang, 'not_significant')}"
    return f"{_pct(row['pct_change'], lang)} ({ci}{note})"


def _tone(metric: str, row) -> str:
    """CSS class of a change: ``better`` or ``worse`` by the outcome's direction in the
    outcome table, ``ns`` when its interval includes zero or the outcome has no direction."""
    if not (row["diff_ci_low"] > 0 or row["diff_ci_high"] < 0):
        return "ns"
    better = BY_NAME[metric].better if metric in BY_NAME else None
    if better is None:
        return "ns"
    return "better" if (row["pct_change"] > 0) == (better == "more") else "worse"


def headline_section(data: dict, lang: str) -> str:
    table = data["comparison"]
    if table is None:
        return _points_section(data, lang)
    ref = _reference(data)
    metrics = [m for m in HEADLINE if m in set(table["metric"])]
    rows = []
    for sc in dict.fromkeys(table["scenario"]):
        for m in metrics:
            r = _row(table, sc, m)
            if r is None:
                continue
            mean = f"{_num(r['mean'], lang)} ({_num(r['ci_low'], lang)}\u2013" \
                   f"{_num(r['ci_high'], lang)})"
            if sc == ref:
                change = f'<span class="ns">{text(lang, "reference")}</span>'
            else:
                cls = _tone(m, r)
                change = (f'<span class="{cls}">{_pct(r["pct_change"], lang)}</span> '
                          f'({_pct(r["pct_ci_low"], lang)} \u2026 {_pct(r["pct_ci_high"], lang)})')
            rows.append(f"<tr><td>{escape(sc)}</td><td>{escape(metric_label(m, lang))}</td>"
                        f'<td class="n">{mean}</td><td class="n">{change}</td></tr>')
    head = "".join(f"<th>{text(lang, k)}</th>" for k in ("scenario", "metric", "mean", "change"))
    note = text(lang, "headline_note", n=int(table["n"].max()), ref=escape(ref))
    return (f'<section><h2>{text(lang, "headline")}</h2><p class="muted">{note}</p>'
            f"<table><tr>{head}</tr>{''.join(rows)}</table></section>")


def _points_section(data: dict, lang: str) -> str:
    points = data["points"]
    if points is None:
        return ""
    keep = [c for c in points.columns if c in {"point", "metric", "mean", "ci_low", "ci_high"}
            or "." in c]
    points = points[points["metric"].isin(HEADLINE)] if "metric" in points else points
    body = points[keep].head(60).to_html(index=False, float_format=lambda v: _num(v, lang),
                                         border=0, escape=True)
    return f'<section><h2>{text(lang, "points")}</h2>{body}</section>'


def figures_section(data: dict, lang: str) -> str:
    items = []
    for name, path in data["figures"].items():
        encoded = base64.b64encode(path.read_bytes()).decode("ascii")
        caption = text(lang, f"fig_{name}") if f"fig_{name}" in _keys(lang) else name
        items.append(f'<figure><img alt="{escape(name)}" src="data:image/png;base64,{encoded}">'
                     f"<figcaption>{escape(caption)}</figcaption></figure>")
    return f'<section><h2>{text(lang, "figures")}</h2>{"".join(items)}</section>' if items \
        else ""


def _keys(lang: str) -> set[str]:
    from circsim.report.i18n import STRINGS

    return set(STRINGS[lang])


def _flat(tree: dict, prefix: str = "") -> dict[str, object]:
    out: dict[str, object] = {}
    for key, value in tree.items():
        if isinstance(value, dict):
            out.update(_flat(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out


def changes_section(data: dict, lang: str) -> str:
    """Each scenario's description and what it sets differently from the reference."""
    known = _scenarios(data)
    ref = known.get(_reference(data))
    rows = []
    for name in dict.fromkeys(data["runs"]["scenario"]):
        sc = known.get(str(name))
        if sc is None:
            continue
        diffs = []
        if ref is not None and sc is not ref:
            a = _flat(ref.model_dump(exclude={"name", "description", "sources"}))
            b = _flat(sc.model_dump(exclude={"name", "description", "sources"}))
            for lever in LEVERS:
                if b.get(f"policies.{lever}.enabled") and any(
                        a.get(k) != v for k, v in b.items() if k.startswith(f"policies.{lever}.")):
                    values = ", ".join(f"{k.split('.')[-1]} = {v}" for k, v in b.items()
                                       if k.startswith(f"policies.{lever}.")
                                       and k.split(".")[-1] not in {"enabled", "start_month"}
                                       and v is not None)
                    diffs.append(text(lang, "lever_on", lever=f"<code>{lever}</code>",
                                      start=b[f"policies.{lever}.start_month"])
                                 + (f": {escape(values)}" if values else ""))
            diffs += [f"<code>{escape(k)}</code> = {escape(str(v))}" for k, v in b.items()
                      if not k.startswith("policies.") and a.get(k) != v][:12]
        listed = "<br>".join(diffs) if diffs else f'<span class="ns">' \
            f'{text(lang, "no_change")}</span>'
        rows.append(f"<tr><td><b>{escape(sc.name)}</b></td><td>{escape(sc.description)}"
                    f"<br>{listed}</td></tr>")
    return f'<section><h2>{text(lang, "changes")}</h2><table>{"".join(rows)}</table></section>'


def _source(sc: Scenario | None, path: str) -> str:
    if sc is None:
        return ""
    parts = path.split(".")
    for i in range(len(parts), 0, -1):
        hit = sc.sources.get(".".join(parts[:i]))
        if hit:
            return hit
    return ""


def assumptions_section(data: dict, lang: str) -> str:
    """Parameters ranked by the sensitivity analysis, or the most uncertain ones, with sources."""
    ref = _scenarios(data).get(_reference(data))
    table = data["sensitivity"]
    rows = []
    if table is not None and len(table):
        col = "ST" if "ST" in table else "mu_star"
        note = text(lang, "sensitivity_note" if col == "ST" else "morris_note")
        top = (table[table["metric"].isin(HEADLINE)] if table["metric"].isin(HEADLINE).any()
               else table)
        ranked = top.groupby("parameter")[col].max().sort_values(ascending=False)
        for param, value in ranked.items():
            rows.append(f"<tr><td><code>{escape(str(param))}</code></td>"
                        f'<td class="n">{_num(value, lang)}</td>'
                        f"<td>{escape(_source(ref, str(param)))}</td></tr>")
        head = "".join(f"<th>{text(lang, k)}</th>" for k in ("parameter", "index", "source"))
    else:
        note = text(lang, "no_sensitivity")
        flat = _flat(ref.model_dump()) if ref is not None else {}
        for param in UNCERTAIN:
            value = ", ".join(f"{k.split('.')[-1]} {v}" for k, v in flat.items()
                              if k == param or k.startswith(param + ".")) or "?"
            rows.append(f"<tr><td><code>{escape(param)}</code></td><td>{escape(value)}</td>"
                        f"<td>{escape(_source(ref, param))}</td></tr>")
        head = "".join(f"<th>{text(lang, k)}</th>" for k in ("parameter", "value", "source"))
    return (f'<section><h2>{text(lang, "assumptions")}</h2><p class="muted">{note}</p>'
            f"<table><tr>{head}</tr>{''.join(rows)}</table></section>")


def reproduce_section(data: dict, lang: str) -> str:
    m = data["manifest"]
    d = _definition(data)
    if data["comparison"] is not None and d.get("scenarios"):
        cmd = ["circsim", "compare", *map(str, d["scenarios"])]
        for key in ("replicates", "months", "scale", "seed"):
            if d.get(key) is not None:
                cmd += [f"--{key}", str(d[key])]
    else:
        cmd = ["circsim", "sweep", str(m.get("experiment", {}).get("file")
                                      or m.get("experiment", {}).get("name", "EXPERIMENT"))]
    deps = m.get("dependencies", {})
    versions = ", ".join(f"{k} {v}" for k, v in {"circsim": m.get("circsim"),
                                                 "python": m.get("python"), **deps}.items() if v)
    git = m.get("git") or {}
    files = "".join(f"<li><code>{escape(f['path'])}</code> {escape(f['sha256'][:16])}…</li>"
                    for f in m.get("scenario_files", []))
    runs = m.get("runs", {})
    seeds = m.get("seeds", {})
    return (f'<section><h2>{text(lang, "reproduce")}</h2>'
            f'<p>{text(lang, "command")}: <code>{escape(" ".join(cmd))}</code></p>'
            f'<p>{text(lang, "versions")}: {escape(versions)}</p>'
            f'<p>{text(lang, "commit")}: <code>{escape(str(git.get("commit", "n/a")))}</code>'
            f'{" (+)" if git.get("dirty") else ""}</p>'
            f'<p>{text(lang, "seeds")}: {escape(str(seeds.get("rule", "")))}</p>'
            f'<p>{text(lang, "runs", ok=runs.get("succeeded", "?"), failed=runs.get("failed", 0))}'
            f'</p><p>{text(lang, "files")}:</p><ul>{files}</ul></section>')


def build_report(folder: str | Path, lang: str = "en", out: str | Path | None = None) -> Path:
    """Write ``report.html`` (or ``report.it.html``) into the results folder; return its path."""
    from circsim import __version__

    if lang not in LANGUAGES:
        raise CircsimError(f"--lang: expected one of {', '.join(LANGUAGES)}, got {lang!r}")
    folder = Path(folder)
    data = load_results(folder)
    body = "".join(section(data, lang) for section in (
        summary_section, headline_section, figures_section, changes_section,
        assumptions_section, reproduce_section))
    date = dt.date.today().isoformat()
    page = (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{text(lang, 'title')}</title><style>{CSS}</style></head><body>"
            f"<h1>{text(lang, 'title')}</h1><p>{text(lang, 'subtitle')} \u2014 "
            f"{text(lang, 'generated', date=date, version=__version__)}</p>{body}</body></html>")
    path = Path(out) if out else folder / ("report.html" if lang == "en" else
                                           f"report.{lang}.html")
    path.write_text(page, encoding="utf-8")
    return path
