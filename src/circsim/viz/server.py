"""Serving the dashboard: Solara's web app under uvicorn, offline and without telemetry.

Why uvicorn directly rather than ``solara run``: it is Solara's documented way to
deploy, starts in a second, and lets ``circsim demo`` set everything through the
environment before Solara reads its settings. Nothing is fetched at run time: the
front-end assets come from the ``solara-assets`` package, Solara's CDN proxy points
at a closed local port (a missing asset fails visibly instead of leaking a request),
and telemetry is off. With ``offline=True`` the process also refuses, and reports,
any connection to another machine. Every request passes :mod:`circsim.viz.guard`
(Host and Origin checked against the bound address, malformed websocket messages
dropped).

Why the server does work before it answers (:func:`prepare`): the first page of a fresh
process used to pay for the model's spin-up, reading every bundled scenario, Babel's
locale data, the map's boundaries and Solara's hashing of its front-end extensions, all
while the browser waited. ``circsim demo`` starts before the audience opens the page, so
that work is done once, ahead. And a browser on this machine gets the assets
uncompressed: Solara compresses its 2 MB of scripts again for every page (0.3 s of one
of the two cores at gzip level 9), which saves nothing over the loopback interface.
"""

from __future__ import annotations

import os
import socket
import sys
import threading
import time
import webbrowser
from dataclasses import dataclass

from circsim.scenario import CircsimError
from circsim.viz.defaults import DEFAULT_PORT, DEMO_SCALE

ENV_PREFIX = "CIRCSIM_DEMO_"
SOLARA_ENV = {
    "SOLARA_APP": "circsim.viz.app",
    "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False",
    "SOLARA_ASSETS_CDN": "http://127.0.0.1:9/",    # never the internet: see the module doc
    "SOLARA_ASSETS_FONTAWESOME_ENABLED": "False",
    "SOLARA_THEME_SHOW_BANNER": "False",
    "SOLARA_THEME_TITLE": "circsim",
}
LOOPBACK = ("127.", "::1", "localhost", "0.0.0.0")


@dataclass(frozen=True)
class DemoSettings:
    """What a browser session starts with: scenario, language, seed and scale."""

    scenario: str = "baseline"
    lang: str = "en"
    seed: int | None = None
    scale: float = DEMO_SCALE

    def to_env(self) -> dict[str, str]:
        env = {f"{ENV_PREFIX}SCENARIO": self.scenario, f"{ENV_PREFIX}LANG": self.lang,
               f"{ENV_PREFIX}SCALE": repr(self.scale)}
        if self.seed is not None:
            env[f"{ENV_PREFIX}SEED"] = str(self.seed)
        return env

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> DemoSettings:
        env = os.environ if environ is None else environ
        seed = env.get(f"{ENV_PREFIX}SEED")
        lang = env.get(f"{ENV_PREFIX}LANG", "en")
        return cls(scenario=env.get(f"{ENV_PREFIX}SCENARIO", "baseline"),
                   lang=lang if lang in ("en", "it") else "en",
                   seed=int(seed) if seed else None,
                   scale=float(env.get(f"{ENV_PREFIX}SCALE", DEMO_SCALE)))


def server_env(settings: DemoSettings) -> dict[str, str]:
    """Environment variables the server process needs."""
    return {**SOLARA_ENV, **settings.to_env()}


def _is_local(host: object) -> bool:
    if host is None:
        return True
    text = host.decode() if isinstance(host, bytes) else str(host)
    return text == "" or text.startswith(LOOPBACK)


def install_offline_guard() -> None:
    """Refuse (and report on stderr) any connection or name lookup beyond this machine."""

    def hook(event: str, args: tuple) -> None:
        if event == "socket.connect":
            address = args[1]
            host = address[0] if isinstance(address, tuple) else None
        elif event == "socket.getaddrinfo":
            host = args[0]
        else:
            return
        if not _is_local(host):
            print(f"circsim demo --offline: blocked a connection to {host}", file=sys.stderr,
                  flush=True)
            raise OSError(f"circsim demo --offline: no network ({host})")

    sys.addaudithook(hook)


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


