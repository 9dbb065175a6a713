"""The experiment language: which scenarios, how many replicates, and one design.

An experiment names the scenarios to run (the first is the reference), the
replicates of each, the experiment's seed, the horizon and scale, fixed
``overrides`` and the metrics to keep, plus at most one design over dotted
paths into a scenario (policy *levers* and uncertain *parameters* alike):

- ``grid``: values per path, full factorial;
- ``sample``: a Latin hypercube of ``n`` points over ranges;
- ``sensitivity``: a Sobol or Morris design over ranges (indices via SALib).

Ranges are given path by path, or as ``ranges: uncertainty``: the plausible ranges the
reference (first) scenario declares in its ``uncertainty:`` section.

Reading files is :mod:`circsim.experiments.files`; paths are checked against the
scenario schema by :mod:`circsim.experiments.paths`.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    PrivateAttr,
    WrapValidator,
    field_validator,
    model_validator,
)

from circsim.scenario import ScenarioError, load_scenario
from circsim.scenario.limits import EXPERIMENT_RUNS
from circsim.scenario.retired import RETIRED, Retired, retire_dotted
from circsim.scenario.schema import plain_text
from circsim.scenario.yamlio import dotted

from .paths import check_path


class ExperimentError(ScenarioError):
    """An experiment file or definition that cannot be run; one line per problem."""

    def __init__(self, source: str, problems: Iterable[str], *, heading: str | None = None):
        super().__init__(source, problems, heading=heading or f"Experiment {source} is not valid:")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, allow_inf_nan=False)


Range = Annotated[list[float], Field(min_length=2, max_length=2)]
#: ``ranges: uncertainty``: the reference scenario's declared plausible ranges.
DECLARED = "uncertainty"


def _declared_or_explicit(value: Any, handler: Any) -> Any:
    """``uncertainty`` stands for the declared ranges; anything else is ranges by path."""
    if value == DECLARED:
        return value
    if isinstance(value, str):
        raise ValueError(f"expected ranges by path or {DECLARED!r} (the scenario's declared "
                         f"ranges), got {value!r}")
    return handler(value)


#: Ranges by dotted path, or the string ``"uncertainty"`` (kept as is).
Ranges = Annotated[dict[str, Range], Field(min_length=1), WrapValidator(_declared_or_explicit),
                   PlainSerializer(lambda value: value)]


class SampleDesign(Strict):
    """A Latin hypercube of ``n`` points, uniform over each path's [low, high]."""

    n: int = Field(ge=1, le=1_000_000)
    ranges: Ranges


class SensitivityDesign(Strict):
    """Sobol (first-order and total indices) or Morris (mu*, sigma) over ranges.

    Sobol runs ``n * (k + 2)`` points for ``k`` ranges (``n`` a power of two);
    Morris runs ``n * (k + 1)`` points (``n`` trajectories on ``levels`` levels).
    """

    method: Literal["sobol", "morris"]
    n: int = Field(ge=2, le=1_000_000)
    ranges: Ranges
    levels: int = Field(default=4, ge=2, le=100)


