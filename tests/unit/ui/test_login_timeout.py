"""A sign-in from the login dialog (first run, or the lock screen's HQ step) waits for HQ as long as
the ``http_timeout_s`` setting says, like the session restored at start-up, not the built-in default."""

from __future__ import annotations

import socket
import threading

from core.settings import DEFAULTS
from sync import HQUnreachable
from ui.operations.console import login


def test_a_new_session_made_at_sign_in_uses_the_configured_timeout() -> None:
    # an HQ that accepts the connection and never answers
    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            accepted.append(conn)

    acceptor = threading.Thread(target=accept, daemon=True)
    acceptor.start()
    outcome: list[BaseException] = []

    op = login(
        f"http://127.0.0.1:{port}", "op", "pw", "device-timeout", ca_bundle=None, timeout_s=0.3,
        session=None, success=lambda _r: None, failure=outcome.append,
    )

    def attempt() -> None:
        try:
            op.fn()
        except BaseException as exc:  # what the op would hand to its failure callback
            outcome.append(exc)

    worker = threading.Thread(target=attempt, daemon=True)
    worker.start()
    # the built-in default would keep the request waiting this long and more
    worker.join(timeout=DEFAULTS.http_timeout_s / 2)
    stop.set()
    acceptor.join(timeout=2)
    for conn in accepted:
        conn.close()
    server.close()
    assert not worker.is_alive(), "the sign-in waited past the configured 0.3 s timeout"
    assert outcome and isinstance(outcome[0], HQUnreachable), outcome
