"""The review queue: pushed events held for a supervisor's verdict, and the verdicts.

A pushed event refused only by policy about its author's account goes here instead of being
dropped: its author, an operator who signed in on this console, was disabled before the console
reconnected (the work may have been done while the account was active: an outcome recorded offline,
a counselling note). Everything else stays refused: malformed data (``invalid``), events from
another device, authors who never signed in on this device (nothing vouches for them), authors
whose role never writes events (supervisor, admin), work outside the author's or the caller's
district, ``created``/``assigned`` from a console, id conflicts, unknown cases and corrections of
what cannot be corrected: those are about the data, and a verdict could not mend them.

``hq.push`` puts events in (``review_row``) and answers a console asking about them
(``held_verdicts``); supervisors and admins list and decide them here.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select, update

from core.events import Event, EventType, iso, utcnow
from hq.audit import AUDIT_CASE_IDS_MAX, write_audit
from hq.db import Database
from hq.errors import Conflict, Invalid, NotFound
from hq.feed import Batch, load_cases
from hq.principals import Action, Principal, require
from hq.schema import events, review_queue
from hq.scope import state_refusal

HOLD_AUTHOR_DISABLED = "author_disabled"
NEVER_HELD = frozenset({EventType.CREATED, EventType.ASSIGNED})
REVIEW_HELD, REVIEW_ACCEPTED, REVIEW_REJECTED = "held", "accepted", "rejected"
REVIEW_REASON_MAX = 2000
REVIEW_LIST_MAX = 500


def review_row(event: Event, content: str, cause: str, note: str, p: Principal) -> dict[str, Any]:
    """The queue row for ``event`` (``content``: its ``content_key()``), held for ``cause`` and pushed by ``p``."""
    return {
        "event_id": event.id,
        "case_id": event.case_id,
        "content": content,
        "author_id": event.author_id,
        "cause": cause,
        "note": note[:REVIEW_REASON_MAX],
        "pushed_by": p.actor,
        "pushed_by_username": p.username,
        "device_id": event.device_id,
        "held_at": iso(utcnow()),
        "status": REVIEW_HELD,
    }


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
        "decided_by": None
        if row.decided_by is None
        else {"user_id": row.decided_by, "username": row.decided_by_username},
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
        raise Invalid(f"status: {status!r} is not held, accepted or rejected")
    limit = max(1, min(int(limit), REVIEW_LIST_MAX))
    query = select(review_queue).order_by(review_queue.c.held_at, review_queue.c.event_id).limit(limit)
    if status is not None:
        query = query.where(review_queue.c.status == status)
    with db.transaction() as conn:
        rows = conn.execute(query).all()
        write_audit(
            conn,
            p,
            "review_list",
            "ok",
            detail={
                "status": status,
                "events": [r.event_id for r in rows][:AUDIT_CASE_IDS_MAX],
                "cases": sorted({r.case_id for r in rows})[:AUDIT_CASE_IDS_MAX],
            },
        )
    return [_review_json(r) for r in rows]


def decide_review(db: Database, p: Principal, event_id: str, *, accept: bool, reason: str) -> dict[str, Any]:
    """A supervisor's verdict on a held event, with a reason (both recorded and audited).

    Accepted: the event is stored exactly as a push would have stored it (its own author and device,
    a fresh ``hq_seq``, the feeds of ``*`` and the case's district), in the same writer lock, so it
    reaches HQ and the district's consoles by the ordinary pull. Rejected: it stays out of every log;
    the console that pushed it learns the reason from ``held_verdicts``. A decided event cannot be
    decided again (``Conflict``).
    """
    require(p, Action.REVIEW)
    reason = (reason or "").strip()
    if not reason:
        raise Invalid("reason: a verdict needs a reason")
    if len(reason) > REVIEW_REASON_MAX:
        raise Invalid(f"reason: at most {REVIEW_REASON_MAX} characters")
    with db.writer() as conn:
        row = conn.execute(select(review_queue).where(review_queue.c.event_id == event_id)).first()
        if row is None:
            raise NotFound("no such event in the review queue")
        if row.status != REVIEW_HELD:
            raise Conflict(f"this event was already {row.status}")
        seq: int | None = None
        if accept:
            event = Event.from_wire(json.loads(row.content))
            stored = conn.execute(select(events.c.seq, events.c.content).where(events.c.id == event_id)).first()
            if stored is not None:
                if stored.content != row.content:
                    raise Conflict("another event with this id is stored")
                seq = int(stored.seq)
            else:
                case = load_cases(conn, [event.case_id]).get(event.case_id)
                if case is None:
                    raise Conflict("HQ no longer has this event's case")
                refusal = state_refusal(conn, event, {})
                if refusal:
                    raise Conflict(refusal)
                batch = Batch.open(conn)
                seq = batch.add(event, case)
                batch.flush(db)
        status = REVIEW_ACCEPTED if accept else REVIEW_REJECTED
        conn.execute(
            update(review_queue)
            .where(review_queue.c.event_id == event_id)
            .values(
                status=status,
                decided_by=p.actor,
                decided_by_username=p.username,
                decided_at=iso(utcnow()),
                decision_reason=reason,
                hq_seq=seq,
            )
        )
        write_audit(
            conn,
            p,
            f"review_{'accept' if accept else 'reject'}",
            "ok",
            case_id=row.case_id,
            detail={
                "event_id": event_id,
                "author_id": row.author_id,
                "cause": row.cause,
                "device_id": row.device_id,
                "pushed_by": row.pushed_by,
                "reason": reason,
                "hq_seq": seq,
            },
        )
        decided = conn.execute(select(review_queue).where(review_queue.c.event_id == event_id)).one()
    return _review_json(decided)


__all__ = [
    "HOLD_AUTHOR_DISABLED",
    "NEVER_HELD",
    "REVIEW_ACCEPTED",
    "REVIEW_HELD",
    "REVIEW_LIST_MAX",
    "REVIEW_REASON_MAX",
    "REVIEW_REJECTED",
    "decide_review",
    "list_review",
    "review_row",
]