class Experiment(Strict):
    """A validated experiment. Build one in Python or load it with :func:`load_experiment`."""

    name: str = Field(min_length=1, max_length=80)
    description: str = ""
    scenarios: list[str] = Field(min_length=1)
    replicates: int = Field(default=1, ge=1, le=100_000)
    seed: int = Field(default=42, ge=0, le=2**63 - 1)
    months: int | None = Field(default=None, ge=1, le=1200)
    scale: float | None = Field(default=None, gt=0, le=1)
    common_random_numbers: bool = True
    overrides: dict[str, Any] = {}
    metrics: list[str] | None = None
    monthly_metrics: list[str] | None = None
    grid: dict[str, Annotated[list[Any], Field(min_length=1)]] | None = None
    sample: SampleDesign | None = None
    sensitivity: SensitivityDesign | None = None
    #: Refuse a design of more runs than this (a typo in a grid can ask for millions).
    max_runs: int = Field(default=EXPERIMENT_RUNS, ge=1, le=10**9)
    #: an ensemble CSV of parameter sets: replicate r runs with set r mod N (see
    #: :mod:`circsim.experiments.ensemble`)
    ensemble: str | None = None

    _source: Path | None = PrivateAttr(default=None)
    _declared: dict[str, list[float]] | None = PrivateAttr(default=None)

    @model_validator(mode="before")
    @classmethod
    def _retired_paths(cls, data: Any) -> Any:
        """Retired scenario keys in overrides, grid and ranges: translated, with a warning."""
        if not RETIRED or not isinstance(data, dict):
            return data
        label = str(data.get("name", "experiment"))
        return retire_paths(data, label, lambda key: label)

    @field_validator("name")
    @classmethod
    def _plain_name(cls, v: str) -> str:
        return plain_text(v)

    @field_validator("grid")
    @classmethod
    def _finite_grid(cls, grid: dict[str, list[Any]] | None) -> dict[str, list[Any]] | None:
        for path, values in (grid or {}).items():
            bad = [v for v in values if isinstance(v, float) and not math.isfinite(v)]
            if bad:
                raise ValueError(f"{path}: every value must be a finite number, got {bad[0]!r}")
        return grid

    @model_validator(mode="after")
    def _one_design(self) -> Experiment:
        given = [k for k in ("grid", "sample", "sensitivity") if getattr(self, k) is not None]
        if len(given) > 1:
            raise ValueError(f"give at most one design, not {' and '.join(given)}")
        design = self.sample or self.sensitivity
        explicit = design.ranges if design is not None and design.ranges != DECLARED else {}
        for path, (low, high) in explicit.items():
            if not low < high:
                raise ValueError(f"range of {path}: low ({low:g}) must be below high ({high:g})")
        return self

    @property
    def design(self) -> str | None:
        """``"grid"``, ``"sample"``, ``"sensitivity"`` or None (replicates only)."""
        return next((k for k in ("grid", "sample", "sensitivity") if getattr(self, k)), None)

    @property
    def ranges(self) -> dict[str, list[float]]:
        """The ranges of a sample or sensitivity design (empty otherwise).

        With ``ranges: uncertainty``, those the reference scenario declares (loaded once).
        """
        design = self.sample or self.sensitivity
        if design is None:
            return {}
        if design.ranges != DECLARED:
            return dict(design.ranges)
        if self._declared is None:
            fixed = {k: v for k, v in self.base_overrides.items()
                     if k in ("months", "scale") or check_path(k) is None}
            scenario = load_scenario(self.scenarios[0], fixed, override_label=self.name)
            self._declared = {path: list(bounds)
                              for path, bounds in scenario.uncertainty.items()}
        return dict(self._declared)

    @property
    def source(self) -> Path | None:
        """The file this experiment was loaded from, if any."""
        return self._source

    @property
    def base_overrides(self) -> dict[str, Any]:
        """Overrides applied to every run: ``months``, ``scale`` and ``overrides``."""
        fixed: dict[str, Any] = {}
        if self.months is not None:
            fixed["months"] = self.months
        if self.scale is not None:
            fixed["scale"] = self.scale
        return {**fixed, **self.overrides}

    def check(self) -> Experiment:
        """Check paths, metric names and scenarios; raise :class:`ExperimentError`."""
        problems = [msg if key is None else f"{dotted(key)}: {msg}"
                    for key, msg in semantic_problems(self, self.name)]
        if problems:
            raise ExperimentError(self.name, problems)
        return self


# -- checks beyond the schema -------------------------------------------------------------


def run_count(exp: Experiment, k: int) -> int:
    """How many runs ``exp`` asks for, with ``k`` ranges, computed without building them."""
    if exp.grid:
        points = math.prod(len(values) for values in exp.grid.values())
    elif exp.sample is not None:
        points = exp.sample.n
    elif exp.sensitivity is not None:
        s = exp.sensitivity
        points = s.n * (k + 2) if s.method == "sobol" else s.n * (k + 1)
    else:
        points = 1
    return len(exp.scenarios) * points * exp.replicates


def size_problem(exp: Experiment, k: int) -> str | None:
    """A message if the experiment asks for more runs than ``max_runs``, else None."""
    runs = run_count(exp, k)
    if runs <= exp.max_runs:
        return None
    return (f"the experiment asks for {runs:,} runs (scenarios x design points x "
            f"replicates); the limit is {exp.max_runs:,}: make the design smaller, or set "
            f"`max_runs:` in the experiment file to raise it")

KeyPath = tuple[str, ...]
#: A problem at a key of the experiment, or (None, message) when already located.
Problem = tuple[KeyPath | None, str]


