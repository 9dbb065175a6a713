"""``circsim discover``: scenario discovery with PRIM on a sweep's results folder."""

from __future__ import annotations

import argparse
from pathlib import Path

from .discover import MIN_MASS, PEEL_ALPHA, THRESHOLD  # (it loads pandas only when used)


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``circsim discover`` to the command line."""
    d = sub.add_parser(
        "discover", help="the lever and parameter values where a target is met (PRIM)",
        description="Scenario discovery on the output folder of 'circsim sweep' (grid, "
        "sample, Sobol or Morris): PRIM finds boxes of the sweep's inputs where METRIC "
        "meets the target, with their coverage (share of the cases meeting the target that "
        "lie in the box) and density (share of the box's cases meeting the target). Needs "
        "the optional EMA Workbench: pip install 'circsim[discover]'.")
    d.add_argument("results", metavar="RESULTS_DIR", help="the output folder of a sweep")
    d.add_argument("--outcome", required=True, metavar="METRIC",
                   help="a metric kept by the sweep, e.g. residual_waste_t")
    d.add_argument("--target", required=True, metavar='"<= VALUE"',
                   help='the target, "<= VALUE" or ">= VALUE" (quote it)')
    d.add_argument("--threshold", type=float, default=THRESHOLD,
                   help="least density a box must reach (default %(default)s)")
    d.add_argument("--peel-alpha", type=float, default=PEEL_ALPHA,
                   help="share of the cases peeled off at each step (default %(default)s)")
    d.add_argument("--min-mass", type=float, default=MIN_MASS,
                   help="least share of all cases a box keeps (default %(default)s)")
    d.add_argument("--per-run", action="store_true",
                   help="one case per run (default: replicates of a point averaged)")
    d.add_argument("--out", help="output folder (default: RESULTS_DIR/discover_<metric>)")
    d.set_defaults(func=cmd_discover)


def cmd_discover(args: argparse.Namespace) -> int:
    from .discover import discover, parse_target
    from .discover_files import box_sentences

    target = parse_target(args.target)           # before any reading: a typo fails at once
    found = discover(args.results, args.outcome, target, threshold=args.threshold,
                     peel_alpha=args.peel_alpha, min_mass=args.min_mass,
                     per_run=args.per_run)
    out = Path(args.out) if args.out else Path(args.results) / f"discover_{args.outcome}"
    paths = found.save(out)
    print(f"{args.outcome} {target}: met in {found.hits} of {found.cases} cases")
    for box, sentence in zip(found.found, box_sentences(found.boxes, found.outcome,
                                                        str(target)), strict=True):
        print(f"box {box.number}: coverage {box.coverage:.2f}, density {box.density:.2f}, "
              f"mass {box.mass:.2f}\n  {sentence}")
    for note in found.notes:
        print(f"note: {note}")
    print(f"\nWrote {', '.join(p.name for p in paths.values())} in {out}")
    return 0
