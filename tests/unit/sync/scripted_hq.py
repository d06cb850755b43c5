"""A scriptable HTTP server on loopback, for the replies a correct HQ never sends (garbage, hangs).

Everything else about the sync client is tested against the real HQ in tests/integration/sync/.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest


@dataclass
class Reply:
    status: int = 200
    body: bytes = b"{}"
    delay_s: float = 0.0
    content_type: str = "application/json"


@dataclass
class ScriptedServer:
    server: ThreadingHTTPServer
    replies: dict[str, Any] = field(default_factory=dict)  # path (no query) -> Reply or body -> Reply
    seen: list[tuple[str, str, bytes]] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"


@pytest.fixture
def scripted() -> Iterator[ScriptedServer]:
    state: dict[str, ScriptedServer] = {}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            pass

        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            path = self.path.split("?", 1)[0]
            srv = state["s"]
            srv.seen.append((self.command, self.path, body))
            reply = srv.replies.get(path, Reply(404, b'{"detail": "no such path", "code": "not_found"}'))
            if callable(reply):  # a function of the request body
                reply = reply(body)
            if reply.delay_s:
                time.sleep(reply.delay_s)
            try:
                self.send_response(reply.status)
                self.send_header("Content-Type", reply.content_type)
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                self.wfile.write(reply.body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up first (the timeout tests): nothing to answer, nothing to print

        do_GET = _handle
        do_POST = _handle

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state["s"] = ScriptedServer(server)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield state["s"]
    server.shutdown()
    server.server_close()
