"""HQ's operations: intake, routing, push, pull, case reads, presence and the audit log.

Everything here takes a ``Database`` and a ``Principal`` (who is asking) and knows no HTTP. Scope is
enforced in the queries themselves: a district operator's feed is the district's stream, a case read
checks the case's district, a push checks each event's case.

Threading: functions run on worker threads (FastAPI's threadpool); they share the ``Database``.
"""

from __future__ import annotations

import enum
import functools
import json
import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy import Connection, and_, func, select, update

from core.commands import decide
from core.errors import CommandRefused, InvalidEvent
from core.events import AMENDABLE, PAYLOADS, Author, Event, EventType, Tier, iso, tier_for_role, utcnow
from core.fold import fold
from core.hlc import HybridClock
from core.ids import new_id
from hq import signing
from hq.db import Database
from hq.schema import (
    audit,
    cases,
    counters,
    device_users,
    devices,
    districts,
    events,
    feed,
    meta,
    review_queue,
    stations,
    users,
)

HQ_NODE = "hq"
ALL_STREAM = "*"
MAX_PUSH_EVENTS = 500
MAX_PULL_LIMIT = 1000
PRESENCE_ONLINE_S = 180
AUDIT_CASE_IDS_MAX = 200


class Role(enum.StrEnum):
    HQ_OPERATOR = "hq_operator"
    DISTRICT_OPERATOR = "district_operator"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


HQ_ROLES = frozenset({Role.HQ_OPERATOR, Role.SUPERVISOR, Role.ADMIN})


class Action(enum.StrEnum):
    INTAKE = "intake"
    ASSIGN = "assign"
    READ_CASE = "read_case"
    LIST_DISTRICTS = "list_districts"
    PUSH = "push"
    PULL = "pull"
    PRESENCE_POST = "presence_post"
    PRESENCE_LIST = "presence_list"
    REVIEW = "review"


# Who may do what. Scope (which cases) is checked separately, per case. Admins manage accounts and
# see presence; they do not read cases. Supervisors read everything and write nothing.
PERMISSIONS: dict[Action, frozenset[Role]] = {
    Action.INTAKE: frozenset({Role.HQ_OPERATOR}),
    Action.ASSIGN: frozenset({Role.HQ_OPERATOR}),
    Action.READ_CASE: frozenset({Role.HQ_OPERATOR, Role.SUPERVISOR, Role.DISTRICT_OPERATOR}),
    Action.LIST_DISTRICTS: frozenset(Role),
    Action.PUSH: frozenset({Role.HQ_OPERATOR, Role.DISTRICT_OPERATOR}),
    Action.PULL: frozenset({Role.HQ_OPERATOR, Role.SUPERVISOR, Role.DISTRICT_OPERATOR}),
    Action.PRESENCE_POST: frozenset(Role),
    Action.PRESENCE_LIST: frozenset({Role.HQ_OPERATOR, Role.SUPERVISOR, Role.ADMIN}),
    Action.REVIEW: frozenset({Role.SUPERVISOR, Role.ADMIN}),
}


class ServiceError(Exception):
    """A refusal with an HTTP status, a machine code and a reason a person can read."""

    def __init__(self, status: int, code: str, detail: str):
        super().__init__(detail)
        self.status = status
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class Principal:
    """Who is calling: a signed-in user on a device, or an integration key (intake only)."""

    actor: str
    display_name: str
    role: Role | None
    district: str | None = None
    username: str | None = None
    device_id: str | None = None
    ip: str | None = None

    @property
    def is_key(self) -> bool:
        return self.role is None

    @property
    def stream(self) -> str:
        """The feed stream this principal reads: the district's, or everything for HQ roles."""
        if self.role is Role.DISTRICT_OPERATOR:
            if not self.district:
                raise ServiceError(403, "forbidden", "this district account has no district")
            return self.district
        return ALL_STREAM

    def author(self) -> Author:
        return Author(user_id=self.actor, display_name=self.display_name, tier=tier_for_role(self.role))


def require(p: Principal, action: Action) -> None:
    if p.is_key:
        if action is not Action.INTAKE:
            raise ServiceError(403, "forbidden", "an integration key may only submit intake")
        return
    assert p.role is not None
    if p.role not in PERMISSIONS[action]:
        raise ServiceError(403, "forbidden", f"the {p.role} role may not {action.replace('_', ' ')}")


def audit_row(
    p: Principal | None,
    action: str,
    outcome: str,
    *,
    case_id: str | None = None,
    detail: Mapping[str, Any] | None = None,
    username: str | None = None,
    device_id: str | None = None,
    ip: str | None = None,
) -> dict[str, Any]:
    return {
        "at": iso(utcnow()),
        "actor": p.actor if p else None,
        "username": (p.username if p else None) or username,
        "device_id": (p.device_id if p else None) or device_id,
        "action": action,
        "outcome": outcome,
        "case_id": case_id,
        "detail": json.dumps(detail, ensure_ascii=False, sort_keys=True) if detail else None,
        "ip": (p.ip if p else None) or ip,
    }


def write_audit(
    conn: Connection,
    p: Principal | None,
    action: str,
    outcome: str,
    *,
    case_id: str | None = None,
    detail: Mapping[str, Any] | None = None,
    username: str | None = None,
    device_id: str | None = None,
    ip: str | None = None,
) -> None:
    row = audit_row(p, action, outcome, case_id=case_id, detail=detail, username=username, device_id=device_id, ip=ip)
    conn.execute(audit.insert().values(**row))


# ---------------------------------------------------------------------------------------------
# Storing events: sequence numbers, feed positions and routing, all inside Database.writer().
# ---------------------------------------------------------------------------------------------


@dataclass
class _CaseRow:
    id: str
    district: str | None
    police_station: str | None
    exists_in_db: bool = True


