"""Waking long-polling pulls when something in their stream commits.

``ChangeNotifier`` lives on the server's event loop. Writers announce the streams a commit touched:
on SQLite directly after COMMIT (``Database.commit_listeners``); on PostgreSQL with NOTIFY inside the
transaction, which the server delivers only at COMMIT, to every worker process's ``PgListener``.

Race-free wait: a pull reads ``version(stream)`` *before* querying and, if the query found nothing,
waits for the version to move past it. A commit between the query and the wait has already moved the
version, so it cannot be missed. As a second line of defence (a NOTIFY lost while a listener
reconnects), waiters re-query at least every ``SAFETY_REQUERY_S``.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections import defaultdict
from collections.abc import Iterable

import psycopg

from core.settings import HQSettings
from hq.db import NOTIFY_CHANNEL

log = logging.getLogger(__name__)

# None: ``HQSettings.safety_requery_s`` (declared in core.settings, read from the environment when a
# pull waits). A test in the same process may set a number here instead.
SAFETY_REQUERY_S: float | None = None
LISTENER_RETRY_S = 1.0


class ChangeNotifier:
    def __init__(self) -> None:
        self._versions: dict[str, int] = defaultdict(int)
        self._waiters: dict[str, set[asyncio.Future[None]]] = defaultdict(set)
        self._loop: asyncio.AbstractEventLoop | None = None
        self.closed = False

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop

    def version(self, stream: str) -> int:
        """Event-loop thread only."""
        return self._versions[stream]

    def publish(self, streams: Iterable[str]) -> None:
        """Thread-safe: may be called from any thread after a commit."""
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        try:
            loop.call_soon_threadsafe(self._bump, tuple(streams))
        except RuntimeError:  # loop shutting down
            pass

    def publish_all(self) -> None:
        """Wake every waiter (after a listener reconnect, when NOTIFYs may have been missed)."""
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        try:
            loop.call_soon_threadsafe(lambda: self._bump(tuple(self._waiters)))
        except RuntimeError:
            pass

    def _bump(self, streams: tuple[str, ...]) -> None:
        for stream in streams:
            self._versions[stream] += 1
            for fut in self._waiters.pop(stream, set()):
                if not fut.done():
                    fut.set_result(None)

    async def wait(self, stream: str, since: int, timeout_s: float) -> bool:
        """Wait until ``stream`` moves past version ``since``. True if it did."""
        if self.closed:
            return False
        if self._versions[stream] != since:
            return True
        fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters[stream].add(fut)
        try:
            await asyncio.wait_for(fut, timeout=min(timeout_s, _safety_requery_s()))
        except TimeoutError:
            pass
        finally:
            self._waiters[stream].discard(fut)
        return self._versions[stream] != since

    def close(self) -> None:
        """Release every held pull (server shutdown). Event-loop thread or via call_soon_threadsafe."""
        self.closed = True
        for waiters in self._waiters.values():
            for fut in waiters:
                if not fut.done():
                    fut.set_result(None)
        self._waiters.clear()


class PgListener:
    """A thread holding one PostgreSQL connection that LISTENs and forwards NOTIFYs to a notifier."""

    def __init__(self, conninfo: str, notifier: ChangeNotifier):
        self.conninfo = conninfo
        self.notifier = notifier
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="hq-pg-listener", daemon=True)
        self.connected = threading.Event()

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                with psycopg.connect(self.conninfo, autocommit=True) as conn:
                    conn.execute(f"LISTEN {NOTIFY_CHANNEL}")
                    self.connected.set()
                    self.notifier.publish_all()
                    while not self._stop.is_set():
                        for note in conn.notifies(timeout=0.5):
                            self.notifier.publish(note.payload.split(","))
            except psycopg.Error as exc:
                self.connected.clear()
                if self._stop.is_set():
                    return
                log.warning("HQ change listener lost its PostgreSQL connection (%s); retrying", exc)
                self._stop.wait(LISTENER_RETRY_S)


def _safety_requery_s() -> float:
    return HQSettings().safety_requery_s if SAFETY_REQUERY_S is None else SAFETY_REQUERY_S
