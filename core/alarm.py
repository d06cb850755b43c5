"""Which cases ring the alarm, and why: a pure function of (rows, now, settings, tier). No Qt here.

It lives in ``core`` because it is a domain rule (HQ's board can ask the same question); the
console's ``ui.alarm`` imports it from here.

The unacknowledged state lives in the encrypted store, not in this process. Whoever restarts the
client (after a crash, a power cut, a Windows update) and feeds the controller the store's rows gets
the same ringing set back: nothing about "is this case ringing" is kept only in memory.

Which alarm a console hears depends on its user's tier (``core.events.Tier``): an HQ console rings
for a case HQ has not acknowledged (``hq_needs_alarm``), a district console for a case the assigned
district has not acknowledged (``needs_alarm``); each tier's mute (``hq_muted_until``/``muted_until``)
quiets only that tier. "Suicide-risk" is the effective risk: a tip or complaint raised to
suicide-risk rings like any other (the projection's ``kind`` is the effective kind).

Rules, in the order they are applied to each row:

1. A revoked (``purged``) case never rings: HQ withdrew it and its personal data is gone.
2. ``needs_alarm`` for the console's tier (a suicide-risk case that tier has not acknowledged, not
   closed) rings, unless a mute is in force, or this console's own acknowledgement or mute was
   refused by HQ (``refused_silence``): an operator can always silence what they acknowledged.
   Such a case is reported by ``refused_silences`` (the refusal and its reason) instead of ringing.
   A mute is in force only while ``now < muted_until <= now + MAX_MUTE_MIN (+ slack)``.
   The upper bound matters: ``muted_until`` may have been written by another console whose clock
   was wrong by hours. A mute that seems to last longer than any mute can is treated as no mute,
   so a skewed clock elsewhere can make the alarm ring early, never keep it silent for a day.
   An unreadable ``muted_until`` is also no mute.
3. A suicide-risk case acknowledged but not dispatched or forwarded (status still
   ``acknowledged``) rings again once ``dispatch_overdue_min`` minutes have passed since the
   acknowledgement ("dispatch overdue"). An unreadable ``acknowledged_at`` counts as overdue:
   when in doubt, ring. The same mute bound applies, although today's commands only let an
   operator mute an unacknowledged case.

4. An escalation that re-alarms a tier (an ``escalated`` event with ``realarm``, written by HQ's
   escalation runner) ends that tier's mute made before it: ``core.events.realarm_tier`` is the rule
   and ``core.fold`` applies it, so the row's ``muted_until`` (or ``hq_muted_until``) is already
   empty and rule 2 rings the case on every console of that tier, HQ's board included. A mute made
   after the escalation counts again.
Complaints never ring the siren: a complaint case is not suicide-risk, so rule 2 never holds for it
until an operator raises it (``risk_raised``), after which it rings like any alert. A complaint's
two-hour clock gives a softer signal instead (``SoftAlert``, decided by ``core.complaints.soft_alert``),
which the console shows distinctly and never plays on the siren's channel.

Ordering of the result: unacknowledged before overdue, then priority (1 is most urgent), then
oldest first, then case id, so the banner always shows the same case first on every console.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from core.commands import MAX_MUTE_MIN
from core.events import CaseKind, Tier, parse_time

# A mute written on a console whose clock runs a little ahead still counts, up to this much.
MUTE_CLOCK_SLACK_S = 120
# Status names as core.fold.Status writes them into the projection.
ACKNOWLEDGED_STATUS = "acknowledged"
CLOSED_STATUS = "closed"


class SoftAlert(enum.StrEnum):
    """The complaint SLA signal: distinct from, and softer than, the suicide siren (``RingReason``)."""

    COMPLAINT_SLA_WARNING = "complaint_sla_warning"
    COMPLAINT_SLA_BREACH = "complaint_sla_breach"


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
    @property
    def hq_needs_alarm(self) -> bool: ...
    @property
    def hq_muted_until(self) -> str | None: ...
    @property
    def refused_silence(self) -> str | None: ...


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


@dataclass(frozen=True)
class RefusedSilence:
    """A case this console silenced (acknowledged or muted) although HQ refused that entry."""

    case_id: str
    what: str  # "ack" or "mute"
    reason: str  # HQ's reason for the refusal
    by: str
    row: AlarmRow


def _plausible(until: datetime | None, now: datetime) -> bool:
    return until is not None and now < until <= now + timedelta(minutes=MAX_MUTE_MIN, seconds=MUTE_CLOCK_SLACK_S)


def needs_alarm(row: AlarmRow, tier: Tier = Tier.DISTRICT) -> bool:
    return bool(row.hq_needs_alarm if tier is Tier.HQ else row.needs_alarm)


def _refused(row: AlarmRow, tier: Tier) -> dict[str, dict[str, str]]:
    """This console's refused acknowledgement/mute of ``tier`` (``core.store.projection.refused_silence``)."""
    if not row.refused_silence:
        return {}
    try:
        data = json.loads(row.refused_silence)
    except ValueError:
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: v for k, v in data.items() if isinstance(v, dict) and v.get("tier") == str(tier)}


