"""One-at-a-time responses: several one-parameter sweeps read together, drawn and checked.

Each folder is the output of ``circsim sweep`` on a grid of one parameter (for instance
``symbiosis_oat_*.yaml``), on common random numbers, so the levels of one parameter
differ only by that parameter. :func:`oat_table` gives the mean and the range over
replicates of each metric at each level; :func:`oat_figure` draws each metric against
the position of the level within the parameter's range (0: its low end, 1: its high
end), one line per parameter; :func:`rough_spots` names the responses that fall to zero
or turn back on themselves by more than the replicates' spread.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from circsim.experiments.figures import FONT  # one size for every printed figure
from circsim.outcomes import BY_NAME
from circsim.scenario import CircsimError

META = {"run_id", "scenario", "point", "replicate", "seed", "version", "months", "scale",
        "households", "residents", "runtime_s", "worker"}


def load_runs(folder: Path) -> tuple[str, pd.DataFrame]:
    """The varied parameter of a one-parameter sweep and its runs (one row each)."""
    parts = sorted(Path(folder, "parts").glob("*.parquet")) if Path(folder).is_dir() else []
    if not parts:
        raise CircsimError(f"{folder}: no runs here; expected the output folder of "
                           "'circsim sweep' on a one-parameter grid")
    runs = pd.concat([pd.read_parquet(p) for p in parts], ignore_index=True)
    params = [c for c in runs.columns if "." in c and c not in META]
    if len(params) != 1:
        raise CircsimError(f"{folder}: expected a sweep of one varied parameter, found "
                           f"{len(params)} ({', '.join(params) or 'none'})")
    return params[0], runs


def oat_table(folders: list[Path], metrics: list[str]) -> pd.DataFrame:
    """Per parameter, level and metric: mean, min and max over replicates."""
    rows = []
    for folder in folders:
        param, runs = load_runs(folder)
        missing = [m for m in metrics if m not in runs.columns]
        if missing:
            known = ", ".join(sorted(c for c in runs.columns if c in BY_NAME))
            raise CircsimError(f"{folder}: no {', '.join(missing)} in these runs; the "
                               f"outcomes recorded are: {known}")
        for level, grp in runs.groupby(param):
            for metric in metrics:
                v = grp[metric].to_numpy(float)
                rows.append({"parameter": param, "level": float(level), "metric": metric,
                             "mean": v.mean(), "min": v.min(), "max": v.max(),
                             "replicates": v.size})
    return pd.DataFrame(rows)


def rough_spots(table: pd.DataFrame) -> list[str]:
    """Responses that collapse to zero, or reverse by more than the replicates' spread."""
    out = []
    for (param, metric), g in table.groupby(["parameter", "metric"], sort=False):
        g = g.sort_values("level")
        mean = g["mean"].to_numpy()
        if (mean <= 0).any():
            out.append(f"{param} -> {metric}: zero at {g['level'][mean <= 0].tolist()}")
        steps = np.diff(mean)
        noise = float((g["max"] - g["min"]).max())
        if (steps > noise).any() and (steps < -noise).any():
            out.append(f"{param} -> {metric}: turns back beyond the replicates' spread")
    return out


def oat_figure(table: pd.DataFrame) -> Figure:
    """One panel per metric: its mean (band: min to max over replicates) against each
    parameter's level as a share of its range (the lowest to the highest level swept)."""
    ranges = {p: (g["level"].min(), g["level"].max()) for p, g in table.groupby("parameter")}
    metrics = list(dict.fromkeys(table["metric"]))
    cols = 2
    rows = -(-len(metrics) // cols)
    fig = Figure(figsize=(12, 3.6 * rows + 1.2), layout="constrained")
    axes = fig.subplots(rows, cols, squeeze=False).ravel()
    for ax, metric in zip(axes, metrics, strict=False):
        for param, g in table[table.metric == metric].groupby("parameter", sort=False):
            g = g.sort_values("level")
            lo, hi = ranges[param]
            x = (g["level"] - lo) / max(hi - lo, 1e-12)
            line, = ax.plot(x, g["mean"], marker="o", label=f"{param} ({lo:g}-{hi:g})")
            ax.fill_between(x, g["min"], g["max"], color=line.get_color(), alpha=0.15)
        o = BY_NAME.get(metric)
        ax.set_title(f"{o.en} ({o.unit})" if o else metric, fontsize=FONT + 1)
        ax.set_xlabel("level within the range swept (0 = low end, 1 = high end)",
                      fontsize=FONT)
        ax.tick_params(labelsize=FONT)
        ax.set_ylim(bottom=0)
        ax.grid(alpha=0.3)
    for ax in axes[len(metrics):]:
        ax.set_visible(False)
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncol=2, fontsize=FONT,
               frameon=False)
    return fig


def markdown_table(table: pd.DataFrame) -> str:
    """The means as a Markdown table: one row per parameter level, one column per metric."""
    wide = table.pivot_table(index=["parameter", "level"], columns="metric", values="mean",
                             sort=False)
    metrics = list(dict.fromkeys(table["metric"]))
    lines = ["| parameter | level | " + " | ".join(metrics) + " |",
             "|---|---:|" + "---:|" * len(metrics)]
    for (param, level), row in wide.iterrows():
        lines.append(f"| {param} | {level:g} | "
                     + " | ".join(f"{row[m]:,.0f}" for m in metrics) + " |")
    return "\n".join(lines)