def _check_port(host: str, port: int) -> None:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)   # as uvicorn does
        try:
            s.bind((host, port))
        except OSError:
            raise CircsimError(f"port {port} on {host} is in use; choose another with "
                               "--port") from None


def _check_extra() -> None:
    try:
        import solara  # noqa: F401
        import solara_assets  # noqa: F401
        import uvicorn  # noqa: F401
    except ModuleNotFoundError as err:
        raise CircsimError(f"the demo needs the 'demo' extra ({err.name} is missing): "
                           "pip install -e '.[demo]'") from None


def _open_when_ready(url: str, host: str, port: int) -> None:
    for _ in range(300):
        try:
            socket.create_connection((host, port), timeout=0.2).close()
        except OSError:
            time.sleep(0.1)
            continue
        webbrowser.open(url)
        return


class LocalUncompressed:
    """ASGI middleware: a browser on this machine is served without compression (the
    ``Accept-Encoding`` header dropped); any other client as Solara serves it (gzip)."""

    def __init__(self, app) -> None:  # noqa: ANN001
        self.app = app

    async def __call__(self, scope, receive, send) -> None:  # noqa: ANN001
        client = scope.get("client") or ("",)
        if scope["type"] == "http" and client[0] and _is_local(client[0]):
            scope = {**scope, "headers": [(k, v) for k, v in scope.get("headers", [])
                                          if k.lower() != b"accept-encoding"]}
        await self.app(scope, receive, send)


def prepare_page(settings: DemoSettings) -> None:
    """Fill the caches the first page would fill: the scenario list, a session's model,
    the map in both languages and both sizes (boundaries, outlines, where the names go,
    Babel's locale data)."""
    from circsim.viz.defaults import LANGUAGES
    from circsim.viz.i18n import month_label
    from circsim.viz.mapview import metro_map
    from circsim.viz.presenter import SIZES
    from circsim.viz.session import DemoRun, demo_scenario_names

    demo_scenario_names()
    run = DemoRun(settings.scenario, settings.seed, settings.scale)
    for lang in LANGUAGES:
        metro_map(run.model, run.bins_per_10k(), lang)
        metro_map(run.model, run.bins_per_10k(), lang, *SIZES["map"])
        month_label(run.start_year, 1, lang)


def prepare_solara() -> None:
    """Let Solara load the app and build its page once (it hashes every front-end
    extension file on its first page, then remembers)."""
    from solara.server import app as solara_app
    from solara.server import server as solara_server

    try:
        solara_app.ensure_apps_initialized()
        solara_server.read_root("/")
    except Exception as err:   # Solara's internals moved: the first page pays, nothing else
        print(f"circsim demo: could not prepare Solara's page ahead ({err!r})", file=sys.stderr,
              flush=True)


def prepare(settings: DemoSettings) -> None:
    """Everything done before the server answers (module doc): the spin-up and baseline,
    then what the first page would build."""
    from circsim.viz.session import prewarm

    prewarm(settings.scenario, settings.seed, settings.scale)
    prepare_page(settings)


def serve(settings: DemoSettings, port: int = DEFAULT_PORT, host: str = "127.0.0.1",
          open_browser: bool = True, offline: bool = False) -> None:
    """Run the dashboard's web server until interrupted."""
    from circsim.viz.session import demo_scenario

    demo_scenario(settings.scenario, settings.scale)   # a bad scenario fails here, clearly
    _check_port(host, port)
    os.environ.update(server_env(settings))   # before Solara is imported: it reads them once
    _check_extra()
    if offline:
        install_offline_guard()
    ahead = threading.Thread(target=prepare, args=(settings,), daemon=True)
    ahead.start()                             # while Solara and uvicorn are imported
    import uvicorn
    from solara.server.starlette import app

    from circsim.viz.guard import HostGuard

    prepare_solara()
    ahead.join()
    url = f"http://{'localhost' if _is_local(host) else host}:{port}/"
    if open_browser:
        threading.Thread(target=_open_when_ready, args=(url, host, port), daemon=True).start()
    print(f"circsim demo: {url}  (Ctrl+C to stop)", flush=True)
    uvicorn.run(HostGuard(LocalUncompressed(app), host, port), host=host, port=port,
                log_level="warning")
