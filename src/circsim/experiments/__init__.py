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

from circsim.lazy import lazy_exports

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

#: each public name -> its module, imported when the name is first used (so that the
#: command line's parser does not load pandas, joblib or the model)
__getattr__, __dir__ = lazy_exports(__name__, {
    "run_seed": "circsim.seeds",
    **dict.fromkeys(("ExperimentResult", "compare_scenarios", "comparison_experiment",
                     "run_experiment", "write_reports"), ".api"),
    **dict.fromkeys(("RunSpec", "plan", "points"), ".design"),
    **dict.fromkeys(("bundled_experiments", "load_experiment", "make_experiment"), ".files"),
    "release_models": ".runner",
    **dict.fromkeys(("Experiment", "ExperimentError", "SampleDesign", "SensitivityDesign"),
                    ".spec"),
})
