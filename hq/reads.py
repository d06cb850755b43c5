"""Reads: a page of a feed stream (the pull), a case with its history, the districts.

Every read that hands out personal details is audited: a case read in its own transaction, a pull
page by the caller (``pull_audit_row``; the API group-commits them, ``hq.longpoll.AuditBatcher``).
"""

from __future__ import annotations

import enum
import functools
import json
from collections import defaultdict
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import and_, func, select

from core.fold import fold
from hq.audit import AUDIT_CASE_IDS_MAX, audit_row, write_audit
from hq.db import Database
from hq.errors import Forbidden, HQError, NotFound
from hq.feed import case_history, load_cases, valid_case_id
from hq.principals import TIP_ROLES, Action, Principal, Role, require
from hq.schema import districts, events, feed, meta, metadata, stations
from hq.scope import tip_in_scope

MAX_PULL_LIMIT = 1000


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
    itself (``hq.feed.Batch``). Splicing ``hq_seq`` in as text skips a decode and re-encode of every
    event served (the bulk of HQ's CPU in an initial sync); the result is the same object
    ``hq.feed.wire_from_row`` decodes.
    """
    sig = f',"signature":{json.dumps(signature)}' if signature else ""
    return f'{{"kind":"event","event":{content[:-1]},"hq_seq":{int(seq)}{sig}}}}}'


def read_stream(db: Database, stream: str, cursor: int, limit: int) -> Page:
    """One page of a feed stream after ``cursor``, with the epoch read in the same snapshot.

    Callers check the principal's right to the stream first (``require(p, Action.PULL)``,
    ``p.stream``). Never blocks: the long-poll wait lives in the API layer.
    """
    limit = max(1, min(limit, MAX_PULL_LIMIT))
    with db.reader() as conn:
        rows = conn.execute(
            select(
                feed.c.pos, feed.c.kind, feed.c.case_id, events.c.seq, events.c.type, events.c.content,
                events.c.signature,
            )
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


def read_case(db: Database, p: Principal, case_id: str) -> dict[str, Any]:
    """A case's folded state and history. Every attempt is audited (it shows personal details)."""
    try:
        require(p, Action.READ_CASE)
        valid_case_id(case_id)
        with db.reader() as conn:
            row = load_cases(conn, [case_id]).get(case_id)
            if row is None:
                raise NotFound("no such case")
            if p.role is Role.DISTRICT_OPERATOR and row.district != p.district:
                raise Forbidden("the case is not in your district")
            if p.role in TIP_ROLES and not tip_in_scope(conn, p, row):
                raise Forbidden("the case is not a tip of your district or range")
            history = case_history(conn, case_id)
    except HQError as exc:
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
    """The districts with their stations: all of them, a district operator's or SP office's own, or
    a DIG's range's."""
    require(p, Action.LIST_DISTRICTS)
    with db.reader() as conn:
        q = select(districts).order_by(districts.c.code)
        if p.role in (Role.DISTRICT_OPERATOR, Role.SP_OFFICE):
            q = q.where(districts.c.code == p.district)
        elif p.role is Role.RANGE_DIG:
            q = q.where(districts.c.range == p.range)
        drows = conn.execute(q).all()
        srows = conn.execute(select(stations).order_by(stations.c.district_code, stations.c.code)).all()
    by_district: dict[str, list[dict[str, str]]] = defaultdict(list)
    for s in srows:
        by_district[s.district_code].append({"code": s.code, "name": s.name})
    return [
        {"code": d.code, "name": d.name, "duty_phones": json.loads(d.duty_phones), "stations": by_district[d.code]}
        for d in drows
    ]


def count(db: Database, table_name: str) -> int:
    """Row count of one HQ table (diagnostics and tests)."""
    with db.reader() as conn:
        return int(conn.execute(select(func.count()).select_from(metadata.tables[table_name])).scalar_one())


__all__ = [
    "MAX_PULL_LIMIT",
    "Page",
    "PageItem",
    "count",
    "list_districts",
    "pull_audit_row",
    "pull_page",
    "read_case",
    "read_stream",
]
