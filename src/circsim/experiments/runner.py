"""Running an experiment's runs in parallel, saving each as it finishes.

Backends: ``loky`` (joblib's process pool on this machine; ``jobs=1`` runs in this
process) and ``dask`` (joblib's Dask backend: an existing cluster given by its
scheduler address, or a ``LocalCluster`` of ``jobs`` single-threaded workers).
Results come back unordered as they finish and are written by this (the parent)
process, one file per run. A run that raises is recorded and the sweep goes on.
"""

from __future__ import annotations

import copy
import gc
import os
import socket
import threading
import time
import traceback
import warnings
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from circsim.scenario import CircsimError

from .design import RunSpec
from .store import Outcome

BACKENDS = ("loky", "dask")
IDENTITY = ("run_id", "scenario", "point", "replicate", "seed")
DESCRIPTORS = ("version", "months", "scale", "households", "residents")


def release_models(scenario: object) -> int:
    """Forget the models of ``scenario`` in Mesa's class-level agent-id registry.

    Mesa 3.3 keeps ``Agent._ids``, a dict keyed by model, so every model ever built
    stays reachable (with all its agents and households) unless removed. Only the
    models built from this very scenario object are removed: other models alive in
    the same process (a notebook's, another thread's) keep their id counters.
    """
    from mesa import Agent

    ours = [m for m in list(Agent._ids) if getattr(m, "scenario", None) is scenario]
    for model in ours:
        Agent._ids.pop(model, None)
    return len(ours)


@lru_cache(maxsize=32)
def _base_data(source: str, fingerprint: str) -> dict[str, Any]:
    """A scenario's validated values (cached per worker by the hash of its files)."""
    from circsim.scenario import load_scenario

    return load_scenario(source).model_dump()


def load_run_scenario(spec: RunSpec) -> Any:
    """The run's scenario: cached base values with the overrides merged in, validated.

    Same result as ``load_scenario(source, overrides)`` (the loader's own merge:
    mappings merge key by key, anything else replaces) without re-reading YAML for
    every run; when validation fails, the loader itself is asked, so the error names
    the file, line and key. Retired keys were already reported when the experiment
    was planned, so workers do not repeat the warning.
    """
    from pydantic import ValidationError

    from circsim.scenario import Scenario, ScenarioError, load_scenario
    from circsim.scenario.loader import apply_overrides
    from circsim.scenario.retired import RetiredKeyWarning

    label = f"run {spec.run_id} of the design"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RetiredKeyWarning)
        if not spec.fingerprint:
            return load_scenario(spec.source, spec.overrides, override_label=label)
        try:
            data = copy.deepcopy(_base_data(spec.source, spec.fingerprint))
            return Scenario.model_validate(apply_overrides(data, spec.overrides, label=label))
        except (ValidationError, ScenarioError, TypeError):
            return load_scenario(spec.source, spec.overrides, override_label=label)


def execute(spec: RunSpec) -> Outcome:
    """Run one run (in a worker): load, run, keep the chosen metrics, release the model."""
    from circsim.run import run_scenario

    t0 = time.perf_counter()
    row: dict[str, Any] = {"run_id": spec.run_id, "scenario": spec.scenario,
                           "point": spec.point, "replicate": spec.replicate, "seed": spec.seed}
    if spec.ensemble_set is not None:
        row["ensemble_set"] = spec.ensemble_set
    row.update(spec.params)
    scenario = None
    try:
        scenario = load_run_scenario(spec)
        result = run_scenario(scenario, seed=spec.seed)
        summary = result.summary
        keep = spec.metrics if spec.metrics is not None else [
            k for k, v in summary.items()
            if isinstance(v, int | float) and not isinstance(v, bool)
            and k not in ("seed", "runtime_s", *DESCRIPTORS)]
        row.update({k: summary[k] for k in (*DESCRIPTORS, *keep)})
        monthly = None
        if spec.monthly_metrics:
            cols = ["month", "year", "date", *spec.monthly_metrics]
            monthly = result.monthly[cols].copy()
            for i, key in enumerate(IDENTITY[:4]):
                monthly.insert(i, key, row[key])
        row.update(runtime_s=time.perf_counter() - t0, worker=_worker())
        return Outcome(spec.run_id, row, monthly)
    except Exception as err:  # noqa: BLE001 - every failure is recorded, the sweep goes on
        row.update(runtime_s=time.perf_counter() - t0, worker=_worker())
        message = " ".join(f"{type(err).__name__}: {err}".split())
        return Outcome(spec.run_id, row, error=message, traceback=traceback.format_exc())
    finally:
        if scenario is not None:
            release_models(scenario)
        _collect_garbage()


PARENT_POLL_S = 0.5          # how often a worker checks that the sweep is still there
_watching = [False]


