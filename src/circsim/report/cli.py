"""``circsim report``: a self-contained HTML report from a compare or sweep folder."""

from __future__ import annotations

import argparse
from pathlib import Path

#: The symbiosis outcomes `circsim oat` shows unless told otherwise.
OAT_METRICS = ("symbiosis_exchanged_t", "symbiosis_links", "symbiosis_firms_participating",
               "symbiosis_collaborations", "symbiosis_sectors_connected")


def cmd_report(args: argparse.Namespace) -> int:
    from circsim.report.html import build_report
    from circsim.report.i18n import LANGUAGES

    english = Path(args.out) if args.out else Path(args.results) / "report.html"
    for lang in (args.lang,) if args.lang else LANGUAGES:
        out = english if lang == "en" else english.with_name(
            f"{english.stem}.{lang}{english.suffix}")
        print(f"Wrote {build_report(args.results, lang=lang, out=out)}")
    return 0


def cmd_network(args: argparse.Namespace) -> int:
    from circsim.outdir import check_writable
    from circsim.report.network import network_figure
    from circsim.scenario import CircsimError

    if Path(args.name).name != args.name or Path(args.name).suffix.lower() != ".png":
        raise CircsimError(f"--name: expected a plain file name ending in .png (it is written "
                           f"into --out), got {args.name!r}")
    check_writable(args.out)
    names = [args.scenario, *(args.against or [])]
    out, states = network_figure(names, args.month, Path(args.out) / args.name,
                                 seed=args.seed, scale=args.scale)
    for st in states:
        print(f"{st.label}: " + ", ".join(f"{k} {v:,.1f}" if isinstance(v, float)
                                          else f"{k} {v:,}" for k, v in st.summary().items()))
    print(f"Wrote {out}")
    return 0


def cmd_oat(args: argparse.Namespace) -> int:
    from circsim.outdir import atomic_path, check_writable
    from circsim.report.oat import markdown_table, oat_figure, oat_table, rough_spots
    from circsim.scenario import CircsimError

    out = Path(args.out)
    if out.suffix.lower() != ".png":
        raise CircsimError(f"--out: expected the path of the PNG to write (ending in .png), "
                           f"got {str(out)!r}")
    table = oat_table([Path(f) for f in args.folders], args.metrics)
    print(markdown_table(table))
    for line in rough_spots(table) or ["every response is above zero and turns back no "
                                       "further than the replicates' spread"]:
        print(line)
    check_writable(out.parent)
    with atomic_path(out) as tmp:
        oat_figure(table).savefig(tmp, dpi=110, format="png")
    print(f"Wrote {out}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``circsim report``, ``circsim network`` and ``circsim oat`` to the command line."""
    n = sub.add_parser("network", help="a picture of the symbiosis network at a month, on the "
                                       "map of Milan, Monza-Brianza and Lodi")
    n.add_argument("scenario", metavar="SCENARIO", help="bundled scenario name or YAML path")
    n.add_argument("--against", nargs="*", metavar="SCENARIO",
                   help="also draw these scenarios, each in a panel beside it")
    n.add_argument("--month", type=int, default=36, help="months after the warm-up (36)")
    n.add_argument("--seed", type=int, help="random seed (default: the scenario's)")
    n.add_argument("--scale", type=float, help="population scale (default: the scenario's)")
    n.add_argument("--out", default="results/network", help="output folder")
    n.add_argument("--name", default="symbiosis_network.png", help="file name of the PNG")
    n.set_defaults(func=cmd_network)
    o = sub.add_parser("oat", help="one-at-a-time responses from one-parameter sweeps: a "
                                   "table, a check for collapses and reversals, a figure")
    o.add_argument("folders", nargs="+", metavar="SWEEP_DIR",
                   help="output folders of 'circsim sweep' on grids of one parameter each")
    o.add_argument("--metrics", nargs="+", default=list(OAT_METRICS), help="outcomes to show")
    o.add_argument("--out", default="results/oat/oat.png", help="where to write the figure")
    o.set_defaults(func=cmd_oat)
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
