"""Calibrating the free behavioural parameters to the public targets: ``circsim fit``.

Two stages, each an experiment of :mod:`circsim.experiments` in its own folder of ``out``
(so every run is saved as it finishes and ``resume`` completes an interrupted fit):

1. ``screening/``: Morris elementary effects of the calibration targets over the candidate
   parameters the scenario declares under ``uncertainty:``; the at most eight with the
   largest mu* on at least one target are fitted (or the list given).
2. ``wave_1/``, ``wave_2/``, ...: history matching by waves (Vernon et al. 2010; Andrianakis
   et al. 2015). Each wave runs a Latin hypercube of parameter sets, each with a few
   replicates (the sets are an ensemble file, so replicate r runs set r mod N), rules out
   the sets whose implausibility on some target exceeds 3, and the next wave samples the
   box around those left. The accepted ensemble is every set not ruled out.

The targets are the rows of kind ``target`` of :mod:`circsim.calibration`; the ``check``
rows are reported beside them, never fitted. Method and choices: ``docs/fit.md``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from circsim.analysis.history import (
    CUTOFF,
    Observed,
    choose_parameters,
    implausibility,
    refocus,
    sample_box,
)

#: scenario sections whose uncertain parameters are candidates by default (behaviour of
#: households and firms, which the calibration targets measure)
CANDIDATE_SECTIONS = ("households.", "firms.")


@dataclass
class FitSettings:
    """What a fit runs: defaults aimed at 20-40 minutes on two cores at scale 0.01."""

    scenario: str = "baseline"
    scale: float = 0.01
    months: int = 60                 # simulated months after the spin-up, per wave run
    seed: int = 42
    parameters: list[str] | None = None     # fixed list: no screening
    candidates: tuple[str, ...] = CANDIDATE_SECTIONS
    max_parameters: int = 8
    screening_trajectories: int = 2
    screening_months: int = 24
    waves: int = 3
    sets_per_wave: int = 30
    replicates: int = 2
    cutoff: float = CUTOFF
    overrides: dict[str, Any] = field(default_factory=dict)   # fixed for every run

    def runs_planned(self, n_candidates: int) -> int:
        """Runs of the screening (when it runs) and of every wave."""
        screening = 0 if self.parameters else self.screening_trajectories * (n_candidates + 1)
        return screening + self.waves * self.sets_per_wave * self.replicates


@dataclass
class FitResult:
    """The ensemble and its diagnostics (``fit.json`` holds the same)."""

    out: Path
    ensemble: pd.DataFrame
    info: dict[str, Any]

    @property
    def parameters(self) -> list[str]:
        return list(self.info["parameters"])


def targets() -> tuple[list[Observed], list[Observed]]:
    """The calibration targets (fitted) and the independent checks (reported beside)."""
    from circsim.calibration import TARGETS

    fitted = [Observed(t.metric, t.low, t.high) for t in TARGETS if t.kind == "target"]
    checks = [Observed(t.metric, t.low, t.high) for t in TARGETS if t.kind == "check"]
    return fitted, checks


def prior_ranges(settings: FitSettings) -> dict[str, list[float]]:
    """The candidates: the scenario's declared plausible ranges in the chosen sections."""
    from circsim.scenario import load_scenario

    scenario = load_scenario(settings.scenario)
    declared = {p: [float(lo), float(hi)] for p, (lo, hi) in scenario.uncertainty.items()}
    if settings.parameters:
        from circsim.scenario import CircsimError

        unknown = [p for p in settings.parameters if p not in declared]
        if unknown:
            raise CircsimError(f"fit: {', '.join(unknown)} has no plausible range under "
                               f"`uncertainty:` in {settings.scenario}; fit only those that do")
        return {p: declared[p] for p in settings.parameters}
    chosen = {p: r for p, r in declared.items() if p.startswith(tuple(settings.candidates))}
    if not chosen:
        from circsim.scenario import CircsimError

        raise CircsimError(f"fit: no parameter with a range under `uncertainty:` in "
                           f"{settings.scenario} starts with {', '.join(settings.candidates)}")
    return chosen


