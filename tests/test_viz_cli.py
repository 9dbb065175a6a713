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
