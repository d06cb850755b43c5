"""A case's current state as one deterministic fold over its events.

The same *set* of events gives the same state whatever order they arrived in and however often
each was delivered. That is what lets two workstations and HQ work offline and converge without
conflicts. The fold therefore:

1. drops duplicate ids (if two copies differ, the one with the smaller canonical content wins, so
   even a corrupted duplicate cannot make two replicas disagree);
2. sorts by (HLC stamp, event id), a total order every replica computes identically;
3. applies amendments to their targets' payloads before reading them;
4. derives status from the furthest progress step seen, not from whichever event came last, so an
   acknowledgement that arrives late from an offline console cannot move a case backwards; and
   "closed" from the last of closed/reopened.

Acknowledgements belong to a tier (``core.events.Tier``). HQ's (``hq_acknowledged_at/by``) records
receipt at HQ. The district's (``acknowledged_at/by``) is the first acknowledgement made for the
district the case is assigned to *now*: after a reassignment the new district must acknowledge
again, whatever the order in which the old district's acknowledgement arrives. Only the district's
acknowledgement moves the case to status ``acknowledged``. A case raised to suicide-risk
(``risk_raised``) is one from then on (``is_suicide_risk``); acknowledgements made before the raise
were made for a case that did not ring and do not silence it. A counselling note with a
``follow_up_date`` is itself a due follow-up (its id is the note's event id). A tip's officer and
outcome are the last of their events in fold order (a reassignment or a later outcome supersedes,
the earlier entries stay in the history); its action notes accumulate.

An ``escalated`` event that re-alarms a tier (HQ's escalation runner writes it) ends that tier's mute
made before it (``core.events.realarm_tier``), so the case rings there again.

The fold accepts any merged history, including ones local commands would have refused (a dispatch
recorded offline after another console closed the case). It never raises on such a history: it
records the oddity in ``anomalies`` and still gives a sensible state.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from core.errors import InvalidEvent
from core.events import AMENDABLE, PAYLOADS, CaseKind, Event, EventType, Tier, parse_time, realarm_tier


class Status(enum.StrEnum):
    NEW = "new"
    ACKNOWLEDGED = "acknowledged"
    DISPATCHED = "dispatched"
    FORWARDED = "forwarded"
    EN_ROUTE = "en_route"
    REACHED = "reached"
    OUTCOME_RECORDED = "outcome_recorded"
    CLOSED = "closed"


# How much of a counselling note a follow-up made from its date carries as its own note.
FOLLOW_UP_NOTE_CHARS = 120

# How far along the response an event type takes a case. Status is the furthest step seen. The
# district's acknowledgement (rank 1, ``Status.ACKNOWLEDGED``) counts only while it is valid for the
# assigned district, so it is applied after the events (see ``fold``), not from this table.
ACKNOWLEDGED_RANK = 1
PROGRESS: dict[EventType, tuple[int, Status]] = {
    EventType.DISPATCHED: (2, Status.DISPATCHED),
    EventType.FORWARDED: (2, Status.FORWARDED),
    EventType.EN_ROUTE: (3, Status.EN_ROUTE),
    EventType.REACHED: (4, Status.REACHED),
    EventType.OUTCOME_RECORDED: (5, Status.OUTCOME_RECORDED),
}


@dataclass(frozen=True)
class FollowUp:
    id: str
    due: str
    note: str | None
    done_at: str | None = None


@dataclass(frozen=True)
class CaseState:
    case_id: str
    exists: bool = False
    kind: str | None = None
    source: str | None = None
    upstream_ref: str | None = None
    received_at: str | None = None
    priority: int = 3
    summary: str | None = None
    subject: Mapping[str, Any] = field(default_factory=dict)
    location: Mapping[str, Any] = field(default_factory=dict)
    traced_location: Mapping[str, Any] | None = None
    location_method: str | None = None
    district: str | None = None
    police_station: str | None = None
    routed_at: str | None = None  # the first assignment to a district
    status: Status = Status.NEW
    acknowledged_at: str | None = None  # the assigned district's acknowledgement
    acknowledged_by: str | None = None
    hq_acknowledged_at: str | None = None  # HQ's acknowledgement (receipt at HQ)
    hq_acknowledged_by: str | None = None
    risk_raised_at: str | None = None
    risk_raised_by: str | None = None
    risk_raised_reason: str | None = None
    dispatched_at: str | None = None
    dispatch: Mapping[str, Any] | None = None
    forwards: tuple[Mapping[str, Any], ...] = ()
    en_route_at: str | None = None
    reached_at: str | None = None
    reached_place: str | None = None
    outcome: str | None = None
    outcome_detail: Mapping[str, Any] | None = None
    outcome_at: str | None = None
    counselling_notes: tuple[Mapping[str, Any], ...] = ()
    follow_ups: tuple[FollowUp, ...] = ()
    escalations: int = 0
    last_escalation_step: str | None = None  # the last escalation's target (its ``step``, else ``to``)
    last_escalation_at: str | None = None
    muted_until: str | None = None  # the district's mute
    mute_reason: str | None = None
    hq_muted_until: str | None = None  # HQ's mute
    closed_at: str | None = None
    close_reason: str | None = None
    reopen_count: int = 0
    # a tip's follow-up work (``tip_*`` events of a console): the officer it is passed to now (the
    # last assignment; earlier ones stay in the history), its action notes, its latest outcome
    tip_officer: Mapping[str, Any] | None = None
    tip_officer_at: str | None = None
    tip_actions: tuple[Mapping[str, Any], ...] = ()
    tip_outcome: str | None = None
    tip_outcome_detail: str | None = None
    tip_outcome_at: str | None = None
    event_count: int = 0
    last_hlc: str | None = None
    anomalies: tuple[str, ...] = ()

    @property
    def is_closed(self) -> bool:
        return self.status is Status.CLOSED

    @property
    def is_suicide_risk(self) -> bool:
        """The effective risk: a suicide-risk alert, or any case raised to suicide-risk."""
        return self.kind == CaseKind.SUICIDE_RISK or self.risk_raised_at is not None

    @property
    def effective_kind(self) -> str | None:
        return str(CaseKind.SUICIDE_RISK) if self.risk_raised_at is not None else self.kind

    @property
    def needs_alarm(self) -> bool:
        """A suicide-risk case no operator of the assigned district has acknowledged yet, and not closed:
        it rings on the district's consoles."""
        return self.needs_alarm_for(Tier.DISTRICT)

    @property
    def hq_needs_alarm(self) -> bool:
        """A suicide-risk case HQ has not acknowledged yet, and not closed: it rings on HQ's consoles."""
        return self.needs_alarm_for(Tier.HQ)

    def acknowledged_for(self, tier: Tier) -> str | None:
        return self.hq_acknowledged_at if tier is Tier.HQ else self.acknowledged_at

    def needs_alarm_for(self, tier: Tier) -> bool:
        return self.exists and self.is_suicide_risk and self.acknowledged_for(tier) is None and not self.is_closed

    def muted_until_for(self, tier: Tier) -> str | None:
        return self.hq_muted_until if tier is Tier.HQ else self.muted_until

    def alarm_muted_at(self, now: datetime, tier: Tier = Tier.DISTRICT) -> bool:
        until = self.muted_until_for(tier)
        return until is not None and parse_time(until) > now

    def dispatch_overdue(self, now: datetime, limit_min: float) -> bool:
        """Acknowledged but neither dispatched nor forwarded within ``limit_min``: alarm again."""
        if self.acknowledged_at is None or self.is_closed:
            return False
        if self.dispatched_at is not None or self.forwards or self.reached_at or self.outcome:
            return False
        return now - parse_time(self.acknowledged_at) >= timedelta(minutes=limit_min)

    def open_follow_ups(self) -> tuple[FollowUp, ...]:
        return tuple(f for f in self.follow_ups if f.done_at is None)


