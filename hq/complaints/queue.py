"""The complaint queue and triage at HQ: rows with their countdowns and soft signals; category,
district and duplicate links set by an HQ operator."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import select

from core.complaints import complaint_view, queue_row
from core.events import ComplaintCategory, EventType, utcnow
from core.sla import SlaPolicy
from hq.audit import write_audit
from hq.complaints.take import CITIZEN_REPLY, touch
from hq.complaints.write import append
from hq.db import Database
from hq.errors import Forbidden, Invalid, NotFound
from hq.feed import check_district, event_from_row, valid_case_id
from hq.principals import HQ_ROLES, Action, Principal, Role, require
from hq.schema import complaint_items, events

MAX_QUEUE_ROWS = 2000
# Who may read the clock's policy: whoever sees complaints (HQ's roles, and district operators, whose
# replicas hold the complaints routed to their district).
POLICY_READERS = HQ_ROLES | {Role.DISTRICT_OPERATOR}


def policy_json(p: Principal, policy: SlaPolicy) -> dict[str, Any]:
    """The clock's policy in force, as the consoles read it (``SlaPolicy.from_json``)."""
    if p.is_key or p.role not in POLICY_READERS:
        raise Forbidden("the complaint clock's policy is for the roles that see complaints")
    return policy.to_json()


def queue(
    db: Database,
    p: Principal,
    policy: SlaPolicy,
    *,
    open_only: bool = True,
    district: str | None = None,
    limit: int = 500,
    now: datetime | None = None,
) -> list[dict[str, Any]]:
    """The complaint queue, most urgent first (breached, then warning, then the soonest due)."""
    require(p, Action.ASSIGN)
    now = now or utcnow()
    limit = max(1, min(limit, MAX_QUEUE_ROWS))
    with db.reader() as conn:
        q = select(complaint_items.c.case_id).where(complaint_items.c.item != CITIZEN_REPLY)
        if open_only:
            q = q.where(complaint_items.c.next_check_at.is_not(None))
        ids = list(dict.fromkeys(conn.execute(q.order_by(complaint_items.c.posted_at.desc()).limit(limit)).scalars()))
        by_case: dict[str, list[Any]] = defaultdict(list)
        if ids:
            for r in conn.execute(
                select(events.c.case_id, events.c.content, events.c.seq).where(events.c.case_id.in_(ids))
            ):
                by_case[r.case_id].append(event_from_row(r.content, r.seq))
    rows = [queue_row(complaint_view(cid, by_case[cid]), policy, now) for cid in ids if by_case.get(cid)]
    if district is not None:
        rows = [r for r in rows if r["district"] == district]
    rank = {"complaint_sla_breach": 0, "complaint_sla_warning": 1, None: 2}
    rows.sort(key=lambda r: (rank[r["signal"]], r["due"]["due_at"] if r["due"] else "~", r["case_id"]))
    return rows


def triage(
    db: Database,
    p: Principal,
    case_id: str,
    *,
    category: str | None = None,
    district: str | None = None,
    duplicate_of: str | None = None,
    note: str | None = None,
) -> dict[str, Any]:
    """Categorise, route, or link a complaint to the one it repeats (each an event; nothing deleted)."""
    require(p, Action.ASSIGN)
    valid_case_id(case_id)
    if category is None and district is None and duplicate_of is None:
        raise Invalid("triage: give a category, a district or duplicate_of")
    if category is not None and category not in {str(c) for c in ComplaintCategory}:
        raise Invalid(f"category: must be one of {', '.join(sorted(str(c) for c in ComplaintCategory))}")
    made: list[tuple[EventType, dict[str, Any]]] = []
    if category is not None:
        made.append((EventType.CATEGORISED, {"category": category} | ({"note": note} if note else {})))
    if district is not None:
        made.append((EventType.ASSIGNED, {"district": district}))
    if duplicate_of is not None:
        valid_case_id(duplicate_of)
        if duplicate_of == case_id:
            raise Invalid("duplicate_of: a complaint cannot repeat itself")
        made.append((EventType.DUPLICATE_LINKED, {"duplicate_of": duplicate_of}))
    with db.writer() as conn:
        known = conn.execute(
            select(complaint_items.c.case_id).where(complaint_items.c.case_id.in_([case_id, duplicate_of or case_id]))
        ).scalars()
        if not {case_id, duplicate_of or case_id} <= set(known):
            raise NotFound("no such complaint")
        if district is not None:
            check_district(conn, district, None)
        stored = append(conn, db, case_id, made, p)
        touch(conn, case_id, utcnow())
        write_audit(conn, p, "triage", "ok", case_id=case_id, detail={"category": category, "district": district,
                                                                          "duplicate_of": duplicate_of})  # fmt: skip
    return {"case_id": case_id, "events": [str(e.type) for e in stored]}


__all__ = ["queue", "triage"]
