"""Figures of experiments: scenario comparison, time series with bands, sweeps, sensitivity.

Built with :class:`matplotlib.figure.Figure` and the Agg canvas, never ``pyplot``,
so they touch no global state (headless, worker processes, notebooks alike).
One panel per metric, at most :data:`MAX_PANELS`, in the headline order. Two panels a row
at a page's width with text of at least 11 pt, so a figure printed or embedded at its own
size stays legible; axes show plain numbers with the language's separators (never
``1e7``); every label comes from the outcome table, in English or Italian (``lang``).
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from circsim.outcomes import BY_NAME, fmt

from .stats import summarize_groups

MAX_PANELS = 12
DPI = 150
#: Width of a figure in inches: a page's text width, so that it is shown unshrunk.
WIDTH_IN = 7.5
FONT = 11
WORDS = {
    "en": {"comparison": "Against {ref}: mean and 95 % CI over replicates; change with "
                         "paired 95 % CI",
           "timeseries": "Monthly values: mean over replicates with 95 % CI band",
           "sweep": "Sweep of {ref}: mean and 95 % CI over replicates",
           "sobol": "Sobol indices (95 % CI): {ref}", "morris": "Morris mu* and sigma: {ref}",
           "first order": "first order", "total": "total"},
    "it": {"comparison": "Rispetto a {ref}: media e IC 95 % sulle repliche; variazione con "
                         "IC 95 % appaiato",
           "timeseries": "Valori mensili: media sulle repliche con banda IC 95 %",
           "sweep": "Esplorazione di {ref}: media e IC 95 % sulle repliche",
           "sobol": "Indici di Sobol (IC 95 %): {ref}", "morris": "Morris mu* e sigma: {ref}",
           "first order": "primo ordine", "total": "totale"},
}
REFERENCE_COLOUR = "0.55"
# Okabe-Ito, then tab10 for more scenarios
COLOURS = ("#000000", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00",
           "#CC79A7", "#999999", "#8C564B", "#17BECF", "#BCBD22")


def label(metric: str, lang: str = "en") -> str:
    """``Textile waste (kg per resident per year)`` for an outcome, the key otherwise."""
    return BY_NAME[metric].label_with_unit(lang) if metric in BY_NAME else metric


def monthly_label(metric: str, lang: str = "en") -> str:
    """The label of a monthly value: a run's total becomes an amount per month."""
    o = BY_NAME.get(metric)
    if o is None or o.aggregate != "sum":
        return label(metric, lang)
    return f"{o.label(lang)} ({o.unit_label(lang)} {'al mese' if lang == 'it' else 'per month'})"


def _grid(n: int, height: float = 2.6, cols: int = 2) -> tuple[Figure, list]:
    """A figure a page wide with ``n`` panels, ``cols`` a row, fonts of :data:`FONT` pt."""
    cols = min(cols, max(n, 1))
    rows = math.ceil(max(n, 1) / cols)
    fig = Figure(figsize=(WIDTH_IN, height * rows + 0.9), layout="constrained")
    FigureCanvasAgg(fig)
    axes = fig.subplots(rows, cols, squeeze=False).ravel().tolist()
    for ax in axes[n:]:
        ax.set_visible(False)
    for ax in axes[:n]:
        ax.tick_params(labelsize=FONT)
    return fig, axes[:n]


def _plain(axis, lang: str, metric: str | None = None) -> None:
    """Plain numbers with the language's separators on ``axis``; shares in %."""
    share = metric in BY_NAME and BY_NAME[metric].unit == "share"
    axis.set_major_locator(MaxNLocator(nbins=4))
    axis.set_major_formatter(FuncFormatter(
        lambda v, _p: f"{_tick(v * 100, lang)} %" if share else _tick(v, lang)))


def _tick(v: float, lang: str) -> str:
    return fmt.number(v, lang, 0 if abs(v) >= 10 or float(v).is_integer() else 1)


def _title(ax, text: str) -> None:
    """A panel title wrapped to the panel's width, at the figure's font size."""
    width = 34 if ax.get_subplotspec().get_gridspec().ncols > 1 else 70
    ax.set_title("\n".join(textwrap.wrap(text, width)), fontsize=FONT, loc="left")


def _save(fig: Figure, path) -> Path:
    """Write the PNG to ``path`` (a file name, atomically; or a binary stream for embedding)."""
    if not isinstance(path, str | Path):
        fig.savefig(path, dpi=DPI, format="png")
        return path
    from .store import _atomic_write

    _atomic_write(Path(path), lambda p: fig.savefig(p, dpi=DPI, format="png"))
    return Path(path)


def _legend(fig: Figure, axes: list, n: int) -> None:
    if axes:
        fig.legend(*axes[0].get_legend_handles_labels(), loc="outside lower center",
                   ncols=min(n, 2), fontsize=FONT, frameon=False)