@dataclass
class _Batch:
    """Events accepted in one write transaction, with their feed rows, flushed together."""

    conn: Connection
    next_seq: int
    next_pos: int
    event_rows: list[dict[str, Any]] = field(default_factory=list)
    feed_rows: list[dict[str, Any]] = field(default_factory=list)
    pending_by_case: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    streams: set[str] = field(default_factory=set)
    moved: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    sign: bool = False  # events HQ writes itself are signed (hq.signing)

    @classmethod
    def open(cls, conn: Connection, *, sign: bool = False) -> _Batch:
        rows = dict(conn.execute(select(counters.c.name, counters.c.value)).tuples().all())
        return cls(conn, int(rows["event_seq"]) + 1, int(rows["feed_pos"]) + 1, sign=sign)

    def _feed(self, stream: str, kind: str, case_id: str, event_seq: int | None) -> None:
        self.feed_rows.append(
            {"pos": self.next_pos, "stream": stream, "kind": kind, "case_id": case_id, "event_seq": event_seq}
        )
        self.next_pos += 1
        self.streams.add(stream)

    def add(self, event: Event, case: _CaseRow) -> int:
        """Give ``event`` its hq_seq and route it; updates ``case`` when the event reassigns it."""
        seq = self.next_seq
        self.next_seq += 1
        self.event_rows.append(
            {
                "seq": seq,
                "id": event.id,
                "case_id": event.case_id,
                "type": str(event.type),
                "hlc": event.hlc,
                "author_id": event.author_id,
                "device_id": event.device_id,
                "content": event.content_key(),
                "stored_at": iso(utcnow()),
                "signature": signing.sign(event) if self.sign else None,
            }
        )
        self.pending_by_case[event.case_id].append(seq)
        self._feed(ALL_STREAM, "event", event.case_id, seq)
        if event.type is EventType.ASSIGNED:
            old = case.district
            new = str(event.payload["district"])
            case.district = new
            case.police_station = event.payload.get("police_station")
            self.moved[case.id] = (new, case.police_station)
            if old and old != new:
                self._feed(old, "revoke", case.id, None)
            if old != new:
                # The new district gets the case's whole history, in hq_seq order.
                stored = self.conn.execute(
                    select(events.c.seq).where(events.c.case_id == case.id).order_by(events.c.seq)
                ).scalars()
                history = sorted(set(stored) | set(self.pending_by_case[case.id]))
                for s in history:
                    self._feed(new, "event", case.id, s)
                return seq
        if case.district:
            self._feed(case.district, "event", event.case_id, seq)
        return seq

    def flush(self, db: Database) -> None:
        if self.event_rows:
            self.conn.execute(events.insert(), self.event_rows)
        if self.feed_rows:
            self.conn.execute(feed.insert(), self.feed_rows)
        self.conn.execute(update(counters).where(counters.c.name == "event_seq").values(value=self.next_seq - 1))
        self.conn.execute(update(counters).where(counters.c.name == "feed_pos").values(value=self.next_pos - 1))
        for case_id, (district, station) in self.moved.items():
            self.conn.execute(
                update(cases).where(cases.c.id == case_id).values(district=district, police_station=station)
            )
        db.announce(self.conn, self.streams)


def _load_cases(conn: Connection, case_ids: Iterable[str]) -> dict[str, _CaseRow]:
    ids = list(set(case_ids))
    if not ids:
        return {}
    rows = conn.execute(select(cases.c.id, cases.c.district, cases.c.police_station).where(cases.c.id.in_(ids)))
    return {r.id: _CaseRow(r.id, r.district, r.police_station) for r in rows}


def _history(conn: Connection, case_id: str) -> list[Event]:
    rows = conn.execute(
        select(events.c.seq, events.c.content).where(events.c.case_id == case_id).order_by(events.c.seq)
    )
    return [_event_from_row(r.content, r.seq) for r in rows]


def _event_from_row(content: str, seq: int) -> Event:
    data = json.loads(content)
    return Event(
        id=data["id"],
        case_id=data["case_id"],
        type=EventType(data["type"]),
        payload=data["payload"],
        author_id=data["author_id"],
        author_name=data["author_name"],
        device_id=data["device_id"],
        wall_time=data["wall_time"],
        hlc=data["hlc"],
        hq_seq=seq,
        seen_assignment=data.get("seen_assignment"),
    )


def _wire_from_row(content: str, seq: int) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(content)
    data["hq_seq"] = seq
    return data


def _hq_clock(history: Sequence[Event]) -> HybridClock:
    """A fresh HQ clock past every stamp of this case only, so a device with a wildly wrong clock
    can skew the stamps of its own case but never every stamp HQ issues afterwards."""
    last = max((e.hlc for e in history), default=None)
    return HybridClock(HQ_NODE, last=last)


def _check_district(conn: Connection, district: str, station: str | None) -> None:
    if conn.execute(select(districts.c.code).where(districts.c.code == district)).first() is None:
        raise ServiceError(422, "invalid", f"unknown district {district!r}")
    if station is not None:
        found = conn.execute(
            select(stations.c.code).where(and_(stations.c.district_code == district, stations.c.code == station))
        ).first()
        if found is None:
            raise ServiceError(422, "invalid", f"unknown police station {station!r} in district {district!r}")


# ---------------------------------------------------------------------------------------------
# Intake and routing
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IntakeResult:
    case_id: str
    duplicate: bool
    duplicates: int


INTAKE_FIELDS = ("kind", "source", "upstream_ref", "received_at", "priority", "subject", "location", "summary")


def intake(db: Database, p: Principal, body: Mapping[str, Any]) -> IntakeResult:
    """Create a case from an upstream alert, or count a duplicate of one already received.

    A refused alert is audited too (with the reason): an integration sending bad alerts must show.
    """
    require(p, Action.INTAKE)
    try:
        return _intake(db, p, body)
    except ServiceError as exc:
        ref = body.get("upstream_ref")
        with db.transaction() as conn:
            write_audit(
                conn, p, "intake", exc.code,
                detail={"reason": exc.detail[:500], "upstream_ref": ref[:200] if isinstance(ref, str) else None},
            )  # fmt: skip
        raise


