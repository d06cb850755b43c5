"""The sync engine: moves the outbox to HQ and HQ's change feed into the local store, forever.

Threads (none of them the GUI thread; callbacks run on them, so the UI wraps them in Qt signals):

* **pull loop** – long-polls ``/sync/pull`` and applies each page *and* its cursor in one unit of
  work. A page is applied only if the stored (epoch, cursor) is still the one it was asked with, so
  a repeated, late or out-of-order page changes nothing.
* **push worker** – wakes on ``notify_local_change``/``sync_now``, sends the outbox in causal order
  in batches; an event leaves the outbox only when HQ acknowledged it (``mark_accepted``) and a
  rejected one is quarantined with HQ's reason (``mark_rejected``) without blocking the rest.
* **APScheduler BackgroundScheduler** – heartbeat (presence, audio check, pending count), a link
  probe while HQ is unreachable, and wake-from-sleep detection. Jobs use ``coalesce=True,
  max_instances=1``.

Failures by cause: ``HQUnreachable`` (link, timeout, 5xx) retries forever with exponential backoff and
full jitter capped at ``retry_cap_s``; ``ProtocolError`` retries the same way and shows ``error``;
``LoginRequired`` parks both loops until ``Session.login`` succeeds (``on_login_required`` fires once).

Fast recovery: a request stuck on a dead link (no reset, just silence) would otherwise hold its loop
until the read timeout. When the link is seen back (any request or the probe succeeds after a
failure), on ``sync_now`` and after a wake from sleep, the engine shuts the sockets of requests in
flight and wakes both loops; requests killed that way are retried at once, not counted as failures.
"""

from __future__ import annotations

import contextlib
import json
import logging
import queue
import re
import shutil
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from apscheduler.schedulers.background import BackgroundScheduler

from core.errors import RakshakError, StoreUnavailable
from core.events import Event, iso
from core.hlc import HybridClock
from core.settings import Settings
from core.store import LocalStore
from sync import repair
from sync.backoff import Backoff
from sync.client import PUSH_MAX_EVENTS, HQClient
from sync.errors import HQRefused, HQUnreachable, LoginRequired, ProtocolError
from sync.replica import Replica, SyncTx
from sync.session import Session
from sync.status import ConnectionState, ErrorCause, SyncStatus, error_cause, reportable_skew
from sync.wire import PullReply, PushReply, check_cursor, parse_pull_body

log = logging.getLogger(__name__)

PULL_PAGE_LIMIT = 1000  # HQ's maximum: fewer round trips while catching up
# While catching up, pages share a unit of work up to this many events or this long holding the write
# lock (whichever comes first): fewer commits, and a local write waits at most about this long.
CATCH_UP_TX_EVENTS = 10_000
CATCH_UP_TX_S = 1.0
PREFETCH_PAGES = 3  # pages fetched ahead of the one being applied while catching up
WRITER_YIELD_MAX_S = 2.0  # the catch-up and the push wait at most this long for an operator's open write
# Applying a push reply holds the write lock at most about this long per unit of work (plus the
# refold of the cases touched, at commit), then lets an operator's waiting write in.
PUSH_APPLY_TX_S = 0.05
PUSH_APPLY_CHUNK = 50  # accepted results settled per statement batch (1 while an operator waits)
PUSH_GIVE_UP_MAX = 3  # push units dropped in a row for an arriving operator before one commits anyway
BATCH_REFUSALS = frozenset({400, 413, 422})  # a whole push refused as malformed or too large
PUSH_BATCH_BYTES = 4 * 1024 * 1024  # under HQ's 5 MB body limit with room for the envelope
PROBE_INTERVAL_S = 0.5  # while offline or a request looks stuck: a new /health probe this often
PROBE_TIMEOUT_S = (2.0, 2.0)
MAX_PROBES_IN_FLIGHT = 4  # probes overlap, so one stuck on a dead path does not delay the next
STUCK_AFTER_S = 2.0  # a request (beyond a long poll's own wait) this late is suspect: probe the link
MAX_PATIENCE = 64.0  # after each abort of a merely slow request, its loop's next budget grows x4 up to this
WAKE_CHECK_INTERVAL_S = 2.0
WAKE_JUMP_S = 5.0  # wall clock moved this much more than the monotonic clock: slept, or clock was set
REVIEW_REJECTED_CODE = "review_rejected"  # reject_code of an event a supervisor rejected at HQ's review
PUSH_SAFETY_INTERVAL_S = 30.0  # the push worker also looks at the outbox this often, notified or not
LOGIN_WAIT_S = 1.0
STOP_JOIN_S = 5.0


class _Aborted(Exception):
    """A request this engine aborted on purpose; retry at once, the link is not to blame."""


def _app_version() -> str:
    try:
        return metadata.version("rakshak")
    except metadata.PackageNotFoundError:
        return "0.0.0"


_HEAD_CURSOR = re.compile(rb'"cursor"\s*:\s*(\d+)')
_HEAD_MORE = re.compile(rb'"has_more"\s*:\s*(true|false)')


