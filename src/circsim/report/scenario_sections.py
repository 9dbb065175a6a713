"""The report's sections about scenarios themselves: what each changes (levers by their
plain names, settings with units), the assumptions that matter most with their sources
(in the report's language), and how to reproduce the runs."""

from __future__ import annotations

from functools import cache
from html import escape

from circsim.outcomes import fmt
from circsim.report.i18n import text
from circsim.report.results import HEADLINE, _definition, _flat, _reference, _scenarios
from circsim.scenario import Scenario, load_scenario
from circsim.scenario.schema import LEVERS, OWN_WORDS
from circsim.scenario.sources_i18n import sources_in

UNCERTAIN = ("climate.export_displacement_rate", "households.displacement_rate",
             "firms.unsold_share", "firms.cutting_waste_share", "households.life_months",
             "cooperatives.abroad_reuse_share", "households.asc_bin")


def _source(sc: Scenario | None, path: str) -> tuple[str, str]:
    """The ``sources:`` entry that covers ``path`` (its own, or its nearest parent's):
    the key it is filed under and its text; empty strings if none."""
    if sc is None:
        return "", ""
    parts = path.split(".")
    for i in range(len(parts), 0, -1):
        key = ".".join(parts[:i])
        if sc.sources.get(key):
            return key, sc.sources[key]
    return "", ""


def changes_section(data: dict, lang: str) -> list[dict]:
    """Each scenario's description in ``lang`` and what it sets differently."""
    known, ref = _scenarios(data), _scenarios(data).get(_reference(data))
    skip = {"name", *OWN_WORDS, "sources", "uncertainty"}
    out = []
    for name in dict.fromkeys(data["runs"]["scenario"]):
        sc = known.get(str(name))
        if sc is None:
            continue
        diffs = []
        if ref is not None and sc is not ref:
            a, b = _flat(ref.model_dump(exclude=skip)), _flat(sc.model_dump(exclude=skip))
            for lever in LEVERS:
                pre = f"policies.{lever}."
                if b.get(pre + "enabled") and any(a.get(k) != v for k, v in b.items()
                                                  if k.startswith(pre)):
                    diffs.append(_lever_line(lever, b, lang))
            diffs += [f"<code>{escape(k)}</code> = {escape(_value(v, lang))}"
                      for k, v in b.items() if not k.startswith("policies.") and a.get(k) != v][:12]
        out.append({"name": sc.title(lang), "description": sc.describe(lang), "diffs": diffs})
    return out


def _value(value: object, lang: str) -> str:
    """A parameter's value in the report's language: numbers with the locale's separators."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    return fmt.number(float(value), lang, 0 if float(value).is_integer() else None)


def _setting(key: str, value: object, lang: str) -> str:
    """A lever's setting with the unit its name declares (words ``eur``, ``km``, ``share``)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    words_ = key.split("_")
    if "share" in words_:
        pct = 100 * float(value)
        return fmt.number(pct, lang, 0 if pct.is_integer() else None) + " %"
    unit = next((u for word, u in (("eur", " €"), ("km", " km")) if word in words_), "")
    return _value(value, lang) + unit


def _lever_line(lever: str, flat: dict, lang: str) -> str:
    """One lever a scenario switches on: its plain name, its id, its start and its settings.

    The names of levers and of their settings are the dashboard's (declared once, in both
    languages, in :mod:`circsim.viz.i18n`); the id stays beside them for reproducibility.
    """
    from circsim.viz.i18n import tr

    pre = f"policies.{lever}."
    settings = [(k.split(".")[-1], v) for k, v in flat.items() if k.startswith(pre)
                and v is not None and k.split(".")[-1] not in {"enabled", "start_month"}]
    values = "; ".join(f"{tr(f'field.{lever}.{key}', lang)}: {_setting(key, v, lang)}"
                       for key, v in settings)
    name = f"<b>{escape(tr(f'lever.{lever}', lang))}</b> (<code>{lever}</code>)"
    return (text(lang, "lever_on", lever=name, start=flat[pre + "start_month"])
            + (f": {escape(values)}" if values else ""))


