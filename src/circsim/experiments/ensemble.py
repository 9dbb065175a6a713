"""Ensembles of parameter sets: parameter uncertainty in comparisons and sweeps.

An ensemble is a CSV file (``circsim fit`` writes one): one row per accepted parameter
set, one column per dotted scenario path, and an optional ``weight`` column. Given to
an experiment (``--ensemble FILE``), replicate ``r`` of every scenario and design point
runs with parameter set ``r mod N``: the same set and the same random stream for the same
replicate everywhere, so comparisons stay paired and their confidence intervals combine
stochastic and parameter uncertainty.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from circsim.scenario import CircsimError

from .paths import check_path, coerce

#: columns of an ensemble file that are not parameters
META_COLUMNS = ("weight", "set")


class EnsembleError(CircsimError):
    """An ensemble file that cannot be used (missing, unknown parameter, value out of range)."""


def read_ensemble(path: str | Path) -> list[dict[str, Any]]:
    """The parameter sets of an ensemble file, each a mapping of dotted path -> value.

    Raises :class:`EnsembleError` (exit code 2 on the command line) for a missing or
    empty file, a column that is not a numeric scenario key, or a missing value.
    """
    import pandas as pd

    path = Path(path)
    if not path.is_file():
        raise EnsembleError(f"ensemble {path}: no such file")
    try:
        frame = pd.read_csv(path)
    except (ValueError, OSError) as err:
        raise EnsembleError(f"ensemble {path}: cannot read it as CSV ({err})") from None
    params = [c for c in frame.columns if c not in META_COLUMNS]
    bad = {c: msg for c in params if (msg := check_path(c, numeric=True))}
    problems = [f"column {c!r}: {msg}" for c, msg in bad.items()]
    if not params:
        problems.append("no parameter columns (dotted scenario paths)")
    if not len(frame):
        problems.append("no parameter sets (rows)")
    for c in (c for c in params if c not in bad):
        if frame[c].isna().any():
            problems.append(f"column {c!r}: missing value in row {int(frame[c].isna().idxmax())}")
        elif frame[c].dtype.kind not in "iuf":
            problems.append(f"column {c!r}: values must be numbers")
    if problems:
        raise EnsembleError(f"ensemble {path} is not valid: " + "; ".join(dict.fromkeys(problems)))
    return [{c: coerce(c, row[c].item() if hasattr(row[c], "item") else row[c]) for c in params}
            for _, row in frame.iterrows()]


def check_ensemble(sets: list[dict[str, Any]], source: str, label: str) -> None:
    """Every set must give a valid scenario ``source``; the first bad value is an
    :class:`EnsembleError` naming the row, the key and the schema's limit."""
    from pydantic import ValidationError

    from circsim.scenario import Scenario, load_scenario
    from circsim.scenario.loader import apply_overrides

    base = load_scenario(source).model_dump()
    for i, values in enumerate(sets):
        try:
            Scenario.model_validate(apply_overrides(copy.deepcopy(base), values, label=label))
        except ValidationError as err:
            first = err.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise EnsembleError(f"ensemble {label}, row {i}: {where}: {first['msg']} "
                                f"(got {first.get('input')!r})") from None


def describe(path: str | Path | None, n_sets: int | None) -> str:
    """What a comparison's confidence intervals show, in the manifest's words."""
    if path is None:
        return "stochastic"
    return f"stochastic and parameter (ensemble {path}, {n_sets} sets)"


def sentence(uncertainty: str | None) -> str:
    """One sentence for a reader: which uncertainty the confidence intervals carry."""
    if not uncertainty or uncertainty == "stochastic":
        return ("Confidence intervals show stochastic uncertainty only (replicates with "
                "different random streams, one point estimate of every parameter).")
    detail = uncertainty.removeprefix("stochastic and parameter").strip(" ()")
    return ("Confidence intervals combine stochastic and parameter uncertainty: replicate r "
            f"of every scenario uses parameter set r mod N of a calibrated ensemble ({detail}).")