def _intake(db: Database, p: Principal, body: Mapping[str, Any]) -> IntakeResult:
    payload = {k: body[k] for k in INTAKE_FIELDS if body.get(k) is not None}
    try:
        PAYLOADS[EventType.CREATED](payload, "intake")
    except InvalidEvent as exc:
        raise ServiceError(422, "invalid", str(exc)) from None
    district = body.get("district")
    station = body.get("police_station")
    if station is not None and district is None:
        raise ServiceError(422, "invalid", "intake.police_station: needs a district")
    for name, value in (("district", district), ("police_station", station)):
        if value is not None:
            try:
                PAYLOADS[EventType.ASSIGNED]({"district": value}, f"intake.{name}")
            except InvalidEvent as exc:
                raise ServiceError(422, "invalid", str(exc)) from None
    with db.writer() as conn:
        if district is not None:
            _check_district(conn, district, station)
        existing = conn.execute(
            select(cases.c.id, cases.c.duplicates).where(cases.c.upstream_ref == payload["upstream_ref"])
        ).first()
        if existing is not None:
            count = existing.duplicates + 1
            conn.execute(update(cases).where(cases.c.id == existing.id).values(duplicates=count))
            write_audit(
                conn, p, "intake", "duplicate", case_id=existing.id, detail={"upstream_ref": payload["upstream_ref"]}
            )
            return IntakeResult(existing.id, True, count)
        case_id = new_id()
        clock = HybridClock(HQ_NODE)
        created = decide(
            case_id=case_id, history=[], etype=EventType.CREATED, payload=payload, author=p.author(), clock=clock
        )
        made = [created]
        if district is not None:
            assignment = {"district": district} | ({"police_station": station} if station else {})
            made.append(
                decide(
                    case_id=case_id,
                    history=made,
                    etype=EventType.ASSIGNED,
                    payload=assignment,
                    author=p.author(),
                    clock=clock,
                )
            )
        conn.execute(
            cases.insert().values(
                id=case_id,
                upstream_ref=payload["upstream_ref"],
                district=None,
                police_station=None,
                duplicates=0,
                created_at=iso(utcnow()),
            )
        )
        batch = _Batch.open(conn, sign=True)
        row = _CaseRow(case_id, None, None)
        for e in made:
            batch.add(e, row)
        batch.flush(db)
        write_audit(
            conn,
            p,
            "intake",
            "created",
            case_id=case_id,
            detail={"upstream_ref": payload["upstream_ref"], "district": district},
        )
    return IntakeResult(case_id, False, 0)


def assign(db: Database, p: Principal, case_id: str, district: str, police_station: str | None) -> Event:
    """Route (or reroute) a case. The old district's feed gets a revoke; the new one the full history."""
    require(p, Action.ASSIGN)
    _valid_case_id(case_id)
    payload: dict[str, Any] = {"district": district}
    if police_station is not None:
        payload["police_station"] = police_station
    try:
        PAYLOADS[EventType.ASSIGNED](payload, "assign")
    except InvalidEvent as exc:
        raise ServiceError(422, "invalid", str(exc)) from None
    with db.writer() as conn:
        row = _load_cases(conn, [case_id]).get(case_id)
        if row is None:
            write_audit(conn, p, "assign", "not_found", case_id=case_id)
            raise ServiceError(404, "not_found", "no such case")
        _check_district(conn, district, police_station)
        history = _history(conn, case_id)
        try:
            event = decide(
                case_id=case_id,
                history=history,
                etype=EventType.ASSIGNED,
                payload=payload,
                author=p.author(),
                clock=_hq_clock(history),
            )
        except CommandRefused as exc:
            raise ServiceError(409, "conflict", str(exc)) from None
        batch = _Batch.open(conn, sign=True)
        seq = batch.add(event, row)
        batch.flush(db)
        write_audit(conn, p, "assign", "ok", case_id=case_id, detail={"district": district, "seq": seq})
    return event.with_seq(seq)


def _valid_case_id(case_id: str) -> None:
    try:
        uuid.UUID(case_id)
    except ValueError:
        raise ServiceError(404, "not_found", "no such case") from None


# ---------------------------------------------------------------------------------------------
# Push
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PushResult:
    id: str | None
    status: str
    hq_seq: int | None = None
    reason: str | None = None
    code: str | None = None

    def to_wire(self) -> dict[str, Any]:
        return {"id": self.id, "status": self.status, "hq_seq": self.hq_seq, "reason": self.reason, "code": self.code}


def _rejected(event_id: str | None, code: str, reason: str) -> PushResult:
    return PushResult(event_id, "rejected", None, reason, code)


