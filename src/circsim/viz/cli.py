"""``circsim demo``: argument parsing for the dashboard; the work is in :mod:`.server`."""

from __future__ import annotations

import argparse

from circsim.viz.defaults import DEFAULT_PORT, DEMO_SCALE, LANGUAGES


def cmd_demo(args: argparse.Namespace) -> int:
    from circsim.viz.server import DemoSettings, serve

    settings = DemoSettings(scenario=args.scenario, lang=args.lang, seed=args.seed,
                            scale=args.scale)
    serve(settings, port=args.port, host=args.host, open_browser=not args.no_browser,
          offline=args.offline)
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``demo`` subcommand to the ``circsim`` command."""
    p = subparsers.add_parser(
        "demo", help="live dashboard in the browser: levers, play, charts, map, flows "
                     "(needs the 'demo' extra)")
    p.add_argument("scenario", nargs="?", default="baseline",
                   help="bundled scenario name or YAML path to start with (default: baseline)")
    p.add_argument("--port", type=int, default=DEFAULT_PORT,
                   help=f"local port (default: {DEFAULT_PORT})")
    p.add_argument("--lang", choices=LANGUAGES, default="en",
                   help="language of the labels (default: en; switchable in the page)")
    p.add_argument("--seed", type=int, help="random seed (default: the scenario's)")
    p.add_argument("--scale", type=float, default=DEMO_SCALE,
                   help=f"share of households simulated (default: {DEMO_SCALE})")
    p.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default: this machine only)")
    p.add_argument("--no-browser", action="store_true", help="do not open a browser")
    p.add_argument("--offline", action="store_true",
                   help="refuse and report any connection to another machine")
    p.set_defaults(func=cmd_demo)
