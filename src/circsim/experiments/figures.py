"""Figures of experiments: scenario comparison, time series with bands, sweeps, sensitivity.

Built with :class:`matplotlib.figure.Figure` and the Agg canvas, never ``pyplot``,
so they touch no global state (headless, worker processes, notebooks alike).
One panel per metric, at most :data:`MAX_PANELS`, in the headline order.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from circsim.outcomes import BY_NAME

from .stats import summarize_groups

MAX_PANELS = 12
DPI = 110
REFERENCE_COLOUR = "0.55"
# Okabe-Ito, then tab10 for more scenarios
COLOURS = ("#000000", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00",
           "#CC79A7", "#999999", "#8C564B", "#17BECF", "#BCBD22")


def label(metric: str) -> str:
    """``Textile waste (kg per resident per year)`` for an outcome, the key otherwise."""
    return BY_NAME[metric].label_with_unit() if metric in BY_NAME else metric


def _grid(n: int, width: float = 4.6, height: float = 3.0) -> tuple[Figure, list]:
    cols = min(3, max(n, 1))
    rows = math.ceil(max(n, 1) / cols)
    fig = Figure(figsize=(width * cols, height * rows + 0.8), layout="constrained")
    FigureCanvasAgg(fig)
    axes = fig.subplots(rows, cols, squeeze=False).ravel().tolist()
    for ax in axes[n:]:
        ax.set_visible(False)
    return fig, axes[:n]


def _save(fig: Figure, path: str | Path) -> Path:
    path = Path(path)
    fig.savefig(path, dpi=DPI)
    return path


def comparison_bars(table: pd.DataFrame, metrics: Sequence[str], path: str | Path) -> Path:
    """Per metric: each scenario's mean with its 95 % CI; the change against the reference."""
    if "point" in table:
        table = table[table["point"] == table["point"].min()]
    metrics = [m for m in metrics if m in set(table["metric"])][:MAX_PANELS]
    scenarios = list(dict.fromkeys(table["scenario"]))
    fig, axes = _grid(len(metrics), height=0.32 * len(scenarios) + 1.2)
    for ax, metric in zip(axes, metrics, strict=True):
        rows = table[table["metric"] == metric].set_index("scenario").reindex(scenarios)
        y = np.arange(len(scenarios))[::-1]
        mean = rows["mean"].to_numpy(dtype=float)
        err = np.vstack([mean - rows["ci_low"], rows["ci_high"] - mean])
        colours = [REFERENCE_COLOUR] + ["#0072B2"] * (len(scenarios) - 1)
        ax.barh(y, mean, xerr=np.nan_to_num(err), color=colours, capsize=2, height=0.7)
        ax.set_yticks(y, scenarios, fontsize=8)
        ax.set_title(label(metric), fontsize=9)
        ax.tick_params(axis="x", labelsize=8)
        finite = mean[np.isfinite(mean)]
        right = float(np.nanmax(rows["ci_high"])) if len(finite) else 1.0
        for yi, (_, row) in zip(y, rows.iterrows(), strict=True):
            pct = row.get("pct_change")
            if pct == pct and pct is not None:
                text = f"{pct:+.1f} % [{row['pct_ci_low']:+.1f}, {row['pct_ci_high']:+.1f}]"
                ax.text(right, yi, "  " + text, va="center", fontsize=7)
        ax.margins(x=0.45)
    fig.suptitle(f"Scenarios against {scenarios[0]}: mean and 95 % CI over replicates; "
                 "change with paired 95 % CI", fontsize=10)
    return _save(fig, path)


def time_series(monthly: pd.DataFrame, metrics: Sequence[str], path: str | Path) -> Path:
    """Per metric: each scenario's monthly mean over replicates with its 95 % CI band."""
    if "point" in monthly:
        monthly = monthly[monthly["point"] == monthly["point"].min()]
    metrics = [m for m in metrics if m in monthly][:MAX_PANELS]
    scenarios = list(dict.fromkeys(monthly["scenario"]))
    band = summarize_groups(monthly, ["scenario", "month"], metrics)
    years = monthly.groupby("month")["year"].first()
    fig, axes = _grid(len(metrics))
    for ax, metric in zip(axes, metrics, strict=True):
        rows = band[band["metric"] == metric]
        for i, scenario in enumerate(scenarios):
            r = rows[rows["scenario"] == scenario].sort_values("month")
            x = years.reindex(r["month"]).to_numpy(dtype=float)
            colour = COLOURS[i % len(COLOURS)]
            ax.plot(x, r["mean"], color=colour, lw=1.2, label=scenario)
            ax.fill_between(x, r["ci_low"], r["ci_high"], color=colour, alpha=0.2, lw=0)
        ax.set_title(label(metric), fontsize=9)
        ax.tick_params(labelsize=8)
        ax.ticklabel_format(axis="x", useOffset=False, style="plain")
    if axes:
        fig.legend(*axes[0].get_legend_handles_labels(), loc="outside lower center",
                   ncols=min(len(scenarios), 6), fontsize=8, frameon=False)
    fig.suptitle("Monthly values: mean over replicates with 95 % CI band", fontsize=10)
    return _save(fig, path)


