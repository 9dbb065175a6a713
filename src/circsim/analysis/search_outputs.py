"""What a search writes: evaluations.csv, pareto.csv, pareto.png, packages.md, search.json.

``search.json`` holds what the report needs (objectives, constraints, packages) so that
the report reads a search folder without the experiment file.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from circsim.experiments.figures import DPI, FONT, WIDTH_IN  # one size for every printed figure
from circsim.outcomes import BY_NAME, fmt

from .pareto import roles

if TYPE_CHECKING:
    from .search import SearchResult
    from .search_spec import SearchExperiment

SUMMARY = "search.json"


def write_outputs(result: SearchResult) -> dict[str, Path]:
    """Write the search's tables, figure and packages into ``result.out``."""
    from .search import save_json

    out = result.out
    assert out is not None
    files = {"evaluations": out / "evaluations.csv", "pareto": out / "pareto.csv",
             "packages": out / "packages.md", "summary": out / SUMMARY}
    result.evaluations.to_csv(files["evaluations"], index=False)
    result.pareto.to_csv(files["pareto"], index=False)
    files["packages"].write_text(packages_markdown(result.spec, result.packages,
                                                   result.evaluations))
    save_json(files["summary"], summary(result))
    if len(result.evaluations):
        s = result.spec.search
        files["figure"] = pareto_figure(result.spec.name, dict(s.objectives),
                                        result.evaluations, result.packages,
                                        out / "pareto.png", constraints=s.constraints)
    return files


def summary(result: SearchResult) -> dict[str, Any]:
    """The search in a few keys, for the report."""
    s = result.spec.search
    return {"name": result.spec.name, "scenario": result.spec.experiment.scenarios[0],
            "objectives": dict(s.objectives), "constraints": list(s.constraints),
            "levers": {p: list(r) for p, r in s.levers.items()},
            "population": s.population, "generations": s.generations,
            "replicates": result.spec.experiment.replicates,
            "seed": result.spec.experiment.seed,
            "evaluated": len(result.evaluations),
            "feasible": int(result.evaluations["feasible"].sum()) if len(result.evaluations)
            else 0, "front": len(result.pareto), "packages": result.packages}


def _unit(metric: str) -> str:
    o = BY_NAME.get(metric)
    return o.unit if o is not None else ""


def show(metric: str, value: float) -> str:
    """A value as people read it: EUR in millions, shares in %, else plain with commas."""
    if value != value:
        return "n/a"
    unit = _unit(metric)
    if unit == "EUR":
        return f"EUR {value / 1e6:,.2f} million"
    if unit == "share":
        return f"{100 * value:.1f} %"
    digits = 0 if abs(value) >= 100 else 2
    return f"{value:,.{digits}f} {unit}".strip()


def setting(value: float) -> str:
    """A lever's value in plain digits: 300,000 and 0.0807, never 3e+05."""
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.3g}"


def packages_markdown(spec: SearchExperiment, packages: list[dict[str, Any]],
                      evaluations: Any) -> str:
    """``packages.md``: three packages a councillor could choose between, with the rules."""
    s = spec.search
    lines = [f"# Lever packages: {spec.name}", "",
             f"Search of the levers of `{spec.experiment.scenarios[0]}`: NSGA-II, "
             f"{s.population} candidates x {s.generations} generations, "
             f"{spec.experiment.replicates} replicates each on common random numbers, "
             f"seed {spec.experiment.seed}.", "",
             "Objectives: " + ", ".join(f"{m} ({'lower' if d == 'min' else 'higher'} is "
                                        "better)" for m, d in s.objectives.items()) + ".",
             "Constraints (on the mean over replicates): "
             + (", ".join(str(c) for c in s.parsed_constraints) or "none") + ".", ""]
    if not packages:
        lines.append("No candidate met the constraints, so there is no front to choose from.")
        return "\n".join(lines) + "\n"
    designed = evaluations[evaluations["candidate"] == 0]
    if len(designed):
        d = designed.iloc[0]
        lines += ["The scenario's own package (candidate 0, levers clipped into the ranges): "
                  + "; ".join(f"{m} {show(m, d[f'{m}_mean'])}" for m in s.metrics)
                  + ("" if d["feasible"] else " (outside the constraints)") + ".", ""]
    for p in packages:
        same = f" (the same candidate as {', '.join(p['same_as'])})" if p["same_as"] else ""
        lines += [f"## {p['name']}: candidate {p['candidate']}{same}", "",
                  f"Rule: {p['rule']}." + (f" Note: {p['note']}." if p["note"] else ""), "",
                  f"Net public cost: **{show(p['cost_metric'], p['cost'])}** over the run.", "",
                  "| lever | setting |", "| --- | --- |"]
        lines += [f"| {path} | {setting(value)} |" for path, value in p["levers"].items()]
        lines += ["", "| outcome | mean | 95 % CI |", "| --- | --- | --- |"]
        lines += [f"| {m} | {show(m, mean)} | {show(m, low)} to {show(m, high)} |"
                  for m, (mean, low, high) in p["effects"].items()]
        lines.append("")
    return "\n".join(lines)


