"""``circsim compare`` and ``circsim sweep``: argument parsing and the printed tables."""

from __future__ import annotations

import argparse
import math
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from circsim.outdir import check_writable, default_folder
from circsim.scenario import CircsimError

if TYPE_CHECKING:
    import pandas as pd

#: What the tables, files' readers and the report are told when a group has one replicate.
CI_UNDEFINED = "CI undefined with 1 replicate"


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``compare`` and ``sweep`` subcommands to the ``circsim`` parser."""
    c = sub.add_parser("compare", help="scenarios against the first, with paired replicates",
                       description="Run each scenario R times on common random numbers "
                       "(replicate r of every scenario uses the same seed) and report means, "
                       "95 %% CIs and paired differences against the first scenario.")
    c.add_argument("scenarios", nargs="+", metavar="SCENARIO",
                   help="bundled names or YAML paths; the first is the reference")
    c.add_argument("--replicates", type=int, default=10, help="runs per scenario (default 10)")
    c.add_argument("--months", type=int, help="months to simulate (default: the scenario's)")
    c.add_argument("--scale", type=float, help="share of households simulated")
    c.add_argument("--seed", type=int, help="experiment seed (default: the reference's seed)")
    c.add_argument("--out", help="output folder (default: results/compare-<scenarios>)")
    _execution_options(c)
    c.set_defaults(func=cmd_compare)

    s = sub.add_parser("sweep", help="run an experiment file (grid, sample or sensitivity)",
                       description="Run an experiment: every design point and replicate, "
                       "each saved as it finishes; --resume completes an interrupted sweep.")
    s.add_argument("experiment", metavar="EXPERIMENT",
                   help="bundled experiment name or YAML path")
    s.add_argument("--out", help="output folder (default: results/<experiment name>)")
    _execution_options(s)
    s.set_defaults(func=cmd_sweep)


def _execution_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--jobs", type=int, default=-1,
                   help="parallel workers (default -1: every core; 1: in this process)")
    p.add_argument("--backend", choices=("loky", "dask"), default="loky",
                   help="loky: processes on this machine; dask: a Dask cluster")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="Dask scheduler (tcp://host:port); default: a local cluster")
    p.add_argument("--resume", action="store_true",
                   help="complete the runs missing from --out (never repeats one)")
    p.add_argument("--ensemble", metavar="FILE",
                   help="CSV of parameter sets (circsim fit's ensemble.csv): replicate r uses "
                   "set r mod N, so CIs combine stochastic and parameter uncertainty")


def cmd_compare(args: argparse.Namespace) -> int:
    from .api import comparison_experiment

    if len(args.scenarios) < 2:
        raise CircsimError("compare needs at least two scenarios (the first is the reference)")
    from circsim.scenario import ScenarioError

    try:
        exp = comparison_experiment(args.scenarios, replicates=args.replicates, seed=args.seed,
                                    months=args.months, scale=args.scale,
                                    ensemble=args.ensemble)
    except ScenarioError as err:
        raise err.naming_options("command line", ("replicates", "seed", "months", "scale")) \
            from None
    return _run(exp, args, default_folder(exp.name))


def cmd_sweep(args: argparse.Namespace) -> int:
    from .files import load_experiment

    exp = load_experiment(args.experiment)
    if args.ensemble:
        exp = exp.model_copy(update={"ensemble": args.ensemble}).check()
    return _run(exp, args, default_folder(exp.name))


def _run(exp, args: argparse.Namespace, default_out: Path) -> int:
    from .api import run_experiment
    from .design import points
    from .runner import resolve_jobs

    out = check_writable(Path(args.out) if args.out else default_out)
    n_points, jobs = len(points(exp)), resolve_jobs(args.jobs)
    total = len(exp.scenarios) * n_points * exp.replicates
    where = f"{jobs} {args.backend} worker{'s' if jobs > 1 else ''}" if not args.scheduler \
        else f"the Dask cluster at {args.scheduler}"
    print(f"{exp.name}: {total} runs ({len(exp.scenarios)} scenario(s) x {n_points} point(s) x "
          f"{exp.replicates} replicate(s)) on {where} -> {out}", flush=True)
    try:
        with _terminate_as_interrupt():
            result = run_experiment(exp, out, jobs=jobs, backend=args.backend,
                                    scheduler=args.scheduler, resume=args.resume)
    except KeyboardInterrupt:
        print(f"circsim: the finished runs are saved in {out}/parts; "
              "rerun with --resume to complete the experiment", file=sys.stderr)
        raise
    resumed = total - result.ran
    print(f"\n{len(result.runs)} of {total} runs done ({resumed} from before), "
          f"{result.n_failed} failed, in {result.wall_s:,.1f} s")
    print(uncertainty_sentence(exp))
    if result.runs["scenario"].nunique() > 1 if len(result.runs) else False:
        print()
        print(format_comparison(result.comparison(metrics=result.headline)))
        costs = cost_table(result)
        if costs is not None:
            print()
            print(format_costs(costs))
    if exp.design in ("grid", "sample") and len(result.runs):
        print()
        print(format_points(result.points(metrics=result.headline[:3]), result.params))
    if exp.design == "sensitivity" and len(result.runs):
        print()
        print(format_sensitivity(result.sensitivity(metrics=result.headline)))
    for note in result.notes:
        print(f"note: {note}")
    print(f"\nWrote {out}/runs.parquet, manifest.json and the tables and figures beside them")
    if result.n_failed:
        first = result.failures.iloc[0]
        print(f"circsim: {result.n_failed} of {total} runs failed (details in "
              f"{out}/failures/); the first, run {first['run_id']}: {first['error']}",
              file=sys.stderr)
        return 1
    return 0


@contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """Treat SIGTERM like Ctrl+C while a sweep runs: the pool is shut down, its workers
    ended, the manifest written, and every finished run stays saved for --resume."""
    def stop(signum, frame):  # noqa: ANN001, ARG001
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGTERM, stop)
    except ValueError:              # not the main thread (a notebook's worker thread)
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def uncertainty_sentence(exp) -> str:
    """One sentence: which uncertainty the experiment's confidence intervals show."""
    from .design import ensemble_sets
    from .ensemble import describe, sentence

    sets = len(ensemble_sets(exp)) if exp.ensemble else None
    used = min(sets, exp.replicates) if sets else None
    return sentence(describe(exp.ensemble, used))


