"""Plausible ranges of uncertain parameters: the scenario's ``uncertainty:`` section.

Each entry maps a dotted parameter path to ``[low, high]``: where the parameter's true
value plausibly lies according to its sources (or a stated assumption). The bundled
sensitivity experiment sweeps exactly these ranges. A range must name a numeric
parameter (not a run setting), keep ``low <= high`` inside the schema's own bounds, and
contain the scenario's value, unless that value was set by an override (a what-if run
may leave the plausible range on purpose).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from typing import Any

import annotated_types as at
from pydantic import BaseModel

from .schema import OWN_WORDS, Scenario

#: Top-level numbers that set up a run rather than describe the world.
RUN_SETTINGS = ("months", "scale", "seed", "start_year", "warmup_months")
#: Top-level sections that hold no parameters.
NOT_PARAMETERS = ("name", *OWN_WORDS, "sources", "uncertainty")


def numeric_parameters(scenario: Scenario) -> dict[str, float]:
    """Every numeric parameter of a scenario by dotted path, lever parameters included."""
    data = scenario.model_dump()
    for key in (*RUN_SETTINGS, *NOT_PARAMETERS):
        data.pop(key, None)
    return dict(_numeric_leaves(data, ""))


def _numeric_leaves(tree: Mapping[str, Any], prefix: str) -> Iterator[tuple[str, float]]:
    for key, value in tree.items():
        path = f"{prefix}{key}"
        if isinstance(value, Mapping):
            yield from _numeric_leaves(value, path + ".")
        elif isinstance(value, int | float) and not isinstance(value, bool):
            yield path, value


def schema_bounds(path: str) -> tuple[float, float]:
    """The closed bounds the schema allows for a numeric parameter (strict ones included).

    Entries of a mapping without a model (``firms.size_shares.small``) are unbounded.
    """
    model: type[BaseModel] | None = Scenario
    info = None
    for part in path.split("."):
        if model is None or part not in model.model_fields:
            return -math.inf, math.inf
        info = model.model_fields[part]
        annotation = info.annotation
        model = (annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel)
                 else None)
    low, high = -math.inf, math.inf
    for rule in info.metadata if info is not None else ():
        if isinstance(rule, at.Ge | at.Gt):
            low = float(getattr(rule, "ge", None) or getattr(rule, "gt", None) or 0.0)
        if isinstance(rule, at.Le | at.Lt):
            high = float(getattr(rule, "le", None) or getattr(rule, "lt", None) or 0.0)
    return low, high


def _overridden(path: str, overridden: frozenset[str]) -> bool:
    """Whether an override set ``path`` itself or a section that holds it."""
    return any(path == key or path.startswith(key + ".") for key in overridden)


def uncertainty_problems(scenario: Scenario, overridden: frozenset[str] = frozenset()
                         ) -> list[tuple[str, str]]:
    """``(path, problem)`` for each invalid entry of ``scenario.uncertainty``.

    ``overridden`` names parameters set by overrides: their value need not lie in range.
    """
    values = numeric_parameters(scenario)
    problems = []
    for path, (low, high) in scenario.uncertainty.items():
        if path not in values:
            kind = "a run setting" if path in RUN_SETTINGS else "not a numeric parameter"
            problems.append((path, f"{kind}; a range needs a numeric parameter such as "
                                   "'firms.unsold_share'"))
            continue
        floor, ceiling = schema_bounds(path)
        value = values[path]
        if low > high:
            problems.append((path, f"low ({low:g}) must not exceed high ({high:g})"))
        elif low < floor or high > ceiling:
            problems.append((path, f"[{low:g}, {high:g}] leaves the allowed range "
                                   f"[{floor:g}, {ceiling:g}]"))
        elif not _overridden(path, overridden) and not low <= value <= high:
            problems.append((path, f"the value {value:g} lies outside its range "
                                   f"[{low:g}, {high:g}]"))
    return problems
