"""Experiments from Python: run one, get tidy DataFrames and the analyses.

    from circsim.experiments import Experiment, load_experiment, run_experiment
    exp = Experiment(name="bins", scenarios=["baseline"], replicates=5, months=60,
                     overrides={"policies.collection.enabled": True},
                     grid={"policies.collection.bins_per_10k_residents": [3.0, 6.0]})
    result = run_experiment(exp, jobs=2)        # or load_experiment("collection_awareness")
    result.runs          # one row per run: ids, seed, parameters, metrics
    result.tidy()        # one row per run and metric
    result.points()      # mean and 95 % CI per design point and metric
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from circsim.outcomes import headline

from . import manifest as manifest_mod
from .design import plan
from .lock import folder_lock
from .runner import DESCRIPTORS, execute_all, resolve_jobs
from .spec import Experiment
from .store import OutputError, Store, _atomic_write, write_csv

ID_COLUMNS = ("run_id", "scenario", "point", "replicate", "seed", "ensemble_set")
#: What a comparison prints and plots when the experiment does not name its metrics.
#: The headline outcomes in rank order, less the checks (ledger imbalance).
KEY_METRICS = tuple(o.name for o in headline() if o.group != "check")


@dataclass
class ExperimentResult:
    """The runs of an experiment, as tidy tables, with the analyses its design calls for."""

    experiment: Experiment
    runs: pd.DataFrame
    monthly: pd.DataFrame
    failures: pd.DataFrame
    timings: pd.DataFrame
    out: Path | None = None
    planned: int = 0
    ran: int = 0                       # runs executed by this call (not resumed)
    wall_s: float = 0.0
    notes: list[str] = field(default_factory=list)

    @property
    def n_failed(self) -> int:
        return len(self.failures)

    @property
    def params(self) -> list[str]:
        """The design's parameter columns (dotted paths)."""
        return [c for c in self.runs.columns if "." in c]

    @property
    def metrics(self) -> list[str]:
        """The metric columns kept for every run."""
        skip = {*ID_COLUMNS, *DESCRIPTORS, *self.params}
        return [c for c in self.runs.columns if c not in skip]

    @property
    def headline(self) -> list[str]:
        """The metrics to print and plot: the experiment's own list, else the key ones."""
        if self.experiment.metrics:
            return [m for m in self.experiment.metrics if m in self.metrics]
        chosen = [m for m in KEY_METRICS if m in self.metrics]
        return chosen or self.metrics

    def tidy(self) -> pd.DataFrame:
        """One row per run and metric: ids, parameters, ``metric``, ``value``."""
        keep = [c for c in (*ID_COLUMNS, *DESCRIPTORS, *self.params) if c in self.runs]
        return self.runs.melt(id_vars=keep, value_vars=self.metrics, var_name="metric",
                              value_name="value")

    def comparison(self, reference: str | None = None,
                   metrics: list[str] | None = None) -> pd.DataFrame:
        """Mean, 95 % CI, paired difference against the reference with its CI, % change.

        Without ``metrics`` (every metric, as ``comparison.csv``) the cost-effectiveness
        ratios follow as rows of their own, with a ``note`` column saying why a ratio is
        undefined (see :mod:`circsim.experiments.cost`).
        """
        from .stats import compare, reference_of

        table = compare(self.runs, metrics or self.metrics, reference)
        if metrics is None:
            ratios = self.cost_effectiveness(reference_of(self.runs, reference))
            table = pd.concat([table.assign(note=""), ratios], ignore_index=True)
        return table

    def cost_effectiveness(self, reference: str | None = None) -> pd.DataFrame:
        """Net public cost per unit of effect against the reference, with Fieller's 95 %
        interval, or NaN and a note when the effect is not significant."""
        from .cost import cost_effectiveness
        from .stats import reference_of

        return cost_effectiveness(self.runs, reference_of(self.runs, reference))

    def points(self, metrics: list[str] | None = None) -> pd.DataFrame:
        """Mean and 95 % CI over replicates, per scenario, design point and metric."""
        from .stats import summarize_groups

        return summarize_groups(self.runs, ["scenario", "point", *self.params],
                                metrics or self.metrics)

    def sensitivity(self, metrics: list[str] | None = None) -> pd.DataFrame:
        """Sobol or Morris indices per metric (see :mod:`circsim.experiments.sensitivity`)."""
        from .sensitivity import indices

        table, notes = indices(self.experiment, self.runs, metrics or self.metrics)
        self.notes = list(dict.fromkeys([*self.notes, *notes]))
        return table


def run_experiment(exp: Experiment, out: str | Path | None = None, *, jobs: int | None = 1,
                   backend: str = "loky", scheduler: str | None = None, resume: bool = False,
                   progress: bool | None = None, reports: bool = True) -> ExperimentResult:
    """Run every run of ``exp`` not yet in ``out``, save each as it finishes, analyse.

    ``out=None`` works in a temporary folder (removed afterwards; the tables are kept
    in the result). ``jobs=-1`` uses every core. With ``reports`` the tables and
    figures of the design are written to ``out`` (see :func:`write_reports`).
    """
    exp.check()
    jobs = resolve_jobs(jobs)
    planned = plan(exp)
    tmp = tempfile.TemporaryDirectory(prefix="circsim-") if out is None else None
    folder = Path(tmp.name if tmp else out)  # type: ignore[arg-type]
    store = Store(folder)
    try:
        with folder_lock(folder):
            return _run_locked(exp, store, planned, jobs, backend, scheduler, resume,
                               progress, reports and tmp is None, tmp is not None)
    finally:
        if tmp is not None:
            tmp.cleanup()


