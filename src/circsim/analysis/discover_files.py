"""What ``circsim discover`` writes: the boxes, the peeling trajectory, a trade-off figure
and a reading in plain words.

``boxes.csv``      one row per box and restricted input: limits, the input's full range
                   in the sweep, coverage, density, mass, cases in the box
``peeling.csv``    every step of each box's peeling and pasting, the chosen step marked
``discover.json``  the settings and counts (the HTML report reads it)
``tradeoff.png``   coverage against density along the first box's trajectory
``discover.md``    the boxes as sentences, coverage and density explained

The sentences are built here in English and Italian (the report shows them too).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from circsim.experiments.figures import FONT  # one size for every printed figure
from circsim.outcomes import BY_NAME, fmt

if TYPE_CHECKING:
    import pandas as pd

    from .discover import Discovery

WORDS = {
    "en": {"between": "between {low} and {high}", "in": "one of {values}", "and": " and ",
           "anywhere": "anywhere in the sweep",
           "box": ("{outcome} {target} in {density} of the cases where {where} "
                   "({hits} of {points} cases)."),
           "coverage": ("Coverage: the share of all the cases that meet the target which "
                        "lie in the box."),
           "density": "Density: the share of the cases in the box that meet the target.",
           "mass": "Mass: the share of all cases that lie in the box."},
    "it": {"between": "tra {low} e {high}", "in": "uno tra {values}", "and": " e ",
           "anywhere": "ovunque nell'esplorazione",
           "box": ("{outcome} {target} nel {density} dei casi in cui {where} "
                   "({hits} casi su {points})."),
           "coverage": ("Copertura: la quota di tutti i casi che raggiungono l'obiettivo "
                        "che cade nel riquadro."),
           "density": "Densità: la quota dei casi nel riquadro che raggiungono l'obiettivo.",
           "mass": "Massa: la quota di tutti i casi che cade nel riquadro."},
}


def input_label(path: str) -> str:
    """A sweep input for people: ``collection: bins per 10k residents``."""
    parts = path.removeprefix("policies.").split(".")
    head = " ".join(parts[:-1]).replace("_", " ")
    tail = parts[-1].replace("_", " ")
    return f"{head}: {tail}" if head else tail


def outcome_label(outcome: str, lang: str = "en") -> str:
    return BY_NAME[outcome].label_with_unit(lang) if outcome in BY_NAME else outcome


def _num(value: Any, lang: str) -> str:
    try:
        return fmt.number(float(value), lang)
    except (TypeError, ValueError):
        return str(value)


def condition(name: str, lower: Any, upper: Any, range_lower: Any, range_upper: Any,
              lang: str = "en") -> str:
    """One restriction in words: ``bins ≥ 6.0``, ``reach between 0.02 and 0.05``."""
    w, label = WORDS[lang], input_label(name)
    if isinstance(lower, str):                              # categories, joined by "|"
        return f"{label} {w['in'].format(values=', '.join(lower.split('|')))}"
    low_cut, high_cut = lower != range_lower, upper != range_upper
    if low_cut and not high_cut:
        return f"{label} \u2265 {_num(lower, lang)}"
    if high_cut and not low_cut:
        return f"{label} \u2264 {_num(upper, lang)}"
    return f"{label} {w['between'].format(low=_num(lower, lang), high=_num(upper, lang))}"


def shown_target(target: str, lang: str = "en") -> str:
    """``<= 140000`` as ``≤ 140,000`` (the language's separators)."""
    op, _, value = target.partition(" ")
    return f"{op.replace('<=', chr(0x2264)).replace('>=', chr(0x2265))} {_num(value, lang)}"


def box_sentences(boxes: pd.DataFrame, outcome: str, target: str, lang: str = "en") -> list[str]:
    """One sentence per box of a ``boxes.csv`` table."""
    w, out = WORDS[lang], []
    for _, rows in boxes.groupby("box", sort=True):
        first = rows.iloc[0]
        where = w["and"].join(condition(r.parameter, r.lower, r.upper, r.range_lower,
                                        r.range_upper, lang)
                              for r in rows.itertuples() if isinstance(r.parameter, str)
                              and r.parameter) or w["anywhere"]
        out.append(w["box"].format(
            outcome=outcome_label(outcome, lang), target=shown_target(target, lang),
            density=fmt.percent(first.density * 100, lang, 0, sign=False), where=where,
            hits=int(first.n_target_met), points=int(first.n_points)))
    return out


def tradeoff_figure(trajectory: pd.DataFrame, path: Path, threshold: float) -> Path:
    """Coverage against density along the first box's peeling, the chosen step ringed."""
    from matplotlib import colormaps
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    fig = Figure(figsize=(7.5, 5.0), dpi=150)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    first = trajectory[trajectory["box"] == trajectory["box"].min()]
    most = int(first["restricted"].max())
    dots = ax.scatter(first["coverage"] * 100, first["density"] * 100,
                      c=first["restricted"], cmap=colormaps["viridis"].resampled(most + 1),
                      vmin=-0.5, vmax=most + 0.5, s=36, zorder=2)
    chosen = first[first["chosen"]]
    ax.scatter(chosen["coverage"] * 100, chosen["density"] * 100, s=260, facecolors="none",
               edgecolors="#D55E00", linewidths=2.2, zorder=3, label="chosen box")
    ax.axhline(threshold * 100, color="0.5", linestyle="--", linewidth=1,
               label=f"density threshold ({threshold * 100:g} %)")
    percent = FuncFormatter(lambda v, _: f"{v:g}")
    ax.xaxis.set_major_formatter(percent)
    ax.yaxis.set_major_formatter(percent)
    ax.set_xlim(0, 103)
    ax.set_ylim(0, 103)
    ax.set_xlabel("Coverage (% of the cases meeting the target that lie in the box)",
                  fontsize=FONT)
    ax.set_ylabel("Density (% of the box's cases\nmeeting the target)", fontsize=FONT)
    ax.set_title("PRIM peeling trajectory: coverage against density", fontsize=FONT + 1)
    ax.tick_params(labelsize=FONT)
    bar = fig.colorbar(dots, ax=ax)
    bar.set_label("Inputs restricted", fontsize=FONT)
    bar.ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    bar.ax.tick_params(labelsize=FONT)
    ax.legend(fontsize=FONT, loc="lower left")
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path)
    return path


