"""Pull: HQ's change feed into the local store, one page and its cursor per unit of work or more.

A page is applied only if the stored (epoch, cursor) is still the one it was asked with, so a
repeated, late or out-of-order page changes nothing. Once caught up, the pull loop long-polls; while
behind, ``until_caught_up`` streams ``wait=0`` pages (``sync.pages``) and applies several per unit of
work, the operator's writes going first.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from core.events import Event, iso
from core.hlc import HybridClock
from sync import repair
from sync.backoff import Backoff
from sync.board import WRITER_YIELD_MAX_S, StatusBoard
from sync.errors import LoginRequired
from sync.link import Aborted
from sync.pages import PageStream, close_stream
from sync.push import AdoptEpoch
from sync.session import Session
from sync.status import record_skew
from sync.wire import PullReply, check_cursor, parse_pull_body

if TYPE_CHECKING:
    from core.store import LocalStore, UnitOfWork

log = logging.getLogger(__name__)

# While catching up, pages share a unit of work up to this many events or this long holding the write
# lock (whichever comes first): fewer commits, and a local write waits at most about this long.
CATCH_UP_TX_EVENTS = 10_000
CATCH_UP_TX_S = 1.0
LOGIN_WAIT_S = 1.0

FetchRaw = Callable[[int, float], tuple[bytes, float]]  # (cursor, wait s) -> (body, wall time at receipt)


class Puller:
    """One workstation's pull. ``fetch_raw(cursor, wait_s)`` asks HQ for one page;
    ``keep_going()`` is False once the running engine is stopping; ``push_wake`` is set after an
    epoch change requeued own events; ``cases_changed(ids)`` after pages touch cases."""

    def __init__(
        self,
        store: LocalStore,
        clock: HybridClock,
        board: StatusBoard,
        *,
        fetch_raw: FetchRaw,
        adopt_epoch: AdoptEpoch,
        cases_changed: Callable[[set[str]], None],
        keep_going: Callable[[], bool],
        stop: threading.Event,
        push_wake: threading.Event,
        wall: Callable[[], float],
    ) -> None:
        self.store = store
        self._clock = clock
        self._board = board
        self._fetch_raw = fetch_raw
        self._adopt_epoch = adopt_epoch
        self._cases_changed = cases_changed
        self._keep_going = keep_going
        self._stop = stop
        self._push_wake = push_wake
        self._wall = wall
        self._lock = threading.Lock()  # one pull at a time (loop, run_once)
        self._prefetch_pool: ThreadPoolExecutor | None = None

    def loop(self, session: Session, wake: threading.Event, retry_cap_s: float, long_poll_s: float) -> None:
        """The pull loop: catch up with ``wait=0`` pages first, then long-poll."""
        backoff = Backoff(cap_s=retry_cap_s)
        behind = True
        while not self._stop.is_set():
            if not session.logged_in:
                self._board.enter_login_required("not logged in", refused=session.refused)
                wake.wait(LOGIN_WAIT_S)
                wake.clear()
                continue
            try:
                if behind:
                    self.until_caught_up()
                    behind = False
                    if repair.due(self.store):
                        self._push_wake.set()
                else:
                    behind = self.page(long_poll_s)
                backoff.reset()
                self._board.publish()
            except Aborted:
                behind = True
            except LoginRequired as exc:
                self._board.enter_login_required(str(exc))
            except Exception as exc:
                self._board.note_failure("pull", exc)
                behind = True
                backoff.sleep(wake)

    def close(self) -> None:
        if self._prefetch_pool is not None:
            self._prefetch_pool.shutdown(wait=False, cancel_futures=True)
            self._prefetch_pool = None

    def _fetch(self, cursor: int, wait_s: float) -> tuple[PullReply, float]:
        body, received = self._fetch_raw(cursor, wait_s)
        return parse_pull_body(body), received

    def _position(self) -> tuple[int, str | None]:
        with self.store.reader() as uow:
            return uow.meta.cursor, uow.meta.epoch

    def page(self, wait_s: float) -> bool:
        """Fetch and apply one page. Returns True if more is waiting (pull again without a long wait)."""
        with self._lock:
            cursor, epoch = self._position()
            reply, received = self._fetch(cursor, wait_s)
            with self._board.busy():
                more, changed = self.apply_page(reply, cursor, epoch, received)
            if reply.epoch != epoch:
                self._push_wake.set()  # after the commit: the requeued events are visible now
            self._board.set_error("pull", None)
            self._cases_changed(changed)
            return more

    def until_caught_up(self) -> None:
        """Pull ``wait=0`` pages back to back until HQ has nothing more (an initial sync of 100,000
        cases is 500 pages).

        * **Pipelined:** after the first page, a ``PageStream`` fetches the following pages on the
          prefetch thread, up to ``PREFETCH_PAGES`` ahead, each asked at the cursor the one before it
          ended with; HQ serves and sends the next pages while this thread decodes, checks
          (``wire.parse_pull_body``) and applies the current one. Decoding and checking run here,
          not on the stream's thread: a CPU-bound Python thread beside this one makes every return
          from SQLite (which releases the GIL) wait for the GIL.
        * **Several pages per unit of work:** consecutive pages of the same epoch go into one
          transaction until it holds ``CATCH_UP_TX_EVENTS`` events or has held the write lock for
          ``CATCH_UP_TX_S``, and only while the next page is already there (the lock is never held
          waiting for the network). Each page's cursor is written in the same transaction, so a
          crash or a failed fetch loses nothing committed and re-fetches the rest.
        * **The operator goes first:** SQLite's write lock has no queue, so a unit of work ends after
          the page being applied as soon as an interactive write (an acknowledgement, a draft) is
          waiting (``LocalStore.writers``), and the next one begins only after that write is done.
        """
        with self._lock:
            cursor, epoch = self._position()
            stream: PageStream | None = None
            try:
                page: tuple[PullReply, float] | None = self._fetch(cursor, 0)
                while True:
                    failure: BaseException | None = None
                    changed: set[str] = set()
                    more = False
                    reply: PullReply | None = None
                    # an operator's write goes first; it is short (WRITER_YIELD_MAX_S bounds a stuck one)
                    self.store.writers.wait_idle(WRITER_YIELD_MAX_S)
                    with self._board.busy(), self.store.unit_of_work(background=True) as uow:
                        started, held = time.monotonic(), 0
                        while page is not None:
                            reply, received = page
                            page = None
                            if stream is None and reply.has_more and reply.epoch == epoch:
                                stream = PageStream(self._prefetcher(), self._fetch_raw, reply.cursor, self._stop)
                            more, page_changed, chained = self._apply_to(uow, reply, cursor, epoch, received)
                            changed |= page_changed
                            held += len(reply.items)
                            if not chained:  # stale, or a new epoch: pages fetched ahead are no use
                                close_stream(stream)
                                stream = None
                                break
                            cursor = reply.cursor  # what this transaction has stored
                            elapsed = time.monotonic() - started
                            if (
                                not more
                                or stream is None
                                or held >= CATCH_UP_TX_EVENTS
                                or elapsed >= CATCH_UP_TX_S
                                or self.store.writers.waiting()
                                or not self._keep_going()
                            ):
                                break
                            try:
                                page = stream.next(cursor, timeout_s=CATCH_UP_TX_S - elapsed)
                            except BaseException as exc:  # keep the pages already applied
                                failure = exc
                                close_stream(stream)
                                stream = None
                        uow.commit()
                    if reply is not None and reply.epoch != epoch and failure is None:
                        self._push_wake.set()  # after the commit: the requeued events are visible now
                    self._cases_changed(changed)
                    if failure is not None:
                        raise failure
                    self._board.set_error("pull", None)
                    if not more or not self._keep_going():
                        return
                    next_cursor, next_epoch = self._position()
                    if page is None and stream is not None and (next_cursor, next_epoch) == (cursor, epoch):
                        page = stream.next(cursor, timeout_s=None)  # no lock held while waiting
                    if page is None:  # no stream, or it has nothing for this cursor: fetch it here
                        close_stream(stream)
                        stream = None
                        page = self._fetch(next_cursor, 0)
                    cursor, epoch = next_cursor, next_epoch
            finally:
                close_stream(stream)

    def _prefetcher(self) -> ThreadPoolExecutor:
        if self._prefetch_pool is None:
            self._prefetch_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="rakshak-prefetch")
        return self._prefetch_pool

    def apply_page(self, reply: PullReply, cursor: int, epoch: str | None, received: float) -> tuple[bool, set[str]]:
        """Apply one page asked at (``epoch``, ``cursor``) in a unit of work of its own."""
        with self.store.unit_of_work() as uow:
            more, changed, _ = self._apply_to(uow, reply, cursor, epoch, received)
            uow.commit()
        return more, changed

    def _apply_to(
        self, uow: UnitOfWork, reply: PullReply, cursor: int, epoch: str | None, received: float
    ) -> tuple[bool, set[str], bool]:
        """Apply one page in ``uow`` (the caller commits). Returns (more to pull, cases touched, whether
        the page was applied as the next one of this epoch, so a following page may join ``uow``)."""
        changed: set[str] = set()
        if uow.meta.cursor != cursor or uow.meta.epoch != epoch:
            log.info("stale pull page (asked at %s/%s) discarded", epoch, cursor)
            return True, changed, False
        if reply.epoch != epoch:
            self._adopt_epoch(uow, reply.epoch, had_epoch=epoch is not None)
            if cursor != 0:
                record_skew(uow.meta, reply.server_time, received)
                return True, changed, False  # pull the new epoch from its start
        check_cursor(reply, cursor)
        for item in reply.items:  # observe first: later local stamps must follow what we saw
            if item.event is not None:
                self._clock.observe(item.event.hlc)
        batch: list[Event] = []
        for item in reply.items:  # in order: a revoke between two deliveries of a case matters
            if item.event is not None:
                batch.append(item.event)
                continue
            if batch:
                changed.update(uow.events.apply_remote(batch, validated=True))
                batch = []
            assert item.revoke_case_id is not None
            uow.cases.purge(item.revoke_case_id)
            changed.add(item.revoke_case_id)
        if batch:
            changed.update(uow.events.apply_remote(batch, validated=True))
        uow.meta.cursor = reply.cursor
        if not reply.has_more:
            uow.meta.last_sync_at = iso(datetime.fromtimestamp(self._wall(), UTC))
            repair.on_caught_up(uow)
        record_skew(uow.meta, reply.server_time, received)
        return reply.has_more, changed, reply.epoch == epoch
