"""Lever-package search: the Pareto front of chosen outcomes under constraints (NSGA-II).

    from circsim.analysis.search import search
    result = search("milan_search", "results/milan_search", jobs=2)
    result.evaluations      # every candidate: levers, objective means and CIs, feasible
    result.pareto           # the non-dominated feasible candidates
    result.packages         # three named packages picked from the front

The optimiser is optuna's NSGA-II sampler (ask and tell). Each generation's candidates
are asked for together and their runs (``replicates`` each) go through the experiment
runner, so ``jobs`` works as in sweeps. Every candidate runs on the same replicate seeds
(common random numbers, :func:`circsim.seeds.run_seed` with key ``(replicate,)``); the
sampler's seed comes from the experiment's seed on the design stream
(:func:`circsim.seeds.design_rng`), so a search is reproducible from its seed.

Runs are saved one file each in ``OUT/parts`` (:class:`circsim.experiments.store.Store`,
the layout of a sweep's folder), run id ``candidate * replicates + replicate``; at the end
``runs.parquet`` and ``manifest.json`` are written as for a sweep, so ``circsim report``
reads a search folder too. ``resume`` replays the optimiser from its
seed: the candidates it proposes are the same, those whose runs are saved are read back,
and only the missing runs are run. A replayed candidate whose saved lever values differ
(another optuna version, say) stops the resume with an error rather than mixing searches.

The scenario's own lever settings (clipped into the ranges) are the first candidate, so
the front can be read against the package as designed. A candidate the optimiser proposes
again (a child equal to a parent) is not run again: on the same seeds its runs would be
the same; its row says ``same_as`` that candidate.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from circsim.experiments import manifest as manifest_mod
from circsim.experiments.design import RunSpec
from circsim.experiments.paths import coerce, fingerprint
from circsim.experiments.runner import execute_all, resolve_jobs
from circsim.experiments.stats import t_interval
from circsim.experiments.store import Store, _atomic_write
from circsim.scenario import CircsimError, load_scenario
from circsim.seeds import design_rng, run_seed

from .pareto import pareto_mask, pick_packages
from .search_spec import SearchExperiment, load_search


@dataclass
class SearchResult:
    """What a search found: every evaluation, the front, the packages, where it is saved."""

    spec: SearchExperiment
    evaluations: pd.DataFrame
    pareto: pd.DataFrame
    packages: list[dict[str, Any]]
    out: Path | None = None
    ran: int = 0                       # runs executed by this call (not resumed)
    files: dict[str, Path] = field(default_factory=dict)


def search(experiment: SearchExperiment | str | os.PathLike[str],
           out: str | os.PathLike[str] | None = None, *, jobs: int | None = 1,
           resume: bool = False, progress: bool | None = None,
           overrides: dict[str, Any] | None = None, reports: bool = True) -> SearchResult:
    """Run (or resume) a lever-package search and write its tables and figure to ``out``.

    ``experiment`` is a :class:`SearchExperiment` or a bundled name / YAML path, read
    with ``overrides`` (see :func:`~circsim.analysis.search_spec.load_search`).
    ``out=None``: ``results/<experiment name>``.
    """
    spec = experiment if isinstance(experiment, SearchExperiment) \
        else load_search(experiment, overrides)
    folder = Path(out) if out is not None else Path("results") / spec.name
    store = Store(folder)
    store.open(_identity(spec), _spec_dict(spec), resume)
    jobs = resolve_jobs(jobs)
    t0 = time.perf_counter()
    evaluations, planned, ran = _optimise(spec, store, jobs, progress)
    store.collect()
    info = manifest_mod.build(spec.experiment, planned, ok=len(store.done_ids()),
                              failed=len(store.failed_ids()), backend="loky", jobs=jobs,
                              scheduler=None, wall_s=time.perf_counter() - t0)
    save_json(folder / "manifest.json", info)
    evaluations = mark_front(evaluations, spec)
    front = evaluations[evaluations["pareto"]].reset_index(drop=True)
    packages = pick_packages(front, evaluations, spec)
    result = SearchResult(spec, evaluations, front, packages, folder, ran)
    if reports:
        from .search_outputs import write_outputs

        result.files = write_outputs(result)
    return result


# -- the optimiser loop ---------------------------------------------------------------------

def _optimise(spec: SearchExperiment, store: Store, jobs: int,
              progress: bool | None) -> tuple[pd.DataFrame, list[RunSpec], int]:
    """Every generation: ask, run what is not saved, tell.

    Returns the evaluations, every run of the search and how many were run by this call.
    """
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    s, exp = spec.search, spec.experiment
    study = optuna.create_study(
        directions=["minimize" if d == "min" else "maximize" for d in s.objectives.values()],
        sampler=optuna.samplers.NSGAIISampler(
            population_size=s.population, seed=sampler_seed(exp.seed)))
    dists = {p: optuna.distributions.FloatDistribution(float(lo), float(hi))
             for p, (lo, hi) in s.levers.items()}
    study.enqueue_trial(designed_levers(spec))
    base = _base_spec(spec)
    rows, planned, ran = [], [], 0
    seen: dict[tuple, int] = {}        # lever values -> the candidate whose runs hold them
    for generation in range(s.generations):
        trials = [study.ask(dists) for _ in range(s.population)]
        source = {t.number: seen.setdefault(_key(t.params), t.number) for t in trials}
        specs = [_run_spec(base, spec, t.number, r, t.params)
                 for t in trials if source[t.number] == t.number
                 for r in range(exp.replicates)]
        planned += specs
        done = store.done_ids()
        _check_replay(store, [x for x in specs if x.run_id in done])
        todo = [x for x in specs if x.run_id not in done]
        execute_all(todo, store.write, jobs, progress=progress,
                    desc=f"{spec.name} generation {generation + 1}/{s.generations}")
        ran += len(todo)
        runs = store.runs()
        for trial in trials:
            mine = runs[runs["point"] == source[trial.number]] if len(runs) else runs
            row = evaluate(spec, trial.number, generation, mine)
            row["same_as"] = source[trial.number] if source[trial.number] != trial.number \
                else pd.NA
            rows.append(row)
            if row["n_ok"] == 0:
                study.tell(trial, state=optuna.trial.TrialState.FAIL)
                continue
            for c in s.parsed_constraints:     # NSGA-II ranks feasible candidates first
                trial.set_constraint(str(c), c.violation(row[f"{c.metric}_mean"]))
            study.tell(trial, [row[f"{m}_mean"] for m in s.objectives])
    return pd.DataFrame(rows), planned, ran


def _key(params: dict[str, float]) -> tuple:
    """A candidate's lever values as the runs see them (ints rounded): equal keys, equal runs
    (every candidate runs on the same seeds), so a repeated candidate is not run again."""
    return tuple((p, coerce(p, float(v))) for p, v in sorted(params.items()))


def sampler_seed(seed: int) -> int:
    """The optimiser's seed: drawn from the experiment's design stream (never a replicate's)."""
    return int(design_rng(seed).integers(2**31 - 1))


def designed_levers(spec: SearchExperiment) -> dict[str, float]:
    """The scenario's own value of each lever, clipped into its search range."""
    scenario = load_scenario(spec.experiment.scenarios[0], _fixed(spec)).model_dump()
    values = {}
    for path, (low, high) in spec.search.levers.items():
        node: Any = scenario
        for part in path.split("."):
            node = node[part]
        values[path] = float(min(max(float(node), low), high))
    return values


def _fixed(spec: SearchExperiment) -> dict[str, Any]:
    return {k: v for k, v in spec.experiment.base_overrides.items() if k in ("months", "scale")}


def _base_spec(spec: SearchExperiment) -> dict[str, Any]:
    exp = spec.experiment
    source = exp.scenarios[0]
    return {"scenario": load_scenario(source, _fixed(spec)).name, "source": source,
            "fingerprint": fingerprint(source), "fixed": exp.base_overrides,
            "metrics": tuple(dict.fromkeys([*(exp.metrics or ()), *spec.search.metrics]))}


def _run_spec(base: dict[str, Any], spec: SearchExperiment, candidate: int, replicate: int,
              params: dict[str, float]) -> RunSpec:
    """Candidate ``candidate``'s run on replicate ``replicate``: the replicate's common seed."""
    exp = spec.experiment
    point = {p: coerce(p, float(v)) for p, v in params.items()}
    return RunSpec(run_id=candidate * exp.replicates + replicate, scenario=base["scenario"],
                   source=base["source"], point=candidate, replicate=replicate,
                   seed=run_seed(exp.seed, (replicate,)), spawn_key=(replicate,),
                   params=tuple(point.items()), overrides={**base["fixed"], **point},
                   metrics=base["metrics"], monthly_metrics=(), fingerprint=base["fingerprint"])


def _check_replay(store: Store, resumed: list[RunSpec]) -> None:
    """Saved runs must hold the lever values the replayed optimiser proposes."""
    if not resumed:
        return
    runs = store.runs().set_index("run_id")
    for run in resumed:
        for path, value in run.params:
            saved = runs.at[run.run_id, path] if path in runs.columns else None
            if saved is None or not np.isclose(float(saved), float(value), rtol=1e-9):
                raise CircsimError(
                    f"cannot resume in {store.out}: saved run {run.run_id} has "
                    f"{path} = {saved}, but the optimiser now proposes {value} (a different "
                    "optimiser version?); choose another --out")


# -- evaluations ------------------------------------------------------------------------------

def evaluate(spec: SearchExperiment, candidate: int, generation: int,
             runs: pd.DataFrame) -> dict[str, Any]:
    """One candidate's row: levers, mean and 95 % CI of every metric, constraint slack."""
    s = spec.search
    row: dict[str, Any] = {"candidate": candidate, "generation": generation,
                           "n_ok": len(runs)}
    if len(runs):
        row.update({p: float(runs[p].iloc[0]) for p in s.levers})
    for metric in s.metrics:
        n, mean, _, half = t_interval(runs[metric] if len(runs) else [])
        row.update({f"{metric}_mean": mean, f"{metric}_ci_low": mean - half,
                    f"{metric}_ci_high": mean + half})
    violations = [c.violation(row[f"{c.metric}_mean"]) for c in s.parsed_constraints]
    row["feasible"] = bool(len(runs)) and all(v <= 0 for v in violations)
    return row


def mark_front(evaluations: pd.DataFrame, spec: SearchExperiment) -> pd.DataFrame:
    """Add ``pareto``: feasible and not dominated by another feasible candidate (a repeated
    candidate counts once, at its first evaluation)."""
    table = evaluations.copy()
    table["pareto"] = False
    feasible = table["feasible"].to_numpy(bool)
    if "same_as" in table:
        feasible = feasible & table["same_as"].isna().to_numpy()
    if feasible.any():
        objectives = spec.search.objectives
        values = table.loc[feasible, [f"{m}_mean" for m in objectives]].to_numpy(float)
        mask = pareto_mask(values, ["min" if d == "min" else "max" for d in objectives.values()])
        table.loc[table.index[feasible], "pareto"] = mask
    return table


# -- what a resume must find unchanged -----------------------------------------------------

def _identity(spec: SearchExperiment) -> dict[str, Any]:
    import optuna

    return {**manifest_mod.identity(spec.experiment),
            "search": json.dumps(spec.search.model_dump(), sort_keys=True),
            "optuna": optuna.__version__}


def _spec_dict(spec: SearchExperiment) -> dict[str, Any]:
    return {**manifest_mod.spec_dict(spec.experiment), "search": spec.search.model_dump()}


def save_json(path: Path, data: Any) -> None:
    """Write ``data`` as JSON atomically."""
    text = json.dumps(data, indent=2, default=str) + "\n"
    _atomic_write(path, lambda p: p.write_text(text))
