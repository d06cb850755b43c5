"""Plain read results handed to sync/ and ui/: immutable, no database handles inside."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from core.events import Event, parse_time
from core.store.schema import SyncState


@dataclass(frozen=True)
class StoredEvent:
    """An event with its local bookkeeping: where it stands with HQ and in what order it was stored."""

    event: Event
    sync_state: SyncState
    local_seq: int
    reject_reason: str | None = None
    reject_code: str | None = None


@dataclass(frozen=True)
class CaseRow:
    """One line of the queue: the projection's columns, no fold, no personal detail beyond the list view."""

    case_id: str
    kind: str | None
    status: str
    priority: int
    received_at: str | None
    district: str | None
    police_station: str | None
    summary: str | None
    subject_name: str | None
    needs_alarm: bool
    acknowledged_at: str | None
    dispatched_at: str | None
    muted_until: str | None
    pending_count: int
    rejected_count: int
    updated_hlc: str | None
    purged: bool

    def alarm_muted_at(self, now: datetime) -> bool:
        return self.muted_until is not None and parse_time(self.muted_until) > now

    def alarming_at(self, now: datetime) -> bool:
        """Needs the alarm and is not muted at ``now``."""
        return self.needs_alarm and not self.alarm_muted_at(now)


@dataclass(frozen=True)
class Draft:
    case_id: str
    form: str
    fields: Mapping[str, Any]
    saved_at: str


@dataclass(frozen=True)
class ApplyResult:
    """What ``apply_remote`` did with a page of HQ events."""

    inserted: int = 0
    updated: int = 0  # known event: hq_seq or sync state changed
    unchanged: int = 0
    replaced: int = 0  # known id with other content: HQ's copy replaced ours
    cases: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class PurgeResult:
    case_id: str
    events_removed: int
    pending_discarded: int  # own events HQ had not accepted yet (HQ would refuse them now)
    drafts_removed: int
