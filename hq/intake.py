"""Intake and routing: a case made from an upstream alert, and a case (re)assigned to a district.

These are the only places HQ makes events of its own (``created``, ``assigned``), each through
``core.commands.decide`` with an HQ clock, and stored through ``hq.feed.Batch``.

A new case reaches HQ two ways: this intake (an integration's alert), or a ``created`` entry an HQ
operator made at a console (manual intake, offline too) and pushed (``hq.push``). Both pass the same
checks, written once in ``admit_case``: the district and station it names exist, no case holds the
same upstream reference (a twin is counted on the existing case and refused with its id), and the
case id is new.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Connection, select, update

from core.commands import decide
from core.errors import CommandRefused, InvalidEvent
from core.events import PAYLOADS, Event, EventType, Tier, iso, utcnow
from core.hlc import HybridClock
from core.ids import new_id
from hq.audit import write_audit
from hq.db import Database
from hq.errors import Conflict, Forbidden, HQError, Invalid, NotFound
from hq.feed import Batch, CaseRow, case_history, check_district, load_cases, valid_case_id
from hq.principals import Action, Principal, require
from hq.schema import cases
from hq.scope import assign_refusal

HQ_NODE = "hq"
# ``tip``: a tip's details (core.events.TIP), given only by the tip line's relay (HTTP intake's model has no such field)
INTAKE_FIELDS = ("kind", "source", "upstream_ref", "received_at", "priority", "subject", "location", "summary", "tip")


@dataclass(frozen=True)
class IntakeResult:
    case_id: str
    duplicate: bool
    duplicates: int


class DuplicateAlert(Exception):
    """The alert's upstream reference is already a case's: ``existing_id``, now counted ``duplicates``
    times. The reason names the existing case, so a console can open it instead of its twin."""

    def __init__(self, existing_id: str, duplicates: int, upstream_ref: str) -> None:
        self.existing_id = existing_id
        self.duplicates = duplicates
        self.upstream_ref = upstream_ref
        super().__init__(f"duplicate of case {existing_id}: the alert {upstream_ref!r} is already a case at HQ")


def admit_case(conn: Connection, p: Principal, created: Event, *, via: str) -> CaseRow:
    """Write the case row of a new case made by ``created``, after intake's checks; inside the writer.

    Raises ``Invalid`` for a district or station HQ does not know, ``DuplicateAlert`` when a case
    already holds the alert's upstream reference (counted on that case and audited first: a twin is
    refused, never stored), ``Conflict`` when the case id is taken. ``via``: "intake" or "push", for
    the audit. A district named in the ``created`` payload routes the case from its first entry.
    """
    payload = created.payload
    ref = str(payload["upstream_ref"])
    district = payload.get("district")
    station = payload.get("police_station")
    if district is not None:
        check_district(conn, str(district), None if station is None else str(station))
    existing = conn.execute(select(cases.c.id, cases.c.duplicates).where(cases.c.upstream_ref == ref)).first()
    if existing is not None:
        count = existing.duplicates + 1
        conn.execute(update(cases).where(cases.c.id == existing.id).values(duplicates=count))
        detail = {"upstream_ref": ref, "via": via} | ({"twin": created.case_id} if via == "push" else {})
        write_audit(conn, p, "intake", "duplicate", case_id=existing.id, detail=detail)
        raise DuplicateAlert(existing.id, count, ref)
    if conn.execute(select(cases.c.id).where(cases.c.id == created.case_id)).first() is not None:
        raise Conflict("this case already exists")
    conn.execute(
        cases.insert().values(
            id=created.case_id,
            upstream_ref=ref,
            district=district,
            police_station=station,
            duplicates=0,
            created_at=iso(utcnow()),
        )
    )
    if via == "push":  # intake audits its own, with the district it routes to
        opened: dict[str, Any] = {"upstream_ref": ref, "via": via, "district": district, "event_id": created.id}
        write_audit(conn, p, "intake", "created", case_id=created.case_id, detail=opened)
    return CaseRow(created.case_id, district, station)


def _hq_clock(history: Sequence[Event]) -> HybridClock:
    """A fresh HQ clock past every stamp of this case only, so a device with a wildly wrong clock
    can skew the stamps of its own case but never every stamp HQ issues afterwards."""
    last = max((e.hlc for e in history), default=None)
    return HybridClock(HQ_NODE, last=last)


def intake(db: Database, p: Principal, body: Mapping[str, Any]) -> IntakeResult:
    """Create a case from an upstream alert, or count a duplicate of one already received.

    A refused alert is audited too (with the reason): an integration sending bad alerts must show.
    """
    require(p, Action.INTAKE)
    try:
        return _intake(db, p, body)
    except HQError as exc:
        ref = body.get("upstream_ref")
        with db.transaction() as conn:
            write_audit(
                conn, p, "intake", exc.code,
                detail={"reason": exc.detail[:500], "upstream_ref": ref[:200] if isinstance(ref, str) else None},
            )  # fmt: skip
        raise


def intake_in(conn: Connection, db: Database, p: Principal, body: Mapping[str, Any]) -> IntakeResult:
    """``intake`` inside a transaction the caller holds from ``db.writer()``, so the caller can write
    rows of its own that commit (or roll back) together with the case (the mailbox's record of the
    mail a case came from). Refusals are raised, not audited: the caller decides what one means.
    Every refusal comes before the first write."""
    require(p, Action.INTAKE)
    return _intake(db, p, body, conn)


def _intake(db: Database, p: Principal, body: Mapping[str, Any], held: Connection | None = None) -> IntakeResult:
    payload = {k: body[k] for k in INTAKE_FIELDS if body.get(k) is not None}
    try:
        PAYLOADS[EventType.CREATED](payload, "intake")
    except InvalidEvent as exc:
        raise Invalid(str(exc)) from None
    district = body.get("district")
    station = body.get("police_station")
    if station is not None and district is None:
        raise Invalid("intake.police_station: needs a district")
    for name, value in (("district", district), ("police_station", station)):
        if value is not None:
            try:
                PAYLOADS[EventType.ASSIGNED]({"district": value}, f"intake.{name}")
            except InvalidEvent as exc:
                raise Invalid(str(exc)) from None
    with db.writer() if held is None else nullcontext(held) as conn:
        if district is not None:
            check_district(conn, district, station)
        case_id = new_id()
        clock = HybridClock(HQ_NODE)
        # Intake is HQ's own act, whoever submits it (an integration's key has no role of its own).
        author = replace(p.author(), tier=Tier.HQ)
        created = decide(
            case_id=case_id, history=[], etype=EventType.CREATED, payload=payload, author=author, clock=clock
        )
        try:
            row = admit_case(conn, p, created, via="intake")
        except DuplicateAlert as dup:
            return IntakeResult(dup.existing_id, True, dup.duplicates)
        made = [created]
        if district is not None:
            assignment = {"district": district} | ({"police_station": station} if station else {})
            made.append(
                decide(
                    case_id=case_id,
                    history=made,
                    etype=EventType.ASSIGNED,
                    payload=assignment,
                    author=author,
                    clock=clock,
                )
            )
        batch = Batch.open(conn, sign=True)
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
    valid_case_id(case_id)
    payload: dict[str, Any] = {"district": district}
    if police_station is not None:
        payload["police_station"] = police_station
    try:
        PAYLOADS[EventType.ASSIGNED](payload, "assign")
    except InvalidEvent as exc:
        raise Invalid(str(exc)) from None
    with db.writer() as conn:
        row = load_cases(conn, [case_id]).get(case_id)
        if row is None:
            write_audit(conn, p, "assign", "not_found", case_id=case_id)
            raise NotFound("no such case")
        check_district(conn, district, police_station)
        refusal = assign_refusal(conn, p, row, district)
        if refusal is not None:
            write_audit(conn, p, "assign", "forbidden", case_id=case_id)
            raise Forbidden(refusal)
        history = case_history(conn, case_id)
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
            raise Conflict(str(exc)) from None
        batch = Batch.open(conn, sign=True)
        seq = batch.add(event, row)
        batch.flush(db)
        write_audit(conn, p, "assign", "ok", case_id=case_id, detail={"district": district, "seq": seq})
    return event.with_seq(seq)


__all__ = ["HQ_NODE", "INTAKE_FIELDS", "DuplicateAlert", "IntakeResult", "admit_case", "assign", "intake", "intake_in"]