def push(db: Database, p: Principal, device_id: str, raw_events: Sequence[Any]) -> list[PushResult]:
    """Store a batch of a device's events. Each is accepted or rejected on its own (see PROTOCOL.md).

    HQ accepts every valid event the fold can absorb, even where a local command would now refuse it
    (an outcome recorded offline after another console closed the case): refusing it would lose field
    data. For the same reason a console may push the events of an earlier operator of the console
    (shift change: A recorded offline, B signed in): an event by another author is accepted when it
    was made on this device and that author has signed in on this device, is active, and could have
    written the event themselves. Pushing on someone's behalf never widens what may be written: the
    event must be within the caller's rights too.

    Refused outright: events made on another device, authors who never signed in on this device or
    are disabled, cases outside the author's (or the caller's) district, ``created`` (only intake
    creates cases), ``assigned`` from district roles, and corrections whose target is not an
    amendable entry of the same case.
    """
    require(p, Action.PUSH)
    if device_id != p.device_id:
        raise ServiceError(403, "forbidden", "device_id is not the device this session signed in on")
    if len(raw_events) > MAX_PUSH_EVENTS:
        raise ServiceError(413, "too_large", f"at most {MAX_PUSH_EVENTS} events per push")
    results: list[PushResult | None] = [None] * len(raw_events)
    parsed: list[tuple[int, Event]] = []
    for i, raw in enumerate(raw_events):
        raw_id = raw.get("id") if isinstance(raw, dict) and isinstance(raw.get("id"), str) else None
        try:
            if isinstance(raw, dict) and raw.get("hq_seq") is not None:  # HQ's number: PROTOCOL.md, Push
                raise InvalidEvent("event.hq_seq: HQ numbers events; push them without hq_seq")
            parsed.append((i, Event.from_wire(raw)))
        except InvalidEvent as exc:
            results[i] = _rejected(raw_id, "invalid", str(exc))
    foreign = {e.author_id for _, e in parsed if e.author_id != p.actor and e.device_id == p.device_id}
    earlier = _earlier_operators(db, p, foreign) if foreign else {}
    # Each candidate's author, for the scope check: the caller, or an earlier operator of the device.
    authors: dict[str, Principal] = {}
    held_candidates: dict[str, _EarlierOperator] = {}  # event id -> its author, whose events go to review
    candidates: list[tuple[int, Event]] = []
    for i, event in parsed:
        if event.device_id != p.device_id:
            results[i] = _rejected(event.id, "forbidden", "the event was not made on this device")
            continue
        author = p if event.author_id == p.actor else earlier[event.author_id].principal
        if author is None and earlier[event.author_id].hold_cause and event.type not in _NEVER_HELD:
            held_candidates[event.id] = earlier[event.author_id]
            candidates.append((i, event))
        elif author is None:
            results[i] = _rejected(event.id, "forbidden", earlier[event.author_id].refusal)
        elif event.type is EventType.CREATED:
            results[i] = _rejected(event.id, "forbidden", "cases are created only through HQ intake")
        elif event.type is EventType.ASSIGNED and not (p.role is author.role is Role.HQ_OPERATOR):
            results[i] = _rejected(event.id, "forbidden", "only HQ assigns cases to districts")
        elif refusal := _tier_refusal(event, author):
            results[i] = _rejected(event.id, "forbidden", refusal)
        else:
            authors[event.id] = author
            candidates.append((i, event))

    accepted = rejected_state = 0
    on_behalf: dict[str, list[str]] = defaultdict(list)
    with db.writer() as conn:
        ids = [e.id for _, e in candidates]
        known: dict[str, tuple[int, str]] = {}
        if ids:
            for r in conn.execute(select(events.c.id, events.c.seq, events.c.content).where(events.c.id.in_(ids))):
                known[r.id] = (r.seq, r.content)
        reviewed: dict[str, Any] = {}
        if held_candidates:
            for r in conn.execute(select(review_queue).where(review_queue.c.event_id.in_(sorted(held_candidates)))):
                reviewed[r.event_id] = r
        case_rows = _load_cases(conn, [e.case_id for _, e in candidates])
        batch = _Batch.open(conn)
        batch_types: dict[str, tuple[EventType, str]] = {}
        review_rows: list[dict[str, Any]] = []
        for i, event in candidates:
            content = event.content_key()
            if event.id in known:
                seq, stored = known[event.id]
                results[i] = (
                    PushResult(event.id, "accepted", seq)
                    if stored == content
                    else _rejected(event.id, "conflict", "an event with this id but other content is already stored")
                )
                continue
            if event.id in reviewed:  # pushed again (a lost reply, a second console sign-in): same answer
                results[i] = _review_answer(event.id, reviewed[event.id], content)
                continue
            case = case_rows.get(event.case_id)
            if case is None:
                results[i] = _rejected(event.id, "unknown_case", "HQ has no such case")
                continue
            hold = held_candidates.get(event.id)
            if hold is not None:
                if hold.held_as is not None and not _in_scope(conn, hold.held_as, case, event):
                    results[i] = _rejected(event.id, "forbidden", "the case is not in the author's district")
                elif not _in_scope(conn, p, case, event):
                    results[i] = _rejected(event.id, "forbidden", "the case is not in your district")
                elif refusal := _state_refusal(conn, event, batch_types):
                    rejected_state += 1
                    results[i] = _rejected(event.id, "refused", refusal)
                else:
                    note = f"{hold.refusal}: held for review at HQ"
                    review_rows.append(_review_row(event, content, hold, note, p))
                    reviewed[event.id] = None
                    results[i] = PushResult(event.id, "held", None, note, "review")
                continue
            author = authors[event.id]
            if author is not p and not _in_scope(conn, author, case, event):
                results[i] = _rejected(event.id, "forbidden", "the case is not in the author's district")
                continue
            if not _in_scope(conn, p, case, event):
                results[i] = _rejected(event.id, "forbidden", "the case is not in your district")
                continue
            refusal = _state_refusal(conn, event, batch_types)
            if refusal:
                rejected_state += 1
                results[i] = _rejected(event.id, "refused", refusal)
                continue
            seq = batch.add(event, case)
            known[event.id] = (seq, content)
            batch_types[event.id] = (event.type, event.case_id)
            results[i] = PushResult(event.id, "accepted", seq)
            accepted += 1
            if author is not p:
                on_behalf[event.author_id].append(event.id)
        batch.flush(db)
        if review_rows:
            conn.execute(review_queue.insert(), review_rows)
        final = [r for r in results if r is not None]
        detail: dict[str, Any] = {
            "events": len(raw_events),
            "stored": accepted,
            "rejected": [{"id": r.id, "code": r.code} for r in final if r.status == "rejected"][:AUDIT_CASE_IDS_MAX],
        }
        if review_rows:
            detail["held_for_review"] = [
                {"id": r["event_id"], "author_id": r["author_id"], "cause": r["cause"]} for r in review_rows
            ][:AUDIT_CASE_IDS_MAX]
        if foreign:
            detail["on_behalf_of"] = _on_behalf_audit(earlier, on_behalf, parsed, final)
        write_audit(conn, p, "push", "ok", detail=detail)
    return [r for r in results if r is not None]


