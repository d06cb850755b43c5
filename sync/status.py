"""What the sync engine reports to the UI and the CLI: one immutable snapshot per change."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from core.errors import StoreUnavailable
from sync.errors import HQRefused, HQUnreachable, LoginRequired, ProtocolError

if TYPE_CHECKING:
    from core.store import StoredEvent, SyncMeta

# Skew smaller than this is normal (NTP-less PCs drift); only more is worth an operator's attention.
CLOCK_SKEW_REPORT_S = 60.0
# Refused or held entries listed in a status (``rejected``/``held`` count them all).
NOTES_MAX = 1000


class ConnectionState(enum.StrEnum):
    ONLINE = "online"  # the last exchange with HQ succeeded; nothing pending to do
    OFFLINE = "offline"  # HQ cannot be reached; retrying with backoff
    SYNCING = "syncing"  # pushing or applying a pulled page right now
    ERROR = "error"  # HQ answered, but with something we could not use (see last_error)
    LOGIN_REQUIRED = "login_required"  # no usable login; pending work waits until someone logs in
    # (``error_cause`` says which: ``LOGIN_EXPIRED`` when HQ ended the session, ``LOGIN`` when there is none)


class ErrorCause(enum.StrEnum):
    """Why ``last_error`` happened, for a UI that explains it in its own language (the text is English)."""

    UNREACHABLE = "unreachable"  # link down, timeout, 5xx
    INTERRUPTED = "interrupted"  # a request this engine aborted on purpose; retried at once
    REFUSED = "refused"  # HQ answered 4xx to a whole request
    PROTOCOL = "protocol"  # HQ's reply was not what the contract promises; nothing of it was applied
    LOCAL_STORE = "local_store"  # the workstation's own store failed (disk full, I/O)
    LOGIN = "login"  # there is no login on this workstation (never signed in, or signed out)
    LOGIN_EXPIRED = "login_expired"  # HQ refused the login in use (expired, revoked, account disabled)
    INTERNAL = "internal"  # a bug: logged with its traceback


def error_cause(exc: BaseException) -> ErrorCause:
    if isinstance(exc, HQUnreachable):
        return ErrorCause.UNREACHABLE
    if isinstance(exc, LoginRequired):
        return ErrorCause.LOGIN
    if isinstance(exc, HQRefused):
        return ErrorCause.REFUSED
    if isinstance(exc, ProtocolError):
        return ErrorCause.PROTOCOL
    if isinstance(exc, StoreUnavailable):
        return ErrorCause.LOCAL_STORE
    return ErrorCause.INTERNAL


@dataclass(frozen=True)
class SyncStatus:
    state: ConnectionState = ConnectionState.OFFLINE
    pending: int = 0
    rejected: int = 0
    rejected_reasons: list[tuple[str, str]] = field(default_factory=list)  # (event id, HQ's reason)
    held: int = 0  # events HQ holds in its review queue (not pending, not refused: a supervisor decides)
    held_notes: list[tuple[str, str]] = field(default_factory=list)  # (event id, HQ's note)
    # cases this console holds that HQ, restored from a backup, could not take back: (case id, HQ's reason)
    repair_refused: list[tuple[str, str]] = field(default_factory=list)
    last_sync_at: str | None = None  # ISO time of the last full successful exchange
    clock_skew_s: float | None = None  # HQ's clock minus ours; set only when |skew| > 60 s
    cursor: int = 0
    epoch: str | None = None
    last_error: str | None = None
    error_cause: ErrorCause | None = None  # set with last_error

    def to_json(self) -> dict[str, object]:
        return {
            "state": str(self.state),
            "pending": self.pending,
            "rejected": self.rejected,
            "rejected_reasons": [{"event_id": i, "reason": r} for i, r in self.rejected_reasons],
            "held": self.held,
            "held_notes": [{"event_id": i, "note": r} for i, r in self.held_notes],
            "repair_refused": [{"case_id": c, "reason": r} for c, r in self.repair_refused],
            "last_sync_at": self.last_sync_at,
            "clock_skew_s": self.clock_skew_s,
            "cursor": self.cursor,
            "epoch": self.epoch,
            "last_error": self.last_error,
            "error_cause": None if self.error_cause is None else str(self.error_cause),
        }


def reportable_skew(skew_s: float | None) -> float | None:
    if skew_s is None or abs(skew_s) <= CLOCK_SKEW_REPORT_S:
        return None
    return round(skew_s, 1)


def notes(stored: Iterable[StoredEvent]) -> list[tuple[str, str]]:
    """(event id, HQ's reason or note) of the first ``NOTES_MAX`` refused or held entries."""
    return [(s.event.id, s.reject_reason or "") for s in list(stored)[:NOTES_MAX]]


def stored_skew(meta: SyncMeta) -> float | None:
    """The skew kept in the store's sync meta; a value this version cannot read counts as unknown, so
    it never stops sync."""
    try:
        return meta.clock_skew_s
    except ValueError:
        return None


def record_skew(meta: SyncMeta, server_time: datetime, local_wall: float) -> None:
    """Keep HQ's clock minus ours (``local_wall``: our wall clock when HQ's ``server_time`` was read),
    written only when it changes what is reported. Inside the caller's unit of work."""
    skew = reportable_skew(server_time.timestamp() - local_wall)
    if skew != stored_skew(meta):
        meta.clock_skew_s = skew
