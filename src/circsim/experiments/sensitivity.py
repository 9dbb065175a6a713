"""Sensitivity indices with SALib: Sobol (first-order S1, total ST) or Morris (mu*, sigma).

Each design point's output is the mean over its replicates (with common random
numbers every point sees the same streams, so the indices measure the parameters,
not the noise). Indices need every point of the design: a metric with a failed or
undefined (NaN) point gets no indices, and the reason is returned with the table.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .design import design_matrix, problem
from .spec import Experiment

SOBOL_COLUMNS = ("S1", "S1_conf", "ST", "ST_conf")
MORRIS_COLUMNS = ("mu", "mu_star", "sigma", "mu_star_conf")


def indices(exp: Experiment, runs: pd.DataFrame, metrics: list[str]
            ) -> tuple[pd.DataFrame, list[str]]:
    """Tidy indices (scenario, metric, parameter, index columns) and skipped-metric notes."""
    if exp.sensitivity is None:
        raise ValueError("this experiment has no sensitivity design")
    from SALib.analyze import morris, sobol

    method = exp.sensitivity.method
    prob = problem(exp)
    x = design_matrix(exp)
    assert x is not None
    n_points = len(x)
    rows, notes = [], []
    seed = exp.seed % 2**32
    for scenario, group in runs.groupby("scenario", sort=False):
        means = group.groupby("point")[metrics].mean()
        missing = n_points - len(means)
        for metric in metrics:
            y = means[metric].reindex(range(n_points)).to_numpy(dtype=float)
            if missing or np.isnan(y).any():
                bad = int(np.isnan(y).sum())
                notes.append(f"{scenario}/{metric}: no indices ({bad} of {n_points} design "
                             "points failed or are undefined)")
                continue
            if np.ptp(y) == 0:
                notes.append(f"{scenario}/{metric}: no indices (the metric does not vary)")
                continue
            if method == "sobol":
                res = sobol.analyze(prob, y, calc_second_order=False, seed=seed)
                cols = SOBOL_COLUMNS
            else:
                res = morris.analyze(prob, x, y, num_levels=exp.sensitivity.levels, seed=seed)
                cols = MORRIS_COLUMNS
            for i, name in enumerate(prob["names"]):
                rows.append({"scenario": scenario, "metric": metric, "parameter": name,
                             **{c: float(np.asarray(res[c])[i]) for c in cols}})
    columns = ["scenario", "metric", "parameter",
               *(SOBOL_COLUMNS if method == "sobol" else MORRIS_COLUMNS)]
    return pd.DataFrame(rows, columns=columns), notes