def pareto_figure(name: str, objectives: dict[str, str], evaluations: Any,
                  packages: list[dict[str, Any]], path: Any, lang: str = "en",
                  constraints: Sequence[str] = ()) -> Any:
    """The trade-off: first effect against cost, coloured by the last effect; the front
    circled, infeasible candidates as crosses, a bound on the cost as a dashed line, the
    packages named (one label for a candidate that answers several rules)."""
    from .search_spec import Constraint

    cost, first, last = roles(objectives)
    fig = Figure(figsize=(WIDTH_IN, 5.2), dpi=DPI)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    x, y = (_scaled(evaluations[f"{m}_mean"], m) for m in (first, cost))
    feasible = evaluations["feasible"].to_numpy(bool)
    front = evaluations["pareto"].to_numpy(bool)
    ax.scatter(x[~feasible], y[~feasible], marker="x", color="0.6", s=30,
               label="outside the constraints" if lang == "en" else "fuori dai vincoli")
    colour = _scaled(evaluations[f"{last}_mean"], last)
    scale = {"cmap": "viridis", "vmin": _nanmin(colour), "vmax": _nanmax(colour)}
    dots = ax.scatter(x[feasible & ~front], y[feasible & ~front], c=colour[feasible & ~front],
                      s=25, alpha=0.5, **scale)
    ax.scatter(x[front], y[front], c=colour[front], s=70, edgecolors="black", **scale,
               label="Pareto front" if lang == "en" else "fronte di Pareto")
    for text in constraints:
        c = Constraint.parse(text)
        if c.metric == cost:
            ax.axhline(float(_scaled([c.bound], cost)[0]), color="0.3", linestyle="--",
                       linewidth=1, label="budget" if lang == "en" else "bilancio")
    names: dict[int, list[str]] = {}
    for p in packages:
        names.setdefault(p["candidate"], []).append(p["name"])
    for candidate, titles in names.items():
        row = evaluations[evaluations["candidate"] == candidate].iloc[0]
        px, py = (float(_scaled([row[f"{m}_mean"]], m)[0]) for m in (first, cost))
        ax.annotate(" = ".join(titles), (px, py), xytext=(8, 8), textcoords="offset points",
                    fontsize=FONT, fontweight="bold")
    bar = fig.colorbar(dots, ax=ax)
    bar.set_label(_axis(last, lang), fontsize=FONT)
    bar.ax.tick_params(labelsize=FONT)
    ax.set_xlabel(_axis(first, lang), fontsize=FONT)
    ax.set_ylabel(_axis(cost, lang), fontsize=FONT)
    for axis in (ax.xaxis, ax.yaxis, bar.ax.yaxis):
        axis.set_major_formatter(FuncFormatter(lambda v, _pos: _tick(v, lang)))
    ax.tick_params(labelsize=FONT)
    ax.legend(fontsize=FONT, loc="best")
    title = ("{name}: {n} candidates, {f} on the front" if lang == "en"
             else "{name}: {n} candidati, {f} sul fronte")
    ax.set_title(title.format(name=name, n=len(evaluations), f=int(front.sum())),
                 fontsize=FONT + 1)
    fig.tight_layout()
    fig.savefig(path, format="png")
    return path


def _tick(value: float, lang: str) -> str:
    """A tick label: plain digits with the language's separators, no needless decimals."""
    return fmt.number(value, lang, 0 if value == round(value) else None)


def _scaled(values: Any, metric: str) -> Any:
    import numpy as np

    v = np.asarray(values, dtype=float)
    unit = _unit(metric)
    return v / 1e6 if unit == "EUR" else v * 100 if unit == "share" else v


def _axis(metric: str, lang: str) -> str:
    o = BY_NAME.get(metric)
    name = o.label(lang) if o is not None else metric
    unit = _unit(metric)
    million = "EUR million" if lang == "en" else "milioni di EUR"
    suffix = {"EUR": million, "share": "%"}.get(unit, unit)
    return f"{name} ({suffix})" if suffix else name


def _nanmin(values: Any) -> float:
    import numpy as np

    return float(np.nanmin(values)) if np.isfinite(values).any() else 0.0


def _nanmax(values: Any) -> float:
    import numpy as np

    return float(np.nanmax(values)) if np.isfinite(values).any() else 1.0
