"""Experiments: replicated scenario comparisons, parameter sweeps and sensitivity analyses.

Define an experiment in YAML (``experiments/*.yaml``) or in Python, run it on
this machine's cores or on a Dask cluster, and get tidy tables::

    from circsim.experiments import load_experiment, run_experiment
    result = run_experiment(load_experiment("collection_awareness"), "results/ca", jobs=2)
    result.runs            # one row per run
    result.points()        # mean and 95 % CI per design point

Seeds come from the experiment's seed and each run's position in the design
(the rule of every command: :mod:`circsim.seeds`), so results do not depend on the number
of workers or the backend. See ``docs/experiments.md``.
"""

from circsim.seeds import run_seed

from .api import (
    ExperimentResult,
    compare_scenarios,
    comparison_experiment,
    run_experiment,
    write_reports,
)
from .design import RunSpec, plan, points
from .files import bundled_experiments, load_experiment, make_experiment
from .runner import release_models
from .spec import Experiment, ExperimentError, SampleDesign, SensitivityDesign

__all__ = [
    "Experiment",
    "ExperimentError",
    "ExperimentResult",
    "RunSpec",
    "SampleDesign",
    "SensitivityDesign",
    "bundled_experiments",
    "compare_scenarios",
    "comparison_experiment",
    "load_experiment",
    "make_experiment",
    "plan",
    "points",
    "release_models",
    "run_experiment",
    "run_seed",
    "write_reports",
]