def metric_catalog() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Names of the summary metrics and of the monthly metrics, from the outcome table."""
    from circsim.outcomes import monthly_names, summary_names

    from .runner import DESCRIPTORS

    return (*summary_names(), *DESCRIPTORS, "seed", "runtime_s"), monthly_names()


def retire_paths(data: Mapping[str, Any], label: str, where: Any) -> dict[str, Any]:
    """Experiment data whose retired scenario paths are replaced by their successors.

    Overrides take the translated value; a grid translates each of its values and a
    range both of its ends. A path with no successor is dropped (from a design too:
    it has no effect to sweep). ``where(key path)`` names the place for the warning.
    """
    out = dict(data)
    for section, convert in ((("overrides",), None), (("grid",), _each),
                             (("sample", "ranges"), _bounds), (("sensitivity", "ranges"), _bounds)):
        parent = out
        for part in section[:-1]:
            parent = parent.get(part) if isinstance(parent.get(part), dict) else {}
        mapping = parent.get(section[-1])
        if not isinstance(mapping, dict):
            continue
        try:
            translated = retire_dotted(mapping, label,
                                       lambda key, s=section: where((*s, str(key))), convert)
        except ScenarioError as err:
            raise ExperimentError(label, err.problems) from None
        if len(section) > 1:
            out[section[0]] = parent = dict(parent)
        parent[section[-1]] = translated
    return out


def _each(retired: Retired, values: Any) -> Any:
    return [retired.value(v) for v in values] if isinstance(values, list) else values


def _bounds(retired: Retired, bounds: Any) -> Any:
    return sorted(retired.value(b) for b in bounds) if isinstance(bounds, list) else bounds


def path_problems(data: Mapping[str, Any]) -> list[Problem]:
    """Unknown or unusable dotted paths in (possibly not yet valid) experiment data."""
    problems: list[Problem] = []
    overrides = data.get("overrides")
    overrides = overrides if isinstance(overrides, dict) else {}
    for path in overrides:
        if path not in ("months", "scale") and (msg := check_path(str(path))):
            problems.append((("overrides", str(path)), msg))
        elif path in ("months", "scale") and data.get(path) is not None:
            problems.append((("overrides", path), f"given twice: also as `{path}:`"))
    sections: list[tuple[KeyPath, Any, bool]] = [(("grid",), data.get("grid"), False)]
    for design in ("sample", "sensitivity"):
        body = data.get(design)
        if isinstance(body, dict):
            sections.append(((design, "ranges"), body.get("ranges"), True))
    for where, mapping, numeric in sections:
        for path in mapping if isinstance(mapping, dict) else ():
            if msg := check_path(str(path), numeric=numeric):
                problems.append(((*where, str(path)), msg))
            elif path in overrides:
                problems.append(((*where, str(path)),
                                 "also set in `overrides`; give it in one place"))
    return problems


def semantic_problems(exp: Experiment, label: str) -> list[Problem]:
    """Problems the schema cannot see: unknown paths and metrics, scenarios that fail."""
    problems = path_problems(exp.model_dump())
    if exp.sensitivity and exp.sensitivity.method == "sobol":
        n = exp.sensitivity.n
        if n & (n - 1):
            lower = 1 << (n.bit_length() - 1)
            problems.append((("sensitivity", "n"), f"Sobol needs a power of two, got {n}; "
                             f"try {lower} or {lower * 2}"))
    summary, monthly = metric_catalog()
    for key, names, valid in (("metrics", exp.metrics, summary),
                              ("monthly_metrics", exp.monthly_metrics, monthly)):
        for i, name in enumerate(names or ()):
            if name not in valid:
                match = difflib.get_close_matches(name, valid, n=1, cutoff=0.6)
                hint = f"; did you mean '{match[0]}'?" if match else ""
                problems.append(((key, str(i)), f"unknown metric {name!r}{hint}"))
    scenario_problems = _scenario_problems(exp, label)
    problems.extend(scenario_problems)
    if exp.ensemble is not None and not scenario_problems:
        problems.extend(_ensemble_problems(exp))
    design = exp.sample or exp.sensitivity
    declared = design is not None and design.ranges == DECLARED
    # checked before any design is built (declared ranges need the scenario to load)
    too_many = None if declared and scenario_problems else size_problem(exp, len(exp.ranges))
    if too_many:
        problems.append(((exp.design or "replicates",), too_many))
    if declared and not scenario_problems:
        if not exp.ranges:
            problems.append(((exp.design, "ranges"), f"{exp.scenarios[0]} declares no "
                             "`uncertainty:` ranges to sweep; give the ranges here"))
        for path in exp.ranges.keys() & exp.overrides.keys():
            problems.append((("overrides", path), "fixed here but swept by `ranges: "
                             "uncertainty`; remove it from one of them"))
    return problems


def _ensemble_problems(exp: Experiment) -> list[Problem]:
    """An ensemble's sets must be valid in every scenario and not clash with the design."""
    from .ensemble import check_ensemble, read_ensemble

    sets = read_ensemble(exp.ensemble)  # type: ignore[arg-type]
    columns = set(sets[0])
    problems: list[Problem] = []
    designed = {*exp.overrides, *(exp.grid or {})} | (set(exp.ranges) if exp.design in
                                                      ("sample", "sensitivity") else set())
    for path in sorted(columns & designed):
        problems.append((("ensemble",), f"{path} is both in the ensemble and set or swept by "
                         "the experiment; give it in one place"))
    fixed = {k: v for k, v in exp.base_overrides.items() if k in ("months", "scale")}
    for source in exp.scenarios:
        scenario_sets = [{**fixed, **s} for s in sets]
        check_ensemble(scenario_sets, source, str(exp.ensemble))
    return problems


def _scenario_problems(exp: Experiment, label: str) -> list[Problem]:
    """Each scenario must load with the fixed overrides; names must differ."""
    problems: list[Problem] = []
    names: dict[str, int] = {}
    fixed = {k: v for k, v in exp.base_overrides.items()
             if k in ("months", "scale") or check_path(k) is None}
    for i, source in enumerate(exp.scenarios):
        try:
            scenario = load_scenario(source, fixed, override_label=label)
        except ScenarioError as err:
            problems.extend((None, p) for p in err.problems)
            continue
        if scenario.name in names:
            problems.append((("scenarios", str(i)), f"two scenarios are named {scenario.name!r} "
                             f"(entries {names[scenario.name]} and {i}); names must differ"))
        names[scenario.name] = i
    return problems