# Review queue. A pushed event refused only by policy about its author's account goes to the review
# queue instead of being dropped: its author, an operator who signed in on this console, was disabled
# before the console reconnected (the work may have been done while the account was active: an outcome
# recorded offline, a counselling note). Everything else stays refused: malformed data (``invalid``),
# events from another device, authors who never signed in on this device (nothing vouches for them),
# authors whose role never writes events (supervisor, admin), work outside the author's or the
# caller's district, ``created``/``assigned`` from a console, id conflicts, unknown cases and
# corrections of what cannot be corrected: those are about the data, and a verdict could not mend them.
HOLD_AUTHOR_DISABLED = "author_disabled"
_NEVER_HELD = frozenset({EventType.CREATED, EventType.ASSIGNED})
REVIEW_HELD, REVIEW_ACCEPTED, REVIEW_REJECTED = "held", "accepted", "rejected"
REVIEW_REASON_MAX = 2000
REVIEW_LIST_MAX = 500


def _review_row(event: Event, content: str, hold: _EarlierOperator, note: str, p: Principal) -> dict[str, Any]:
    return {
        "event_id": event.id,
        "case_id": event.case_id,
        "content": content,
        "author_id": event.author_id,
        "cause": hold.hold_cause,
        "note": note[:REVIEW_REASON_MAX],
        "pushed_by": p.actor,
        "pushed_by_username": p.username,
        "device_id": event.device_id,
        "held_at": iso(utcnow()),
        "status": REVIEW_HELD,
    }


def _review_answer(event_id: str, row: Any, content: str) -> PushResult:
    """The push result for an event already in the review queue (the same event pushed again);
    ``row`` None: it was put there earlier in this very push."""
    if row is None:
        return PushResult(event_id, "held", None, "held for review at HQ", "review")
    if row.content != content:
        return _rejected(event_id, "conflict", "an event with this id but other content is held for review")
    if row.status == REVIEW_HELD:
        return PushResult(event_id, "held", None, row.note, "review")
    if row.status == REVIEW_ACCEPTED:
        return PushResult(event_id, "accepted", row.hq_seq)
    return _rejected(event_id, "review_rejected", row.decision_reason or "rejected at HQ's review")


def _review_json(row: Any) -> dict[str, Any]:
    return {
        "event": json.loads(row.content),
        "case_id": row.case_id,
        "cause": row.cause,
        "note": row.note,
        "pushed_by": {"user_id": row.pushed_by, "username": row.pushed_by_username},
        "device_id": row.device_id,
        "held_at": row.held_at,
        "status": row.status,
        "decided_by": None if row.decided_by is None else {"user_id": row.decided_by,
                                                           "username": row.decided_by_username},
        "decided_at": row.decided_at,
        "reason": row.decision_reason,
        "hq_seq": row.hq_seq,
    }


def list_review(
    db: Database, p: Principal, *, status: str | None = REVIEW_HELD, limit: int = 100
) -> list[dict[str, Any]]:
    """Events in the review queue (oldest first), with who pushed them from which device. Supervisors
    and admins only; audited as a read of personal details (the events are field work)."""
    require(p, Action.REVIEW)
    if status not in (None, REVIEW_HELD, REVIEW_ACCEPTED, REVIEW_REJECTED):
        raise ServiceError(422, "invalid", f"status: {status!r} is not held, accepted or rejected")
    limit = max(1, min(int(limit), REVIEW_LIST_MAX))
    query = select(review_queue).order_by(review_queue.c.held_at, review_queue.c.event_id).limit(limit)
    if status is not None:
        query = query.where(review_queue.c.status == status)
    with db.transaction() as conn:
        rows = conn.execute(query).all()
        write_audit(conn, p, "review_list", "ok", detail={
            "status": status, "events": [r.event_id for r in rows][:AUDIT_CASE_IDS_MAX],
            "cases": sorted({r.case_id for r in rows})[:AUDIT_CASE_IDS_MAX]})
    return [_review_json(r) for r in rows]


def decide_review(db: Database, p: Principal, event_id: str, *, accept: bool, reason: str) -> dict[str, Any]:
    """A supervisor's verdict on a held event, with a reason (both recorded and audited).

    Accepted: the event is stored exactly as a push would have stored it (its own author and device,
    a fresh ``hq_seq``, the feeds of ``*`` and the case's district), in the same writer lock, so it
    reaches HQ and the district's consoles by the ordinary pull. Rejected: it stays out of every log;
    the console that pushed it learns the reason from ``held_verdicts``. A decided event cannot be
    decided again (409 ``conflict``).
    """
    require(p, Action.REVIEW)
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(422, "invalid", "reason: a verdict needs a reason")
    if len(reason) > REVIEW_REASON_MAX:
        raise ServiceError(422, "invalid", f"reason: at most {REVIEW_REASON_MAX} characters")
    with db.writer() as conn:
        row = conn.execute(select(review_queue).where(review_queue.c.event_id == event_id)).first()
        if row is None:
            raise ServiceError(404, "not_found", "no such event in the review queue")
        if row.status != REVIEW_HELD:
            raise ServiceError(409, "conflict", f"this event was already {row.status}")
        seq: int | None = None
        if accept:
            event = Event.from_wire(json.loads(row.content))
            stored = conn.execute(select(events.c.seq, events.c.content).where(events.c.id == event_id)).first()
            if stored is not None:
                if stored.content != row.content:
                    raise ServiceError(409, "conflict", "another event with this id is stored")
                seq = int(stored.seq)
            else:
                case = _load_cases(conn, [event.case_id]).get(event.case_id)
                if case is None:
                    raise ServiceError(409, "conflict", "HQ no longer has this event's case")
                refusal = _state_refusal(conn, event, {})
                if refusal:
                    raise ServiceError(409, "conflict", refusal)
                batch = _Batch.open(conn)
                seq = batch.add(event, case)
                batch.flush(db)
        status = REVIEW_ACCEPTED if accept else REVIEW_REJECTED
        conn.execute(
            update(review_queue)
            .where(review_queue.c.event_id == event_id)
            .values(status=status, decided_by=p.actor, decided_by_username=p.username, decided_at=iso(utcnow()),
                    decision_reason=reason, hq_seq=seq)
        )
        write_audit(conn, p, f"review_{'accept' if accept else 'reject'}", "ok", case_id=row.case_id, detail={
            "event_id": event_id, "author_id": row.author_id, "cause": row.cause, "device_id": row.device_id,
            "pushed_by": row.pushed_by, "reason": reason, "hq_seq": seq})
        decided = conn.execute(select(review_queue).where(review_queue.c.event_id == event_id)).one()
    return _review_json(decided)


