"""Saving and loading the dashboard's lever settings, and the data on screen as CSV.

Why a scenario file: a presenter's settings saved from the page are an ordinary
scenario (``extends:`` the scenario the page started from, every lever key written
out), so ``circsim validate`` accepts it, ``circsim run`` and ``circsim compare`` run it,
and the page loads it back with exactly the same settings. No UI here: the page only
passes text in and out.
"""

from __future__ import annotations

import csv
import io
import re
import tempfile
from pathlib import Path
from typing import Any

import yaml

from circsim.scenario import Scenario, load_scenario
from circsim.scenario.loader import bundled_names, resolve_source

SOURCE_NOTE = "assumption: set by the presenter in the dashboard (circsim demo)"


def _base(source: str) -> str:
    """What a saved file ``extends``: a bundled name as it is, a file by absolute path."""
    if source in bundled_names():
        return source
    return str(resolve_source(source).resolve())


def file_name(name: str) -> str:
    """A safe file name for a saved scenario called ``name``."""
    stem = re.sub(r"[^A-Za-z0-9_-]+", "_", name).strip("_") or "levers"
    return f"{stem}.yaml"


def levers_yaml(source: str, levers: dict[str, dict[str, Any]], seed: int, name: str,
                description: str) -> str:
    """The lever settings as a scenario file extending ``source``, with the run's seed.

    Every key of every lever is written, so loading the file gives exactly these
    settings whatever ``source`` sets; each gets a ``sources:`` entry saying who chose it.
    """
    doc: dict[str, Any] = {
        "name": name[:80] or "levers",
        "description": description,
        "extends": _base(source),
        "seed": int(seed),
        "policies": {lever: dict(keys) for lever, keys in levers.items()},
        "sources": {f"policies.{lever}.{key}": SOURCE_NOTE
                    for lever, keys in levers.items() for key in keys},
    }
    header = ("# Lever settings saved from the circsim dashboard. Check with\n"
              "#   circsim validate THIS_FILE\n"
              "# and run with circsim run THIS_FILE (or load it back in the dashboard).\n")
    return header + yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)


def load_levers_text(text: str, name: str = "uploaded.yaml") -> Scenario:
    """A scenario from uploaded YAML text, validated like a file (a ScenarioError if not).

    The text is written to a temporary folder under its own name, so error messages
    name the file the presenter chose.
    """
    with tempfile.TemporaryDirectory(prefix="circsim-demo-") as folder:
        path = Path(folder) / (Path(name).name or "uploaded.yaml")
        path.write_text(text, encoding="utf-8")
        return load_scenario(path)


def levers_of(scenario: Scenario) -> dict[str, dict[str, Any]]:
    """A scenario's lever settings, as the dashboard keeps them."""
    return scenario.policies.model_dump()


def screen_csv(columns: dict[str, list[float]], months: list[int],
               dates: list[str]) -> str:
    """The series on screen as CSV: one row per month, one column per series."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["month", "date", *columns])
    for i, month in enumerate(months):
        row = [month, dates[i]]
        for values in columns.values():
            value = values[i] if i < len(values) else float("nan")
            row.append("" if value != value else f"{value:.6g}")
        writer.writerow(row)
    return out.getvalue()