def canonical(events: Iterable[Event]) -> list[Event]:
    """Deduplicate by id and sort into the one order every replica uses."""
    by_id: dict[str, Event] = {}
    for event in events:
        seen = by_id.get(event.id)
        if seen is None or event.content_key() < seen.content_key():
            by_id[event.id] = event
    return sorted(by_id.values(), key=lambda e: e.sort_key)


def effective_payloads(ordered: list[Event]) -> dict[str, dict[str, Any]]:
    """Each event's payload after applying, in order, every amendment that targets it.

    An amendment whose result would not satisfy the target's payload schema is skipped: the fold
    receives histories from other devices that ``core.commands`` never checked, and a state built
    from, say, ``priority: "x"`` would break every reader of the state.
    """
    payloads = {e.id: dict(e.payload) for e in ordered}
    types = {e.id: e.type for e in ordered}
    for event in ordered:
        if event.type is not EventType.AMENDED:
            continue
        target = str(event.payload.get("target_event_id"))
        fields = event.payload.get("fields")
        if target in payloads and types[target] in AMENDABLE and isinstance(fields, dict):
            candidate = payloads[target] | fields
            try:
                PAYLOADS[types[target]](candidate, "fields")
            except InvalidEvent:
                continue
            payloads[target] = candidate
    return payloads


