"""The report's scenario-discovery section: the boxes ``circsim discover`` found.

Shown when the results folder holds the output of ``circsim discover`` (a
``discover_<metric>/`` folder with ``discover.json`` and ``boxes.csv``): for each, the
target, how many cases meet it, and each box as a sentence and a table row with its
coverage, density and mass, coverage and density explained in a sentence each.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from circsim.analysis.discover_files import (
    WORDS,
    box_sentences,
    condition,
    outcome_label,
    shown_target,
)
from circsim.outcomes import fmt
from circsim.report.i18n import text


def _pct(share: float, lang: str) -> str:
    return fmt.percent(share * 100, lang, 0, sign=False)


def _one(folder: Path, lang: str) -> dict:
    info = json.loads((folder / "discover.json").read_text())
    boxes = pd.read_csv(folder / "boxes.csv")     # a box restricting nothing: no parameter
    target = str(info["target"])
    rows = []
    for number, mine in boxes.groupby("box", sort=True):
        first = mine.iloc[0]
        where = [condition(r.parameter, r.lower, r.upper, r.range_lower, r.range_upper, lang)
                 for r in mine.itertuples() if isinstance(r.parameter, str)]
        rows.append({"box": int(number), "where": where,
                     "coverage": _pct(first.coverage, lang),
                     "density": _pct(first.density, lang), "mass": _pct(first.mass, lang),
                     "cases": f"{int(first.n_target_met)} / {int(first.n_points)}"})
    return {"title": text(lang, "disc_target", outcome=outcome_label(info["outcome"], lang),
                          target=shown_target(target, lang)),
            "intro": text(lang, "disc_intro", hits=info["hits"], cases=info["cases"],
                          case=text(lang, "disc_run" if info["per_run"] else "disc_point"),
                          threshold=_pct(info["threshold"], lang)),
            "sentences": box_sentences(boxes, info["outcome"], target, lang) if len(boxes)
            else [text(lang, "disc_none")],
            "rows": rows}


def discovery_section(folder: Path, lang: str) -> dict | None:
    """Every discovery written into the results folder, or None when there is none."""
    found = sorted(p.parent for p in Path(folder).glob("*/discover.json")
                   if (p.parent / "boxes.csv").exists())
    if not found:
        return None
    w = WORDS[lang]
    return {"blocks": [_one(f, lang) for f in found],
            "explain": [w["coverage"], w["density"], w["mass"]],
            "head": [text(lang, f"disc_head_{k}") for k in ("box", "where", "coverage",
                                                             "density", "mass", "cases")]}