def held_verdicts(db: Database, p: Principal, device_id: str, event_ids: Sequence[str]) -> list[dict[str, Any]]:
    """What became of events this device pushed that HQ held for review: ``held`` (undecided),
    ``accepted`` (``hq_seq``), ``rejected`` (the supervisor's ``reason``) or ``unknown`` (push it again).
    Only this device's events are answered; any other id is ``unknown``."""
    require(p, Action.PUSH)
    if device_id != p.device_id:
        raise ServiceError(403, "forbidden", "device_id is not the device this session signed in on")
    if len(event_ids) > MAX_PUSH_EVENTS:
        raise ServiceError(413, "too_large", f"at most {MAX_PUSH_EVENTS} ids per request")
    ids = sorted(set(event_ids))
    with db.reader() as conn:
        rows = {r.event_id: r for r in conn.execute(
            select(review_queue).where(review_queue.c.event_id.in_(ids), review_queue.c.device_id == device_id))}
        stored = dict(conn.execute(
            select(events.c.id, events.c.seq).where(events.c.id.in_(ids), events.c.device_id == device_id)
        ).tuples().all())
    out = []
    for event_id in event_ids:
        row = rows.get(event_id)
        if event_id in stored and (row is None or row.status != REVIEW_REJECTED):
            out.append({"id": event_id, "status": "accepted", "hq_seq": int(stored[event_id]), "reason": None})
        elif row is None:
            out.append({"id": event_id, "status": "unknown", "hq_seq": None, "reason": None})
        elif row.status == REVIEW_REJECTED:
            out.append({"id": event_id, "status": "rejected", "hq_seq": None, "reason": row.decision_reason})
        else:
            out.append({"id": event_id, "status": "held", "hq_seq": None, "reason": row.note})
    return out


@dataclass(frozen=True)
class _EarlierOperator:
    """An author of pushed events other than the caller: who they are (if HQ knows them) and either
    the ``Principal`` whose rights their events are judged by, or why their events are refused."""

    user_id: str
    username: str | None
    principal: Principal | None
    refusal: str = ""
    # Set when the refusal is policy about the author's account, not about the event: the events go
    # to the review queue with this cause (``author_disabled``) instead.
    hold_cause: str | None = None
    # Whose rights a held event is judged by besides the caller's (the disabled author's district).
    held_as: Principal | None = None


def _earlier_operators(db: Database, p: Principal, author_ids: set[str]) -> dict[str, _EarlierOperator]:
    """Which of these authors may have their events pushed from the caller's device: users who signed
    in on this device, are active and hold a role that writes events."""
    with db.reader() as conn:
        rows = conn.execute(
            select(
                users.c.id,
                users.c.username,
                users.c.display_name,
                users.c.role,
                users.c.district,
                users.c.active,
                device_users.c.user_id.label("signed_in"),
            )
            .select_from(
                users.outerjoin(
                    device_users, and_(device_users.c.user_id == users.c.id, device_users.c.device_id == p.device_id)
                )
            )
            .where(users.c.id.in_(sorted(author_ids)))
        ).all()
    out = {
        a: _EarlierOperator(a, None, None, "the event's author is not the signed-in user and not a known HQ user")
        for a in author_ids
    }
    for r in rows:
        role = Role(r.role)
        refusal = ""
        hold: str | None = None
        as_author = Principal(
            actor=r.id,
            display_name=r.display_name,
            role=role,
            district=r.district,
            username=r.username,
            device_id=p.device_id,
        )
        if r.signed_in is None:
            refusal = f"the event's author ({r.username}) has never signed in on this device"
        elif role not in PERMISSIONS[Action.PUSH]:
            refusal = f"the event's author ({r.username}) is a {role}, and the {role} role may not push events"
        elif not r.active:
            refusal = f"the event's author ({r.username}) is disabled"
            hold = HOLD_AUTHOR_DISABLED
        principal = None if refusal else as_author
        out[r.id] = _EarlierOperator(r.id, r.username, principal, refusal, hold, as_author if hold else None)
    return out


def _on_behalf_audit(
    earlier: Mapping[str, _EarlierOperator],
    stored: Mapping[str, list[str]],
    parsed: Sequence[tuple[int, Event]],
    final: Sequence[PushResult],
) -> list[dict[str, Any]]:
    """The push audit's record of events pushed for other operators of the device: per author, the
    ids stored for them in this push and how many of their events were refused."""
    rejected = {r.id for r in final if r.status == "rejected"}
    refused: dict[str, int] = defaultdict(int)
    for _, event in parsed:
        if event.author_id in earlier and event.id in rejected:
            refused[event.author_id] += 1
    return [
        {
            "user_id": who.user_id[:100],
            "username": who.username,
            "stored": len(stored.get(who.user_id, [])),
            "rejected": refused[who.user_id],
            "event_ids": sorted(stored.get(who.user_id, []))[:AUDIT_CASE_IDS_MAX],
        }
        for who in sorted(earlier.values(), key=lambda w: w.user_id)
    ]


