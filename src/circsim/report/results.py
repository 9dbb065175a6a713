"""A results folder as the report reads it: its tables, manifest and scenarios, and the
names, reference and shape of its runs."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from circsim.experiments.cost import BY_NAME as RATIOS
from circsim.outcomes import headline
from circsim.scenario import CircsimError, Scenario, load_scenario

#: The headline outcomes (the outcome table's, checks aside), in its order.
HEADLINE = tuple(o.name for o in headline() if o.group != "check")


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
    monthly = folder / "monthly.parquet"
    data["monthly"] = pd.read_parquet(monthly) if monthly.exists() else None
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
        outcome_rows = ~table["metric"].isin(list(RATIOS))
        refs = table.loc[table["diff"].isna() & outcome_rows, "scenario"]
        if len(refs):
            return str(refs.iloc[0])
    return str(data["runs"]["scenario"].iloc[0])


def _row(table: pd.DataFrame, scenario: str, metric: str) -> pd.Series | None:
    hit = table[(table["scenario"] == scenario) & (table["metric"] == metric)]
    return None if hit.empty else hit.iloc[0]


def _flat(tree: dict, prefix: str = "") -> dict[str, object]:
    out: dict[str, object] = {}
    for key, value in tree.items():
        if isinstance(value, dict):
            out.update(_flat(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out


def _run_shape(data: dict) -> tuple[int, float, int]:
    """Months, scale and first year of the runs (the values used, defaults included)."""
    runs = data["runs"]
    months = int(runs["months"].iloc[0]) if "months" in runs else 0
    scale = float(runs["scale"].iloc[0]) if "scale" in runs else float("nan")
    known = _scenarios(data).get(_reference(data))
    return months, scale, known.start_year if known is not None else 2026


def _names(data: dict, lang: str) -> dict[str, str]:
    """Scenario ids to the names people read (the scenario's label in ``lang``)."""
    known = _scenarios(data)
    return {sc: known[sc].title(lang) if sc in known else sc
            for sc in dict.fromkeys(data["runs"]["scenario"])}