def number(value: float) -> str:
    """A number with a sensible precision for a table: 1,234,567 / 53.2 / 0.137."""
    if value is None or not math.isfinite(value):
        return "n/a"
    size = abs(value)
    if size >= 1000:
        return f"{value:,.0f}"
    if size >= 10:
        return f"{value:.1f}"
    if size >= 0.1 or size == 0:
        return f"{value:.3f}"
    return f"{value:.3g}"


def _table(rows: list[list[str]], right: set[int]) -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = [c.rjust(w) if i in right else c.ljust(w)
                 for i, (c, w) in enumerate(zip(row, widths, strict=True))]
        lines.append("  " + "  ".join(cells).rstrip())
    return lines


def format_comparison(table: pd.DataFrame) -> str:
    """The comparison as one block per metric: mean ± CI, paired change with its CI."""
    from .figures import label

    note = ""
    if "point" in table:
        note = " at design point 0 (comparison.csv has every point)"
        table = table[table["point"] == table["point"].min()]
    reference = table["scenario"].iloc[0]
    lines = [f"Mean ± 95 % CI over replicates; difference and % change against {reference},",
             f"with the paired 95 % CI of the change{note} (* it excludes 0)", *_ci_note(table)]
    for metric, rows in table.groupby("metric", sort=False):
        lines += ["", label(metric)]
        cells = [["scenario", "mean", "± CI", "difference", "change", "95 % CI", ""]]
        for r in rows.itertuples():
            row = [str(r.scenario), number(r.mean), number((r.ci_high - r.ci_low) / 2)]
            if r.scenario == reference:
                row += ["", "", "", ""]
            elif r.pct_change == r.pct_change:
                row += [number(r.diff), f"{_pct(r.pct_change)} %",
                        f"[{_pct(r.pct_ci_low)}, {_pct(r.pct_ci_high)}]", _star(r)]
            else:                         # no % of a zero reference: the difference's CI
                row += [number(r.diff), "",
                        f"[{number(r.diff_ci_low)}, {number(r.diff_ci_high)}]", _star(r)]
            cells.append(row)
        lines += _table(cells, {1, 2, 3, 4, 5})
    return "\n".join(lines)


def cost_table(result) -> pd.DataFrame | None:
    """The net public cost's paired change and the cost-effectiveness ratios, or None when
    the runs do not hold the outcomes they need (an experiment that keeps few metrics)."""
    from .cost import COST

    ratios = result.cost_effectiveness()
    if COST not in result.metrics or not len(ratios):
        return None
    import pandas as pd

    return pd.concat([result.comparison(metrics=[COST]), ratios], ignore_index=True)


