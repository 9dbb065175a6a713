"""The ``search:`` section of an experiment file: levers, objectives, constraints, size.

A search experiment is an ordinary experiment (one scenario, its horizon, scale, seed,
replicates and fixed overrides) plus a ``search:`` section::

    search:
      levers:                       # dotted scenario paths with [low, high]
        policies.collection.bins_per_10k_residents: [3, 9]
      objectives:                   # metric: min or max (minimise / maximise)
        residual_waste_t: min
        net_public_cost_eur: min
      constraints:                  # "metric <= value" or "metric >= value", on the mean
        - net_public_cost_eur <= 4000000
      population: 12
      generations: 4

``replicates`` (top level) is the number of runs per evaluated candidate; every candidate
runs on the same replicate seeds (common random numbers, :mod:`circsim.seeds`). ``seed``
(top level) seeds the runs and the optimiser, so the whole search is reproducible.

The section is read here (not by :mod:`circsim.experiments`): the rest of the file is
validated as an :class:`~circsim.experiments.Experiment`, and every problem is reported
as ``file:line: key: what was expected``.
"""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from circsim.experiments import Experiment, ExperimentError
from circsim.experiments.files import _describe, _near, read_experiment_file
from circsim.experiments.paths import check_path
from circsim.experiments.spec import metric_catalog, retire_paths, semantic_problems
from circsim.scenario.yamlio import dotted

_DIRECTIONS = {"min": "min", "minimise": "min", "minimize": "min",
               "max": "max", "maximise": "max", "maximize": "max"}
_CONSTRAINT = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(<=|>=)\s*([-+0-9.eE_]+)\s*$")


def _direction(value: Any) -> Any:
    if isinstance(value, str) and value.lower() in _DIRECTIONS:
        return _DIRECTIONS[value.lower()]
    raise ValueError(f"expected min or max (minimise / maximise), got {value!r}")


def _constraint(value: Any) -> Any:
    if not isinstance(value, str) or not _CONSTRAINT.match(value):
        raise ValueError(f"expected 'metric <= number' or 'metric >= number', got {value!r}")
    return value


Direction = Annotated[Literal["min", "max"], BeforeValidator(_direction)]
ConstraintText = Annotated[str, BeforeValidator(_constraint)]
Range = Annotated[list[float], Field(min_length=2, max_length=2)]


@dataclass(frozen=True)
class Constraint:
    """``metric <= bound`` or ``metric >= bound``, on the mean over replicates."""

    metric: str
    op: str
    bound: float

    @classmethod
    def parse(cls, text: str) -> Constraint:
        m = _CONSTRAINT.match(text)
        assert m is not None  # checked by the schema
        return cls(m.group(1), m.group(2), float(m.group(3).replace("_", "")))

    def violation(self, value: float) -> float:
        """How far ``value`` is beyond the bound (0 or less when satisfied)."""
        return value - self.bound if self.op == "<=" else self.bound - value

    def __str__(self) -> str:
        return f"{self.metric} {self.op} {self.bound:,.0f}"