def _in_scope(conn: Connection, p: Principal, case: _CaseRow, event: Event) -> bool:
    """May ``p`` write this event to this case? HQ operators: any case. District operators: cases
    in their district, and work on a case HQ has since moved away from their district, made before
    its author learnt of the move: it must not be lost, and reaches the case's new district.

    What the author had seen decides, not clock order. The event names the last ``assigned`` event
    its console held (``Event.seen_assignment``); it is in scope if that assignment is of this case
    and to ``p``'s district: the author then believed the district responsible and had seen no
    later reassignment. An event made after its console learnt the case went elsewhere names that
    assignment (or the console no longer holds the case at all) and is refused.

    Events without the field (clients older than it) keep the clock rule: the case's latest
    ``assigned`` event stamped before the event's HLC must be to ``p``'s district.
    """
    if p.role is Role.HQ_OPERATOR:
        return True
    if case.district == p.district:
        return True
    if event.seen_assignment is not None:
        row = conn.execute(
            select(events.c.content).where(
                and_(
                    events.c.id == event.seen_assignment,
                    events.c.case_id == case.id,
                    events.c.type == str(EventType.ASSIGNED),
                )
            )
        ).first()
    else:
        row = conn.execute(
            select(events.c.content)
            .where(
                and_(events.c.case_id == case.id, events.c.type == str(EventType.ASSIGNED), events.c.hlc < event.hlc)
            )
            .order_by(events.c.hlc.desc())
            .limit(1)
        ).first()
    if row is None:
        return False
    district_then = json.loads(row.content)["payload"].get("district")
    return bool(district_then) and district_then == p.district


def _tier_refusal(event: Event, author: Principal) -> str | None:
    """An acknowledgement or mute speaks for the author's tier only (``core.events.Tier``): a district
    user cannot silence HQ's consoles, an HQ user cannot silence a district's, and a district
    acknowledgement names the author's own district."""
    if event.type not in (EventType.ACKNOWLEDGED, EventType.ALARM_MUTED):
        return None
    claimed = event.payload.get("tier") or Tier.DISTRICT
    tier = tier_for_role(author.role)
    if claimed != tier:
        return f"a {author.role} acknowledges or mutes for {tier}, not for {claimed}"
    district = event.payload.get("district")
    if tier is Tier.DISTRICT and district is not None and district != author.district:
        return "a district acknowledgement must name the author's own district"
    return None


def _state_refusal(conn: Connection, event: Event, batch_types: Mapping[str, tuple[EventType, str]]) -> str | None:
    if event.type is EventType.ASSIGNED:
        try:
            _check_district(conn, str(event.payload["district"]), event.payload.get("police_station"))
        except ServiceError as exc:
            return exc.detail
    if event.type is EventType.AMENDED:
        target_id = str(event.payload["target_event_id"])
        target = batch_types.get(target_id)
        if target is None:
            row = conn.execute(select(events.c.type, events.c.case_id).where(events.c.id == target_id)).first()
            target = (EventType(row.type), row.case_id) if row else None
        if target is None or target[1] != event.case_id:
            return "the entry to correct is not in this case"
        if target[0] not in AMENDABLE:
            return f"a {target[0]} entry cannot be corrected; record a new entry instead"
    return None


# ---------------------------------------------------------------------------------------------
# Pull
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PageItem:
    """One feed item: its wire JSON, made once, plus what the audit row needs to know of it."""

    kind: str  # "event" or "revoke"
    case_id: str
    created: bool  # a ``created`` event: the page hands out this case's personal details
    json: str


@dataclass(frozen=True)
class Page:
    items: list[PageItem]
    cursor: int
    has_more: bool
    epoch: str

    @functools.cached_property
    def items_json(self) -> str:
        """The items as a JSON array, joined once however many consoles this page is handed to."""
        return "[" + ",".join(item.json for item in self.items) + "]"


def _event_item_json(content: str, seq: int, signature: str | None = None) -> str:
    """``{"kind":"event","event":<wire event>}`` straight from the stored canonical JSON.

    ``content`` is ``Event.content_key()``: a JSON object of everything but ``hq_seq``, written by HQ
    itself. Splicing ``hq_seq`` in as text skips a decode and re-encode of every event served (the
    bulk of HQ's CPU in an initial sync); the result is the same object a parse-and-dump would give.
    """
    if content.endswith("}") and content != "{}":
        sig = f',"signature":{json.dumps(signature)}' if signature else ""
        return f'{{"kind":"event","event":{content[:-1]},"hq_seq":{int(seq)}{sig}}}}}'
    event = _wire_from_row(content, seq)  # never for rows HQ wrote; kept for safety
    if signature:
        event["signature"] = signature
    return json.dumps({"kind": "event", "event": event}, ensure_ascii=False, separators=(",", ":"))


def read_stream(db: Database, stream: str, cursor: int, limit: int) -> Page:
    """One page of a feed stream after ``cursor``, with the epoch read in the same snapshot.

    Callers check the principal's right to the stream first (``require(p, Action.PULL)``,
    ``p.stream``). Never blocks: the long-poll wait lives in the API layer.
    """
    limit = max(1, min(limit, MAX_PULL_LIMIT))
    with db.reader() as conn:
        rows = conn.execute(
            select(feed.c.pos, feed.c.kind, feed.c.case_id, events.c.seq, events.c.type, events.c.content)
            .add_columns(events.c.signature)
            .select_from(feed.outerjoin(events, events.c.seq == feed.c.event_seq))
            .where(and_(feed.c.stream == stream, feed.c.pos > cursor))
            .order_by(feed.c.pos)
            .limit(limit + 1)
        ).all()
        epoch = conn.execute(select(meta.c.value).where(meta.c.key == "epoch")).scalar_one()
    has_more = len(rows) > limit
    rows = rows[:limit]
    items: list[PageItem] = []
    for r in rows:
        if r.kind == "revoke":
            text = json.dumps({"kind": "revoke", "case_id": r.case_id}, separators=(",", ":"))
            items.append(PageItem("revoke", r.case_id, False, text))
        else:
            item = _event_item_json(r.content, r.seq, r.signature)
            items.append(PageItem("event", r.case_id, r.type == "created", item))
    return Page(items, rows[-1].pos if rows else cursor, has_more, epoch)


