"""The engine's status board: the last error of each direction, the login, whether work is under way,
and the ``SyncStatus`` snapshot published from them.

``publish`` reads the store's counts (on the engine's threads, never the caller of ``snapshot``) and
hands the new snapshot to ``on_status`` when it changed. ``snapshot`` returns the last one published
without touching the store, so the GUI thread may read it.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from core.errors import RakshakError, StoreUnavailable
from sync import repair
from sync.errors import HQRefused, HQUnreachable, ProtocolError
from sync.status import ConnectionState, ErrorCause, SyncStatus, error_cause, notes, reportable_skew, stored_skew

if TYPE_CHECKING:
    from core.store import LocalStore

log = logging.getLogger(__name__)

DIRECTIONS = ("push", "pull", "heartbeat")
# Background sync work (push replies, pulled pages, the skew) waits at most this long for an
# operator's open write before it opens its own unit of work.
WRITER_YIELD_MAX_S = 2.0


class StatusBoard:
    """``link_ok()``: the link's state (``LinkWatch.ok``). ``on_status(SyncStatus)`` on every change;
    ``on_login_required(reason)`` once per lost login. Both run on the thread that publishes."""

    def __init__(
        self,
        store: LocalStore,
        link_ok: Callable[[], bool | None],
        *,
        on_status: Callable[[SyncStatus], None] | None,
        on_login_required: Callable[[str], None] | None,
    ) -> None:
        self._store = store
        self._link_ok = link_ok
        self._on_status = on_status
        self._on_login_required = on_login_required
        self._lock = threading.Lock()
        self._busy = 0
        self._errors: dict[str, tuple[str, ErrorCause] | None] = dict.fromkeys(DIRECTIONS)
        self._login_required: str | None = None
        # HQ's reason when a login in use was refused (expired, revoked, account disabled); None when
        # there simply is no login. Kept until the next login, so "not logged in" never hides it.
        self._login_expired: str | None = None
        self._snapshot = SyncStatus()  # offline, nothing known, until the engine's first publish
        self._published = False

    @property
    def snapshot(self) -> SyncStatus:
        """The last status published; reads nothing."""
        return self._snapshot

    # -- what happened -----------------------------------------------------------------------------

    def note_failure(self, direction: str, exc: BaseException) -> None:
        if isinstance(exc, HQUnreachable | ProtocolError | HQRefused | StoreUnavailable | RakshakError):
            log.info("%s failed: %s", direction, exc)
            message = str(exc)
        else:
            log.exception("%s failed unexpectedly", direction)
            message = f"internal error: {exc.__class__.__name__}: {exc}"
        self.set_error(direction, message, error_cause(exc))

    def set_error(self, direction: str, message: str | None, cause: ErrorCause = ErrorCause.INTERNAL) -> None:
        """Record (or, with ``message`` None, clear) the last error of one direction."""
        with self._lock:
            self._errors[direction] = None if message is None else (message, cause)
        self.publish()

    def login_refused(self, reason: str) -> None:
        """HQ refused a login that was in use: say so until the next login."""
        with self._lock:
            self._login_expired = self._login_expired or reason

    def enter_login_required(self, reason: str, *, refused: str | None = None) -> None:
        """No usable login; ``refused``: HQ refused the one in use (the session met it, perhaps on
        another caller's request), so it is said as expired, not as "not logged in"."""
        with self._lock:
            if refused:
                self._login_expired = self._login_expired or refused
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
            self.publish()

    def logged_in(self) -> None:
        with self._lock:
            self._login_required = None
            self._login_expired = None
        self.publish()

    @contextlib.contextmanager
    def busy(self) -> Iterator[None]:
        """Pushing or applying a pulled page: shown as ``syncing`` while it lasts."""
        with self._lock:
            self._busy += 1
        self.publish()
        try:
            yield
        finally:
            with self._lock:
                self._busy -= 1

    # -- the snapshot ------------------------------------------------------------------------------

    def _state(self) -> tuple[ConnectionState, str | None, ErrorCause | None]:
        link_ok = self._link_ok()
        with self._lock:
            error, cause = next((e for e in self._errors.values() if e), (None, None))
            if self._login_required is not None:
                state = ConnectionState.LOGIN_REQUIRED
                if self._login_expired is not None:
                    error, cause = self._login_expired, ErrorCause.LOGIN_EXPIRED
                elif error is None:
                    error, cause = self._login_required, ErrorCause.LOGIN
            elif link_ok is False:
                state = ConnectionState.OFFLINE  # even while a retry is out: the operator must know
            elif self._busy > 0:
                state = ConnectionState.SYNCING
            elif link_ok is None:
                state = ConnectionState.OFFLINE  # no exchange with HQ yet
            elif error:
                state = ConnectionState.ERROR
            else:
                state = ConnectionState.ONLINE
        return state, error, cause

    def _compute(self) -> SyncStatus:
        try:
            with self._store.reader() as uow:
                pending, rejected = uow.outbox.counts()
                reasons = notes(uow.outbox.rejected())
                held, held_count = notes(uow.outbox.held()), uow.outbox.held_count()
                unrepaired = sorted({(r.case_id, r.reason) for r in repair.refused_in(uow)})
                meta = (uow.meta.cursor, uow.meta.epoch, uow.meta.last_sync_at, stored_skew(uow.meta))
        except Exception as exc:
            log.warning("cannot read sync state from the store: %s", exc)
            pending, rejected, reasons, held, held_count, meta = 0, 0, [], [], 0, (0, None, None, None)
            unrepaired = []
        state, error, cause = self._state()
        cursor, epoch, last_sync_at, skew = meta
        return SyncStatus(
            state=state,
            pending=pending,
            rejected=rejected,
            rejected_reasons=reasons,
            held=held_count,
            held_notes=held,
            repair_refused=unrepaired,
            last_sync_at=last_sync_at,
            clock_skew_s=reportable_skew(skew),
            cursor=cursor,
            epoch=epoch,
            last_error=error,
            error_cause=cause,
        )

    def publish(self) -> SyncStatus:
        """Read the store and the state above into a new snapshot; tell ``on_status`` if it changed."""
        status = self._compute()
        with self._lock:
            changed = status != self._snapshot or not self._published
            self._snapshot = status
            self._published = True
        if changed and self._on_status is not None:
            try:
                self._on_status(status)
            except Exception:
                log.exception("on_status callback failed")
        return status
