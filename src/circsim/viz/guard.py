"""The dashboard's front door: only this machine's names, only well-formed messages.

Two protections wrap Solara's web app (an ASGI middleware, so they cover pages,
assets and the websocket alike):

- **Host and Origin checked.** A request whose ``Host`` header is not the address the
  server is bound to (``localhost`` and ``127.0.0.1`` with the bound port are always
  accepted) is refused with 403: that defeats DNS rebinding, where a hostile page makes
  its own domain name point at 127.0.0.1. A request carrying an ``Origin`` (every
  browser sends one on a websocket) must come from such an address too, so another
  site open in the same browser cannot drive the dashboard. When the server listens on
  every interface (``--host 0.0.0.0``), the machine's own name and any literal IP
  address are accepted as well: a literal address cannot be rebound.
- **Malformed websocket messages dropped.** A message that is not a Jupyter-protocol
  message (JSON object with a header naming its type) is dropped with one log line,
  instead of ending the session with a traceback on the presenter's terminal.
"""

from __future__ import annotations

import ipaddress
import json
import socket
import struct
import sys
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import urlsplit

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
ASGIApp = Callable[[Scope, Callable[[], Awaitable[Message]], Callable[[Message], Awaitable[None]]],
                   Awaitable[None]]
WILDCARDS = ("0.0.0.0", "::", "")
ALWAYS = ("localhost", "127.0.0.1", "::1")
MAX_BUFFERS = 1024      # binary buffers in one message (a widget sends a handful)


def _log(line: str) -> None:
    print(f"circsim demo: {line}", file=sys.stderr, flush=True)


def _split(authority: str) -> tuple[str, int | None]:
    """``host[:port]`` (IPv6 in brackets) -> (lower-case host, port or None)."""
    try:
        parts = urlsplit(f"//{authority}")
        return (parts.hostname or "").lower(), parts.port
    except ValueError:
        return "", None


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


class HostGuard:
    """ASGI middleware: Host/Origin checks and websocket message validation (module doc)."""

    def __init__(self, app: ASGIApp, host: str, port: int) -> None:
        self.app, self.port = app, port
        self.wildcard = host in WILDCARDS
        names = {*ALWAYS, host.lower().strip("[]")}
        if self.wildcard:
            names |= {socket.gethostname().lower(), socket.getfqdn().lower()}
        self.names = names - {""}

    def allowed(self, authority: str) -> bool:
        """Whether ``host:port`` names this server."""
        name, port = _split(authority)
        if port != self.port or not name:
            return False
        return name in self.names or (self.wildcard and _is_ip(name))

    def refusal(self, scope: Scope) -> str | None:
        """Why a request must be refused, or None."""
        headers = {k.decode("latin-1").lower(): v.decode("latin-1")
                   for k, v in scope.get("headers", [])}
        host = headers.get("host", "")
        if not self.allowed(host):
            return f"Host {host!r}"
        origin = headers.get("origin")
        if origin is not None:
            parts = urlsplit(origin)
            if parts.scheme not in ("http", "https") or not self.allowed(parts.netloc):
                return f"Origin {origin!r}"
        return None

    async def __call__(self, scope: Scope, receive, send) -> None:  # noqa: ANN001
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        why = self.refusal(scope)
        if why is not None:
            _log(f"refused a {scope['type']} request from {why} (not this server's address)")
            if scope["type"] == "websocket":
                await send({"type": "websocket.close", "code": 1008})   # HTTP 403
                return
            await send({"type": "http.response.start", "status": 403,
                        "headers": [(b"content-type", b"text/plain; charset=utf-8")]})
            await send({"type": "http.response.body", "body": b"403 Forbidden: wrong Host or "
                        b"Origin for the circsim dashboard\n"})
            return
        if scope["type"] == "websocket":
            receive = _only_well_formed(receive)
        await self.app(scope, receive, send)


def _only_well_formed(receive):  # noqa: ANN001, ANN202
    """``receive`` that skips (and logs) websocket messages the kernel could not parse."""

    async def checked() -> Message:
        while True:
            message = await receive()
            if message.get("type") != "websocket.receive":
                return message
            problem = malformed(message.get("text"), message.get("bytes"))
            if problem is None:
                return message
            _log(f"dropped a malformed websocket message ({problem})")

    return checked


def malformed(text: str | None, data: bytes | None) -> str | None:
    """Why a websocket frame is not a Jupyter message the kernel can take, or None."""
    try:
        if text is not None:
            msg = json.loads(text)
        elif data is not None:
            count = struct.unpack("!i", data[:4])[0]
            if not 0 < count <= MAX_BUFFERS:
                return "bad buffer count"
            offsets = struct.unpack("!" + "I" * count, data[4:4 * (count + 1)])
            if not offsets or offsets[0] > len(data):
                return "bad buffer table"
            end = offsets[1] if len(offsets) > 1 else None
            msg = json.loads(data[offsets[0]:end].decode("utf8"))
        else:
            return "empty"
    except (ValueError, struct.error, UnicodeDecodeError) as err:
        return f"{type(err).__name__}"
    if not isinstance(msg, dict) or not isinstance(msg.get("header"), dict):
        return "no header"
    if not isinstance(msg["header"].get("msg_type"), str) or "channel" not in msg:
        return "no message type or channel"
    if not isinstance(msg.get("content", {}), dict):
        return "content is not an object"
    return None