def mute_in_force(row: AlarmRow, now: datetime, tier: Tier = Tier.DISTRICT) -> bool:
    """True while a plausible mute of ``tier`` covers ``now`` (see rule 2 in the module docstring)."""
    return _plausible(_time(row.hq_muted_until if tier is Tier.HQ else row.muted_until), now)


def _refused_mute_until(row: AlarmRow, now: datetime, tier: Tier) -> datetime | None:
    mute = _refused(row, tier).get("mute")
    until = _time(str(mute.get("until"))) if mute else None
    return until if _plausible(until, now) else None


def refused_silence_at(row: AlarmRow, now: datetime, tier: Tier = Tier.DISTRICT) -> RefusedSilence | None:
    """This console's own refused acknowledgement (always) or mute (while plausible) that keeps the
    case from ringing here, or None."""
    refused = _refused(row, tier)
    ack = refused.get("ack")
    if ack is not None:
        return RefusedSilence(row.case_id, "ack", str(ack.get("reason", "")), str(ack.get("by", "")), row)
    mute = refused.get("mute")
    if mute is not None and _refused_mute_until(row, now, tier) is not None:
        return RefusedSilence(row.case_id, "mute", str(mute.get("reason", "")), str(mute.get("by", "")), row)
    return None


def dispatch_overdue(row: AlarmRow, now: datetime, limit_min: float) -> bool:
    """Acknowledged suicide-risk case still not dispatched/forwarded ``limit_min`` after the acknowledgement."""
    if row.kind != CaseKind.SUICIDE_RISK or row.acknowledged_at is None:
        return False
    if row.status != ACKNOWLEDGED_STATUS or row.dispatched_at is not None:
        return False
    acked = _time(row.acknowledged_at)
    return acked is None or now - acked >= timedelta(minutes=limit_min)


def reason_for(
    row: AlarmRow, now: datetime, dispatch_overdue_min: float, tier: Tier = Tier.DISTRICT
) -> RingReason | None:
    """Why ``row`` rings at ``now`` on a console of ``tier``, or None if it does not."""
    if row.purged or row.status == CLOSED_STATUS:
        return None
    if mute_in_force(row, now, tier):
        return None
    if needs_alarm(row, tier):
        if refused_silence_at(row, now, tier) is not None:
            return None
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


def _latest(rows: Iterable[AlarmRow]) -> list[AlarmRow]:
    latest: dict[str, AlarmRow] = {}
    for row in rows:
        latest[row.case_id] = row
    return list(latest.values())


def ringing_cases(
    rows: Iterable[AlarmRow], now: datetime, dispatch_overdue_min: float, tier: Tier = Tier.DISTRICT
) -> list[Ringing]:
    """Every case that rings at ``now`` on a console of ``tier``, most urgent first. Duplicate case
    ids: the last row wins."""
    out: list[Ringing] = []
    for row in _latest(rows):
        reason = reason_for(row, now, dispatch_overdue_min, tier)
        if reason is not None:
            out.append(Ringing(row.case_id, reason, row))
    out.sort(key=_sort_key)
    return out


def refused_silences(rows: Iterable[AlarmRow], now: datetime, tier: Tier = Tier.DISTRICT) -> list[RefusedSilence]:
    """Cases that would ring on this console but are silenced by its own acknowledgement or mute
    that HQ refused: shown to the operator with HQ's reason, in case-id order."""
    out: list[RefusedSilence] = []
    for row in _latest(rows):
        if row.purged or row.status == CLOSED_STATUS or not needs_alarm(row, tier) or mute_in_force(row, now, tier):
            continue
        silence = refused_silence_at(row, now, tier)
        if silence is not None:
            out.append(silence)
    return sorted(out, key=lambda s: s.case_id)


def next_change_at(
    rows: Iterable[AlarmRow], now: datetime, dispatch_overdue_min: float, tier: Tier = Tier.DISTRICT
) -> datetime | None:
    """The earliest future moment the decision can change with no new rows: a mute ending, a dispatch falling due.

    The controller re-decides at that moment, so a mute that runs out rings again on time even if
    nothing else happens on the console.
    """
    moments: list[datetime] = []
    for row in rows:
        if row.purged or row.status == CLOSED_STATUS:
            continue
        if mute_in_force(row, now, tier):
            until = _time(row.hq_muted_until if tier is Tier.HQ else row.muted_until)
            if until is not None:
                moments.append(until)
        refused_until = _refused_mute_until(row, now, tier)
        if refused_until is not None:
            moments.append(refused_until)
        if row.kind == CaseKind.SUICIDE_RISK and row.status == ACKNOWLEDGED_STATUS and row.dispatched_at is None:
            acked = _time(row.acknowledged_at)
            if acked is not None:
                due = acked + timedelta(minutes=dispatch_overdue_min)
                if due > now:
                    moments.append(due)
    return min(moments) if moments else None
