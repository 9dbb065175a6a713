"""``circsim fit``: argument parsing and the printed summary."""

from __future__ import annotations

import argparse
import time


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``fit`` subcommand to the ``circsim`` parser."""
    f = sub.add_parser(
        "fit", help="calibrate the free behavioural parameters to the calibration targets",
        description="Screen the uncertain parameters (Morris), then history-match the "
        "chosen ones to the calibration targets by waves; writes ensemble.csv, fit.json, "
        "fit.png and sets.csv (method: docs/fit.md).")
    f.add_argument("scenario", nargs="?", default="baseline",
                   help="bundled scenario name or YAML path (default: baseline)")
    f.add_argument("--out", required=True, help="output folder (one subfolder per stage)")
    f.add_argument("--resume", action="store_true",
                   help="complete an interrupted fit in --out (finished runs are not redone)")
    f.add_argument("--jobs", type=int, default=-1,
                   help="parallel workers (default -1: every core)")
    f.add_argument("--scale", type=float, default=0.01, help="share of households (0.01)")
    f.add_argument("--months", type=int, default=60,
                   help="months simulated after the spin-up in each wave run (60)")
    f.add_argument("--seed", type=int, default=42, help="seed of the fit (42)")
    f.add_argument("--parameters", metavar="PATH,PATH",
                   help="fit these dotted paths (with declared ranges) and skip the screening")
    f.add_argument("--candidates", metavar="PREFIX,PREFIX",
                   help="uncertain parameters to screen: dotted paths or prefixes "
                   "(default: households.,firms.)")
    f.add_argument("--waves", type=int, default=3, help="waves of history matching (3)")
    f.add_argument("--sets", type=int, default=30, help="parameter sets per wave (30)")
    f.add_argument("--replicates", type=int, default=2, help="runs per set (2)")
    f.add_argument("--trajectories", type=int, default=2,
                   help="Morris trajectories of the screening (2)")
    f.set_defaults(func=cmd_fit)


def cmd_fit(args: argparse.Namespace) -> int:
    from circsim.analysis.fit import fit
    from circsim.analysis.fit_report import summary_text

    t0 = time.perf_counter()
    params = [p.strip() for p in args.parameters.split(",")] if args.parameters else None
    extra = {"candidates": tuple(p.strip() for p in args.candidates.split(","))} \
        if args.candidates else {}
    result = fit(args.scenario, args.out, jobs=args.jobs, resume=args.resume,
                 scale=args.scale, months=args.months, seed=args.seed, parameters=params,
                 waves=args.waves, sets_per_wave=args.sets, replicates=args.replicates,
                 screening_trajectories=args.trajectories, **extra)
    print()
    print(summary_text(result))
    print(f"\nin {time.perf_counter() - t0:,.0f} s")
    return 0