def execute_in_worker(spec: RunSpec, parent: int) -> Outcome:
    """:func:`execute` in a pool worker that exits as soon as the sweep process is gone.

    A worker killed with its parent would otherwise finish its run (minutes, at full
    scale) and keep the pool's resource trackers alive meanwhile: a daemon thread
    polls the worker's parent pid and ends the process once it has changed.
    """
    if not _watching[0] and os.getppid() == parent:
        _watching[0] = True
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True,
                         name="circsim-parent-watch").start()
    return execute(spec)


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(PARENT_POLL_S)
    os._exit(1)                     # the sweep died: nothing will read this run's result


_last_collect = [0.0]
COLLECT_EVERY_S = 1.0


def _collect_garbage() -> None:
    """Free the finished model's reference cycles now rather than at Python's next full
    collection (which costs ~50 ms, so at most once a second: every run of a real sweep)."""
    now = time.perf_counter()
    if now - _last_collect[0] >= COLLECT_EVERY_S:
        gc.collect()
        _last_collect[0] = time.perf_counter()


def _worker() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def resolve_jobs(jobs: int | None) -> int:
    """``None`` or ``-1``: every core; otherwise at least 1."""
    if jobs is None or jobs < 0:
        return os.cpu_count() or 1
    if jobs == 0:
        raise CircsimError("--jobs must be at least 1 (or -1 for every core)")
    return jobs


class WorkerLostError(CircsimError):
    """A worker process died mid-sweep; what finished is saved and --resume completes it."""


def outcomes(todo: Iterable[RunSpec], jobs: int, backend: str = "loky",
             scheduler: str | None = None) -> Iterator[Outcome]:
    """Run ``todo`` and yield each outcome as soon as it is done (in any order)."""
    todo = list(todo)
    if backend not in BACKENDS:
        raise CircsimError(f"unknown backend {backend!r}; choose one of {', '.join(BACKENDS)}")
    if backend == "loky" and scheduler:
        raise CircsimError("--scheduler needs --backend dask")
    if not todo:
        return
    import joblib
    from joblib import Parallel, delayed, parallel_config

    # as each run finishes (joblib >= 1.4); in submission order on joblib 1.3
    as_done = "generator_unordered" if _version(joblib.__version__) >= (1, 4) else "generator"
    if backend == "loky":
        if jobs == 1:
            yield from map(execute, todo)
            return
        from joblib.externals.loky.process_executor import TerminatedWorkerError

        try:
            yield from Parallel(n_jobs=min(jobs, len(todo)), backend="loky", batch_size=1,
                                return_as=as_done)(
                delayed(execute_in_worker)(t, os.getpid()) for t in todo)
        except TerminatedWorkerError as err:
            raise WorkerLostError(
                "a worker process died during the sweep (killed, or out of memory: "
                f"{' '.join(str(err).split())[:160]}). Every run that finished is saved; run "
                "the same command again with --resume to complete the sweep.") from None
        return
    with _dask_client(jobs, scheduler), parallel_config(backend="dask"):
        yield from Parallel(n_jobs=-1, batch_size=1, return_as=as_done)(
            delayed(execute)(t) for t in todo)


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(p) for p in text.split(".")[:2] if p.isdigit())


@contextmanager
def _dask_client(jobs: int, scheduler: str | None) -> Iterator[Any]:
    """A Dask client on ``scheduler``, or on a local cluster of ``jobs`` workers."""
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise CircsimError("the dask backend needs the cluster extra: "
                           "pip install 'circsim[cluster]'") from None
    import logging

    if scheduler:
        try:
            client = Client(scheduler, timeout="20s")
        except (OSError, TimeoutError) as err:
            raise CircsimError(f"cannot reach the Dask scheduler at {scheduler}: {err}") from None
        with client:
            yield client
        return
    with LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True,
                      dashboard_address=None, silence_logs=logging.ERROR) as cluster, \
            Client(cluster) as client:
        yield client


def execute_all(todo: list[RunSpec], write: Callable[[Outcome], None], jobs: int,
                backend: str = "loky", scheduler: str | None = None,
                progress: bool | None = None, desc: str = "runs") -> tuple[int, int]:
    """Run ``todo``, calling ``write`` on each outcome as it arrives; return (ok, failed).

    The progress bar (tqdm, with rate and ETA) shows on a terminal unless ``progress``
    is False; True forces it.
    """
    from tqdm import tqdm

    ok = failed = 0
    disable = None if progress is None else not progress
    with tqdm(total=len(todo), desc=desc, unit="run", disable=disable, smoothing=0.1) as bar:
        for outcome in outcomes(todo, jobs, backend, scheduler):
            write(outcome)
            if outcome.ok:
                ok += 1
            else:
                failed += 1
                bar.set_postfix(failed=failed)
            bar.update()
    return ok, failed
