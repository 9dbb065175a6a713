"""``circsim search``: argument parsing and the printed front."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``search`` subcommand to the ``circsim`` parser."""
    s = sub.add_parser(
        "search", help="lever settings on the Pareto front of chosen outcomes (NSGA-II)",
        description="Search the levers an experiment's `search:` section names for the "
        "Pareto front of its objectives under its constraints; every candidate runs on the "
        "same replicate seeds. Writes evaluations.csv, pareto.csv, pareto.png and "
        "packages.md; --resume continues a stopped search without repeating a run.")
    s.add_argument("experiment", metavar="EXPERIMENT",
                   help="bundled experiment name or YAML path with a `search:` section")
    s.add_argument("--out", help="output folder (default: results/<experiment name>)")
    s.add_argument("--jobs", type=int, default=-1,
                   help="parallel workers (default -1: every core; 1: in this process)")
    s.add_argument("--resume", action="store_true",
                   help="continue the search saved in --out (never repeats a run)")
    s.add_argument("--scale", type=float, help="override the experiment's scale")
    s.add_argument("--months", type=int, help="override the experiment's months")
    s.add_argument("--replicates", type=int, help="override the replicates per candidate")
    s.add_argument("--population", type=int, help="override the candidates per generation")
    s.add_argument("--generations", type=int, help="override the number of generations")
    s.set_defaults(func=cmd_search)


def cmd_search(args: argparse.Namespace) -> int:
    import sys

    from .search import search
    from .search_spec import load_search

    over = {k: getattr(args, k) for k in ("scale", "months", "replicates")
            if getattr(args, k) is not None}
    inner = {k: getattr(args, k) for k in ("population", "generations")
             if getattr(args, k) is not None}
    if inner:
        over["search"] = inner
    spec = load_search(args.experiment, over)
    out = Path(args.out) if args.out else Path("results") / spec.name
    s = spec.search
    runs = s.population * s.generations * spec.experiment.replicates
    print(f"Searching {len(s.levers)} levers of {spec.experiment.scenarios[0]}: "
          f"{s.population} candidates x {s.generations} generations x "
          f"{spec.experiment.replicates} replicates = {runs} runs, into {out}",
          file=sys.stderr)
    result = search(spec, out, jobs=args.jobs, resume=args.resume,
                    progress=None if sys.stderr.isatty() else False)
    ev = result.evaluations
    print(f"{len(ev)} candidates evaluated ({result.ran} runs run now), "
          f"{int(ev['feasible'].sum())} within the constraints, {len(result.pareto)} on the "
          "Pareto front.")
    from .search_outputs import show

    for p in result.packages:
        effects = "; ".join(f"{m} {show(m, v[0])}" for m, v in p["effects"].items())
        print(f"- {p['name']} (candidate {p['candidate']}): {effects}")
    print(f"\nWrote {', '.join(str(f) for f in result.files.values())}")
    return 0