def markdown(found: Discovery) -> str:
    """The plain-language reading of a discovery (``discover.md``)."""
    share = found.hits / found.cases if found.cases else 0.0

    def pct(x: float) -> str:
        return fmt.percent(x * 100, "en", 0, sign=False)

    case = "run" if found.per_run else "design point (replicates averaged)"
    lines = [f"# Scenario discovery: {outcome_label(found.outcome)} "
             f"{shown_target(str(found.target), 'en')}", "",
             f"Results: `{found.results_dir}`. Each case is a {case}: {found.cases} cases, "
             f"{found.hits} of which ({pct(share)}) meet the target. PRIM (EMA Workbench) "
             f"peeled {found.peel_alpha:g} of the cases at each step, kept boxes of at least "
             f"{pct(found.min_mass)} of the cases and chose, on each trajectory, the box of "
             f"widest coverage with a density of at least {pct(found.threshold)}. Inputs it "
             f"could restrict: {', '.join(f'`{i}`' for i in found.inputs)}.", ""]
    boxes = found.boxes
    if found.found:
        lines.append("## Boxes")
        lines.append("")
        for b, sentence in zip(found.found, box_sentences(boxes, found.outcome,
                                                          str(found.target)), strict=True):
            lines.append(f"{b.number}. {sentence} Coverage {pct(b.coverage)}, density "
                         f"{pct(b.density)}, mass {pct(b.mass)}.")
        if len(found.found) > 1:
            lines += ["", "Boxes after the first were sought among the cases outside the "
                          "boxes before them."]
    else:
        lines.append("No box was found.")
    lines += ["", f"- {WORDS['en']['coverage']}", f"- {WORDS['en']['density']}",
              f"- {WORDS['en']['mass']}"]
    if found.found:
        lines += ["", "`boxes.csv` gives each limit's quasi-p value (Bryant and Lempert 2010, a "
                  "one-sided binomial test): near 0 the limit is unlikely to be chance, above "
                  "0.05 it may well be."]
    if found.notes:
        lines += ["", "Notes: " + "; ".join(found.notes) + "."]
    return "\n".join(lines) + "\n"


def write_all(found: Discovery, out: Path) -> dict[str, Path]:
    """Write every file of a discovery into ``out``; return their paths by name."""
    out.mkdir(parents=True, exist_ok=True)
    paths = {"boxes": out / "boxes.csv", "peeling": out / "peeling.csv",
             "summary": out / "discover.json", "reading": out / "discover.md"}
    found.boxes.to_csv(paths["boxes"], index=False)
    found.trajectory.to_csv(paths["peeling"], index=False)
    paths["summary"].write_text(json.dumps(found.summary(), indent=2) + "\n")
    paths["reading"].write_text(markdown(found), encoding="utf-8")
    if len(found.trajectory):
        paths["tradeoff"] = tradeoff_figure(found.trajectory, out / "tradeoff.png",
                                            found.threshold)
    return paths
