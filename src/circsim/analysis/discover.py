"""Scenario discovery: the boxes of lever and parameter values where a target is met.

PRIM, the patient rule induction method (Friedman and Fisher 1999, as used for scenario
discovery by Bryant and Lempert 2010), peels thin slices off the space of the sweep's
inputs, each time the slice whose removal raises most the share of cases that meet the
target, until the box left is too small; then it pastes back what helps. Each step of
that trajectory is a candidate box with a

- **coverage**: the share of all the cases that meet the target which lie in the box;
- **density**: the share of the cases in the box that meet the target;
- **mass**: the share of all cases that lie in the box.

The chosen box is the one of widest coverage among those of density at least
``threshold``. A second and third box are sought among the cases outside the first.
The algorithm is EMA Workbench's (``ema_workbench.analysis.prim``), the reference
implementation for scenario discovery; this module reads a results folder through the
experiments API, classifies each case and turns the boxes into tables.

    from circsim.analysis.discover import discover
    found = discover("results/lever_mix", "residual_waste_t", "<= 140000")
    found.boxes          # one row per box and restricted input: limits, coverage, density
    found.chosen         # the first box (limits, coverage, density, mass, points)
    found.save("results/lever_mix/discover_residual_waste_t")
"""

from __future__ import annotations

import json
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from circsim.scenario import CircsimError

if TYPE_CHECKING:          # loaded when used: the command line's parser imports this module
    import numpy as np
    import pandas as pd

#: Defaults of the command's options (``circsim discover --help`` shows them).
THRESHOLD = 0.8        # least density a box must reach
PEEL_ALPHA = 0.05      # share of the remaining cases peeled off at each step
MIN_MASS = 0.05        # least share of all cases a box keeps
MAX_BOXES = 3
INSTALL = "pip install 'circsim[discover]'"
_NUMBER = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?"
_TARGET = re.compile(rf"\s*(<=|>=)\s*({_NUMBER})\s*")
#: The column that holds the scenario when a sweep has several (PRIM treats it as nominal).
SCENARIO = "scenario_file"


@dataclass(frozen=True)
class Target:
    """``outcome <= value`` or ``outcome >= value``."""

    op: str
    value: float

    def met(self, y: np.ndarray) -> np.ndarray:
        return y <= self.value if self.op == "<=" else y >= self.value

    def __str__(self) -> str:
        return f"{self.op} {self.value:g}"


def parse_target(text: str, option: str = "--target") -> Target:
    """``"<= 150000"`` or ``">= 0.9"`` as a :class:`Target`; anything else is an error."""
    match = _TARGET.fullmatch(text) if isinstance(text, str) else None
    if match is None:
        raise CircsimError(
            f"{option}: expected \"<= VALUE\" or \">= VALUE\" with VALUE a plain number "
            f"(e.g. {option} \"<= 150000\" or {option} \">= 0.9\"), got {text!r}")
    return Target(match.group(1), float(match.group(2)))


@dataclass(frozen=True)
class Box:
    """One box: its limits on the inputs it restricts, and how well it finds the target."""

    number: int                                      # 1 for the first box found
    limits: dict[str, tuple[Any, Any]]               # restricted input -> (lower, upper)
    ranges: dict[str, tuple[Any, Any]]               # the same inputs' full range in the sweep
    coverage: float
    density: float
    mass: float
    points: int                                      # cases in the box
    hits: int                                        # of which meet the target
    step: int                                        # its index on the peeling trajectory
    #: per restricted input, the quasi-p values of its lower and upper limit (Bryant and
    #: Lempert 2010: a one-sided binomial test of the density gained; NaN: side not cut)
    quasi_p: dict[str, tuple[float, float]] = field(default_factory=dict)


@dataclass
class Discovery:
    """What :func:`discover` found."""

    results_dir: Path
    outcome: str
    target: Target
    threshold: float
    peel_alpha: float
    min_mass: float
    per_run: bool
    cases: int                                       # points (or runs) analysed
    hits: int                                        # of which meet the target
    inputs: list[str]                                # the varied inputs PRIM could restrict
    found: list[Box]
    trajectory: pd.DataFrame
    notes: list[str] = field(default_factory=list)

    @property
    def chosen(self) -> Box | None:
        """The first box (the one of the first peeling), or None when none was found."""
        return self.found[0] if self.found else None

    @property
    def boxes(self) -> pd.DataFrame:
        """One row per box and restricted input (a box that restricts nothing: one row)."""
        import pandas as pd

        rows = []
        for b in self.found:
            stats = {"box": b.number, "coverage": b.coverage, "density": b.density,
                     "mass": b.mass, "n_points": b.points, "n_target_met": b.hits}
            for name, (low, high) in (b.limits or {"": (None, None)}).items():
                full = b.ranges.get(name, (None, None))
                qp = b.quasi_p.get(name, (None, None))
                rows.append({"box": b.number, "parameter": name,
                             "lower": _plain(low), "upper": _plain(high),
                             "range_lower": _plain(full[0]), "range_upper": _plain(full[1]),
                             "qp_lower": qp[0], "qp_upper": qp[1], **stats})
        columns = ["box", "parameter", "lower", "upper", "range_lower", "range_upper",
                   "qp_lower", "qp_upper", "coverage", "density", "mass", "n_points",
                   "n_target_met"]
        return pd.DataFrame(rows, columns=columns)

    def summary(self) -> dict[str, Any]:
        """The settings and counts, as written to ``discover.json`` (the report reads it)."""
        return {"results_dir": str(self.results_dir), "outcome": self.outcome,
                "target": str(self.target), "op": self.target.op, "value": self.target.value,
                "threshold": self.threshold, "peel_alpha": self.peel_alpha,
                "min_mass": self.min_mass, "per_run": self.per_run, "cases": self.cases,
                "hits": self.hits, "inputs": self.inputs, "boxes": len(self.found),
                "notes": self.notes}

    def save(self, out: str | Path) -> dict[str, Path]:
        """Write boxes.csv, peeling.csv, discover.json, tradeoff.png and discover.md."""
        from .discover_files import write_all

        return write_all(self, Path(out))