@cache
def _bundled_sources() -> dict[str, str]:
    """The bundled baseline's own source texts: a translation is used only for these."""
    return dict(load_scenario("baseline").sources)


def _source_text(sc: Scenario | None, path: str, lang: str) -> str:
    """A parameter's source; the word "assumption" in the report's language."""
    key, found = _source(sc, path)
    translated = sources_in(lang).get(key)
    if translated and found == _bundled_sources().get(key):
        return translated          # the bundled text, so its bundled translation holds
    if found.lower().startswith("assumption"):
        return text(lang, "assumption") + found[len("assumption"):]
    return found


def assumptions_section(data: dict, lang: str) -> dict:
    """Parameters ranked by the sensitivity analysis, or the most uncertain ones."""
    ref = _scenarios(data).get(_reference(data))
    table = data["sensitivity"]
    rows = []
    if table is not None and len(table):
        col = "ST" if "ST" in table else "mu_star"
        top = (table[table["metric"].isin(HEADLINE)] if table["metric"].isin(HEADLINE).any()
               else table)
        for param, value in top.groupby("parameter")[col].max().sort_values(
                ascending=False).items():
            rows.append((str(param), fmt.number(value, lang),
                         _source_text(ref, str(param), lang)))
        return {"note": text(lang, "sensitivity_note" if col == "ST" else "morris_note"),
                "head": [text(lang, k) for k in ("parameter", "index", "source")],
                "rows": rows}
    flat = _flat(ref.model_dump()) if ref is not None else {}
    for param in UNCERTAIN:
        value = (_value(flat[param], lang) if param in flat else
                 ", ".join(f"{k.split('.')[-1]} {_value(v, lang)}" for k, v in flat.items()
                           if k.startswith(param + ".")) or "?")
        rows.append((param, value, _source_text(ref, param, lang)))
    return {"note": text(lang, "no_sensitivity"),
            "head": [text(lang, k) for k in ("parameter", "value", "source")], "rows": rows}


def _seed_rule(rule: str, lang: str) -> str:
    """The seed rule as the manifest states it, its words in the report's language."""
    for key in ("rule_crn", "rule_seed"):
        rule = rule.replace(text("en", key), text(lang, key))
    return rule


def reproduce_section(data: dict, lang: str) -> dict:
    m, d = data["manifest"], _definition(data)
    if data["comparison"] is not None and d.get("scenarios"):
        cmd = ["circsim", "compare", *map(str, d["scenarios"])]
        for key in ("replicates", "months", "scale", "seed"):
            if d.get(key) is not None:
                cmd += [f"--{key}", str(d[key])]
    else:
        cmd = ["circsim", "sweep", str(m.get("experiment", {}).get("file")
                                      or m.get("experiment", {}).get("name", "EXPERIMENT"))]
    if d.get("ensemble"):
        cmd += ["--ensemble", str(d["ensemble"])]
    deps = m.get("dependencies", {})
    versions = ", ".join(f"{k} {v}" for k, v in {"circsim": m.get("circsim"),
                                                 "python": m.get("python"), **deps}.items() if v)
    git, runs, seeds = m.get("git") or {}, m.get("runs", {}), m.get("seeds", {})
    return {"command": " ".join(cmd), "versions": versions,
            "commit": str(git.get("commit", "n/a")), "dirty": bool(git.get("dirty")),
            "seed_words": text(lang, "seed_rule", seed=seeds.get("experiment_seed", "?")),
            "rule": _seed_rule(str(seeds.get("rule", "")), lang),
            "runs": text(lang, "runs", ok=runs.get("succeeded", "?"),
                         failed=runs.get("failed", 0)),
            "files": [(f["path"], f["sha256"][:16]) for f in m.get("scenario_files", [])]}
