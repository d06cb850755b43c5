"""Which cases ring the alarm, and why: a pure function of (rows, now, settings). No Qt here.

The unacknowledged state lives in the encrypted store, not in this process. Whoever restarts the
client (after a crash, a power cut, a Windows update) and feeds the controller the store's rows gets
the same ringing set back: nothing about "is this case ringing" is kept only in memory.

Rules, in the order they are applied to each row:

1. A revoked (``purged``) case never rings: HQ withdrew it and its personal data is gone.
2. ``needs_alarm`` (a suicide-risk case nobody has acknowledged, not closed) rings, unless a mute
   is in force. A mute is in force only while ``now < muted_until <= now + MAX_MUTE_MIN (+ slack)``.
   The upper bound matters: ``muted_until`` may have been written by another console whose clock
   was wrong by hours. A mute that seems to last longer than any mute can is treated as no mute,
   so a skewed clock elsewhere can make the alarm ring early, never keep it silent for a day.
   An unreadable ``muted_until`` is also no mute.
3. A suicide-risk case acknowledged but not dispatched or forwarded (status still
   ``acknowledged``) rings again once ``dispatch_overdue_min`` minutes have passed since the
   acknowledgement ("dispatch overdue"). An unreadable ``acknowledged_at`` counts as overdue:
   when in doubt, ring. The same mute bound applies, although today's commands only let an
   operator mute an unacknowledged case.

Ordering of the result: unacknowledged before overdue, then priority (1 is most urgent), then
oldest first, then case id, so the banner always shows the same case first on every console.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from core.commands import MAX_MUTE_MIN
from core.events import CaseKind, parse_time

# A mute written on a console whose clock runs a little ahead still counts, up to this much.
MUTE_CLOCK_SLACK_S = 120
# Status names as core.fold.Status writes them into the projection.
ACKNOWLEDGED_STATUS = "acknowledged"
CLOSED_STATUS = "closed"


class RingReason(enum.StrEnum):
    UNACKNOWLEDGED = "unacknowledged"
    DISPATCH_OVERDUE = "dispatch_overdue"


class AlarmRow(Protocol):
    """The columns of ``core.store.CaseRow`` the alarm needs (CaseRow satisfies this protocol)."""

    @property
    def case_id(self) -> str: ...
    @property
    def kind(self) -> str | None: ...
    @property
    def status(self) -> str: ...
    @property
    def priority(self) -> int: ...
    @property
    def received_at(self) -> str | None: ...
    @property
    def police_station(self) -> str | None: ...
    @property
    def subject_name(self) -> str | None: ...
    @property
    def needs_alarm(self) -> bool: ...
    @property
    def acknowledged_at(self) -> str | None: ...
    @property
    def dispatched_at(self) -> str | None: ...
    @property
    def muted_until(self) -> str | None: ...
    @property
    def purged(self) -> bool: ...


@dataclass(frozen=True)
class Ringing:
    """One case the alarm is ringing for, with the row it was decided from (for the banner)."""

    case_id: str
    reason: RingReason
    row: AlarmRow


def _time(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        return parse_time(value)
    except (TypeError, ValueError):
        return None


def mute_in_force(row: AlarmRow, now: datetime) -> bool:
    """True while a plausible mute covers ``now`` (see rule 2 in the module docstring)."""
    until = _time(row.muted_until)
    if until is None:
        return False
    return now < until <= now + timedelta(minutes=MAX_MUTE_MIN, seconds=MUTE_CLOCK_SLACK_S)


def dispatch_overdue(row: AlarmRow, now: datetime, limit_min: float) -> bool:
    """Acknowledged suicide-risk case still not dispatched/forwarded ``limit_min`` after the acknowledgement."""
    if row.kind != CaseKind.SUICIDE_RISK or row.acknowledged_at is None:
        return False
    if row.status != ACKNOWLEDGED_STATUS or row.dispatched_at is not None:
        return False
    acked = _time(row.acknowledged_at)
    return acked is None or now - acked >= timedelta(minutes=limit_min)


def reason_for(row: AlarmRow, now: datetime, dispatch_overdue_min: float) -> RingReason | None:
    """Why ``row`` rings at ``now``, or None if it does not."""
    if row.purged or row.status == CLOSED_STATUS:
        return None
    if mute_in_force(row, now):
        return None
    if row.needs_alarm:
        return RingReason.UNACKNOWLEDGED
    if dispatch_overdue(row, now, dispatch_overdue_min):
        return RingReason.DISPATCH_OVERDUE
    return None


def _sort_key(r: Ringing) -> tuple[int, int, str, str]:
    return (
        0 if r.reason is RingReason.UNACKNOWLEDGED else 1,
        r.row.priority,
        r.row.received_at or "",
        r.case_id,
    )


def ringing_cases(rows: Iterable[AlarmRow], now: datetime, dispatch_overdue_min: float) -> list[Ringing]:
    """Every case that rings at ``now``, most urgent first. Duplicate case ids: the last row wins."""
    latest: dict[str, AlarmRow] = {}
    for row in rows:
        latest[row.case_id] = row
    out: list[Ringing] = []
    for row in latest.values():
        reason = reason_for(row, now, dispatch_overdue_min)
        if reason is not None:
            out.append(Ringing(row.case_id, reason, row))
    out.sort(key=_sort_key)
    return out


def next_change_at(rows: Iterable[AlarmRow], now: datetime, dispatch_overdue_min: float) -> datetime | None:
    """The earliest future moment the decision can change with no new rows: a mute ending, a dispatch falling due.

    The controller re-decides at that moment, so a mute that runs out rings again on time even if
    nothing else happens on the console.
    """
    moments: list[datetime] = []
    for row in rows:
        if row.purged or row.status == CLOSED_STATUS:
            continue
        if mute_in_force(row, now):
            until = _time(row.muted_until)
            if until is not None:
                moments.append(until)
        if row.kind == CaseKind.SUICIDE_RISK and row.status == ACKNOWLEDGED_STATUS and row.dispatched_at is None:
            acked = _time(row.acknowledged_at)
            if acked is not None:
                due = acked + timedelta(minutes=dispatch_overdue_min)
                if due > now:
                    moments.append(due)
    return min(moments) if moments else None
