"""The report's lever-package section, when the folder holds a search (``search.json``).

Shows the trade-off figure (drawn in the report's language), the three named packages
side by side (rule, net public cost, each objective with its 95 % CI, each lever) and the
Pareto front as a table. Read from ``search.json`` and ``evaluations.csv``, written by
:mod:`circsim.analysis.search_outputs`. The words are kept here; the English names and
rules of the packages are those of :mod:`circsim.analysis.pareto`, carried in the file.
"""

from __future__ import annotations

import base64
import io
import json
from html import escape
from pathlib import Path

import pandas as pd

from circsim.outcomes import BY_NAME, fmt

WORDS = {
    "en": {
        "title": "Lever packages on the Pareto front",
        "note": ("A search of the levers of <b>{scenario}</b>: {n} candidates "
                 "({population} a generation, {generations} generations, NSGA-II), each run "
                 "{r} times on the same random numbers (seed {seed}). {feasible} met the "
                 "constraints ({constraints}); {front} are on the Pareto front: no other "
                 "candidate within the constraints is better on every objective ({objectives})."),
        "none": "no constraint", "min": "lower is better", "max": "higher is better",
        "package": "Package", "rule": "Rule", "cost": "Net public cost (EUR, over the run)",
        "lever": "Lever", "candidate": "candidate {n}",
        "fig": "Candidates by their effect and net public cost; the front circled, the "
               "packages named, crosses outside the constraints.",
        "front": "The Pareto front (mean over replicates)",
    },
    "it": {
        "title": "Pacchetti di leve sul fronte di Pareto",
        "note": ("Una ricerca sulle leve di <b>{scenario}</b>: {n} candidati "
                 "({population} per generazione, {generations} generazioni, NSGA-II), "
                 "ciascuno simulato {r} volte con gli stessi numeri casuali (seme {seed}). "
                 "{feasible} rispettano i vincoli ({constraints}); {front} sono sul fronte "
                 "di Pareto: nessun altro candidato entro i vincoli è migliore su tutti gli "
                 "obiettivi ({objectives})."),
        "none": "nessun vincolo", "min": "meglio se minore", "max": "meglio se maggiore",
        "package": "Pacchetto", "rule": "Regola",
        "cost": "Costo pubblico netto (EUR, nel periodo)", "lever": "Leva",
        "candidate": "candidato {n}",
        "fig": "I candidati per effetto e costo pubblico netto; il fronte cerchiato, i "
               "pacchetti con il loro nome, le croci fuori dai vincoli.",
        "front": "Il fronte di Pareto (media sulle repliche)",
        "rules": {"lean": "il meno costoso che fa almeno quanto il pacchetto dello scenario "
                          "su {first}",
                  "reach": "il migliore per {last} entro i vincoli",
                  "balanced": "il più vicino al punto ideale, con ogni obiettivo riportato "
                              "a [0, 1] sul fronte"},
        "names": {"lean": "Essenziale", "reach": "Inclusivo", "balanced": "Equilibrato"},
    },
}
FRONT_ROWS = 30


def _label(metric: str, lang: str) -> str:
    o = BY_NAME.get(metric)
    return o.label_with_unit(lang) if o is not None else metric


def _name(package: dict, lang: str) -> str:
    """A package's name: as the search wrote it (English), else in ``lang``."""
    return package["name"] if lang == "en" else WORDS[lang]["names"][package["key"]]


def _value(metric: str, x: float, lang: str) -> str:
    return fmt.value(BY_NAME.get(metric), x, lang)


def search_section(folder: Path, lang: str) -> dict | None:
    """The section's content, or None when ``folder`` holds no search."""
    path = Path(folder) / "search.json"
    if not path.is_file():
        return None
    info = json.loads(path.read_text())
    evaluations = pd.read_csv(Path(folder) / "evaluations.csv")
    w = WORDS[lang]
    objectives: dict[str, str] = info["objectives"]
    from circsim.analysis.pareto import roles

    _, first, last = roles(objectives)
    note = w["note"].format(                 # the note is shown as HTML: inputs escaped
        scenario=escape(info["scenario"]), n=info["evaluated"], population=info["population"],
        generations=info["generations"], r=info["replicates"], seed=info["seed"],
        feasible=info["feasible"], front=info["front"],
        constraints=escape("; ".join(info["constraints"]) or w["none"]),
        objectives=escape("; ".join(f"{_label(m, lang)}: {w[d]}"
                                    for m, d in objectives.items())))
    packages = info["packages"]
    heads = [f"{_name(p, lang)} ({w['candidate'].format(n=p['candidate'])})" for p in packages]
    rules = [p["rule"] if lang == "en" else w["rules"][p["key"]].format(
        first=_label(first, lang), last=_label(last, lang)) for p in packages]
    rows = [{"heading": w["rule"], "text": True, "cells": rules},
            {"heading": w["cost"], "cells": [fmt.number(p["cost"], lang, 0)
                                             for p in packages], "strong": True}]
    for metric in (packages[0]["effects"] if packages else {}):
        if metric == packages[0]["cost_metric"]:
            continue                              # its own row above
        rows.append({"heading": _label(metric, lang), "cells": [
            f"{_value(metric, p['effects'][metric][0], lang)} "
            f"({_value(metric, p['effects'][metric][1], lang)} \u2013 "
            f"{_value(metric, p['effects'][metric][2], lang)})" for p in packages]})
    for lever in info["levers"]:
        rows.append({"heading": lever, "code": True,
                     "cells": [fmt.number(p["levers"][lever], lang) for p in packages]})
    return {"title": w["title"], "note": note, "heads": heads, "rows": rows,
            "figure": _figure(info, evaluations, lang), "caption": w["fig"],
            "front_title": w["front"], "front": _front_table(evaluations, objectives, lang)}


def _figure(info: dict, evaluations: pd.DataFrame, lang: str) -> str | None:
    if not len(evaluations):
        return None
    from circsim.analysis.search_outputs import pareto_figure

    buffer = io.BytesIO()
    named = [{**p, "name": _name(p, lang)} for p in info["packages"]]
    pareto_figure(info["name"], info["objectives"], evaluations, named, buffer, lang,
                  constraints=info["constraints"])
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _front_table(evaluations: pd.DataFrame, objectives: dict[str, str],
                 lang: str) -> dict:
    front = evaluations[evaluations["pareto"].astype(bool)].head(FRONT_ROWS)
    return {"head": ["#", *(_label(m, lang) for m in objectives)],
            "rows": [[str(int(r["candidate"])), *(_value(m, r[f"{m}_mean"], lang)
                                                  for m in objectives)]
                     for _, r in front.iterrows()]}