def _plain(value: Any) -> Any:
    """A limit as a plain value (sets of categories as sorted, joined text)."""
    if isinstance(value, (set, frozenset)):
        return "|".join(sorted(map(str, value)))
    if hasattr(value, "item"):                  # a numpy scalar
        return value.item()
    return value


# -- reading a results folder -----------------------------------------------------------

def load_cases(results_dir: str | Path, outcome: str, *,
               per_run: bool = False) -> tuple[pd.DataFrame, np.ndarray]:
    """The varied inputs (one column each) and the outcome of every case of a sweep.

    A case is a design point, its replicates averaged (or each run, with ``per_run``).
    Reads ``runs.parquet``, or the runs saved so far by an unfinished sweep.
    """
    import numpy as np
    import pandas as pd

    from circsim.experiments.api import ExperimentResult
    from circsim.experiments.spec import Experiment
    from circsim.experiments.store import TIMING_COLUMNS, Store

    folder = Path(results_dir)
    if not folder.is_dir():
        raise CircsimError(f"{folder}: no such results folder (expected the output of "
                           "'circsim sweep' or 'circsim compare')")
    path = folder / "runs.parquet"
    runs = pd.read_parquet(path) if path.exists() else Store(folder).runs()
    runs = runs.drop(columns=[c for c in TIMING_COLUMNS if c in runs])
    if runs.empty:
        raise CircsimError(f"{folder}: no finished runs here (no runs.parquet nor parts/); "
                           "is this the output folder of 'circsim sweep'?")
    meta = folder / "experiment.json"
    spec = json.loads(meta.read_text()).get("experiment", {}) if meta.exists() else {}
    # as recorded, not validated again: the scenario files may have moved since
    result = ExperimentResult(Experiment.model_construct(**spec), runs, pd.DataFrame(),
                              pd.DataFrame(), pd.DataFrame(), folder)
    if outcome not in result.metrics:
        raise CircsimError(
            f"--outcome: {outcome!r} is not among the metrics of {folder}; available: "
            f"{', '.join(result.metrics)}")
    params = list(result.params)
    if per_run:
        cases = runs[["scenario", *params, outcome]].copy()
    else:
        means = result.points([outcome])
        cases = means.rename(columns={"mean": outcome})[["scenario", *params, outcome]]
    cases = cases[np.isfinite(cases[outcome].to_numpy(dtype=float))]
    x = cases[params].reset_index(drop=True)
    if cases["scenario"].nunique() > 1:
        x[SCENARIO] = cases["scenario"].astype(str).to_numpy()
    varied = [c for c in x.columns if x[c].nunique() > 1]
    if not varied:
        raise CircsimError(f"{folder}: no input varies across its runs (a comparison of one "
                           "scenario?); discovery needs a grid, sample or sensitivity design")
    x = x[varied]
    for c in x.columns:                      # integer-valued floats stay floats for PRIM
        if x[c].dtype == bool or x[c].dtype == object:
            x[c] = x[c].astype(str)
    return x, cases[outcome].to_numpy(dtype=float)


# -- PRIM ----------------------------------------------------------------------------------

