"""From an experiment to its runs: design points, run ids and each run's seed.

Run ids are positions in the design: ``run_id = (scenario * points + point) *
replicates + replicate``. Each run's seed depends only on the experiment's seed
and that position, never on which worker runs it or in which order (the rule of
every command, in :mod:`circsim.seeds`):

- common random numbers (the default): ``SeedSequence(seed, spawn_key=(r,))`` for
  replicate ``r``, whatever the scenario or design point, so that every scenario
  and point is compared on the same random streams (paired differences);
- otherwise: ``SeedSequence(seed, spawn_key=(point, r))``; scenarios still share
  their streams at the same point.

Sampled designs (Latin hypercube, Sobol, Morris) draw from
``SeedSequence(seed, spawn_key=(DESIGN_STREAM,))``, a stream no replicate can reach.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from circsim.seeds import design_rng, run_seed

from .paths import coerce, fingerprint
from .spec import Experiment


@dataclass(frozen=True)
class RunSpec:
    """One run to do: what to load, with which overrides and seed. Picklable and small."""

    run_id: int
    scenario: str                 # the scenario's name (a column of the results)
    source: str                   # what load_scenario() is given: bundled name or path
    point: int
    replicate: int
    seed: int
    spawn_key: tuple[int, ...]
    params: tuple[tuple[str, Any], ...] = ()          # the design point's values
    overrides: dict[str, Any] = field(default_factory=dict)   # fixed + design point
    metrics: tuple[str, ...] | None = None
    monthly_metrics: tuple[str, ...] = ()
    fingerprint: str = ""         # hash of the scenario's files: workers cache by it
    ensemble_set: int | None = None   # the row of the experiment's ensemble this run uses


def problem(exp: Experiment) -> dict[str, Any]:
    """The SALib problem of a sample or sensitivity design."""
    ranges = exp.ranges
    return {"num_vars": len(ranges), "names": list(ranges),
            "bounds": [list(map(float, b)) for b in ranges.values()]}


def design_matrix(exp: Experiment) -> np.ndarray | None:
    """The raw sampled points (rows) of a sample or sensitivity design, else None."""
    if exp.sample is not None:
        from SALib.sample import latin

        return latin.sample(problem(exp), exp.sample.n, seed=design_rng(exp.seed))
    if exp.sensitivity is not None:
        s = exp.sensitivity
        if s.method == "sobol":
            from SALib.sample import sobol

            return sobol.sample(problem(exp), s.n, calc_second_order=False,
                                seed=design_rng(exp.seed))
        from SALib.sample import morris

        return morris.sample(problem(exp), s.n, num_levels=s.levels, seed=design_rng(exp.seed))
    return None


def points(exp: Experiment) -> list[dict[str, Any]]:
    """The design points: one mapping of dotted path -> value each (one empty point if none)."""
    if exp.grid:
        paths = list(exp.grid)
        levels = [[coerce(p, v) for v in exp.grid[p]] for p in paths]
        return [dict(zip(paths, combo, strict=True)) for combo in itertools.product(*levels)]
    matrix = design_matrix(exp)
    if matrix is None:
        return [{}]
    paths = list(exp.ranges)
    return [{p: coerce(p, float(x)) for p, x in zip(paths, row, strict=True)} for row in matrix]


def plan(exp: Experiment) -> list[RunSpec]:
    """Every run of the experiment, in run-id order."""
    from circsim.scenario import load_scenario

    pts = points(exp)
    fixed = exp.base_overrides
    names = [load_scenario(s, {k: v for k, v in fixed.items() if k in ("months", "scale")}).name
             for s in exp.scenarios]
    prints = [fingerprint(s) for s in exp.scenarios]
    metrics = tuple(exp.metrics) if exp.metrics is not None else None
    monthly = tuple(exp.monthly_metrics) if exp.monthly_metrics is not None \
        else default_monthly_metrics()
    sets = ensemble_sets(exp)
    runs = []
    for (s, source), (p, point) in itertools.product(enumerate(exp.scenarios), enumerate(pts)):
        for r in range(exp.replicates):
            key = (r,) if exp.common_random_numbers else (p, r)
            chosen = r % len(sets) if sets else None
            runs.append(RunSpec(
                run_id=(s * len(pts) + p) * exp.replicates + r, scenario=names[s],
                source=source, point=p, replicate=r, seed=run_seed(exp.seed, key),
                spawn_key=key, params=tuple((k, _cell(v)) for k, v in point.items()),
                overrides={**fixed, **(sets[chosen] if sets else {}), **point},
                metrics=metrics, monthly_metrics=monthly, fingerprint=prints[s],
                ensemble_set=chosen))
    return runs


def ensemble_sets(exp: Experiment) -> list[dict[str, Any]]:
    """The experiment's ensemble of parameter sets (empty without one)."""
    if exp.ensemble is None:
        return []
    from .ensemble import read_ensemble

    return read_ensemble(exp.ensemble)


def default_monthly_metrics() -> tuple[str, ...]:
    """Headline outcomes that also exist month by month (kept for time-series bands)."""
    from circsim.outcomes import headline

    return tuple(o.name for o in headline() if o.is_monthly and o.group != "check")


def _cell(value: Any) -> Any:
    """A parameter value as a table cell: scalars as they are, anything else as JSON text."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return json.dumps(value, sort_keys=True)
