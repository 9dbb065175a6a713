"""The dashboard's front door: Host and Origin checked against the bound address (DNS
rebinding, cross-site websockets), malformed websocket messages dropped with one line."""

from __future__ import annotations

import asyncio
import json
import struct

import pytest

from circsim.viz.guard import HostGuard, malformed

PORT = 8765


def _call(bound: tuple[str, int], kind: str, headers: dict[str, str],
          incoming: list[dict] | None = None) -> tuple[list[dict], list[dict]]:
    """Run one request through ``guard``; return (what it sent, what the app received)."""
    sent, seen = [], []

    async def app(scope, receive, send) -> None:  # noqa: ANN001
        while True:
            message = await receive()
            seen.append(message)
            if message["type"] in ("websocket.disconnect", "http.request"):
                return

    queue = list(incoming or [{"type": "http.request"}])

    async def receive() -> dict:
        return queue.pop(0)

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {"type": kind, "headers": [(k.lower().encode(), v.encode())
                                       for k, v in headers.items()]}
    asyncio.run(HostGuard(app, *bound)(scope, receive, send))
    return sent, seen


LOCAL = ("127.0.0.1", PORT)


@pytest.mark.parametrize("host", ["127.0.0.1:8765", "localhost:8765", "LOCALHOST:8765",
                                  "[::1]:8765"])
def test_this_machine_on_the_bound_port_is_served(host):
    sent, seen = _call(LOCAL, "http", {"Host": host, "Origin": f"http://{host}"})
    assert sent == [] and seen == [{"type": "http.request"}]


@pytest.mark.parametrize("headers", [
    {"Host": "evil.example:8765"},                        # DNS rebinding
    {"Host": "127.0.0.1.evil.example:8765"},
    {"Host": "127.0.0.1:9999"},                            # another port
    {"Host": "127.0.0.1"},
    {},                                                     # no Host at all
    {"Host": "127.0.0.1:8765", "Origin": "http://evil.example"},   # cross-site
    {"Host": "127.0.0.1:8765", "Origin": "null"},
    {"Host": "127.0.0.1:8765", "Origin": "http://localhost:1234"},
])
def test_other_hosts_and_origins_are_refused_with_403(headers, capsys):
    sent, seen = _call(LOCAL, "http", headers)
    assert sent[0]["status"] == 403 and seen == []
    assert capsys.readouterr().err.count("\n") == 1        # one log line, no traceback


def test_a_cross_site_websocket_is_closed_before_it_opens(capsys):
    sent, seen = _call(LOCAL, "websocket", {"Host": "localhost:8765",
                                            "Origin": "https://evil.example"},
                       [{"type": "websocket.connect"}])
    assert sent == [{"type": "websocket.close", "code": 1008}] and seen == []
    assert "Origin 'https://evil.example'" in capsys.readouterr().err


def test_on_every_interface_literal_addresses_are_accepted_but_names_are_not():
    wild = ("0.0.0.0", PORT)
    assert _call(wild, "http", {"Host": "192.168.1.20:8765"})[0] == []
    assert _call(wild, "http", {"Host": "rebound.example:8765"})[0][0]["status"] == 403


GOOD = json.dumps({"header": {"msg_type": "comm_msg"}, "channel": "shell", "content": {}})


def test_malformed_websocket_messages_are_dropped_with_one_line_each(capsys):
    frames = [{"type": "websocket.connect"},
              {"type": "websocket.receive", "text": "not json{"},
              {"type": "websocket.receive", "text": "[]"},
              {"type": "websocket.receive", "bytes": b"\xff\xff\xff\xff"},
              {"type": "websocket.receive", "text": GOOD},
              {"type": "websocket.disconnect"}]
    _, seen = _call(LOCAL, "websocket", {"Host": "127.0.0.1:8765"}, frames)
    assert [m.get("text") for m in seen] == [None, GOOD, None]
    err = capsys.readouterr().err
    assert err.count("dropped a malformed websocket message") == 3
    assert "Traceback" not in err


def test_binary_messages_are_checked_like_text():
    body = GOOD.encode()
    frame = struct.pack("!iI", 1, 8) + body
    assert malformed(None, frame) is None
    assert malformed(None, struct.pack("!i", 2**30)) is not None   # no huge buffer table
    assert malformed(None, struct.pack("!iI", 1, 999) + body) is not None
    assert malformed('{"header": {"msg_type": 1}, "channel": "shell"}', None) is not None