def comparison_bars(table: pd.DataFrame, metrics: Sequence[str], path, lang: str = "en",
                    names: dict[str, str] | None = None,
                    max_panels: int = MAX_PANELS) -> Path:
    """Per metric: each scenario's mean with its 95 % CI, the reference grey.

    ``names`` maps scenario ids to the names people read (ids otherwise).
    """
    names = names or {}
    if "point" in table:
        table = table[table["point"] == table["point"].min()]
    metrics = [m for m in metrics if m in set(table["metric"])][:max_panels]
    scenarios = list(dict.fromkeys(table["scenario"]))
    fig, axes = _grid(len(metrics), height=0.35 * len(scenarios) + 1.3)
    for ax, metric in zip(axes, metrics, strict=True):
        rows = table[table["metric"] == metric].set_index("scenario").reindex(scenarios)
        y = np.arange(len(scenarios))[::-1]
        mean = rows["mean"].to_numpy(dtype=float)
        err = np.nan_to_num(np.vstack([mean - rows["ci_low"], rows["ci_high"] - mean]))
        for i, sc in enumerate(scenarios):
            colour = REFERENCE_COLOUR if i == 0 else COLOURS[(i + 4) % len(COLOURS)]
            ax.barh(y[i], mean[i], xerr=err[:, i:i + 1], color=colour, capsize=3, height=0.7,
                    label=names.get(sc, sc))
        ax.set_yticks([])
        _title(ax, label(metric, lang))
        _plain(ax.xaxis, lang, metric)
    _legend(fig, axes, len(scenarios))
    ref = names.get(scenarios[0], scenarios[0]) if scenarios else ""
    fig.suptitle(WORDS[lang]["comparison"].format(ref=ref), fontsize=FONT)
    return _save(fig, path)


def time_series(monthly: pd.DataFrame, metrics: Sequence[str], path, lang: str = "en",
                names: dict[str, str] | None = None,
                max_panels: int = MAX_PANELS) -> Path:
    """Per metric: each scenario's monthly mean over replicates with its 95 % CI band."""
    names = names or {}
    if "point" in monthly:
        monthly = monthly[monthly["point"] == monthly["point"].min()]
    metrics = [m for m in metrics if m in monthly][:max_panels]
    scenarios = list(dict.fromkeys(monthly["scenario"]))
    band = summarize_groups(monthly, ["scenario", "month"], metrics)
    years = monthly.groupby("month")["year"].first()
    fig, axes = _grid(len(metrics))
    for ax, metric in zip(axes, metrics, strict=True):
        rows = band[band["metric"] == metric]
        for i, scenario in enumerate(scenarios):
            r = rows[rows["scenario"] == scenario].sort_values("month")
            x = years.reindex(r["month"]).to_numpy(dtype=float)
            colour = REFERENCE_COLOUR if i == 0 else COLOURS[(i + 4) % len(COLOURS)]
            ax.plot(x, r["mean"], color=colour, lw=1.4, label=names.get(scenario, scenario))
            ax.fill_between(x, r["ci_low"], r["ci_high"], color=colour, alpha=0.2, lw=0)
        _title(ax, monthly_label(metric, lang))
        _plain(ax.yaxis, lang, metric)
        ax.xaxis.set_major_locator(MaxNLocator(nbins=4, integer=True))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v:.0f}"))
        ax.set_ylim(bottom=min(0.0, ax.get_ylim()[0]))
    _legend(fig, axes, len(scenarios))
    fig.suptitle(WORDS[lang]["timeseries"], fontsize=FONT)
    return _save(fig, path)


def grid_sweep(points: pd.DataFrame, params: Sequence[str], metrics: Sequence[str],
               path, lang: str = "en") -> Path:
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
        _title(ax, label(metric, lang))
        ax.set_xlabel(x_param.split(".")[-1], fontsize=FONT)
        _plain(ax.yaxis, lang, metric)
    if axes and others:
        _legend(fig, axes, 2)
    fig.suptitle(WORDS[lang]["sweep"].format(ref=first), fontsize=FONT)
    return _save(fig, path)


def sensitivity_bars(table: pd.DataFrame, method: str, path, lang: str = "en") -> Path:
    """Per metric: Sobol S1 and ST (or Morris mu* and sigma) of each parameter."""
    first = table["scenario"].iloc[0]
    table = table[table["scenario"] == first]
    metrics = list(dict.fromkeys(table["metric"]))[:MAX_PANELS]
    params = list(dict.fromkeys(table["parameter"]))
    words = WORDS[lang]
    pairs = ((("S1", "S1_conf", words["first order"]), ("ST", "ST_conf", words["total"]))
             if method == "sobol"
             else (("mu_star", "mu_star_conf", "mu*"), ("sigma", None, "sigma")))
    fig, axes = _grid(len(metrics), height=0.3 * len(params) + 1.4, cols=1)
    y = np.arange(len(params))[::-1]
    for ax, metric in zip(axes, metrics, strict=True):
        rows = table[table["metric"] == metric].set_index("parameter").reindex(params)
        for j, (col, conf, name) in enumerate(pairs):
            xerr = rows[conf].to_numpy(dtype=float) if conf else None
            ax.barh(y + (0.2 if j == 0 else -0.2), rows[col], height=0.4, xerr=xerr,
                    capsize=2, color=("#0072B2", "#E69F00")[j], label=name)
        ax.set_yticks(y, [p.split(".", 1)[-1] for p in params], fontsize=FONT)
        _title(ax, label(metric, lang))
        ax.axvline(0, color="0.3", lw=0.6)
    _legend(fig, axes, 2)
    title = words["sobol" if method == "sobol" else "morris"]
    fig.suptitle(title.format(ref=first), fontsize=FONT)
    return _save(fig, path)