def _run_locked(exp: Experiment, store: Store, planned: list, jobs: int, backend: str,
                scheduler: str | None, resume: bool, progress: bool | None, reports: bool,
                temporary: bool) -> ExperimentResult:
    """The body of :func:`run_experiment`, once the folder's lock is held."""
    folder = store.out
    done = store.open(manifest_mod.identity(exp), manifest_mod.spec_dict(exp), resume)
    todo = [r for r in planned if r.run_id not in done]
    t0 = time.perf_counter()
    try:
        execute_all(todo, store.write, jobs, backend, scheduler, progress,
                    desc=exp.name)
    finally:
        pending = sys.exc_info()[1]
        wall = time.perf_counter() - t0
        ok, failed = len(store.done_ids()), len(store.failed_ids())
        info = manifest_mod.build(exp, planned, ok=ok, failed=failed, backend=backend,
                                  jobs=jobs, scheduler=scheduler, wall_s=wall)
        try:
            _atomic_write(folder / "manifest.json",
                          lambda p: p.write_text(json.dumps(info, indent=2) + "\n"))
        except OutputError:
            if pending is None:
                raise
            # an error already on its way (e.g. the full disk itself) says more
    runs, monthly, failures, timings = store.collect()
    result = ExperimentResult(exp, runs, monthly, failures, timings,
                              None if temporary else folder, len(planned), len(todo), wall)
    if reports:
        write_reports(result)
    return result


def write_reports(result: ExperimentResult) -> dict[str, Path]:
    """Write the tables and figures the design calls for into ``result.out``.

    Several scenarios: ``comparison.csv``, ``comparison.png`` (headline metrics with
    95 % CIs) and ``timeseries.png`` (monthly means with bands). Grid or sample:
    ``points.csv`` (and ``sweep.png`` for a grid). Sensitivity: ``sensitivity.csv``
    and ``sensitivity.png``.
    """
    from . import figures

    out = result.out
    assert out is not None
    exp = result.experiment
    written: dict[str, Path] = {}
    if not len(result.runs):
        return written
    if result.runs["scenario"].nunique() > 1:
        table = result.comparison()
        write_csv(table, out / "comparison.csv")
        written["comparison"] = out / "comparison.csv"
        written["comparison_png"] = figures.comparison_bars(
            table, result.headline, out / "comparison.png")
        if len(result.monthly):
            written["timeseries_png"] = figures.time_series(
                result.monthly, result.headline, out / "timeseries.png")
    if exp.design in ("grid", "sample"):
        points = result.points()
        write_csv(points, out / "points.csv")
        written["points"] = out / "points.csv"
        if exp.design == "grid":
            written["sweep_png"] = figures.grid_sweep(points, result.params, result.headline,
                                                      out / "sweep.png")
    if exp.design == "sensitivity":
        table = result.sensitivity()
        write_csv(table, out / "sensitivity.csv")
        written["sensitivity"] = out / "sensitivity.csv"
        if len(table):
            written["sensitivity_png"] = figures.sensitivity_bars(
                table, exp.sensitivity.method, out / "sensitivity.png")  # type: ignore[union-attr]
    return written


def compare_scenarios(scenarios: list[str], *, replicates: int = 10, seed: int | None = None,
                      months: int | None = None, scale: float | None = None,
                      ensemble: str | Path | None = None,
                      **run_options: Any) -> ExperimentResult:
    """Run ``scenarios`` (the first is the reference) with paired replicates.

    With ``ensemble`` (a CSV of parameter sets, as ``circsim fit`` writes), replicate
    ``r`` of every scenario uses set ``r mod N``, so the CIs carry parameter uncertainty.
    """
    return run_experiment(comparison_experiment(scenarios, replicates=replicates, seed=seed,
                                                months=months, scale=scale, ensemble=ensemble),
                          **run_options)


def comparison_experiment(scenarios: list[str], *, replicates: int = 10,
                          seed: int | None = None, months: int | None = None,
                          scale: float | None = None,
                          ensemble: str | Path | None = None) -> Experiment:
    """The experiment behind ``circsim compare``: no design, common random numbers."""
    from circsim.scenario import load_scenario

    from .files import make_experiment

    if seed is None:
        seed = load_scenario(scenarios[0]).seed if scenarios else 42
    stems = [Path(s).stem for s in scenarios]
    name = "compare-" + "-".join(stems)
    if len(name) > 60:
        name = f"compare-{stems[0]}-and-{len(stems) - 1}-more"
    return make_experiment("command line", name=name,
                           scenarios=list(scenarios), replicates=replicates, seed=seed,
                           months=months, scale=scale,
                           ensemble=None if ensemble is None else str(ensemble))