def _prim_module():
    """EMA Workbench's PRIM, or a clear error saying how to install it."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")        # its notices about optional back-ends
            from ema_workbench.analysis import prim
    except ImportError as err:
        raise CircsimError(f"scenario discovery needs EMA Workbench, an optional dependency "
                           f"({err}); install it with: {INSTALL}") from None
    return prim


def _check_settings(threshold: float, peel_alpha: float, min_mass: float) -> None:
    for name, value, low, high in (("--threshold", threshold, 0.0, 1.0),
                                   ("--peel-alpha", peel_alpha, 0.0, 0.5),
                                   ("--min-mass", min_mass, 0.0, 1.0)):
        if not (low < value <= high):
            raise CircsimError(f"{name}: expected a number in ({low:g}, {high:g}], "
                               f"got {value!r}")


def _choose(trajectory: pd.DataFrame, threshold: float) -> int:
    """The step of widest coverage among those dense enough (fewest restrictions on ties)."""
    dense = trajectory[trajectory["density"] >= threshold]
    if dense.empty:
        return int(trajectory["density"].idxmax())
    ranked = dense.sort_values(["coverage", "res_dim", "density"],
                               ascending=[False, True, False], kind="stable")
    return int(ranked.index[0])


def _limits(lim: pd.DataFrame, full: pd.DataFrame) -> tuple[dict, dict]:
    """The inputs a box restricts: its (lower, upper) and the sweep's on each."""
    limits, ranges = {}, {}
    for name in full.columns:
        low, high = lim[name].iloc[0], lim[name].iloc[1]
        if isinstance(low, (set, frozenset)):
            if set(low) != set(full[name].iloc[0]):
                limits[name], ranges[name] = (set(low), set(low)), (set(full[name].iloc[0]),) * 2
            continue
        if low != full[name].iloc[0] or high != full[name].iloc[1]:
            limits[name] = (low, high)
            ranges[name] = (full[name].iloc[0], full[name].iloc[1])
    return limits, ranges


def _quasi_p(qp: dict, limits: dict) -> dict[str, tuple[float, float]]:
    """EMA Workbench's quasi-p values of a box, -1 (side not cut) as NaN."""
    def clean(v: Any) -> float:
        return float("nan") if v is None or v < 0 else float(v)

    return {name: (clean(qp[name][0]), clean(qp[name][1])) for name in limits if name in qp}


def find_boxes(x: pd.DataFrame, hit: np.ndarray, *, threshold: float = THRESHOLD,
               peel_alpha: float = PEEL_ALPHA, min_mass: float = MIN_MASS,
               max_boxes: int = MAX_BOXES) -> tuple[list[Box], pd.DataFrame]:
    """PRIM on inputs ``x`` and the boolean ``hit`` (target met): boxes and trajectories."""
    import numpy as np
    import pandas as pd

    _check_settings(threshold, peel_alpha, min_mass)
    hit = np.asarray(hit, dtype=bool)
    if hit.all() or not hit.any():
        return [], pd.DataFrame()
    prim = _prim_module()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # its use of pandas' inplace drop
        warnings.simplefilter("ignore", DeprecationWarning)
        finder = prim.Prim(x, hit.astype(int), threshold=threshold, peel_alpha=peel_alpha,
                           mass_min=min_mass, threshold_type=prim.ABOVE)
    found, steps = [], []
    for number in range(1, max_boxes + 1):
        box = finder.find_box()
        if box is None:
            break
        traj = box.peeling_trajectory.reset_index(drop=True)
        i = _choose(traj, threshold)
        box.select(i)
        if traj.loc[i, "density"] < threshold:     # the leftover: no dense box remains
            break
        limits, ranges = _limits(box.box_lims[i], finder.box_init)
        found.append(Box(number, limits, ranges, float(traj.loc[i, "coverage"]),
                         float(traj.loc[i, "density"]), float(traj.loc[i, "mass"]),
                         int(traj.loc[i, "n"]), int(traj.loc[i, "k"]), i,
                         _quasi_p(box.qp[i], limits)))
        steps.append(pd.DataFrame({
            "box": number, "step": traj.index, "coverage": traj["coverage"],
            "density": traj["density"], "mass": traj["mass"],
            "restricted": traj["res_dim"].astype(int), "n_points": traj["n"].astype(int),
            "n_target_met": traj["k"].astype(int), "chosen": traj.index == i}))
        if not limits:                               # the whole space is dense enough
            break
    trajectory = pd.concat(steps, ignore_index=True) if steps else pd.DataFrame()
    return found, trajectory


def discover(results_dir: str | Path, outcome: str, target: str | Target, *,
             threshold: float = THRESHOLD, peel_alpha: float = PEEL_ALPHA,
             min_mass: float = MIN_MASS, per_run: bool = False,
             max_boxes: int = MAX_BOXES) -> Discovery:
    """The boxes of a sweep's inputs where ``outcome`` meets ``target`` (e.g. ``"<= 1e5"``)."""
    target = target if isinstance(target, Target) else parse_target(target)
    _check_settings(threshold, peel_alpha, min_mass)
    x, y = load_cases(results_dir, outcome, per_run=per_run)
    hit = target.met(y)
    found, trajectory = find_boxes(x, hit, threshold=threshold, peel_alpha=peel_alpha,
                                   min_mass=min_mass, max_boxes=max_boxes)
    notes = []
    if hit.all():
        notes.append("every case meets the target: no box is needed")
    elif not hit.any():
        notes.append("no case meets the target: there is nothing to find")
    elif not found:
        notes.append(f"no box reaches a density of {threshold:g}; lower --threshold")
    if len(y) < 30:
        notes.append(f"only {len(y)} cases: boxes from so few are fragile")
    return Discovery(Path(results_dir), outcome, target, threshold, peel_alpha, min_mass,
                     per_run, len(y), int(hit.sum()), list(x.columns), found, trajectory,
                     notes)