class SearchSpec(BaseModel):
    """A validated ``search:`` section."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    levers: dict[str, Range] = Field(min_length=1)
    objectives: dict[str, Direction] = Field(min_length=1, max_length=4)
    constraints: list[ConstraintText] = []
    population: int = Field(default=12, ge=2, le=1000)
    generations: int = Field(default=4, ge=1, le=1000)

    @property
    def parsed_constraints(self) -> list[Constraint]:
        return [Constraint.parse(c) for c in self.constraints]

    @property
    def metrics(self) -> list[str]:
        """Every metric the search needs: objectives, then constraint metrics."""
        names = [*self.objectives, *(c.metric for c in self.parsed_constraints)]
        return list(dict.fromkeys(names))


@dataclass(frozen=True)
class SearchExperiment:
    """A search: the experiment it runs on and its ``search:`` section."""

    experiment: Experiment
    search: SearchSpec

    @property
    def name(self) -> str:
        return self.experiment.name


def search_problems(search: SearchSpec, exp: Experiment) -> list[tuple[tuple[str, ...], str]]:
    """Problems the schema cannot see: lever paths, ranges, metric names, the design."""
    problems: list[tuple[tuple[str, ...], str]] = []
    for path, (low, high) in search.levers.items():
        where = ("search", "levers", path)
        if msg := check_path(path, numeric=True):
            problems.append((where, msg))
        elif not low < high:
            problems.append((where, f"low ({low:g}) must be below high ({high:g})"))
        elif path in exp.overrides:
            problems.append((where, "also set in `overrides`; give it in one place"))
    summary, _ = metric_catalog()
    for name in search.objectives:
        if name not in summary:
            problems.append((("search", "objectives", name), f"unknown metric {name!r}"))
    for i, c in enumerate(search.parsed_constraints):
        if c.metric not in summary:
            problems.append((("search", "constraints", str(i)), f"unknown metric {c.metric!r}"))
    if len(exp.scenarios) != 1:
        problems.append((("scenarios",), "a search varies the levers of one scenario; "
                         f"give one, not {len(exp.scenarios)}"))
    if exp.design is not None:
        problems.append(((exp.design,), "a search chooses its own points; remove the design"))
    if not exp.common_random_numbers:
        problems.append((("common_random_numbers",), "a search evaluates every candidate on "
                         "the same replicate seeds; remove `common_random_numbers: false`"))
    return problems


def load_search(source: str | os.PathLike[str],
                overrides: dict[str, Any] | None = None) -> SearchExperiment:
    """Read and check a search experiment (a bundled name or a path).

    ``overrides`` replaces top-level keys (``{"scale": 0.005}``) and, under ``search``,
    keys of the search section (``{"search": {"generations": 2}}``).
    """
    path, label, data, lines = read_experiment_file(source)

    def where(key: tuple[str, ...]) -> str:
        while key:
            if key in lines:
                return f"{label}:{lines[key]}"
            key = key[:-1]
        return label

    over = dict(overrides or {})
    section = data.pop("search", None)
    if section is None:
        raise ExperimentError(label, [f"{label}: search: required section is missing (levers, "
                                      "objectives, constraints, population, generations)"])
    if isinstance(section, dict):
        section = {**section, **over.pop("search", {})}
    data.update(over)
    if isinstance(data.get("scenarios"), list):
        data["scenarios"] = [_near(s, path.parent) for s in data["scenarios"]]
    data = retire_paths(data, label, where)
    problems: list[str] = []
    exp = search = None
    try:
        exp = Experiment.model_validate(data)
    except ValidationError as err:
        problems += [_describe(e, where) for e in err.errors()]
    try:
        search = SearchSpec.model_validate(section)
    except ValidationError as err:
        problems += [_describe_search(e, where) for e in err.errors()]
    if exp is not None and search is not None:
        found = [*semantic_problems(exp, label), *search_problems(search, exp)]
        problems += [msg if key is None else f"{where(key)}: {dotted(key)}: {msg}"
                     for key, msg in found]
    if problems:
        raise ExperimentError(label, problems)
    assert exp is not None and search is not None
    exp._source = path.resolve()
    return SearchExperiment(exp, search)


def _describe_search(error: Any, where: Any) -> str:
    """One ``file:line: search.key: problem`` line for a pydantic error in the section."""
    loc = ("search", *(str(p) for p in error.get("loc", ())))
    if error.get("type") == "extra_forbidden" and len(loc) == 2:
        valid = list(SearchSpec.model_fields)
        match = difflib.get_close_matches(loc[-1], valid, n=1, cutoff=0.6)
        hint = f"; did you mean '{match[0]}'?" if match else ""
        return f"{where(loc)}: {dotted(loc)}: unknown key{hint} (valid keys: {', '.join(valid)})"
    return _describe({**error, "loc": loc}, where)
