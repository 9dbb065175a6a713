"""``circsim report``: a self-contained HTML report from a compare or sweep folder."""

from __future__ import annotations

import argparse


def cmd_report(args: argparse.Namespace) -> int:
    from circsim.report.html import build_report

    path = build_report(args.results, lang=args.lang, out=args.out)
    print(f"Wrote {path}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``circsim report`` to the command line."""
    r = sub.add_parser("report", help="a self-contained HTML report of a compare or sweep")
    r.add_argument("results", metavar="RESULTS_DIR",
                   help="the output folder of 'circsim compare' or 'circsim sweep'")
    r.add_argument("--lang", choices=("en", "it"), default="en", help="language (en or it)")
    r.add_argument("--out", help="where to write the HTML (default: RESULTS_DIR/report.html)")
    r.set_defaults(func=cmd_report)