def fold(case_id: str, events: Iterable[Event]) -> CaseState:
    """The state of one case. Events of other cases are ignored."""
    ordered = [e for e in canonical(events) if e.case_id == case_id]
    payloads = effective_payloads(ordered)
    s: dict[str, Any] = {"case_id": case_id}
    anomalies: list[str] = []
    forwards: list[Mapping[str, Any]] = []
    notes: list[Mapping[str, Any]] = []
    tip_actions: list[Mapping[str, Any]] = []
    follow_ups: dict[str, FollowUp] = {}
    progress = 0
    progress_status = Status.NEW
    # district acknowledgements in fold order: (district it was made for, time, name)
    district_acks: list[tuple[str | None, str, str]] = []
    closed = False
    escalations = 0
    reopen_count = 0

    for event in ordered:
        p = payloads[event.id]
        t = event.type
        if closed and (t in PROGRESS or t is EventType.ACKNOWLEDGED):
            anomalies.append(f"{t} recorded after the case was closed ({event.id})")
        if t is EventType.CREATED:
            if s.get("exists"):
                anomalies.append(f"second created event ignored ({event.id})")
                continue
            s.update(
                exists=True,
                kind=p.get("kind"),
                source=p.get("source"),
                upstream_ref=p.get("upstream_ref"),
                received_at=p.get("received_at"),
                priority=p.get("priority", 3),
                summary=p.get("summary"),
                subject=p.get("subject") or {},
                location=p.get("location") or {},
            )
            s.setdefault("district", p.get("district"))
            s.setdefault("police_station", p.get("police_station"))
            if s.get("district") is not None:
                s.setdefault("routed_at", event.wall_time)
        elif t is EventType.ASSIGNED:
            s["district"] = p.get("district")
            s["police_station"] = p.get("police_station")
            if s["district"] is not None:
                s.setdefault("routed_at", event.wall_time)
        elif t is EventType.ACKNOWLEDGED:
            if p.get("tier") == Tier.HQ:
                if s.get("hq_acknowledged_at") is None:
                    s["hq_acknowledged_at"] = event.wall_time
                    s["hq_acknowledged_by"] = event.author_name
            else:
                # for the district named in it, or (older clients) the one assigned at this point
                district_acks.append((p.get("district") or s.get("district"), event.wall_time, event.author_name))
        elif t is EventType.RISK_RAISED:
            if s.get("risk_raised_at") is None and s.get("kind") != CaseKind.SUICIDE_RISK:
                s["risk_raised_at"] = event.wall_time
                s["risk_raised_by"] = event.author_name
                s["risk_raised_reason"] = p.get("reason")
                # acknowledged while it did not ring: the raised case must be acknowledged again
                district_acks.clear()
                s["hq_acknowledged_at"] = s["hq_acknowledged_by"] = None
        elif t is EventType.LOCATED:
            s["traced_location"] = p.get("location")
            s["location_method"] = p.get("method")
        elif t is EventType.DISPATCHED:
            s.setdefault("dispatched_at", event.wall_time)
            s["dispatch"] = p
        elif t is EventType.FORWARDED:
            forwards.append(p | {"at": event.wall_time})
        elif t is EventType.EN_ROUTE:
            s.setdefault("en_route_at", event.wall_time)
        elif t is EventType.REACHED:
            s["reached_at"] = p.get("at")
            s["reached_place"] = p.get("place")
        elif t is EventType.OUTCOME_RECORDED:
            s["outcome"] = p.get("outcome")
            s["outcome_detail"] = p
            s["outcome_at"] = event.wall_time
        elif t is EventType.COUNSELLING_NOTE:
            notes.append(p | {"at": event.wall_time, "event_id": event.id, "author": event.author_name})
            if p.get("follow_up_date"):
                # its note: the start of the counselling note, so a list of follow-ups says what it is about
                about = str(p.get("text") or "")[:FOLLOW_UP_NOTE_CHARS] or None
                follow_ups[event.id] = FollowUp(id=event.id, due=str(p["follow_up_date"]), note=about)
        elif t is EventType.FOLLOW_UP_SCHEDULED:
            follow_ups[event.id] = FollowUp(id=event.id, due=str(p.get("due")), note=p.get("note"))
        elif t is EventType.FOLLOW_UP_DONE:
            target = follow_ups.get(str(p.get("follow_up_id")))
            if target is None:
                anomalies.append(f"follow-up done for unknown follow-up ({event.id})")
            elif target.done_at is None:
                follow_ups[target.id] = FollowUp(target.id, target.due, target.note, event.wall_time)
        elif t is EventType.ESCALATED:
            escalations += 1
            realarm = realarm_tier(p)  # an escalation's re-alarm ends that tier's earlier mute
            if realarm is Tier.HQ:
                s["hq_muted_until"] = None
            elif realarm is Tier.DISTRICT:
                s["muted_until"] = s["mute_reason"] = None
            step = p.get("step")
            s["last_escalation_step"] = str(step) if step is not None else p.get("to")
            s["last_escalation_at"] = event.wall_time
        elif t is EventType.ALARM_MUTED:
            if p.get("tier") == Tier.HQ:
                s["hq_muted_until"] = p.get("until")
            else:
                s["muted_until"] = p.get("until")
                s["mute_reason"] = p.get("reason")
        elif t is EventType.TIP_OFFICER_ASSIGNED:
            s["tip_officer"] = p | {"by": event.author_name}
            s["tip_officer_at"] = event.wall_time
        elif t is EventType.TIP_ACTION:
            tip_actions.append({"text": p.get("text"), "at": event.wall_time, "author": event.author_name})
        elif t is EventType.TIP_OUTCOME:
            s["tip_outcome"] = p.get("outcome")
            s["tip_outcome_detail"] = p.get("detail")
            s["tip_outcome_at"] = event.wall_time
        elif t is EventType.CLOSED:
            closed = True
            s["closed_at"] = event.wall_time
            s["close_reason"] = p.get("reason")
        elif t is EventType.REOPENED:
            if closed:
                reopen_count += 1
            closed = False
            s["closed_at"] = None
            s["close_reason"] = None
        if t in PROGRESS:
            rank, status = PROGRESS[t]
            if rank >= progress:
                progress, progress_status = rank, status

    district = s.get("district")
    valid = next((a for a in district_acks if a[0] == district), None)
    if valid is not None:
        s["acknowledged_at"], s["acknowledged_by"] = valid[1], valid[2]
        if progress <= ACKNOWLEDGED_RANK:
            progress, progress_status = ACKNOWLEDGED_RANK, Status.ACKNOWLEDGED
    if ordered and not s.get("exists"):
        anomalies.append("events without a created event (the case's creation has not arrived yet)")
    return CaseState(
        **s,
        status=Status.CLOSED if closed else progress_status,
        forwards=tuple(forwards),
        counselling_notes=tuple(notes),
        tip_actions=tuple(tip_actions),
        follow_ups=tuple(sorted(follow_ups.values(), key=lambda f: (f.due, f.id))),
        escalations=escalations,
        reopen_count=reopen_count,
        event_count=len(ordered),
        last_hlc=ordered[-1].hlc if ordered else None,
        anomalies=tuple(anomalies),
    )
