"""The one-page PNG of a run: where discarded textiles end up, and the three headline goals.

Why a single page: a run is judged on three questions (less waste, longer-lived
products, help reaching low-income households) and on where the material goes, so one
landscape page answers all four at a glance and can be attached to a report or an
issue. The figure is built with :class:`~matplotlib.figure.Figure` and the Agg canvas
directly, never through ``pyplot``, so it touches no global state: it works headless,
in worker processes, and whether or not ``pyplot`` was imported elsewhere.
"""

from __future__ import annotations

import calendar
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator, MultipleLocator

from circsim.outcomes import FATES as _FATES
from circsim.outcomes import Outcome, headline
from circsim.report.text import headline_lines

FIGSIZE = (14.0, 9.0)
DPI = 110
BASELINE_STYLE: dict[str, Any] = {"color": "0.45", "linestyle": "--", "linewidth": 1.4}

FATE_LABELS = {"domestic_reuse": "Domestic reuse", "reuse_abroad": "Reuse abroad",
               "recycled": "Recycled", "waste_abroad": "Waste abroad",
               "incineration": "Incineration", "landfill": "Landfill"}
# (label, monthly columns, colour) per fate, from the one declaration in metrics
FATES = tuple((FATE_LABELS[key], cols, colour) for key, cols, colour in _FATES)


def _column(frame: pd.DataFrame, name: str, scale: float = 1.0) -> np.ndarray:
    """A column as floats (NaN where missing or non-numeric), multiplied by ``scale``."""
    if name not in frame.columns:
        return np.full(len(frame), np.nan)
    return pd.to_numeric(frame[name], errors="coerce").to_numpy(dtype=float) * scale


def _x(frame: pd.DataFrame) -> np.ndarray:
    """The time axis in fractional years; falls back to month numbers if ``year`` is absent."""
    if "year" in frame.columns:
        return _column(frame, "year")
    if "month" in frame.columns:
        return _column(frame, "month")
    return np.arange(1, len(frame) + 1, dtype=float)


def _year_label(value: float, _pos: int | None = None) -> str:
    """Tick label of a fractional year: ``2026`` on whole years, ``Jul 2026`` otherwise."""
    year = math.floor(value + 1e-6)
    month = int(round((value - year) * 12)) % 12
    if month == 0:
        return f"{year:d}"
    return f"{calendar.month_abbr[month + 1]} {year:d}"


def _time_step(frame: pd.DataFrame) -> float:
    """Length of one month on the time axis (1/12 year, or 1 if plotted in months)."""
    return 1.0 / 12 if "year" in frame.columns else 1.0


def _time_limits(frame: pd.DataFrame, pad_single: bool) -> tuple[float, float]:
    """Time-axis limits: the run's span, or one month around a one-month run."""
    x = _x(frame)
    x = x[np.isfinite(x)]
    step = _time_step(frame)
    if len(x) == 0:
        return 0.0, step
    lo, hi = float(x.min()), float(x.max())
    if hi - lo < step / 2:  # a single month
        return (lo - step, lo + step) if pad_single else (lo, lo + step)
    return lo, hi


def _format_time_axis(ax: Axes, frame: pd.DataFrame, limits: tuple[float, float],
                      max_ticks: int = 6) -> None:
    """Few, readable, never-repeated ticks: whole years, or months on a short run."""
    lo, hi = limits
    ax.set_xlim(lo, hi)
    if "year" in frame.columns and hi - lo < 2.5:
        months = next(k for k in (1, 2, 3, 6, 12) if (hi - lo) * 12 / k <= max_ticks - 1)
        ax.xaxis.set_major_locator(MultipleLocator(months / 12))
    else:
        ax.xaxis.set_major_locator(
            MaxNLocator(nbins=max_ticks + 1, steps=[1, 2, 5, 10], integer=True))
    if "year" in frame.columns:
        ax.xaxis.set_major_formatter(FuncFormatter(_year_label))
    else:
        ax.set_xlabel("month")
    ax.grid(True, alpha=0.3)


def _headroom(ax: Axes, fraction: float = 0.45) -> None:
    """Raise the top of the y axis so a legend in the upper corner covers no data."""
    lo, hi = ax.get_ylim()
    ax.set_ylim(lo, hi + fraction * (hi - lo))


def _fates_panel(ax: Axes, monthly: pd.DataFrame) -> None:
    """(a) Stacked areas of the monthly fates of discarded textiles, best to worst."""
    x = _x(monthly)
    stacks = [
        np.nan_to_num(sum(_column(monthly, c) for c in cols), nan=0.0) for _, cols, _ in FATES
    ]
    if len(x) == 1:  # a single month has no width: draw it as one month-long block
        x = np.array([x[0], x[0] + _time_step(monthly)])
        stacks = [np.repeat(s, 2) for s in stacks]
    ax.stackplot(
        x, *stacks, labels=[f[0] for f in FATES], colors=[f[2] for f in FATES],
        alpha=0.9, linewidth=0.3, edgecolor="white",
    )
    ax.set_title("Where discarded textiles end up", loc="left", fontsize=13,
                 fontweight="bold")
    ax.set_ylabel("tonnes per month")
    ax.set_ylim(0, None if any(s.max(initial=0.0) > 0 for s in stacks) else 1.0)
    ax.yaxis.set_major_formatter(FuncFormatter(
        lambda v, _p: f"{v:,.0f}" if ax.get_ylim()[1] >= 20 else f"{v:,.2g}"))
    _format_time_axis(ax, monthly, _time_limits(monthly, pad_single=False), max_ticks=7)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=len(FATES),
              frameon=False, fontsize=10, handlelength=1.5, columnspacing=1.4)