def fit(scenario: str = "baseline", out: str | Path = "results/fit", *, jobs: int | None = -1,
        resume: bool = False, progress: bool | None = None, **options: Any) -> FitResult:
    """Calibrate the scenario's free behavioural parameters to the calibration targets.

    ``options`` are the fields of :class:`FitSettings` (``scale``, ``months``, ``seed``,
    ``parameters``, ``waves``, ``sets_per_wave``, ``replicates``, ...). Writes
    ``ensemble.csv``, ``fit.json``, ``fit.png`` and ``sets.csv`` into ``out``.
    """
    from circsim.analysis.fit_report import write_outputs

    settings = FitSettings(scenario=scenario, **options)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    fitted, checks = targets()
    run = {"jobs": jobs, "resume": resume, "progress": progress}
    prior = prior_ranges(settings)
    if settings.parameters:
        chosen = list(prior)
        why = dict.fromkeys(chosen, "given by the user (no screening)")
        screening = None
    else:
        screening = screen(settings, prior, fitted, out / "screening", run)
        chosen, why = choose_parameters(screening, fitted, settings.max_parameters)
        if not chosen:
            from circsim.scenario import CircsimError

            raise CircsimError("fit: no candidate moves any target noticeably in the "
                               "screening; give the parameters with --parameters")
    prior = {p: prior[p] for p in chosen}
    sets = history_match(settings, prior, fitted, checks, out, run)
    return write_outputs(out, settings, prior, why, sets, fitted, checks, screening)


def screen(settings: FitSettings, prior: dict[str, list[float]], fitted: list[Observed],
           folder: Path, run: dict[str, Any]) -> pd.DataFrame:
    """Morris elementary effects of the targets over the candidates (``screening.csv``)."""
    from circsim.experiments import run_experiment
    from circsim.experiments.files import make_experiment

    exp = make_experiment(
        "fit screening", name="fit-screening", scenarios=[settings.scenario], replicates=1,
        seed=settings.seed, months=settings.screening_months, scale=settings.scale,
        overrides=dict(settings.overrides), metrics=[t.metric for t in fitted],
        monthly_metrics=[], sensitivity={"method": "morris",
                                         "n": settings.screening_trajectories,
                                         "levels": 4, "ranges": prior})
    result = run_experiment(exp, folder, resume=run["resume"],
                            jobs=run["jobs"], progress=run["progress"], reports=False)
    table = result.sensitivity([t.metric for t in fitted])
    table.to_csv(folder / "screening.csv", index=False)
    return table


def history_match(settings: FitSettings, prior: dict[str, list[float]],
                  fitted: list[Observed], checks: list[Observed], out: Path,
                  run: dict[str, Any]) -> pd.DataFrame:
    """Every wave's sets with their wave, means, implausibilities and whether accepted."""
    from circsim.seeds import design_rng

    box, waves = dict(prior), []
    for k in range(1, settings.waves + 1):
        folder = out / f"wave_{k}"
        folder.mkdir(parents=True, exist_ok=True)
        candidates = folder / "candidates.csv"
        if not candidates.exists():
            rng = design_rng(settings.seed + k)
            sample_box(box, settings.sets_per_wave, rng).to_csv(candidates, index=False)
        sets = pd.read_csv(candidates)
        runs = run_wave(settings, k, candidates, fitted, checks, folder, run)
        scores = implausibility(runs, fitted)
        extra = runs.groupby("ensemble_set")[[c.metric for c in checks]].mean()
        table = sets.join(scores).join(extra).assign(wave=k)
        table["accepted"] = table["I_max"] < settings.cutoff
        table.index.name = "set"
        waves.append(table.reset_index())
        box, note = refocus(sets, table["I_max"].fillna(np.inf), prior, settings.cutoff)
        print(f"wave {k}: {note}", flush=True)
    return pd.concat(waves, ignore_index=True)


def run_wave(settings: FitSettings, k: int, candidates: Path, fitted: list[Observed],
             checks: list[Observed], folder: Path, run: dict[str, Any]) -> pd.DataFrame:
    """One wave: every candidate set ``replicates`` times (replicate r runs set r mod N)."""
    from circsim.experiments import run_experiment
    from circsim.experiments.files import make_experiment

    exp = make_experiment(
        "fit wave", name=f"fit-wave-{k}", scenarios=[settings.scenario],
        replicates=settings.sets_per_wave * settings.replicates, seed=settings.seed + k,
        months=settings.months, scale=settings.scale, overrides=dict(settings.overrides),
        metrics=[t.metric for t in (*fitted, *checks)], monthly_metrics=[],
        ensemble=str(candidates.resolve()))
    result = run_experiment(exp, folder, resume=run["resume"],
                            jobs=run["jobs"], progress=run["progress"], reports=False)
    return result.runs


def settings_dict(settings: FitSettings) -> dict[str, Any]:
    """The settings as JSON-able data (for ``fit.json``)."""
    data = asdict(settings)
    data["candidates"] = list(settings.candidates)
    return data
