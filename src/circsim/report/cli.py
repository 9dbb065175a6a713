"""``circsim report``: a self-contained HTML report from a compare or sweep folder."""

from __future__ import annotations

import argparse
from pathlib import Path


def cmd_report(args: argparse.Namespace) -> int:
    from circsim.report.html import build_report
    from circsim.report.i18n import LANGUAGES

    english = Path(args.out) if args.out else Path(args.results) / "report.html"
    for lang in (args.lang,) if args.lang else LANGUAGES:
        out = english if lang == "en" else english.with_name(
            f"{english.stem}.{lang}{english.suffix}")
        print(f"Wrote {build_report(args.results, lang=lang, out=out)}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``circsim report`` to the command line."""
    r = sub.add_parser("report", help="a self-contained HTML report of a compare or sweep, "
                                      "in English and Italian")
    r.add_argument("results", metavar="RESULTS_DIR",
                   help="the output folder of 'circsim compare' or 'circsim sweep'")
    r.add_argument("--lang", choices=("en", "it"),
                   help="write only this language (default: both)")
    r.add_argument("--out", help="where to write the English HTML (default: "
                                 "RESULTS_DIR/report.html); the Italian report is written "
                                 "beside it with .it before the extension "
                                 "(report.it.html)")
    r.set_defaults(func=cmd_report)
