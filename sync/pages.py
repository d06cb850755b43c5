"""The catch-up's page stream: ``wait=0`` pull pages fetched ahead of the consumer on a pool thread.

Only steers prefetching: every page is decoded and checked by the consumer (``sync.pull``) before it
may touch the store, and a page asked at a cursor other than the one the consumer is at is never
handed over.
"""

from __future__ import annotations

import queue
import re
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from sync.wire import PullReply, parse_pull_body

PREFETCH_PAGES = 3  # pages fetched ahead of the one being applied while catching up

_HEAD_CURSOR = re.compile(rb'"cursor"\s*:\s*(\d+)')
_HEAD_MORE = re.compile(rb'"has_more"\s*:\s*(true|false)')


def peek_next(body: bytes) -> int | None:
    """Where the page after this one starts, read from the reply's head without decoding it; None if
    there is no next page or the head does not say. Only steers prefetching: every page is fully
    checked by the consumer, and a guess that is wrong only makes the consumer fetch it itself."""
    head = body[:512]
    cursor, more = _HEAD_CURSOR.search(head), _HEAD_MORE.search(head)
    if cursor is None or more is None or more.group(1) != b"true":
        return None
    return int(cursor.group(1))


class PageStream:
    """``wait=0`` pull pages fetched one after another on a pool thread, up to ``PREFETCH_PAGES``
    ahead of the consumer, each asked at the cursor the previous reply ended with.

    That thread only sends the requests and receives the bodies (socket reads release the GIL): it
    neither decodes nor checks them. The consumer does both (``next``) on its own thread before it
    may touch the store: a second CPU-bound Python thread would make every return from SQLite on the
    consumer's thread wait for the GIL. The stream ends after the last page, after an error (handed
    to the consumer in its turn), or when closed; ``next`` then returns None and the consumer
    fetches for itself.
    """

    def __init__(
        self, pool: ThreadPoolExecutor, fetch_raw: Callable[[int, float], tuple[bytes, float]], cursor: int,
        engine_stop: threading.Event,
    ) -> None:
        self._queue: queue.Queue[tuple[int, bytes, float] | BaseException] = queue.Queue(maxsize=PREFETCH_PAGES)
        self._closed = threading.Event()
        self._engine_stop = engine_stop
        self._done = pool.submit(self._run, fetch_raw, cursor)

    def _stopping(self) -> bool:
        return self._closed.is_set() or self._engine_stop.is_set()

    def _run(self, fetch_raw: Callable[[int, float], tuple[bytes, float]], cursor: int) -> None:
        while not self._stopping():
            try:
                body, received = fetch_raw(cursor, 0)
            except BaseException as exc:
                self._put(exc)
                return
            self._put((cursor, body, received))
            following = peek_next(body)
            if following is None or following <= cursor:
                return
            cursor = following

    def _put(self, item: tuple[int, bytes, float] | BaseException) -> None:
        while not self._stopping():
            try:
                self._queue.put(item, timeout=0.2)
                return
            except queue.Full:
                continue

    def next(self, cursor: int, *, timeout_s: float | None) -> tuple[PullReply, float] | None:
        """The page asked at ``cursor``, decoded and checked; None if it is not there within
        ``timeout_s``, or the stream has nothing (more) for that cursor."""
        deadline = None if timeout_s is None else time.monotonic() + max(0.0, timeout_s)
        while True:
            wait = 0.2 if deadline is None else min(0.2, deadline - time.monotonic())
            try:
                item = self._queue.get(timeout=max(0.0, wait))
                break
            except queue.Empty:
                if deadline is not None and time.monotonic() >= deadline:
                    return None
                if self._done.done() and self._queue.empty():
                    return None
        if isinstance(item, BaseException):
            raise item
        asked, body, received = item
        if asked != cursor:  # the head was misread: never apply out of turn; the consumer fetches
            self.close()
            return None
        return parse_pull_body(body), received

    def close(self) -> None:
        self._closed.set()


def close_stream(stream: PageStream | None) -> None:
    if stream is not None:
        stream.close()
