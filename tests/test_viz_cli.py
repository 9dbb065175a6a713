"""``circsim demo``: options, clear errors before anything starts, the offline guard."""

from __future__ import annotations

import socket
import subprocess
import sys

import pytest

from circsim.cli import main
from circsim.viz.server import SOLARA_ENV, DemoSettings, free_port, server_env


def test_demo_is_a_circsim_command(capsys) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["demo", "--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    for option in ("--port", "--lang", "--offline", "--no-browser", "SCENARIO".lower()):
        assert option in out


def test_a_bad_scenario_is_refused_before_serving(capsys) -> None:
    code = main(["demo", "no_such_scenario", "--no-browser", "--port", str(free_port())])
    assert code == 2
    assert "no_such_scenario" in capsys.readouterr().err


def test_a_busy_port_is_refused(capsys) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert main(["demo", "--no-browser", "--port", str(port)]) == 2
    assert f"port {port}" in capsys.readouterr().err


def test_settings_travel_through_the_environment() -> None:
    settings = DemoSettings(scenario="epr", lang="it", seed=7, scale=0.004)
    env = server_env(settings)
    assert DemoSettings.from_env(env) == settings
    assert env["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] == "False"
    assert env["SOLARA_APP"] == SOLARA_ENV["SOLARA_APP"] == "circsim.viz.app"
    assert DemoSettings.from_env({"CIRCSIM_DEMO_LANG": "fr"}).lang == "en"


def test_the_offline_guard_blocks_other_hosts_but_not_this_one() -> None:
    code = (
        "import socket\n"
        "from circsim.viz.server import install_offline_guard\n"
        "install_offline_guard()\n"
        "s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen()\n"
        "socket.create_connection(s.getsockname(), timeout=1).close()\n"
        "try:\n"
        "    socket.create_connection(('192.0.2.1', 80), timeout=1)\n"
        "except OSError as e:\n"
        "    print('refused:', e)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=30)
    assert done.returncode == 0, done.stderr
    assert "refused: circsim demo --offline" in done.stdout
    assert "blocked a connection to 192.0.2.1" in done.stderr


def _headers_seen(client: tuple[str, int]) -> list[tuple[bytes, bytes]]:
    import asyncio

    from circsim.viz.server import LocalUncompressed

    seen: list = []

    async def app(scope, receive, send) -> None:  # noqa: ANN001
        seen.extend(scope["headers"])

    scope = {"type": "http", "client": client,
             "headers": [(b"host", b"127.0.0.1:8765"), (b"accept-encoding", b"gzip, br")]}
    asyncio.run(LocalUncompressed(app)(scope, None, None))
    return seen


def test_assets_are_uncompressed_for_this_machine_only() -> None:
    assert _headers_seen(("127.0.0.1", 50000)) == [(b"host", b"127.0.0.1:8765")]
    assert (b"accept-encoding", b"gzip, br") in _headers_seen(("192.168.1.20", 50000))


def test_the_first_page_is_prepared_before_serving() -> None:
    from circsim.viz.mapview import load_map
    from circsim.viz.server import prepare
    from circsim.viz.session import _warm, demo_scenario_names

    demo_scenario_names.cache_clear()
    load_map.cache_clear()
    prepare(DemoSettings())
    assert demo_scenario_names.cache_info().currsize == 1
    assert load_map.cache_info().currsize == 1 and _warm
