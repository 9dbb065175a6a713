"""The ``circsim`` command: argument parsing only; the work is delegated.

User mistakes (bad scenario files, bad options) end with a one-paragraph
message on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import gc
import sys
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from circsim.scenario import CircsimError
from circsim.scenario.errors import CircsimWarning

PROGRESS_MIN_HOUSEHOLDS_MONTHS = 2_000_000   # show a progress bar above this much work


def _overrides(args: argparse.Namespace) -> dict:
    over = {}
    for key in ("months", "seed", "scale"):
        value = getattr(args, key, None)
        if value is not None:
            over[key] = value
    return over


OPTION_LABEL = "command line"


def load_with_options(args: argparse.Namespace):
    """The scenario of ``args`` with its command-line options applied; a problem with an
    option names the option (``--months``), a problem in the file its line."""
    from circsim.scenario import ScenarioError, load_scenario

    over = _overrides(args)
    try:
        return load_scenario(args.scenario, overrides=over, override_label=OPTION_LABEL)
    except ScenarioError as err:
        raise err.naming_options(OPTION_LABEL, over) from None


def cmd_run(args: argparse.Namespace) -> int:
    from circsim.outdir import check_writable, default_folder
    from circsim.run import run_scenario

    scenario = load_with_options(args)
    out = Path(args.out) if args.out else default_folder(scenario.name, f"seed{scenario.seed}")
    check_writable(out)                  # before simulating: a long run is not lost to a typo
    work = scenario.population.households * scenario.scale * scenario.months
    # what is loaded so far (libraries, the scenario) outlives the run: the garbage
    # collector need not walk it again in each full collection (a tenth of the run's CPU);
    # released afterwards for callers in the same process
    gc.freeze()
    try:
        return _run_and_report(scenario, out, run_scenario(
            scenario, progress=work > PROGRESS_MIN_HOUSEHOLDS_MONTHS and sys.stderr.isatty()))
    finally:
        gc.unfreeze()


def _run_and_report(scenario, out: Path, result) -> int:
    """Save a finished run (with the baseline's months beside it, for a scenario other
    than the baseline) and print its summary."""
    from circsim.run import run_scenario

    baseline = None
    if scenario.name != "baseline":  # the same seed without the scenario's changes
        from circsim.scenario import load_scenario

        base = load_scenario("baseline", overrides={"months": scenario.months, "seed":
                             scenario.seed, "scale": scenario.scale})
        baseline = run_scenario(base).monthly
    paths, png = _save_run(result, out, baseline)
    from circsim.report import format_summary

    print(format_summary(result.summary))
    print(f"\nWrote {paths['monthly']}, {paths['summary']}, {paths['flows']}, "
          f"{paths['money']} and {png}")
    return 0


def _save_run(result, out: Path, baseline) -> tuple[dict, Path]:
    """Write a finished run to ``out``; if that fails, to a fresh folder under results/,
    and say both (the run is never lost to a folder that stopped being writable)."""
    from circsim.outdir import OutputError, atomic_path, rescue_folder
    from circsim.report import plot_run

    def write(folder: Path) -> tuple[dict, Path]:
        paths = result.save(folder)
        try:
            with atomic_path(folder / "run.png") as tmp:
                plot_run(result.monthly, result.summary, tmp, baseline=baseline)
        except OSError as exc:
            raise OutputError(f"cannot write the outputs to {folder} ({exc.strerror})") from None
        return paths, folder / "run.png"

    try:
        return write(out)
    except OutputError as first:
        rescue = rescue_folder(result.scenario.name)
        try:
            write(rescue)
        except OutputError:
            raise OutputError(f"{first}; the run finished but could not be saved "
                              f"anywhere (also tried {rescue})") from None
        raise OutputError(f"{first}; the run finished and its outputs were written to "
                          f"{rescue} instead") from None


def cmd_validate(args: argparse.Namespace) -> int:
    from circsim.scenario import validate_files

    bad = 0
    for name, error in validate_files(args.scenarios):
        if error is None:
            print(f"{name}: ok")
        else:
            bad += 1
            print(str(error), file=sys.stderr)
    return 2 if bad else 0


def cmd_scenarios(args: argparse.Namespace) -> int:
    from circsim.scenario import bundled_scenarios

    for b in bundled_scenarios():
        print(f"{b.name:<22} {b.description}")
    return 0


def cmd_calibration(args: argparse.Namespace) -> int:
    from circsim.calibration import validation_report
    from circsim.report import format_table
    from circsim.seeds import replicate_seeds

    scenario = load_with_options(args)
    if args.out:
        _check_table_path(Path(args.out))       # before the runs, not after
    seeds = replicate_seeds(scenario.seed, args.replicates)
    table, patterns = validation_report(scenario, seeds)
    rows = [{
        "statistic": r.statistic,
        "model": f"{r.model:.3g}" + (f" ± {r.ci95:.2g}" if r.ci95 == r.ci95 else ""),
        "public": f"{r.public_low:g}-{r.public_high:g}",
        "ok": "yes" if r.within else "NO",
        "kind": r.kind,
    } for r in table.itertuples()]
    print(f"Calibration of '{scenario.name}' ({len(seeds)} replicates, scale {scenario.scale},"
          f" {scenario.months} months; model mean ± 95 % CI)\n")
    print(format_table(rows, ["statistic", "model", "public", "ok", "kind"]))
    print("\nPatterns (each must hold in every replicate):\n")
    print(format_table([{
        "pattern": p.pattern, "holds": f"{p.replicates_holding}/{p.replicates}",
        "model shows": p.shows} for p in patterns.itertuples()],
        ["pattern", "holds", "model shows"]))
    print("\nSources:")
    for r in table.itertuples():
        print(f"- {r.statistic}: {r.source}")
    for p in patterns.itertuples():
        print(f"- {p.pattern}: {p.source}")
    if args.out:
        _write_calibration(table, patterns, Path(args.out))
        print(f"\nWrote {args.out}")
    return 0


def _check_table_path(path: Path) -> None:
    """A CSV can be written at ``path``: not a folder, in a folder that can be written."""
    from circsim.outdir import OutputError, check_writable

    if path.is_dir():
        raise OutputError(f"cannot write the table to {path}: it is a folder; give --out a "
                          "file name such as calibration.csv")
    check_writable(path.parent)


def _write_calibration(table, patterns, path: Path) -> None:
    """The calibration table at ``path`` and its patterns beside it, each atomically."""
    from circsim.outdir import OutputError, atomic_path

    try:
        for frame, target in ((table, path),
                              (patterns, path.with_name(path.stem + "_patterns.csv"))):
            with atomic_path(target) as tmp:
                frame.to_csv(tmp, index=False)
    except OSError as exc:
        raise OutputError(f"cannot write the table to {path} ({exc.strerror})") from None


def cmd_outcomes(args: argparse.Namespace) -> int:
    from circsim.outcomes.describe import describe

    print(describe(args.format, args.lang), end="")
    return 0


class _VersionAction(argparse.Action):
    """``--version``: the version is read from package metadata only when asked for."""

    def __init__(self, option_strings, dest=argparse.SUPPRESS, **kwargs) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS,
                         help="show program's version number and exit", **kwargs)

    def __call__(self, parser, namespace, values, option_string=None) -> None:
        from circsim import __version__

        parser.exit(message=f"circsim {__version__}\n")


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="circsim", description=(
        "Agent-based simulation of the circular textile economy of the Metropolitan City "
        "of Milan."))
    p.add_argument("--version", action=_VersionAction)
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def run_options(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("scenario", nargs="?", default="baseline",
                        help="bundled scenario name or YAML path (default: baseline)")
        sp.add_argument("--months", type=int, help="months to simulate")
        sp.add_argument("--seed", type=int, help="random seed")
        sp.add_argument("--scale", type=float,
                        help="share of the metro's households simulated (1.0 = all)")

    r = sub.add_parser("run", help="run one scenario and write its outputs")
    run_options(r)
    r.add_argument("--out", help="output folder (default: results/<scenario>-seed<seed>)")
    r.set_defaults(func=cmd_run)

    v = sub.add_parser("validate", help="check scenario files without running them")
    v.add_argument("scenarios", nargs="+", metavar="SCENARIO")
    v.set_defaults(func=cmd_validate)

    s = sub.add_parser("scenarios", help="list the bundled scenarios")
    s.set_defaults(func=cmd_scenarios)

    c = sub.add_parser("calibration",
                       help="baseline outputs beside the public statistics, with sources")
    run_options(c)
    c.add_argument("--replicates", type=int, default=5,
                   help="runs, seeded like the replicates of `circsim compare` (default: 5)")
    c.add_argument("--out", help="also write the table as CSV here")
    c.set_defaults(func=cmd_calibration)

    o = sub.add_parser("outcomes", help="every outcome: unit, aggregation, direction, meaning")
    o.add_argument("--format", choices=("text", "md", "csv"), default="text",
                   help="plain text (default), Markdown tables or CSV")
    o.add_argument("--lang", choices=("en", "it"), default="en", help="language of labels")
    o.set_defaults(func=cmd_outcomes)

    for register in _command_families():
        register(sub)
    return p


def _command_families():
    """Other command families, each registering its subcommands from its own module."""
    import importlib

    for module in ("circsim.experiments.cli", "circsim.bench", "circsim.viz.cli",
                   "circsim.report.cli", "circsim.analysis.discover_cli",
                   "circsim.analysis.search_cli", "circsim.analysis.fit_cli"):
        try:
            mod = importlib.import_module(module)
        except ModuleNotFoundError as err:
            if err.name and module.startswith(err.name):
                continue       # that family is not part of this build
            raise
        yield mod.register


@contextmanager
def warnings_as_lines() -> Iterator[None]:
    """Show circsim's own warnings (a retired key, ...) as one line each on stderr.

    ``circsim: warning: file.yaml:12: old.key is retired; use new.key (why)``: no
    traceback and no source line of circsim, and the exit code is not changed. Each
    message is shown once, however often a file is loaded. Other warnings keep
    Python's usual display.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("always", CircsimWarning)
        usual = warnings.showwarning
        shown: set[str] = set()

        def show(message, category, filename, lineno, file=None, line=None):  # noqa: ANN001
            if issubclass(category, CircsimWarning):
                if str(message) not in shown:
                    shown.add(str(message))
                    print(f"circsim: warning: {message}", file=sys.stderr)
            else:
                usual(message, category, filename, lineno, file, line)

        warnings.showwarning = show
        yield


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``circsim`` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    with warnings_as_lines():
        try:
            return args.func(args)
        except CircsimError as err:
            print(f"circsim: {err}", file=sys.stderr)
            return 2
        except KeyboardInterrupt:
            print("circsim: interrupted", file=sys.stderr)
            return 130
        except Exception:
            import traceback

            traceback.print_exc()
            print(INTERNAL_ERROR, file=sys.stderr)
            return 1


#: What an error that is not the user's says after its traceback.
INTERNAL_ERROR = (
    "circsim: internal error: this is a bug in circsim, not a mistake in your input. Please "
    "report it to the circsim maintainers with the command you ran, the scenario or "
    "experiment file, `circsim --version` and the traceback above.")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
