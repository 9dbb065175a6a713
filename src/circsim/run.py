"""One run of a scenario: build the model, run it, collect tidy outputs, save them."""

from __future__ import annotations

import json
import time
import tracemalloc
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from circsim import outcomes
from circsim.model import TextileEconomy
from circsim.scenario import Scenario

#: Columns that say which run a row belongs to, in every frame a run returns or writes.
IDENTITY = ("scenario", "seed", "version")


@dataclass
class RunResult:
    """The outputs of one run: monthly metrics, ledger flows, payments and the summary.

    The frames in memory are the files' contents: each carries ``scenario``, ``seed`` and
    ``version``; ``monthly`` also a ``date`` (first day of the month), ``flows`` also
    ``kg_metro`` (``kg`` divided by the scale).
    """

    scenario: Scenario
    seed: int
    monthly: pd.DataFrame
    flows: pd.DataFrame
    summary: dict
    model: TextileEconomy | None = field(default=None, repr=False)
    money: pd.DataFrame | None = field(default=None, repr=False)

    def save(self, out: str | Path) -> dict[str, Path]:
        """Write monthly.parquet, flows.csv, money.csv and summary.json to ``out``.

        ``monthly.parquet`` carries key-value metadata ``circsim``: the run's identity and
        every column's unit (from the outcome table). Each file is written under a
        temporary name and renamed, so none is ever half written. A folder that cannot
        be written raises :class:`~circsim.outdir.OutputError` naming it; this result
        keeps everything in memory, to be saved elsewhere. Returns the paths written.
        """
        from circsim.outdir import OutputError, atomic_path, check_writable

        out = check_writable(out)
        paths = {"monthly": out / "monthly.parquet", "flows": out / "flows.csv",
                 "summary": out / "summary.json"}
        if self.money is not None:
            paths["money"] = out / "money.csv"
        writers = {
            "monthly": lambda p: write_parquet(self.monthly, p, self._metadata()),
            "flows": lambda p: self.flows.to_csv(p, index=False),
            "summary": lambda p: p.write_text(
                json.dumps(self.summary, indent=2, default=float) + "\n"),
            "money": lambda p: self.money.to_csv(p, index=False),
        }
        try:
            for key, path in paths.items():
                with atomic_path(path) as tmp:
                    writers[key](tmp)
        except OSError as exc:
            raise OutputError(
                f"cannot write the outputs to {out} ({exc.strerror or type(exc).__name__}); "
                "the run's results are still in memory") from None
        return paths

    def _metadata(self) -> dict:
        """The run's identity and the unit of every monthly column."""
        units = {o.name: o.unit for o in outcomes.OUTCOMES if o.is_monthly}
        return {**{k: self.summary.get(k) for k in IDENTITY}, "months": self.summary.get(
            "months"), "scale": self.scenario.scale, "units": units}


def write_parquet(frame: pd.DataFrame, path: Path, metadata: dict) -> None:
    """A parquet file with ``metadata`` as JSON under the key ``circsim``."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(frame, preserve_index=False)
    meta = {**(table.schema.metadata or {}), b"circsim": json.dumps(metadata).encode()}
    pq.write_table(table.replace_schema_metadata(meta), path)


def _dated(monthly: pd.DataFrame, start_year: int) -> pd.DataFrame:
    """Add ``date``: the first day of each simulated month."""
    if monthly.empty:
        return monthly.assign(date=pd.Series(dtype="datetime64[ns]"))
    m = monthly["month"].astype(int) - 1
    return monthly.assign(date=pd.to_datetime(pd.DataFrame(
        {"year": start_year + m // 12, "month": m % 12 + 1, "day": 1})))


def run_scenario(scenario: Scenario, seed: int | None = None, months: int | None = None,
                 progress: bool = False, keep_model: bool = False) -> RunResult:
    """Run ``scenario`` for ``months`` (default: its own) with ``seed`` (default: its own)."""
    from circsim import __version__

    seed = scenario.seed if seed is None else seed
    months = scenario.months if months is None else months
    t0 = time.perf_counter()
    model = TextileEconomy(scenario, seed=seed)
    model.run(months, progress=progress)
    summary = {
        "scenario": scenario.name, "seed": seed, "months": months, "scale": scenario.scale,
        "version": __version__, "households": model.households.n,
        "residents": model.households.residents,
        **outcomes.summarize(model),
        "runtime_s": time.perf_counter() - t0,
    }
    ident = {k: summary[k] for k in IDENTITY}
    flows = model.ledger.flows_frame()
    flows = flows.assign(kg_metro=flows["kg"] / scenario.scale)
    monthly = _dated(model.monthly_frame(), scenario.start_year)
    return RunResult(scenario, seed, monthly.assign(**ident), flows.assign(**ident), summary,
                     model if keep_model else None, model.money.flows_frame().assign(**ident))


def peak_memory_mb(fn, *args, **kwargs) -> tuple[object, float]:
    """Call ``fn`` and return its result with the peak Python heap it used (MB)."""
    tracemalloc.start()
    try:
        res = fn(*args, **kwargs)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return res, peak / 1e6