def pull_page(db: Database, p: Principal, cursor: int, limit: int) -> Page:
    """The caller's stream after ``cursor`` (rights checked)."""
    require(p, Action.PULL)
    return read_stream(db, p.stream, cursor, limit)


def pull_audit_row(p: Principal, cursor: int, page: Page) -> dict[str, Any] | None:
    """A pull that delivered case details is a read of personal details: the audit row recording
    which cases (None for an empty page)."""
    if not page.items:
        return None
    case_ids = sorted({i.case_id for i in page.items if i.kind == "event" and i.created})
    detail = {
        "from": cursor,
        "to": page.cursor,
        "items": len(page.items),
        "cases_with_details": case_ids[:AUDIT_CASE_IDS_MAX],
    }
    return audit_row(p, "pull", "ok", detail=detail)


def write_audit_rows(db: Database, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert many audit rows in one transaction (group commit for busy read paths)."""
    if rows:
        with db.transaction() as conn:
            conn.execute(audit.insert(), list(rows))


# ---------------------------------------------------------------------------------------------
# Reads
# ---------------------------------------------------------------------------------------------


def read_case(db: Database, p: Principal, case_id: str) -> dict[str, Any]:
    """A case's folded state and history. Every attempt is audited (it shows personal details)."""
    try:
        require(p, Action.READ_CASE)
        _valid_case_id(case_id)
        with db.reader() as conn:
            row = _load_cases(conn, [case_id]).get(case_id)
            if row is None:
                raise ServiceError(404, "not_found", "no such case")
            if p.role is Role.DISTRICT_OPERATOR and row.district != p.district:
                raise ServiceError(403, "forbidden", "the case is not in your district")
            history = _history(conn, case_id)
    except ServiceError as exc:
        with db.transaction() as conn:
            write_audit(conn, p, "read_case", exc.code, case_id=case_id if len(case_id) <= 36 else None)
        raise
    state = fold(case_id, history)
    with db.transaction() as conn:
        write_audit(conn, p, "read_case", "ok", case_id=case_id)
    return {"state": _json_ready(asdict(state)), "events": [e.to_wire() for e in history]}


def _json_ready(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _json_ready(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_ready(v) for v in value]
    if isinstance(value, enum.Enum):
        return value.value
    return value


def list_districts(db: Database, p: Principal) -> list[dict[str, Any]]:
    require(p, Action.LIST_DISTRICTS)
    with db.reader() as conn:
        q = select(districts).order_by(districts.c.code)
        if p.role is Role.DISTRICT_OPERATOR:
            q = q.where(districts.c.code == p.district)
        drows = conn.execute(q).all()
        srows = conn.execute(select(stations).order_by(stations.c.district_code, stations.c.code)).all()
    by_district: dict[str, list[dict[str, str]]] = defaultdict(list)
    for s in srows:
        by_district[s.district_code].append({"code": s.code, "name": s.name})
    return [
        {"code": d.code, "name": d.name, "duty_phones": json.loads(d.duty_phones), "stations": by_district[d.code]}
        for d in drows
    ]


# ---------------------------------------------------------------------------------------------
# Presence
# ---------------------------------------------------------------------------------------------


def heartbeat(
    db: Database,
    p: Principal,
    device_id: str,
    app_version: str,
    pending: int,
    audio: Mapping[str, Any],
    *,
    disk_free_bytes: int | None = None,
) -> None:
    """Record a console's heartbeat. ``disk_free_bytes`` (optional: older consoles omit it) is the
    free space in its data folder, so the board can warn before a console's disk fills."""
    require(p, Action.PRESENCE_POST)
    if device_id != p.device_id:
        raise ServiceError(403, "forbidden", "device_id is not the device this session signed in on")
    now = iso(utcnow())
    with db.transaction() as conn:
        conn.execute(
            update(devices)
            .where(devices.c.id == device_id)
            .values(
                last_seen=now,
                app_version=app_version,
                pending=pending,
                user_id=p.actor,
                audio=json.dumps(dict(audio), ensure_ascii=False),
                disk_free_bytes=disk_free_bytes,
            )
        )


def list_presence(db: Database, p: Principal) -> list[dict[str, Any]]:
    require(p, Action.PRESENCE_LIST)
    cutoff = iso(utcnow() - timedelta(seconds=PRESENCE_ONLINE_S))
    with db.reader() as conn:
        rows = conn.execute(
            select(devices, users.c.username, users.c.district)
            .select_from(devices.outerjoin(users, users.c.id == devices.c.user_id))
            .order_by(devices.c.id)
        ).all()
    return [
        {
            "device_id": r.id,
            "device_name": r.name,
            "user": r.username,
            "district": r.district,
            "last_seen": r.last_seen,
            "online": r.last_seen >= cutoff,
            "app_version": r.app_version,
            "pending": r.pending,
            "audio": json.loads(r.audio) if r.audio else None,
            "disk_free_bytes": r.disk_free_bytes,
        }
        for r in rows
    ]


def count(db: Database, table_name: str) -> int:
    """Row count of one HQ table (diagnostics and tests)."""
    from hq.schema import metadata

    with db.reader() as conn:
        return int(conn.execute(select(func.count()).select_from(metadata.tables[table_name])).scalar_one())


__all__ = [
    "ALL_STREAM",
    "MAX_PUSH_EVENTS",
    "PERMISSIONS",
    "Action",
    "IntakeResult",
    "Page",
    "PageItem",
    "Principal",
    "PushResult",
    "Role",
    "ServiceError",
    "assign",
    "audit_row",
    "count",
    "heartbeat",
    "intake",
    "list_districts",
    "list_presence",
    "pull_audit_row",
    "pull_page",
    "push",
    "read_case",
    "read_stream",
    "write_audit_rows",
]
