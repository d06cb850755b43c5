"""A sign-in that goes out on a pooled connection HQ already closed is tried once more, and only once."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from sync.client import HQClient
from sync.errors import HQUnreachable, Unauthenticated


class _Handler(BaseHTTPRequestHandler):
    """Drops the first ``drops`` login requests without a reply, then answers 401."""

    protocol_version = "HTTP/1.1"
    drops = 1
    seen: list[str] = []

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        self.rfile.read(length)
        type(self).seen.append(self.path)
        if len(type(self).seen) <= type(self).drops:
            self.close_connection = True  # closed with no reply: what a dead keep-alive socket gives
            return
        body = json.dumps({"detail": "wrong user name or password", "code": "unauthenticated"}).encode()
        self.send_response(401)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[tuple[str, type[_Handler]]]:
    handler = type("Handler", (_Handler,), {"seen": [], "drops": 1})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", handler
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_login_dropped_without_a_reply_is_tried_once_more(server: tuple[str, type[_Handler]]) -> None:
    url, handler = server
    client = HQClient(url, timeout_s=5)
    with pytest.raises(Unauthenticated):  # the second attempt reached HQ, which answered
        client.login("demo", "wrong", "dev-1", "console")
    assert handler.seen == ["/api/v1/auth/login", "/api/v1/auth/login"]


def test_login_dropped_twice_is_reported_unreachable(server: tuple[str, type[_Handler]]) -> None:
    url, handler = server
    handler.drops = 2
    with pytest.raises(HQUnreachable):
        HQClient(url, timeout_s=5).login("demo", "wrong", "dev-1", "console")
    assert len(handler.seen) == 2
