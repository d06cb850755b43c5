"""HQ's own events on a complaint, made through ``core.commands.decide`` and stored through
``hq.feed.Batch``, inside a transaction the caller holds from ``Database.writer()``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from core.commands import decide
from core.errors import CommandRefused, InvalidEvent
from core.events import Event, EventType, iso, utcnow
from core.hlc import HybridClock
from core.ids import new_id
from hq.audit import write_audit
from hq.db import Database
from hq.errors import Conflict, Invalid, NotFound
from hq.feed import Batch, CaseRow, case_history, check_district, load_cases
from hq.intake import HQ_NODE
from hq.principals import Principal
from hq.schema import cases

# Who HQ's complaint machinery writes as: the connectors' intake, the SLA sweep, the publisher.
SYSTEM = Principal(actor="hq:complaints", display_name="HQ (complaints)", role=None)


def connector_principal(platform: str) -> Principal:
    return Principal(actor=f"connector:{platform}"[:150], display_name=f"Intake ({platform})", role=None)


def append(
    conn: Connection,
    db: Database,
    case_id: str,
    made: Sequence[tuple[EventType, Mapping[str, Any]]],
    p: Principal,
    *,
    now: datetime | None = None,
) -> list[Event]:
    """Decide and store ``made`` in order on ``case_id``. Raises NotFound, Invalid or Conflict."""
    row = load_cases(conn, [case_id]).get(case_id)
    if row is None:
        raise NotFound("no such case")
    history = case_history(conn, case_id)
    last = max((e.hlc for e in history), default=None)
    clock = HybridClock(HQ_NODE, last=last)
    batch = Batch.open(conn, sign=True)
    out: list[Event] = []
    for etype, payload in made:
        try:
            event = decide(
                case_id=case_id,
                history=[*history, *out],
                etype=etype,
                payload=payload,
                author=p.author(),
                clock=clock,
                now=now,
            )
        except InvalidEvent as exc:
            raise Invalid(str(exc)) from None
        except CommandRefused as exc:
            raise Conflict(str(exc)) from None
        batch.add(event, row)
        out.append(event)
    batch.flush(db)
    return out


def create(
    conn: Connection,
    db: Database,
    payload: Mapping[str, Any],
    p: Principal,
    *,
    district: str | None = None,
    then: Sequence[tuple[EventType, Mapping[str, Any]]] = (),
) -> str:
    """Make a complaint case (``created``, ``assigned`` when routed, then ``then``) and return its id.
    The caller has checked that no case holds ``payload["upstream_ref"]``."""
    case_id = new_id()
    clock = HybridClock(HQ_NODE)
    if district is not None:
        check_district(conn, district, None)
    steps: list[tuple[EventType, Mapping[str, Any]]] = [(EventType.CREATED, payload)]
    if district is not None:
        steps.append((EventType.ASSIGNED, {"district": district}))
    steps.extend(then)
    made: list[Event] = []
    for etype, body in steps:
        try:
            made.append(
                decide(case_id=case_id, history=made, etype=etype, payload=body, author=p.author(), clock=clock)
            )
        except InvalidEvent as exc:
            raise Invalid(str(exc)) from None
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
    batch = Batch.open(conn, sign=True)
    row = CaseRow(case_id, None, None)
    for e in made:
        batch.add(e, row)
    batch.flush(db)
    write_audit(conn, p, "complaint", "created", case_id=case_id, detail={"upstream_ref": payload["upstream_ref"]})
    return case_id


__all__ = ["SYSTEM", "append", "connector_principal", "create"]
