"""HQ in a background thread on 127.0.0.1 with an embedded SQLite database.

Used by ``python main.py --demo`` and by the test fixtures. Not for production (docs/DEPLOY.md).
"""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import uvicorn

from hq.api import create_app
from hq.db import Database, sqlite_url

START_TIMEOUT_S = 20.0
DB_FILE = "hq.sqlite3"


def bind_loopback(port: int = 0) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


@dataclass
class EmbeddedHQ:
    """A running HQ. ``url`` is the base URL (no trailing slash); ``stop()`` ends it."""

    db_url: str
    port: int
    _server: uvicorn.Server = field(repr=False)
    _thread: threading.Thread = field(repr=False)
    database: Database = field(repr=False)
    _sock: socket.socket = field(repr=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def epoch(self) -> str:
        epoch = self.database.get_meta("epoch")
        assert epoch is not None
        return epoch

    def stop(self) -> None:
        """Stop serving: held long-polls return at once, then the thread ends and the DB closes."""
        server = self._server
        state = getattr(getattr(server.config.loaded_app, "state", None), "hq", None) if server.config.loaded else None
        if state is None:
            app = server.config.app
            state = getattr(getattr(app, "state", None), "hq", None)
        if state is not None:
            loop = state.notifier._loop
            if loop is not None and not loop.is_closed():
                try:
                    loop.call_soon_threadsafe(state.notifier.close)
                except RuntimeError:
                    pass
        server.should_exit = True
        self._thread.join(timeout=15)
        self._sock.close()
        self.database.dispose()


def start_server(db_url: str, port: int = 0, *, migrate: bool = True) -> EmbeddedHQ:
    """Serve HQ on 127.0.0.1:``port`` (0: a free port) in a daemon thread; returns when it accepts."""
    database = Database(db_url)
    app = create_app(database=database, migrate=migrate)
    sock = bind_loopback(port)
    config = uvicorn.Config(
        app,
        log_level="warning",
        lifespan="on",
        timeout_graceful_shutdown=2,
        timeout_keep_alive=75,
        server_header=False,
        access_log=False,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name=f"hq-{sock.getsockname()[1]}", daemon=True
    )
    thread.start()
    deadline = time.monotonic() + START_TIMEOUT_S
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            sock.close()
            database.dispose()
            raise RuntimeError("embedded HQ did not start")
        time.sleep(0.01)
    return EmbeddedHQ(db_url, sock.getsockname()[1], server, thread, database, sock)


def start_embedded(data_dir: Path, port: int = 0) -> EmbeddedHQ:
    """HQ on SQLite in ``data_dir`` (created if needed), on 127.0.0.1:``port``."""
    data_dir.mkdir(parents=True, exist_ok=True)
    return start_server(sqlite_url(data_dir / DB_FILE), port)
