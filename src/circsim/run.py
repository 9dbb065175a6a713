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


@dataclass
class RunResult:
    """The outputs of one run: monthly metrics, ledger flows and the summary."""

    scenario: Scenario
    seed: int
    monthly: pd.DataFrame
    flows: pd.DataFrame
    summary: dict
    model: TextileEconomy | None = field(default=None, repr=False)
    money: pd.DataFrame | None = field(default=None, repr=False)

    def save(self, out: str | Path) -> dict[str, Path]:
        """Write monthly.parquet, flows.csv and summary.json to ``out``; return the paths."""
        from circsim import __version__

        out = Path(out)
        out.mkdir(parents=True, exist_ok=True)
        ident = {"scenario": self.scenario.name, "seed": self.seed, "version": __version__}
        monthly = self.monthly.assign(**ident)
        flows = self.flows.assign(kg_metro=self.flows["kg"] / self.scenario.scale, **ident)
        paths = {"monthly": out / "monthly.parquet", "flows": out / "flows.csv",
                 "summary": out / "summary.json"}
        if self.money is not None:
            paths["money"] = out / "money.csv"
            self.money.assign(**ident).to_csv(paths["money"], index=False)
        monthly.to_parquet(paths["monthly"], index=False)
        flows.to_csv(paths["flows"], index=False)
        paths["summary"].write_text(json.dumps(self.summary, indent=2, default=float) + "\n")
        return paths


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
    result = RunResult(scenario, seed, model.monthly_frame(), model.ledger.flows_frame(),
                       summary, model if keep_model else None, model.money.flows_frame())
    return result


def peak_memory_mb(fn, *args, **kwargs) -> tuple[object, float]:
    """Call ``fn`` and return its result with the peak Python heap it used (MB)."""
    tracemalloc.start()
    try:
        res = fn(*args, **kwargs)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return res, peak / 1e6