def format_costs(table: pd.DataFrame) -> str:
    """One line per scenario: the change in net public cost and each ratio with its CI."""
    from .cost import COST, COST_RATIOS

    if "point" in table:
        table = table[table["point"] == table["point"].min()]
    reference = table["scenario"].iloc[0]
    lines = [f"Public cost and cost-effectiveness against {reference} (paired 95 % CIs; a "
             "ratio is undefined, n/a, when its effect's CI includes 0)", ""]
    header = ["scenario", "net public cost change, EUR (run)", *(r.short for r in COST_RATIOS)]
    cells, notes = [header], []
    for scenario, rows in table.groupby("scenario", sort=False):
        if scenario == reference:
            continue
        by = rows.set_index("metric")
        cost = by.loc[COST]
        row = [str(scenario), f"{number(cost['diff'])} [{number(cost['diff_ci_low'])}, "
                              f"{number(cost['diff_ci_high'])}]{_star(cost)}"]
        for r in COST_RATIOS:
            hit = by.loc[r.name] if r.name in by.index else None
            if hit is None or hit["mean"] != hit["mean"]:
                row.append("n/a")
                if hit is not None:
                    notes.append(f"{scenario}, {r.name}: {hit['note']}")
            else:
                row.append(f"{number(hit['mean'])} [{number(hit['ci_low'])}, "
                           f"{number(hit['ci_high'])}]")
        cells.append(row)
    lines += _table(cells, set(range(1, len(header))))
    if notes:
        lines += ["", *(f"  {n}" for n in notes)]
    return "\n".join(lines)


def _pct(value: float) -> str:
    """A % change: one decimal, or two significant digits when below 0.1."""
    if value != value:
        return "n/a"
    return f"{value:+.1f}" if abs(value) >= 0.1 or value == 0 else f"{value:+.2g}"


def _star(row) -> str:
    low, high = ((row.diff_ci_low, row.diff_ci_high) if hasattr(row, "diff_ci_low")
                 else (row["diff_ci_low"], row["diff_ci_high"]))
    return "*" if low > 0 or high < 0 else ""


def format_points(points: pd.DataFrame, params: list[str]) -> str:
    """Mean ± 95 % CI per design point for a few metrics (all of them in points.csv)."""
    from .figures import label

    metrics = list(dict.fromkeys(points["metric"]))
    wide = points.pivot_table(index=["scenario", "point"], columns="metric",
                              values=["mean", "ci_high", "ci_low"], sort=False, dropna=False)
    first = points.drop_duplicates(["scenario", "point"]).set_index(["scenario", "point"])
    header = ["scenario", "point", *(p.split(".")[-1] for p in params),
              *(label(m) for m in metrics)]
    cells = [header]
    for key in wide.index:
        row = [str(key[0]), str(key[1]), *(_param(first.loc[key, p]) for p in params)]
        for m in metrics:
            mean, low, high = (wide.loc[key, (c, m)] for c in ("mean", "ci_low", "ci_high"))
            row.append(f"{number(mean)} ± {number((high - low) / 2)}" if high == high
                       else number(mean))
        cells.append(row)
    lines = ["Mean ± 95 % CI over replicates per design point (every metric in points.csv)",
             *_ci_note(points), ""]
    return "\n".join(lines + _table(cells, set(range(1, len(header)))))


def _ci_note(table: pd.DataFrame) -> list[str]:
    """A line saying why CIs are missing when some group has a single replicate."""
    if "n" in table and len(table) and (table["n"] == 1).any():
        return [f"{CI_UNDEFINED} (shown as a mean only, NaN in the files)"]
    return []


def _param(value: object) -> str:
    return f"{value:g}" if isinstance(value, int | float) else str(value)


def format_sensitivity(table: pd.DataFrame) -> str:
    """Indices per metric, parameters by decreasing total (or mu*) effect."""
    from .figures import label

    if not len(table):
        return "No sensitivity indices (see the notes below)."
    sobol = "ST" in table
    key = "ST" if sobol else "mu_star"
    header = ["parameter", "S1", "± conf", "ST", "± conf"] if sobol \
        else ["parameter", "mu*", "± conf", "mu", "sigma"]
    cols = ["S1", "S1_conf", "ST", "ST_conf"] if sobol \
        else ["mu_star", "mu_star_conf", "mu", "sigma"]
    lines = ["Sobol indices (first order S1, total ST; ± 95 % conf)" if sobol
             else "Morris elementary effects (mu*, ± 95 % conf; mu; sigma)"]
    for (scenario, metric), rows in table.groupby(["scenario", "metric"], sort=False):
        lines += ["", f"{label(metric)} [{scenario}]"]
        cells = [header] + [[r["parameter"], *(number(r[c]) for c in cols)]
                            for _, r in rows.sort_values(key, ascending=False).iterrows()]
        lines += _table(cells, {1, 2, 3, 4})
    return "\n".join(lines)
