"""An experiment's folder: one file per finished run, written atomically, so nothing is lost.

Layout of ``OUT/``::

    experiment.json          the resolved experiment and what identifies it (for --resume)
    parts/run-000123.parquet one row: the run's id, scenario, point, seed, parameters, metrics
    monthly/run-000123.parquet   that run's monthly series of the kept monthly metrics
    failures/run-000123.json     a run that raised: parameters, seed, error, traceback
    corrupt/...                  files found unreadable on opening, set aside (see below)
    runs.parquet, monthly.parquet, failures.csv, timings.csv   collected at the end

A run is done when its ``parts/`` file exists: the monthly file is written first,
and each file is written to a temporary name and renamed (``os.replace`` is
atomic), so a sweep killed at any moment leaves only whole files, and ``--resume``
runs exactly the runs without a part. Failed runs are tried again on resume.
A file damaged nonetheless (a copy cut short, a disk fault) is found when the
folder is opened, moved into ``corrupt/`` with a one-line warning, and its run
counts as not done, so ``--resume`` runs it again.
"""

from __future__ import annotations

import json
import os
import re
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from circsim.run import write_parquet
from circsim.scenario import CircsimError
from circsim.scenario.errors import CircsimWarning

_PART = re.compile(r"^run-(\d+)\.(parquet|json)$")
TIMING_COLUMNS = ("runtime_s", "worker")


@dataclass
class Outcome:
    """What a worker sends back for one run: a row of results, or the error it raised."""

    run_id: int
    row: dict[str, Any]                       # identity, parameters, metrics (or just identity)
    monthly: pd.DataFrame | None = None
    error: str | None = None                  # "ExceptionType: message" when the run failed
    traceback: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def part_name(run_id: int, suffix: str = "parquet") -> str:
    return f"run-{run_id:06d}.{suffix}"


class OutputError(CircsimError):
    """The results folder cannot be written (full disk, permissions): the sweep stops, every
    run already saved stays saved, and ``--resume`` completes it once the cause is fixed."""