def _peek_next(body: bytes) -> int | None:
    """Where the page after this one starts, read from the reply's head without decoding it; None if
    there is no next page or the head does not say. Only steers prefetching: every page is fully
    checked by the consumer, and a guess that is wrong only makes the consumer fetch it itself."""
    head = body[:512]
    cursor, more = _HEAD_CURSOR.search(head), _HEAD_MORE.search(head)
    if cursor is None or more is None or more.group(1) != b"true":
        return None
    return int(cursor.group(1))


class _PageStream:
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
            following = _peek_next(body)
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


def _close(stream: _PageStream | None) -> None:
    if stream is not None:
        stream.close()


class SyncEngine:
    """Keeps one workstation's store and HQ converging. See the module docstring for threads.

    ``store``: a ``core.store.LocalStore``; ``session``: a ``sync.Session`` (logged in or not yet);
    ``clock``: the workstation's ``HybridClock`` (its node must be the session's device id).
    ``wall_time``: seconds since the epoch; injectable so tests can run a client whose clock is wrong.

    Callbacks run on background threads and must not block for long:
    ``on_status(SyncStatus)`` on every change; ``on_cases_changed(list[case_id])`` after pulled pages
    and push results touch cases; ``on_login_required(reason)`` once per lost login.
    """

    def __init__(
        self,
        store: LocalStore,
        session: Session,
        clock: HybridClock,
        *,
        settings: Settings,
        on_status: Callable[[SyncStatus], None] | None = None,
        on_cases_changed: Callable[[list[str]], None] | None = None,
        on_login_required: Callable[[str], None] | None = None,
        wall_time: Callable[[], float] = time.time,
        app_version: str | None = None,
    ):
        if clock.node != session.device_id:
            raise ValueError(f"clock node {clock.node!r} is not the session's device {session.device_id!r}")
        self.store = store
        self.replica = Replica(store)
        self.session = session
        self.clock = clock
        self.settings = settings
        self.device_id = session.device_id
        self.pull_page_limit = PULL_PAGE_LIMIT
        self._on_status = on_status
        self._on_cases_changed = on_cases_changed
        self._on_login_required = on_login_required
        self._wall = wall_time
        self._app_version = app_version or _app_version()
        self._retry_cap_s = max(0.05, float(settings.get("retry_cap_s")))
        self._long_poll_s = max(0, int(settings.get("long_poll_wait_s")))
        self._heartbeat_s = max(5, int(settings.get("heartbeat_interval_s")))
        self._ca_bundle = settings.get("ca_bundle") or None

        self._stop = threading.Event()
        self._push_wake = threading.Event()
        self._pull_wake = threading.Event()
        self._push_lock = threading.Lock()  # one push pass at a time (worker, run_once)
        self._pull_lock = threading.Lock()  # one pull at a time (loop, run_once)
        self._state_lock = threading.Lock()
        self._abort_gen = 0
        # request token -> (monotonic start, budget s, thread id); the probe reads it to find overdue requests
        self._inflight: dict[int, tuple[float, float, int]] = {}
        self._inflight_seq = 0
        self._patience: dict[int, float] = {}  # thread id -> budget multiplier (grows when slow, not dead)
        self._probes_running = 0
        self._link_ok: bool | None = None
        self._busy = 0
        self._errors: dict[str, tuple[str, ErrorCause] | None] = {"push": None, "pull": None, "heartbeat": None}
        self._login_required: str | None = None
        # HQ's reason when a login in use was refused (expired, revoked, account disabled); None when
        # there simply is no login. Kept until the next login, so "not logged in" never hides it.
        self._login_expired: str | None = None
        self._last_status: SyncStatus | None = None
        self._audio: dict[str, Any] = {"ok": False, "checked_at": None, "detail": "not checked yet"}
        self._wake_ref: tuple[float, float] | None = None
        self._threads: list[threading.Thread] = []
        self._prefetch_pool: ThreadPoolExecutor | None = None
        self._scheduler: BackgroundScheduler | None = None
        session.on_login(self._logged_in)

    # ------------------------------------------------------------------------------------------
    # Public API
    # ------------------------------------------------------------------------------------------

    def start(self) -> None:
        """Start the pull loop, the push worker and the scheduler. Returns at once."""
        if self._threads:
            raise RuntimeError("sync engine already started")
        self._stop.clear()
        for name, target in (("rakshak-pull", self._pull_loop), ("rakshak-push", self._push_loop)):
            thread = threading.Thread(target=target, name=name, daemon=True)
            self._threads.append(thread)
            thread.start()
        scheduler = BackgroundScheduler(
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None}, timezone=UTC
        )
        scheduler.add_job(self._heartbeat, "interval", seconds=self._heartbeat_s, id="heartbeat",
                          next_run_time=datetime.now(UTC))
        scheduler.add_job(self._probe_link, "interval", seconds=PROBE_INTERVAL_S, id="probe")
        scheduler.add_job(self._check_wake, "interval", seconds=WAKE_CHECK_INTERVAL_S, id="wake")
        self._check_wake()  # take the reference now, so a sleep right after start is noticed too
        scheduler.start()
        self._scheduler = scheduler
        self._push_wake.set()

    def stop(self) -> None:
        """Stop everything; requests in flight are aborted. Safe to call twice."""
        self._stop.set()
        if self._scheduler is not None:
            self._scheduler.shutdown(wait=False)
            self._scheduler = None
        self._abort_inflight()
        self._push_wake.set()
        self._pull_wake.set()
        for thread in self._threads:
            thread.join(STOP_JOIN_S)
            if thread.is_alive():
                log.warning("%s did not stop within %s s", thread.name, STOP_JOIN_S)
        self._threads = []
        if self._prefetch_pool is not None:
            self._prefetch_pool.shutdown(wait=False, cancel_futures=True)
            self._prefetch_pool = None

    def notify_local_change(self) -> None:
        """A local event was appended: push soon (the push worker wakes now)."""
        self._push_wake.set()

    def sync_now(self) -> None:
        """Wake both directions now: the link is back, the user asked, the machine woke up.

        Requests in flight are aborted and retried at once, so a request stuck on a link that died
        silently does not hold its loop until the read timeout.
        """
        self._abort_inflight()
        self._push_wake.set()
        self._pull_wake.set()

    def run_once(self) -> SyncStatus:
        """One full cycle, synchronously on the calling thread: push everything, pull until caught up,
        push again (pulls never create local events, but an epoch change requeues them).

        Never raises for HQ or link trouble: the returned status says what happened
        (``state``/``last_error``). Used by the CLI and by tests.
        """
        steps = (
            ("push", self._push_all),
            ("pull", self._pull_until_caught_up),
            ("push", self._push_all),
            ("push", self._settle_held),
        )
        for direction, step in steps:
            try:
                step()
            except _Aborted:
                self._set_error(direction, "interrupted; will retry", ErrorCause.INTERRUPTED)
            except LoginRequired as exc:
                self._enter_login_required(str(exc))
                break
            except (HQUnreachable, ProtocolError, HQRefused, RakshakError) as exc:
                self._set_error(direction, str(exc), error_cause(exc))
                if isinstance(exc, HQUnreachable):
                    break
        return self._publish_status()

    def set_audio_status(self, ok: bool, detail: str) -> None:
        """Result of the UI's audio check; sent with every heartbeat so HQ sees silent alarms."""
        self._audio = {"ok": bool(ok), "checked_at": iso(datetime.fromtimestamp(self._wall(), UTC)), "detail": detail}

    @property
    def status(self) -> SyncStatus:
        return self._compute_status()

    # ------------------------------------------------------------------------------------------
    # Push
    # ------------------------------------------------------------------------------------------

    def _push_loop(self) -> None:
        backoff = Backoff(cap_s=self._retry_cap_s)
        while not self._stop.is_set():
            self._push_wake.wait(PUSH_SAFETY_INTERVAL_S)
            self._push_wake.clear()
            while not self._stop.is_set():
                if not self.session.logged_in:
                    self._enter_login_required("not logged in")
                    break  # the login listener wakes us
                try:
                    self._push_all()
                    backoff.reset()
                    self._publish_status()
                    break
                except _Aborted:
                    continue
                except LoginRequired as exc:
                    self._enter_login_required(str(exc))
                    break
                except Exception as exc:
                    self._note_failure("push", exc)
                    backoff.sleep(self._push_wake)

    def _push_all(self) -> None:
        """Push until nothing pushable is pending. Raises on the first batch that fails."""
        with self._push_lock:
            while not self._stop.is_set() or not self._threads:
                if not repair.before_push(self):
                    return  # HQ was restored: its own events go back first (sync/repair.py)
                with self.replica.read() as tx:
                    pending = tx.pending(PUSH_MAX_EVENTS)
                if not pending:
                    self._set_error("push", None)
                    return
                self._push_batch(self._fit_batch(pending))
                self._set_error("push", None)

    @staticmethod
    def _fit_batch(events: Sequence[Event]) -> list[Event]:
        batch: list[Event] = []
        size = 0
        for event in events:
            n = len(json.dumps(event.to_wire(include_seq=False), ensure_ascii=False).encode())
            if batch and size + n > PUSH_BATCH_BYTES:
                break
            batch.append(event)
            size += n
        return batch

    def _push_batch(self, events: list[Event]) -> None:
        """Push one batch. A whole batch refused as malformed or too large (400/413/422) is split
        until each refused event is alone; those are quarantined with HQ's reason and the rest goes
        through. If HQ refuses *every* event that way, the fault is not in the events (an HQ or proxy
        problem): nothing is quarantined, everything stays pending, and the refusal is raised."""
        try:
            self._send_batch(events)
            return
        except HQRefused as exc:
            if exc.status not in BATCH_REFUSALS or len(events) < 2:
                raise
        refused: list[tuple[Event, HQRefused]] = []
        answered = self._split(events, refused)
        if not refused:
            return
        if answered == 0:
            raise refused[0][1]
        changed: set[str] = set()
        self.replica.wait_for_writers(WRITER_YIELD_MAX_S)
        with self.replica.tx(background=True) as tx:  # a few events: one short unit of work
            for event, refusal in refused:
                log.warning("HQ refused event %s on its own (%s): %s", event.id, refusal.code, refusal.detail)
                tx.mark_rejected(event.id, refusal.detail or "refused by HQ", refusal.code or str(refusal.status))
                changed.add(event.case_id)
            tx.commit()
        self._cases_changed(changed)

    def _split(self, events: list[Event], refused: list[tuple[Event, HQRefused]]) -> int:
        """Send both halves of a refused batch, recursing into refused halves. Returns how many events
        HQ answered one by one; appends the single events refused as a whole to ``refused``."""
        mid = len(events) // 2
        answered = 0
        for half in (events[:mid], events[mid:]):
            try:
                answered += self._send_batch(half)
            except HQRefused as exc:
                if exc.status not in BATCH_REFUSALS:
                    raise
                if len(half) == 1:
                    refused.append((half[0], exc))
                else:
                    answered += self._split(half, refused)
        return answered

    def _send_batch(self, events: list[Event]) -> int:
        """One push request; its results are applied by ``_apply_push_reply``. Returns how many
        results HQ gave."""
        epoch_at_send = self._stored_epoch()
        with self._busy_state():
            t0 = self._wall()
            reply: PushReply = self._hq(
                lambda token: self.session.client.push(token, self.device_id, events), STUCK_AFTER_S
            )
            t1 = self._wall()
            changed = self._apply_push_reply(reply, events, epoch_at_send, (t0 + t1) / 2)
        if reply.epoch != epoch_at_send:
            self._push_wake.set()  # after the commit: the requeued events are visible now
        self._cases_changed(changed)
        return len(reply.results)

    def _apply_push_reply(
        self, reply: PushReply, events: list[Event], epoch_at_send: str | None, local_wall: float
    ) -> set[str]:
        """Settle the outbox from HQ's results; returns the cases touched.

        **The operator goes first**, as in the catch-up: the results are applied in background units
        of work (``LocalStore.writers`` does not count them) that end after the results being applied
        as soon as an interactive write is waiting, or after ``PUSH_APPLY_TX_S`` holding the write
        lock; the next one begins only after that write is done. Accepted results are settled
        ``PUSH_APPLY_CHUNK`` at a time (one while an operator waits) without refolding their cases
        (``Outbox.mark_accepted_many``: settling a pending event does not change the case's state),
        so a unit of work ends within milliseconds of an operator asking. A unit begun with nobody
        waiting that an operator interrupts is rolled back, not committed (a rollback writes nothing,
        so the operator does not wait for our fsync), and redone after their write; after
        ``PUSH_GIVE_UP_MAX`` such units in a row the next one commits. Each result settles one event on
        its own (HQ's answer for it is final and idempotent), so committing a reply in parts loses
        nothing: results not yet applied when a crash comes leave their events pending, and the
        next push gets the same answers again.

        A reply is judged against the epoch stored when its request was sent (the first unit of work
        adopts a new epoch); every later unit checks that the stored epoch is still the reply's, so
        a concurrent epoch change makes the rest of the reply stale and it is dropped (the events
        stay pending).
        """
        changed: set[str] = set()
        by_id = {e.id: e for e in events}
        results = reply.results
        done = 0
        expected = epoch_at_send
        given_up = 0  # units in a row dropped for an operator who came in while they ran
        while True:
            self.replica.wait_for_writers(WRITER_YIELD_MAX_S)
            with self.replica.tx(background=True) as tx:
                first = done
                operator_at_start = self.replica.writers_waiting()  # the wait above timed out
                stored = tx.epoch
                if stored != expected:
                    log.info("push reply from before an epoch change discarded; its events stay pending")
                    return changed
                if reply.epoch != stored:
                    self._adopt_epoch(tx, reply.epoch, had_epoch=stored is not None)
                    if stored is not None:  # sent before HQ's restore was known: pushed again after the repair
                        tx.commit()
                        return changed
                started = time.monotonic()
                operator_came = False
                while done < len(results):
                    result = results[done]
                    if result.accepted:  # a run of accepted results in one statement (no refold)
                        size = 1 if self.replica.writers_waiting() else PUSH_APPLY_CHUNK
                        run: list[tuple[str, int]] = []
                        while done < len(results) and results[done].accepted and len(run) < size:
                            seq = results[done].hq_seq
                            assert seq is not None
                            run.append((results[done].id, seq))
                            changed.add(by_id[results[done].id].case_id)
                            done += 1
                        tx.mark_accepted_many(run)
                    else:
                        done += 1
                        if result.held:
                            log.warning("HQ holds event %s for review: %s", result.id, result.reason)
                            tx.mark_held(result.id, result.reason or "held for review at HQ")
                        else:
                            reason = result.reason or "rejected by HQ"
                            log.warning("HQ rejected event %s (%s): %s", result.id, result.code, reason)
                            tx.mark_rejected(result.id, reason, result.code)
                        changed.add(by_id[result.id].case_id)
                    operator_came = self.replica.writers_waiting()
                    if operator_came or time.monotonic() - started >= PUSH_APPLY_TX_S:
                        break
                if operator_came and not operator_at_start and given_up < PUSH_GIVE_UP_MAX:
                    # An operator came in while this unit ran: drop it (the rollback writes nothing,
                    # where a commit would make the operator wait for our fsync) and redo it after
                    # their write. At most ``PUSH_GIVE_UP_MAX`` in a row, so the push always advances.
                    done = first
                    given_up += 1
                    continue
                if done >= len(results):
                    self._record_skew(tx, reply.server_time, local_wall)
                tx.commit()
            given_up = 0
            expected = reply.epoch
            if done >= len(results):
                return changed

    def _settle_held(self) -> None:
        """Ask HQ about the events it holds for review and settle those decided: accepted (HQ's
        ``hq_seq``; the pull feed brings the event too), rejected (the supervisor's reason, shown with
        the refused entries), unknown to HQ (queued to push again). One small request, made only when
        something is held (by the heartbeat and ``run_once``)."""
        with self.replica.read() as tx:
            held = tx.held_ids()[:PUSH_MAX_EVENTS]
        if not held:
            return
        verdicts = self._hq(
            lambda token: self.session.client.held_verdicts(token, self.device_id, held), STUCK_AFTER_S
        )
        decided = [v for v in verdicts if v.status != "held"]
        if not decided:
            return
        requeued = False
        self.replica.wait_for_writers(WRITER_YIELD_MAX_S)
        with self.replica.tx(background=True) as tx:  # at most a few hundred rows: one short unit of work
            for v in decided:
                if v.status == "accepted":
                    assert v.hq_seq is not None
                    tx.mark_accepted(v.id, v.hq_seq)
                elif v.status == "rejected":
                    log.warning("HQ's review rejected event %s: %s", v.id, v.reason)
                    tx.mark_rejected(v.id, v.reason or "rejected at HQ's review", REVIEW_REJECTED_CODE)
                else:
                    tx.release_held(v.id)
                    requeued = True
            tx.commit()
        if requeued:
            self._push_wake.set()
        self._publish_status()

    # ------------------------------------------------------------------------------------------
    # Pull
    # ------------------------------------------------------------------------------------------

    def _pull_loop(self) -> None:
        backoff = Backoff(cap_s=self._retry_cap_s)
        behind = True  # catch up with wait=0 pages first; long-poll only once caught up
        while not self._stop.is_set():
            if not self.session.logged_in:
                self._enter_login_required("not logged in")
                self._pull_wake.wait(LOGIN_WAIT_S)
                self._pull_wake.clear()
                continue
            try:
                if behind:
                    self._pull_until_caught_up()
                    behind = False
                    if repair.due(self.replica):
                        self._push_wake.set()
                else:
                    behind = self._pull_page(self._long_poll_s)
                backoff.reset()
                self._publish_status()
            except _Aborted:
                behind = True
            except LoginRequired as exc:
                self._enter_login_required(str(exc))
            except Exception as exc:
                self._note_failure("pull", exc)
                behind = True
                backoff.sleep(self._pull_wake)

    def _fetch(self, cursor: int, wait_s: float) -> tuple[PullReply, float]:
        body, received = self._fetch_raw(cursor, wait_s)
        return parse_pull_body(body), received

    def _fetch_raw(self, cursor: int, wait_s: float) -> tuple[bytes, float]:
        body: bytes = self._hq(
            lambda token: self.session.client.pull_raw(token, cursor, limit=self.pull_page_limit, wait_s=wait_s),
            wait_s + STUCK_AFTER_S,
        )
        return body, self._wall()

    def _pull_page(self, wait_s: float) -> bool:
        """Fetch and apply one page. Returns True if more is waiting (pull again without a long wait)."""
        with self._pull_lock:
            with self.replica.read() as tx:
                cursor, epoch = tx.cursor, tx.epoch
            reply, received = self._fetch(cursor, wait_s)
            return self._apply_fetched(reply, cursor, epoch, received)

    def _apply_fetched(self, reply: PullReply, cursor: int, epoch: str | None, received: float) -> bool:
        with self._busy_state():
            more, changed = self._apply_page(reply, cursor, epoch, received)
        if reply.epoch != epoch:
            self._push_wake.set()  # after the commit: the requeued events are visible now
        self._set_error("pull", None)
        self._cases_changed(changed)
        return more

    def _pull_until_caught_up(self) -> None:
        """Pull ``wait=0`` pages back to back until HQ has nothing more (an initial sync of 100,000
        cases is 500 pages).

        * **Pipelined:** after the first page, a ``_PageStream`` fetches the following pages on the
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
        with self._pull_lock:
            with self.replica.read() as tx:
                cursor, epoch = tx.cursor, tx.epoch
            stream: _PageStream | None = None
            try:
                page: tuple[PullReply, float] | None = self._fetch(cursor, 0)
                while True:
                    failure: BaseException | None = None
                    changed: set[str] = set()
                    more = False
                    reply: PullReply | None = None
                    # an operator's write goes first; it is short (WRITER_YIELD_MAX_S bounds a stuck one)
                    self.replica.wait_for_writers(WRITER_YIELD_MAX_S)
                    with self._busy_state(), self.replica.tx(background=True) as tx:
                        started, held = time.monotonic(), 0
                        while page is not None:
                            reply, received = page
                            page = None
                            if stream is None and reply.has_more and reply.epoch == epoch:
                                stream = _PageStream(self._prefetcher(), self._fetch_raw, reply.cursor, self._stop)
                            more, page_changed, chained = self._apply_to(tx, reply, cursor, epoch, received)
                            changed |= page_changed
                            held += len(reply.items)
                            if not chained:  # stale, or a new epoch: pages fetched ahead are no use
                                _close(stream)
                                stream = None
                                break
                            cursor = reply.cursor  # what this transaction has stored
                            elapsed = time.monotonic() - started
                            if (
                                not more
                                or stream is None
                                or held >= CATCH_UP_TX_EVENTS
                                or elapsed >= CATCH_UP_TX_S
                                or self.replica.writers_waiting()
                                or (self._stop.is_set() and self._threads)
                            ):
                                break
                            try:
                                page = stream.next(cursor, timeout_s=CATCH_UP_TX_S - elapsed)
                            except BaseException as exc:  # keep the pages already applied
                                failure = exc
                                _close(stream)
                                stream = None
                        tx.commit()
                    if reply is not None and reply.epoch != epoch and failure is None:
                        self._push_wake.set()  # after the commit: the requeued events are visible now
                    self._cases_changed(changed)
                    if failure is not None:
                        raise failure
                    self._set_error("pull", None)
                    if not more or (self._stop.is_set() and self._threads):
                        return
                    with self.replica.read() as tx:
                        next_cursor, next_epoch = tx.cursor, tx.epoch
                    if page is None and stream is not None and (next_cursor, next_epoch) == (cursor, epoch):
                        page = stream.next(cursor, timeout_s=None)  # no lock held while waiting
                    if page is None:  # no stream, or it has nothing for this cursor: fetch it here
                        _close(stream)
                        stream = None
                        page = self._fetch(next_cursor, 0)
                    cursor, epoch = next_cursor, next_epoch
            finally:
                _close(stream)

    def _prefetcher(self) -> ThreadPoolExecutor:
        if self._prefetch_pool is None:
            self._prefetch_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="rakshak-prefetch")
        return self._prefetch_pool

    def _apply_page(self, reply: PullReply, cursor: int, epoch: str | None, received: float) -> tuple[bool, set[str]]:
        with self.replica.tx() as tx:
            more, changed, _ = self._apply_to(tx, reply, cursor, epoch, received)
            tx.commit()
        return more, changed

    def _apply_to(
        self, tx: SyncTx, reply: PullReply, cursor: int, epoch: str | None, received: float
    ) -> tuple[bool, set[str], bool]:
        """Apply one page in ``tx`` (the caller commits). Returns (more to pull, cases touched, whether
        the page was applied as the next one of this epoch, so a following page may join ``tx``)."""
        changed: set[str] = set()
        if tx.cursor != cursor or tx.epoch != epoch:
            log.info("stale pull page (asked at %s/%s) discarded", epoch, cursor)
            return True, changed, False
        if reply.epoch != epoch:
            self._adopt_epoch(tx, reply.epoch, had_epoch=epoch is not None)
            if cursor != 0:
                self._record_skew(tx, reply.server_time, received)
                return True, changed, False  # pull the new epoch from its start
        check_cursor(reply, cursor)
        for item in reply.items:  # observe first: later local stamps must follow what we saw
            if item.event is not None:
                self.clock.observe(item.event.hlc)
        batch: list[Event] = []
        for item in reply.items:  # in order: a revoke between two deliveries of a case matters
            if item.event is not None:
                batch.append(item.event)
                continue
            if batch:
                changed.update(tx.apply_remote(batch))
                batch = []
            assert item.revoke_case_id is not None
            tx.purge(item.revoke_case_id)
            changed.add(item.revoke_case_id)
        if batch:
            changed.update(tx.apply_remote(batch))
        tx.cursor = reply.cursor
        if not reply.has_more:
            tx.last_sync_at = iso(datetime.fromtimestamp(self._wall(), UTC))
            repair.on_caught_up(tx)
        self._record_skew(tx, reply.server_time, received)
        return reply.has_more, changed, reply.epoch == epoch

    def _adopt_epoch(self, tx: SyncTx, new_epoch: str, *, had_epoch: bool) -> None:
        """HQ's database was restored or recreated: start the feed again and re-push our own events.

        The push worker is woken by the caller *after* the commit , or it
        could read the outbox before the requeue is visible and go back to sleep.
        """
        tx.epoch = new_epoch
        tx.cursor = 0
        if had_epoch:
            repair.on_new_epoch(tx)
            n = tx.requeue_own(self.device_id)
            log.warning("HQ epoch changed to %s: pulling from the start, %d own events queued again", new_epoch, n)

    def _stored_epoch(self) -> str | None:
        with self.replica.read() as tx:
            return tx.epoch

    # ------------------------------------------------------------------------------------------
    # Scheduler jobs
    # ------------------------------------------------------------------------------------------

    def _heartbeat(self) -> None:
        if self._stop.is_set() or not self.session.logged_in:
            return
        try:
            with self.replica.read() as tx:
                pending, _ = tx.counts()
            disk_free = data_dir_free_bytes(self.store.path)
            t0 = self._wall()
            server_time = self._hq(
                lambda token: self.session.client.presence(
                    token, self.device_id, self._app_version, pending, dict(self._audio), disk_free_bytes=disk_free
                ),
                STUCK_AFTER_S,
            )
            t1 = self._wall()
            self.replica.wait_for_writers(WRITER_YIELD_MAX_S)
            with self.replica.tx(background=True) as tx:
                self._record_skew(tx, server_time, (t0 + t1) / 2)
                tx.commit()
            self._settle_held()
            self._set_error("heartbeat", None)
        except LoginRequired as exc:
            self._enter_login_required(str(exc))
        except _Aborted:
            pass
        except Exception as exc:
            self._note_failure("heartbeat", exc)
        self._publish_status()

    def _probe_link(self) -> None:
        """Every ``PROBE_INTERVAL_S``, while HQ is unreachable or a request has been out longer than its
        budget: start a cheap ``/health`` probe on a fresh connection with short timeouts.

        A link that died silently (no reset) leaves requests waiting for their read timeout, and its
        return goes unnoticed until then. Probes overlap (up to ``MAX_PROBES_IN_FLIGHT``), so a probe
        stuck on the dead path does not delay the one that finds the link back. If a probe fails while
        a request is overdue, the link is marked down at once (the UI shows offline). If one answers,
        the link is up: requests still out are on dead connections, so they are aborted and retried
        at once. A request that was only slow gets a larger budget next time (x4 per abort), so a
        slow link is never starved of retries.

        Runs on the scheduler's worker; the probe itself on a short-lived daemon thread.
        """
        if self._stop.is_set():
            return
        now = time.monotonic()
        with self._state_lock:
            overdue = [t for start, budget, t in self._inflight.values() if now - start > budget]
            offline = self._link_ok is False
            if not (offline or overdue) or self._probes_running >= MAX_PROBES_IN_FLIGHT:
                return
            self._probes_running += 1
        threading.Thread(target=self._probe_once, name="rakshak-probe", daemon=True).start()

    def _probe_once(self) -> None:
        probe = HQClient(self.session.hq_url, ca_bundle=self._ca_bundle)  # its own pool: a fresh connection
        try:
            try:
                probe.health(timeout=PROBE_TIMEOUT_S, fresh_connection=True)
            except (HQUnreachable, ProtocolError, HQRefused):
                if self._link_ok is not False:
                    log.info("a request is overdue and HQ does not answer a probe: link down")
                    self._set_link(False)
                return
            now = time.monotonic()
            with self._state_lock:
                was_offline = self._link_ok is False
                overdue = [t for start, budget, t in self._inflight.values() if now - start > budget]
                for thread_id in overdue:
                    self._patience[thread_id] = min(MAX_PATIENCE, self._patience.get(thread_id, 1.0) * 4)
            if was_offline:
                log.info("HQ answers again")
                self._set_link(True)  # aborts what is still out on the dead path and wakes both loops
            elif overdue and not self._stop.is_set():
                log.info("HQ answers but %d request(s) are overdue: retrying on fresh connections", len(overdue))
                self.sync_now()
        finally:
            probe.close()
            with self._state_lock:
                self._probes_running -= 1

    def _check_wake(self) -> None:
        """Detect a suspend/resume (or a frozen process): the wall clock jumps against the monotonic one,
        or this job ran far later than scheduled. Connections from before are dead: sync now."""
        wall, mono = self._wall(), time.monotonic()
        ref = self._wake_ref
        self._wake_ref = (wall, mono)
        if ref is None:
            return
        wall_gap, mono_gap = wall - ref[0], mono - ref[1]
        if abs(wall_gap - mono_gap) > WAKE_JUMP_S or mono_gap > WAKE_CHECK_INTERVAL_S + WAKE_JUMP_S:
            log.info("clock jump (wall %+.1f s, monotonic %+.1f s): woke from sleep? syncing now", wall_gap, mono_gap)
            self.sync_now()

    # ------------------------------------------------------------------------------------------
    # Link, errors, status
    # ------------------------------------------------------------------------------------------

    def _hq(self, call: Callable[[str], Any], budget_s: float) -> Any:
        """Run an authenticated request through the session, tracking the link's state.

        ``budget_s``: how long the request may take before the probe starts to suspect the link.
        """
        generation = self._abort_gen
        thread_id = threading.get_ident()
        had_login = self.session.logged_in
        with self._state_lock:
            self._inflight_seq += 1
            token = self._inflight_seq
            budget_s *= self._patience.get(thread_id, 1.0)
            self._inflight[token] = (time.monotonic(), budget_s, thread_id)
        try:
            result = self.session.call(call)
        except HQUnreachable as exc:
            if generation != self._abort_gen:
                raise _Aborted() from exc
            self._set_link(False)
            raise
        except (ProtocolError, HQRefused):
            self._set_link(True)  # HQ answered: the link works, the answer did not
            raise
        except LoginRequired as exc:
            if had_login:  # HQ refused a login this engine was using: it expired or was revoked
                with self._state_lock:
                    self._login_expired = self._login_expired or str(exc)
            raise
        finally:
            with self._state_lock:
                self._inflight.pop(token, None)
        with self._state_lock:
            self._patience.pop(thread_id, None)
        self._set_link(True)
        return result

    def _abort_inflight(self) -> None:
        with self._state_lock:
            self._abort_gen += 1
        self.session.client.abort()

    def _set_link(self, ok: bool) -> None:
        with self._state_lock:
            was = self._link_ok
            self._link_ok = ok
        if ok and was is False:
            # Back after an outage: requests still waiting on the dead path would hold their loops.
            self.sync_now()
        if ok != was:
            self._publish_status()

    def _note_failure(self, direction: str, exc: BaseException) -> None:
        if isinstance(exc, HQUnreachable | ProtocolError | HQRefused | StoreUnavailable | RakshakError):
            log.info("%s failed: %s", direction, exc)
            message = str(exc)
        else:
            log.exception("%s failed unexpectedly", direction)
            message = f"internal error: {exc.__class__.__name__}: {exc}"
        self._set_error(direction, message, error_cause(exc))

    def _set_error(self, direction: str, message: str | None, cause: ErrorCause = ErrorCause.INTERNAL) -> None:
        """Record (or, with ``message`` None, clear) the last error of one direction."""
        with self._state_lock:
            self._errors[direction] = None if message is None else (message, cause)
        self._publish_status()

    def _enter_login_required(self, reason: str) -> None:
        with self._state_lock:
            first = self._login_required is None
            self._login_required = reason
            reason = self._login_expired or reason
        if first:
            log.warning("login required: %s", reason)
            if self._on_login_required is not None:
                try:
                    self._on_login_required(reason)
                except Exception:
                    log.exception("on_login_required callback failed")
            self._publish_status()

    def _logged_in(self, _user: Any) -> None:
        with self._state_lock:
            self._login_required = None
            self._login_expired = None
        self._publish_status()
        self._push_wake.set()
        self._pull_wake.set()

    def _record_skew(self, tx: SyncTx, server_time: datetime, local_wall: float) -> None:
        skew = reportable_skew(server_time.timestamp() - local_wall)
        if skew != tx.clock_skew_s:
            tx.clock_skew_s = skew

    @contextlib.contextmanager
    def _busy_state(self) -> Iterator[None]:
        with self._state_lock:
            self._busy += 1
        self._publish_status()
        try:
            yield
        finally:
            with self._state_lock:
                self._busy -= 1

    def _cases_changed(self, case_ids: set[str]) -> None:
        if case_ids and self._on_cases_changed is not None:
            try:
                self._on_cases_changed(sorted(case_ids))
            except Exception:
                log.exception("on_cases_changed callback failed")

    def _compute_status(self) -> SyncStatus:
        try:
            with self.replica.read() as tx:
                pending, rejected = tx.counts()
                reasons = tx.rejected()
                held, held_count = tx.held(), tx.held_count()
                meta = (tx.cursor, tx.epoch, tx.last_sync_at, tx.clock_skew_s)
        except Exception as exc:
            log.warning("cannot read sync state from the store: %s", exc)
            pending, rejected, reasons, held, held_count, meta = 0, 0, [], [], 0, (0, None, None, None)
        with self._state_lock:
            error, cause = next((e for e in self._errors.values() if e), (None, None))
            if self._login_required is not None:
                state = ConnectionState.LOGIN_REQUIRED
                if self._login_expired is not None:
                    error, cause = self._login_expired, ErrorCause.LOGIN_EXPIRED
                elif error is None:
                    error, cause = self._login_required, ErrorCause.LOGIN
            elif self._link_ok is False:
                state = ConnectionState.OFFLINE  # even while a retry is out: the operator must know
            elif self._busy > 0:
                state = ConnectionState.SYNCING
            elif self._link_ok is None:
                state = ConnectionState.OFFLINE  # no exchange with HQ yet
            elif error:
                state = ConnectionState.ERROR
            else:
                state = ConnectionState.ONLINE
        cursor, epoch, last_sync_at, skew = meta
        return SyncStatus(
            state=state,
            pending=pending,
            rejected=rejected,
            rejected_reasons=reasons,
            held=held_count,
            held_notes=held,
            last_sync_at=last_sync_at,
            clock_skew_s=reportable_skew(skew),
            cursor=cursor,
            epoch=epoch,
            last_error=error,
            error_cause=cause,
        )

    def _publish_status(self) -> SyncStatus:
        status = self._compute_status()
        with self._state_lock:
            changed = status != self._last_status
            self._last_status = status
        if changed and self._on_status is not None:
            try:
                self._on_status(status)
            except Exception:
                log.exception("on_status callback failed")
        return status


def data_dir_free_bytes(store_path: Path) -> int | None:
    """Free bytes on the filesystem of the store's folder, for HQ's board (None if it cannot be read)."""
    try:
        return int(shutil.disk_usage(Path(store_path).parent).free)
    except OSError:
        return None