def grid_sweep(points: pd.DataFrame, params: Sequence[str], metrics: Sequence[str],
               path: str | Path) -> Path:
    """Per metric: mean and 95 % CI against the first parameter, one line per other level."""
    first = points["scenario"].iloc[0]
    points = points[points["scenario"] == first]
    metrics = [m for m in metrics if m in set(points["metric"])][:MAX_PANELS]
    x_param, others = params[0], list(params[1:])
    fig, axes = _grid(len(metrics))
    for ax, metric in zip(axes, metrics, strict=True):
        rows = points[points["metric"] == metric]
        groups = rows.groupby(others, sort=True, dropna=False) if others else [((), rows)]
        for i, (key, g) in enumerate(list(groups)[: len(COLOURS)]):
            g = g.sort_values(x_param)
            key = key if isinstance(key, tuple) else (key,)
            name = ", ".join(f"{p.split('.')[-1]}={v}" for p, v in zip(others, key, strict=True))
            mean = g["mean"].to_numpy(dtype=float)
            err = np.nan_to_num(np.vstack([mean - g["ci_low"], g["ci_high"] - mean]))
            ax.errorbar(pd.to_numeric(g[x_param], errors="coerce"), mean, yerr=err,
                        color=COLOURS[i], marker="o", ms=3, capsize=2, lw=1.1,
                        label=name or None)
        ax.set_title(label(metric), fontsize=9)
        ax.set_xlabel(x_param.split(".")[-1], fontsize=8)
        ax.tick_params(labelsize=8)
    if axes and others:
        fig.legend(*axes[0].get_legend_handles_labels(), loc="outside lower center",
                   ncols=4, fontsize=8, frameon=False)
    fig.suptitle(f"Sweep of {first}: mean and 95 % CI over replicates", fontsize=10)
    return _save(fig, path)


def sensitivity_bars(table: pd.DataFrame, method: str, path: str | Path) -> Path:
    """Per metric: Sobol S1 and ST (or Morris mu* and sigma) of each parameter."""
    first = table["scenario"].iloc[0]
    table = table[table["scenario"] == first]
    metrics = list(dict.fromkeys(table["metric"]))[:MAX_PANELS]
    params = list(dict.fromkeys(table["parameter"]))
    pairs = ((("S1", "S1_conf", "first order"), ("ST", "ST_conf", "total")) if method == "sobol"
             else (("mu_star", "mu_star_conf", "mu*"), ("sigma", None, "sigma")))
    fig, axes = _grid(len(metrics), height=0.3 * len(params) + 1.4)
    y = np.arange(len(params))[::-1]
    for ax, metric in zip(axes, metrics, strict=True):
        rows = table[table["metric"] == metric].set_index("parameter").reindex(params)
        for j, (col, conf, name) in enumerate(pairs):
            xerr = rows[conf].to_numpy(dtype=float) if conf else None
            ax.barh(y + (0.2 if j == 0 else -0.2), rows[col], height=0.4, xerr=xerr,
                    capsize=2, color=("#0072B2", "#E69F00")[j], label=name)
        ax.set_yticks(y, [p.split(".", 1)[-1] for p in params], fontsize=7)
        ax.set_title(label(metric), fontsize=9)
        ax.tick_params(axis="x", labelsize=8)
        ax.axvline(0, color="0.3", lw=0.6)
    if axes:
        fig.legend(*axes[0].get_legend_handles_labels(), loc="outside lower center",
                   ncols=2, fontsize=8, frameon=False)
    title = "Sobol indices (95 % CI)" if method == "sobol" else "Morris mu* (95 % CI) and sigma"
    fig.suptitle(f"{title}: {first}", fontsize=10)
    return _save(fig, path)