def _atomic_write(path: Path, write) -> None:
    """``write(tmp_path)``, then rename onto ``path``: readers see all of it or nothing."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        write(tmp)
        os.replace(tmp, path)
    except OSError as err:
        saved = path.parent.parent / "parts"
        count = len(list(saved.glob("run-*.parquet"))) if saved.is_dir() else 0
        raise OutputError(
            f"{path}: cannot write results ({err.strerror or err}). The {count} runs saved "
            f"so far are kept; fix the cause (free disk space, permissions) and run the same "
            f"command again with --resume to complete it.") from err
    finally:
        if tmp.exists():
            tmp.unlink()


class Store:
    """Reads and writes one experiment's folder."""

    def __init__(self, out: str | os.PathLike[str]) -> None:
        self.out = Path(out)
        self.parts = self.out / "parts"
        self.monthly = self.out / "monthly"
        self.failures = self.out / "failures"
        self.corrupt = self.out / "corrupt"

    # -- opening ------------------------------------------------------------------------

    def open(self, identity: dict[str, Any], spec: dict[str, Any], resume: bool) -> set[int]:
        """Prepare the folder; return the ids of the runs already done (when resuming).

        Without ``resume`` the folder must not hold runs yet. With it, the folder must
        hold the same experiment (same definition, same scenario files).
        """
        meta = self.out / "experiment.json"
        self.set_aside_corrupt()
        done = self.done_ids()
        if meta.exists() and (done or self.failed_ids()):
            if not resume:
                raise CircsimError(
                    f"{self.out} already holds {len(done)} finished runs of an experiment; "
                    "pass --resume to complete it, or choose another --out")
            stored = json.loads(meta.read_text()).get("identity", {})
            changed = [k for k in identity if stored.get(k) != identity[k]]
            if changed:
                raise CircsimError(
                    f"cannot resume in {self.out}: it holds a different experiment "
                    f"(changed since it started: {', '.join(changed)}); choose another --out")
        for folder in (self.parts, self.monthly, self.failures):
            folder.mkdir(parents=True, exist_ok=True)
            for stale in folder.glob(".*.tmp"):    # left by a killed sweep
                stale.unlink(missing_ok=True)
        text = json.dumps({"identity": identity, "experiment": spec}, indent=2, default=str)
        _atomic_write(meta, lambda p: p.write_text(text + "\n"))
        return done

    def set_aside_corrupt(self) -> list[Path]:
        """Move every unreadable part, monthly or failure file into ``corrupt/``.

        A run whose part or monthly file is damaged loses both (so it is run again);
        one warning line says how many files went where. Returns the moved files.
        """
        bad: list[Path] = []
        runs: set[int] = set()
        for i in sorted(self._ids(self.parts, "parquet") | self._ids(self.monthly, "parquet")):
            pair = [self.parts / part_name(i), self.monthly / part_name(i)]
            if not all(_readable_parquet(p) for p in pair if p.exists()):
                bad += [p for p in pair if p.exists()]
                runs.add(i)
        for i in sorted(self._ids(self.failures, "json")):
            path = self.failures / part_name(i, "json")
            if not _readable_json(path):
                bad.append(path)          # a failed run, tried again on resume anyway
        moved = []
        for path in bad:
            target = self.corrupt / path.parent.name / path.name
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(path, target)
            moved.append(target)
        if moved:
            names = ", ".join(sorted({p.name for p in moved})[:3])
            warnings.warn(f"{self.out}: damaged result files ({names}"
                          f"{', ...' if len(moved) > 3 else ''}): {len(moved)} file(s) of "
                          f"{len(runs)} finished run(s) moved to {self.corrupt}; those runs "
                          "will be run again", CircsimWarning, stacklevel=3)
        return moved

    def _ids(self, folder: Path, suffix: str) -> set[int]:
        if not folder.is_dir():
            return set()
        found = (_PART.match(p.name) for p in folder.iterdir())
        return {int(m.group(1)) for m in found if m and m.group(2) == suffix}

    def done_ids(self) -> set[int]:
        """Ids of the runs whose results are on disk."""
        return self._ids(self.parts, "parquet")

    def failed_ids(self) -> set[int]:
        """Ids of the runs recorded as failed (and not since done)."""
        return self._ids(self.failures, "json") - self.done_ids()

    # -- writing as runs finish ----------------------------------------------------------

    def write(self, outcome: Outcome) -> None:
        """Save one run's outcome (called in the parent process, as each run finishes)."""
        name = part_name(outcome.run_id)
        failure = self.failures / part_name(outcome.run_id, "json")
        if not outcome.ok:
            record = {**outcome.row, "error": outcome.error, "traceback": outcome.traceback}
            text = json.dumps(record, indent=2, default=str)
            _atomic_write(failure, lambda p: p.write_text(text + "\n"))
            return
        if outcome.monthly is not None and len(outcome.monthly.columns):
            monthly = pa.Table.from_pandas(outcome.monthly, preserve_index=False)
            _atomic_write(self.monthly / name, lambda p: pq.write_table(monthly, p))
        table = pa.Table.from_pylist([outcome.row])
        _atomic_write(self.parts / name, lambda p: pq.write_table(table, p))
        failure.unlink(missing_ok=True)

    # -- collecting ----------------------------------------------------------------------

    def _concat(self, folder: Path, ids: set[int]) -> pd.DataFrame:
        tables = [pq.read_table(folder / part_name(i)) for i in sorted(ids)
                  if (folder / part_name(i)).exists()]
        if not tables:
            return pd.DataFrame()
        table = pa.concat_tables(tables, promote_options="permissive")
        frame = table.to_pandas()
        return frame.sort_values(["run_id", *(["month"] if "month" in frame else [])],
                                 kind="stable").reset_index(drop=True)

    def runs(self) -> pd.DataFrame:
        """One row per finished run, sorted by run id (timing columns included)."""
        return self._concat(self.parts, self.done_ids())

    def monthly_frame(self) -> pd.DataFrame:
        """One row per (finished run, month), sorted by run id and month."""
        return self._concat(self.monthly, self.done_ids())

    def failures_frame(self) -> pd.DataFrame:
        """One row per failed run: identity, parameters, error (traceback left in the JSON)."""
        rows = []
        for i in sorted(self.failed_ids()):
            record = json.loads((self.failures / part_name(i, "json")).read_text())
            record.pop("traceback", None)
            rows.append(record)
        return pd.DataFrame(rows)

    def collect(self) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        """Write runs.parquet, monthly.parquet, failures.csv and timings.csv; return them.

        ``runs.parquet`` leaves out timings (they differ from run to run), so that the
        same experiment gives a bit-identical file on any number of workers.
        """
        runs = self.runs()
        timing = [c for c in TIMING_COLUMNS if c in runs]
        timings = runs[["run_id", *timing]] if len(runs) else pd.DataFrame()
        runs = runs.drop(columns=timing)
        monthly = self.monthly_frame()
        failures = self.failures_frame()
        meta = _metadata(runs)
        _atomic_write(self.out / "runs.parquet", lambda p: write_parquet(runs, p, meta))
        if len(monthly):
            _atomic_write(self.out / "monthly.parquet",
                          lambda p: write_parquet(monthly, p, _metadata(monthly)))
        failures_csv = self.out / "failures.csv"
        if len(failures):
            write_csv(failures, failures_csv)
        else:
            failures_csv.unlink(missing_ok=True)
        if len(timings):
            write_csv(timings, self.out / "timings.csv")
        return runs, monthly, failures, timings


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """``frame`` as CSV at ``path``, atomically (a reader never sees half a table)."""
    _atomic_write(Path(path), lambda p: frame.to_csv(p, index=False))


def _readable_parquet(path: Path) -> bool:
    """Whether ``path`` is a whole parquet file (its footer and schema can be read)."""
    try:
        pq.read_metadata(path)
    except (OSError, pa.ArrowException):
        return False
    return True


def _readable_json(path: Path) -> bool:
    try:
        json.loads(path.read_text())
    except (OSError, ValueError):
        return False
    return True


def _metadata(frame: pd.DataFrame) -> dict:
    """Key-value metadata of a collected table: circsim's version and each column's unit."""
    from circsim import __version__
    from circsim.outcomes import OUTCOMES

    units = {o.name: o.unit for o in OUTCOMES if o.name in frame.columns}
    return {"version": __version__, "units": units}