def _fate_totals(monthly: pd.DataFrame) -> list[str]:
    """Lines of tonnes per fate summed over the run and their share of all fates."""
    totals = [
        float(np.nansum([np.nansum(_column(monthly, c)) for c in cols]))
        for _, cols, _ in FATES
    ]
    grand = sum(totals)
    lines = []
    for (name, _, _), total in zip(FATES, totals, strict=True):
        share = f"{total / grand * 100:5.1f} %" if grand > 0 else "  n/a"
        lines.append(f"{name:<19}{total:>13,.0f} t  {share}")
    return lines


def _summary_box(ax: Axes, monthly: pd.DataFrame, summary: Mapping[str, Any]) -> None:
    """The headline numbers and the run's total per fate, as a monospace text box."""
    ax.axis("off")
    ax.set_title("Run summary", loc="left", fontsize=11, fontweight="bold")
    text = "\n".join(
        [*headline_lines(summary), "", "Fates over the run", *_fate_totals(monthly)]
    )
    ax.text(0.0, 1.0, text, transform=ax.transAxes, va="top", ha="left",
            family="monospace", fontsize=9, linespacing=1.45,
            bbox={"boxstyle": "round,pad=0.6", "facecolor": "#F4F4F4", "edgecolor": "0.7"})


def _line(ax: Axes, frame: pd.DataFrame, column: str, scale: float = 1.0,
          **style: Any) -> None:
    """Plot one column over time; markers when there are too few points for a line."""
    y = _column(frame, column, scale)
    if len(y) < 3:
        style.setdefault("marker", "o")
    ax.plot(_x(frame), y, **style)


def _headline_panel(ax: Axes, monthly: pd.DataFrame, baseline: pd.DataFrame | None,
                    column: str, scale: float, title: str, ylabel: str,
                    colour: str) -> None:
    """One small headline-metric panel, with the baseline run dashed grey if given."""
    _line(ax, monthly, column, scale, color=colour, linewidth=2.0, label="this run")
    if baseline is not None:
        _line(ax, baseline, column, scale, label="baseline", **BASELINE_STYLE)
    ax.set_title(title, loc="left", fontsize=11, fontweight="bold")
    ax.set_ylabel(ylabel)
    _format_time_axis(ax, monthly, _time_limits(monthly, pad_single=True), max_ticks=4)
    ax.set_ylim(bottom=0)          # from zero: a 2 % change must look like 2 %
    if not np.isfinite(_column(monthly, column)).any():
        ax.set_yticks([])
        ax.text(0.5, 0.1, f"{ylabel.split(' (')[0]}: no data yet", transform=ax.transAxes,
                ha="center", va="bottom", color="0.35", fontsize=9)


def _goal_panel(ax: Axes, monthly: pd.DataFrame, baseline: pd.DataFrame | None,
                outcome: Outcome, title: str) -> None:
    """A goal's headline outcome over time: label, unit and colour from the outcome table."""
    percent = outcome.unit == "share"
    ylabel = f"{outcome.label()} ({outcome.unit_label('short')})"
    _headline_panel(ax, monthly, baseline, outcome.name, 100.0 if percent else 1.0, title,
                    ylabel, outcome.colour or "black")


def _title(summary: Mapping[str, Any]) -> str:
    """The page title from the run's identity: scenario, seed, months, scale, version."""
    parts = [f"circsim: {summary.get('scenario', '?')}"]
    for key in ("seed", "months", "scale"):
        if summary.get(key) is not None:
            parts.append(f"{key} {summary[key]}")
    if summary.get("version"):
        parts.append(f"version {summary['version']}")
    return "  |  ".join(parts)


def plot_run(monthly: pd.DataFrame, summary: Mapping[str, Any], path: str | Path,
             baseline: pd.DataFrame | None = None) -> Path:
    """Write the one-page PNG of a run to ``path`` and return it as a :class:`Path`.

    ``monthly`` is the run's monthly frame (one row per month); ``summary`` its summary
    dict (title and the headline box); ``baseline`` an optional monthly frame of a
    reference run, drawn dashed grey in the headline panels. NaN values (e.g. service
    life before any garment is discarded) leave gaps; a one-month frame still renders.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig = Figure(figsize=FIGSIZE, dpi=DPI)
    FigureCanvasAgg(fig)
    grid = fig.add_gridspec(2, 3, height_ratios=[1.55, 1.0], hspace=0.42, wspace=0.45,
                            left=0.06, right=0.95, top=0.91, bottom=0.07)

    _fates_panel(fig.add_subplot(grid[0, :2]), monthly)

    _summary_box(fig.add_subplot(grid[0, 2]), monthly, summary)

    waste_goal, life_goal, reach_goal = headline(3)
    waste = fig.add_subplot(grid[1, 0])
    _goal_panel(waste, monthly, baseline, waste_goal, "Waste reduction")
    life = fig.add_subplot(grid[1, 1])
    _goal_panel(life, monthly, baseline, life_goal, "Product life extension")
    reach = fig.add_subplot(grid[1, 2])
    _goal_panel(reach, monthly, baseline, reach_goal, "Help reaching low-income households")
    for ax in (waste, life, reach):
        if baseline is not None:
            _headroom(ax, 0.3)
            ax.legend(fontsize=8, loc="upper left", ncol=2, framealpha=0.85)

    fig.suptitle(_title(summary), fontsize=14, fontweight="bold", x=0.06, ha="left")
    fig.savefig(path, format="png", dpi=DPI, facecolor="white")
    return path
