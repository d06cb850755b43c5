"""The sync engine: moves the outbox to HQ and HQ's change feed into the local store, forever.

It composes five parts, each a module of its own:

* ``sync.link.LinkWatch`` – every request to HQ goes through it: the link's state, requests in
  flight, the ``/health`` probe, and the abort of requests stuck on a dead link;
* ``sync.push.Pusher`` – the **push worker**: wakes on ``notify_local_change``/``sync_now``, sends
  the outbox in causal order in batches and applies HQ's verdicts (the operator's writes first);
* ``sync.pull.Puller`` – the **pull loop**: long-polls ``/sync/pull`` and applies each page *and*
  its cursor in one unit of work; catches up with a stream of pages (``sync.pages``);
* ``sync.jobs`` – an APScheduler ``BackgroundScheduler``: heartbeat, link probe, wake detection;
* ``sync.board.StatusBoard`` – errors, login and the ``SyncStatus`` snapshot ``status`` returns.

Threads (none of them the GUI thread; callbacks run on them, so the UI wraps them in Qt signals): the
pull loop, the push worker, the scheduler's workers, the catch-up's prefetch thread and short-lived
probe threads.

Failures by cause: ``HQUnreachable`` (link, timeout, 5xx) retries forever with exponential backoff and
full jitter capped at ``retry_cap_s``; ``ProtocolError`` retries the same way and shows ``error``;
``LoginRequired`` parks both loops until ``Session.login`` succeeds (``on_login_required`` fires once).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from importlib import metadata
from typing import Any

from apscheduler.schedulers.background import BackgroundScheduler

from core.errors import RakshakError
from core.events import iso
from core.hlc import HybridClock
from core.settings import Settings
from core.store import LocalStore, UnitOfWork
from sync import repair
from sync.board import StatusBoard
from sync.errors import HQRefused, HQUnreachable, LoginRequired, ProtocolError
from sync.jobs import Heartbeat, WakeWatch, start_scheduler
from sync.link import STUCK_AFTER_S, Aborted, LinkWatch
from sync.pull import Puller
from sync.push import Pusher
from sync.session import Session
from sync.status import ErrorCause, SyncStatus, error_cause
from sync.wire import ConfirmedTestAlarm

log = logging.getLogger(__name__)

PULL_PAGE_LIMIT = 1000  # HQ's maximum: fewer round trips while catching up
STOP_JOIN_S = 5.0


def _app_version() -> str:
    try:
        return metadata.version("rakshak")
    except metadata.PackageNotFoundError:
        return "0.0.0"


class SyncEngine:
    """Keeps one workstation's store and HQ converging. See the module docstring for its parts.

    ``store``: a ``core.store.LocalStore``; ``session``: a ``sync.Session`` (logged in or not yet);
    ``clock``: the workstation's ``HybridClock`` (its node must be the session's device id).
    ``wall_time``: seconds since the epoch; injectable so tests can run a client whose clock is wrong.

    Callbacks run on background threads and must not block for long:
    ``on_status(SyncStatus)`` on every change; ``on_cases_changed(frozenset[case_id])`` after pulled pages
    and push results touch cases; ``on_login_required(reason)`` once per lost login.
    """

    link_class: type[LinkWatch] = LinkWatch  # a benchmark's baseline replaces it
    pusher_class: type[Pusher] = Pusher

    def __init__(
        self,
        store: LocalStore,
        session: Session,
        clock: HybridClock,
        *,
        settings: Settings,
        on_status: Callable[[SyncStatus], None] | None = None,
        on_cases_changed: Callable[[frozenset[str]], None] | None = None,
        on_login_required: Callable[[str], None] | None = None,
        wall_time: Callable[[], float] = time.time,
        app_version: str | None = None,
    ):
        if clock.node != session.device_id:
            raise ValueError(f"clock node {clock.node!r} is not the session's device {session.device_id!r}")
        self.store = store
        self.session = session
        self.clock = clock
        self.settings = settings
        self.device_id = session.device_id
        self.pull_page_limit = PULL_PAGE_LIMIT
        self._on_cases_changed = on_cases_changed
        self._wall = wall_time
        self._retry_cap_s = max(0.05, settings.retry_cap_s)
        self._long_poll_s = max(0, settings.long_poll_wait_s)
        self._heartbeat_s = max(5, settings.heartbeat_interval_s)
        self._audio: dict[str, Any] = {"ok": False, "checked_at": None, "detail": "not checked yet"}
        self._test_alarm: ConfirmedTestAlarm | None = None

        self._stop = threading.Event()
        self._push_wake = threading.Event()
        self._pull_wake = threading.Event()
        self._threads: list[threading.Thread] = []
        self._scheduler: BackgroundScheduler | None = None

        self.board = StatusBoard(
            store, lambda: self.link.ok, on_status=on_status, on_login_required=on_login_required
        )
        self.link = self.link_class(
            session,
            ca_bundle=settings.ca_bundle or None,
            stop=self._stop,
            on_back=self.sync_now,
            on_change=self.board.publish,
            on_login_refused=self.board.login_refused,
        )
        self.push = self.pusher_class(
            store, session, self.link, self.board,
            adopt_epoch=self._adopt_epoch, cases_changed=self._cases_changed, keep_going=self._keep_going,
            wake=self._push_wake, wall=self._wall, before_push=lambda: repair.before_push(self),
        )
        self.pull = Puller(
            store, clock, self.board,
            # looked up at each call, so the page size and the request path may change on a live engine
            fetch_raw=lambda cursor, wait_s: self._fetch_raw(cursor, wait_s),
            adopt_epoch=self._adopt_epoch, cases_changed=self._cases_changed, keep_going=self._keep_going,
            stop=self._stop, push_wake=self._push_wake, wall=self._wall,
        )
        self.heartbeat = Heartbeat(
            store, session, self.link, self.board,
            store_path=store.path, app_version=app_version or _app_version(), audio=lambda: dict(self._audio),
            settle_held=self.push.settle_held, stop=self._stop, wall=self._wall, test_alarm=lambda: self._test_alarm,
        )
        self.wake = WakeWatch(self._wall, self.sync_now)
        session.on_login(self._logged_in)

    # ------------------------------------------------------------------------------------------
    # Public API
    # ------------------------------------------------------------------------------------------

    def start(self) -> None:
        """Start the pull loop, the push worker and the scheduler. Returns at once."""
        if self._threads:
            raise RuntimeError("sync engine already started")
        self._stop.clear()
        loops: tuple[tuple[str, Callable[[], None]], ...] = (
            ("rakshak-pull", lambda: self.pull.loop(self.session, self._pull_wake, self._retry_cap_s,
                                                    self._long_poll_s)),
            ("rakshak-push", lambda: self.push.loop(self._stop, self._retry_cap_s)),
        )
        for name, target in loops:
            thread = threading.Thread(target=target, name=name, daemon=True)
            self._threads.append(thread)
            thread.start()
        self._scheduler = start_scheduler(self.heartbeat, self._heartbeat_s, self.link.probe, self.wake)
        self._push_wake.set()

    def stop(self) -> None:
        """Stop everything; requests in flight are aborted. Safe to call twice."""
        self._stop.set()
        if self._scheduler is not None:
            self._scheduler.shutdown(wait=False)
            self._scheduler = None
        self.link.abort_inflight()
        self._push_wake.set()
        self._pull_wake.set()
        for thread in self._threads:
            thread.join(STOP_JOIN_S)
            if thread.is_alive():
                log.warning("%s did not stop within %s s", thread.name, STOP_JOIN_S)
        self._threads = []
        self.pull.close()

    def notify_local_change(self) -> None:
        """A local event was appended: push soon (the push worker wakes now, and publishes the new
        pending count). A never-started engine (``run_once``, tests) has no thread to do that, so it
        publishes here, on the caller's thread."""
        self._push_wake.set()
        if not self._threads:
            self.board.publish()

    def sync_now(self) -> None:
        """Wake both directions now: the link is back, the user asked, the machine woke up.

        Requests in flight are aborted and retried at once, so a request stuck on a link that died
        silently does not hold its loop until the read timeout.
        """
        self.link.abort_inflight()
        self._push_wake.set()
        self._pull_wake.set()

    def run_once(self) -> SyncStatus:
        """One full cycle, synchronously on the calling thread: push everything, pull until caught up,
        push again (pulls never create local events, but an epoch change requeues them).

        Never raises for HQ or link trouble: the returned status says what happened
        (``state``/``last_error``). Used by the CLI and by tests.
        """
        steps = (
            ("push", self.push.push_all),
            ("pull", self.pull.until_caught_up),
            ("push", self.push.push_all),
            ("push", self.push.settle_held),
        )
        for direction, step in steps:
            try:
                step()
            except Aborted:
                self.board.set_error(direction, "interrupted; will retry", ErrorCause.INTERRUPTED)
            except LoginRequired as exc:
                self.board.enter_login_required(str(exc))
                break
            except (HQUnreachable, ProtocolError, HQRefused, RakshakError) as exc:
                self.board.set_error(direction, str(exc), error_cause(exc))
                if isinstance(exc, HQUnreachable):
                    break
        return self.board.publish()

    def set_audio_status(self, ok: bool, detail: str) -> None:
        """Result of the UI's audio check; sent with every heartbeat so HQ sees silent alarms."""
        self._audio = {"ok": bool(ok), "checked_at": iso(datetime.fromtimestamp(self._wall(), UTC)), "detail": detail}

    def set_test_alarm(self, answer: ConfirmedTestAlarm) -> None:
        """A human answered "did everyone hear the test alarm?" here: sent with every heartbeat from
        now on, beside (not inside) the audio verdict, so later software checks keep it."""
        self._test_alarm = answer

    @property
    def status(self) -> SyncStatus:
        """The last status published (on the engine's threads); reads nothing, so any thread may ask."""
        return self.board.snapshot

    # ------------------------------------------------------------------------------------------
    # Shared by the parts
    # ------------------------------------------------------------------------------------------

    def _keep_going(self) -> bool:
        """False once a started engine is stopping; a never-started one (``run_once``) always goes on."""
        return not (self._stop.is_set() and self._threads)

    def _fetch_raw(self, cursor: int, wait_s: float) -> tuple[bytes, float]:
        """One pull request at ``cursor``; returns the body undecoded and the wall time at receipt."""
        body: bytes = self.link.call(
            lambda token: self.session.client.pull_raw(token, cursor, limit=self.pull_page_limit, wait_s=wait_s),
            wait_s + STUCK_AFTER_S,
        )
        return body, self._wall()

    def _adopt_epoch(self, uow: UnitOfWork, new_epoch: str, *, had_epoch: bool) -> None:
        """HQ's database was restored or recreated: start the feed again and re-push our own events.

        The push worker is woken by the caller *after* the commit; woken before, it could read the
        outbox before the requeue is visible and go back to sleep.
        """
        uow.meta.epoch = new_epoch
        uow.meta.cursor = 0
        if had_epoch:
            repair.on_new_epoch(uow)
            n = uow.outbox.requeue_own(self.device_id)
            log.warning("HQ epoch changed to %s: pulling from the start, %d own events queued again", new_epoch, n)

    def _cases_changed(self, case_ids: set[str]) -> None:
        if case_ids and self._on_cases_changed is not None:
            try:
                self._on_cases_changed(frozenset(case_ids))
            except Exception:
                log.exception("on_cases_changed callback failed")

    def _logged_in(self, _user: Any) -> None:
        self.board.logged_in()
        self._push_wake.set()
        self._pull_wake.set()
