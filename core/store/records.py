"""Plain read results handed to sync/ and ui/: immutable, no database handles inside."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from core.events import Event
from core.store.schema import SyncState

# Payload fields of an event HQ refused that are kept once its case is revoked from this
# workstation, and that an export of the refused list carries: codes, times, references and the
# officers' names, which say what was done and let an operator act on it. Every free-text field
# (notes, details, places, locations, reasons, counselling text, corrected fields) may describe the
# person in crisis and is dropped, as the purge drops every other personal detail of the case.
KEPT_WHEN_PURGED = frozenset(
    {
        "outcome",
        "not_reached_reason",
        "false_alarm_reason",
        "at",
        "method",
        "to",
        "agency",
        "state",
        "reference",
        "eta_min",
        "due",
        "follow_up_id",
        "until",
        "field",
        "target_event_id",
        "family_contacted",
        "follow_up_date",
        "officer_name",
        "officer_rank",
        "officer",
        "team",
    }
)


def minimised_payload(payload: Mapping[str, Any]) -> dict[str, Any]:
    """``payload`` without any field that may hold personal details (see ``KEPT_WHEN_PURGED``)."""
    return {k: v for k, v in payload.items() if k in KEPT_WHEN_PURGED}


@dataclass(frozen=True)
class StoredEvent:
    """An event with its local bookkeeping: where it stands with HQ and in what order it was stored."""

    event: Event
    sync_state: SyncState
    reject_reason: str | None = None
    reject_code: str | None = None
    local_seq: int = 0  # storage order on this device (creation order for its own events)
    dealt_with_at: str | None = None  # a refused event an operator has marked as dealt with: when
    dealt_with_by: str | None = None  # ... and who (display name and user id)

    def refusal_record(self) -> dict[str, Any]:
        """What the refused list exports of this event: the event, its type, time, author, HQ's
        reason, and the payload without personal details (``minimised_payload``)."""
        e = self.event
        return {
            "event_id": e.id,
            "case_id": e.case_id,
            "type": str(e.type),
            "wall_time": e.wall_time,
            "hlc": e.hlc,
            "author_id": e.author_id,
            "author_name": e.author_name,
            "device_id": e.device_id,
            "seen_assignment": e.seen_assignment,
            "reason": self.reject_reason,
            "code": self.reject_code,
            "payload": minimised_payload(e.payload),
            "dealt_with_at": self.dealt_with_at,
            "dealt_with_by": self.dealt_with_by,
        }


@dataclass(frozen=True)
class CaseRow:
    """One line of the queue: the projection's columns, no fold, no personal detail beyond the list view.

    Whether it rings is ``core.alarm``'s to say (``CaseRow`` satisfies ``core.alarm.AlarmRow``)."""

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
    # HQ's tier of the alarm (the fields above without ``hq_`` are the assigned district's)
    hq_needs_alarm: bool = False
    hq_acknowledged_at: str | None = None
    hq_muted_until: str | None = None
    follow_up_due: str | None = None  # the earliest open follow-up's due time (UTC)
    refused_silence: str | None = None  # JSON: this console's acknowledgement/mute HQ refused


@dataclass(frozen=True)
class QueueFilter:
    """Which cases a queue view shows. Purged (revoked) cases are never shown."""

    statuses: frozenset[str] | None = None  # None = all open (not closed); include "closed" explicitly
    kinds: frozenset[str] | None = None
    police_station: str | None = None
    district: str | None = None  # one district's cases (HQ's board opens a district's cases)
    search: str | None = None  # every word must occur in name, phone, reference, summary, post text, place, id
    include_closed: bool = False
    # Only cases with an open follow-up due at or before this time (UTC ISO); closed cases included
    # unless ``statuses`` says otherwise (aftercare goes on after a case is closed).
    follow_ups_due_by: str | None = None
