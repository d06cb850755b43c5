"""A platform item taken by a connector becomes a complaint, a citizen's reply, or nothing new.

``take_item`` runs inside HQ's writer lock. It first looks the item's key (``<platform>:<id>``) up in
``complaint_items``: found, it returns that row's case and writes nothing (a webhook delivered
twice, a poll repeated after an outage, a second HQ worker). Otherwise, in one transaction:

- an item answering one of our published replies (``in_reply_to`` is that reply's platform id), a
  comment by a complaint's author in that complaint's own thread (``under`` is the complaint's
  platform id: YouTube's, Instagram's and Facebook's replies hang under the thread's top comment,
  so an answer to our reply cannot name it), or a direct message from an author whose complaint we
  answered by direct message: a ``citizen_replied`` event on that complaint at the platform's time
  (after our published reply it reopens the next-response clock; before it the clock ignores it,
  ``core.sla``);
- anything else: a new complaint case. If an open complaint already came from the same thread or,
  within ``SAME_AUTHOR_WINDOW_H``, from the same account, the new case is linked to it with
  ``duplicate_linked`` (never deleted: the duplicate stays readable, without a clock of its own).

The item's row is written before COMMIT, so a connector that advances its cursor only after
``take_item`` returns never loses an item and never makes a twin.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, fields, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, and_, or_, select, update

from core.complaints import complaint_payload, upstream_ref
from core.events import EventType, ItemKind, Source, iso, utcnow
from hq.complaints.write import append, connector_principal, create
from hq.db import Database
from hq.schema import cases, complaint_items, complaint_replies

log = logging.getLogger(__name__)

SAME_AUTHOR_WINDOW_H = 24
CITIZEN_REPLY = "citizen_reply"


@dataclass(frozen=True)
class IncomingItem:
    """One comment, mention or direct message as a connector read it (public fields only)."""

    platform: Source
    item: ItemKind
    platform_id: str
    posted_at: datetime
    text: str
    author_id: str | None = None
    author_handle: str | None = None
    author_url: str | None = None
    post_url: str | None = None
    thread_id: str | None = None
    thread_text: str | None = None
    thread_url: str | None = None
    in_reply_to: str | None = None  # the platform id this item answers
    under: str | None = None  # the platform id of the thread's top comment this item replies under

    @property
    def key(self) -> str:
        return upstream_ref(self.platform, self.platform_id)


@dataclass(frozen=True)
class Taken:
    case_id: str
    outcome: str  # created | duplicate_of | citizen_reply | already_taken
    duplicate_of: str | None = None


# What platform text loses before it is stored: the characters no event may hold (core.events).
# A platform's post is never refused over them (the platform would deliver it again and again).
_NOT_IN_LINE = re.compile("[\x00-\x1f\ud800-\udfff]")
_NOT_IN_FREE_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")
_FREE_TEXT_FIELDS = ("text", "thread_text")


def clean(item: IncomingItem) -> IncomingItem:
    """``item`` with every text stripped of the characters events refuse."""
    changes: dict[str, Any] = {}
    for f in fields(item):
        value = getattr(item, f.name)
        if isinstance(value, str):
            pattern = _NOT_IN_FREE_TEXT if f.name in _FREE_TEXT_FIELDS else _NOT_IN_LINE
            changes[f.name] = pattern.sub("", value)
    return replace(item, **changes)


def take_item(db: Database, item: IncomingItem, *, now: datetime | None = None) -> Taken:
    """Store ``item`` once (see the module docstring); returns what became of it."""
    now = now or utcnow()
    item = clean(item)
    with db.writer() as conn:
        known = conn.execute(select(complaint_items.c.case_id).where(complaint_items.c.key == item.key)).first()
        if known is not None:
            return Taken(known.case_id, "already_taken")
        answered = _answered_case(conn, item)
        if answered is not None:
            append(
                conn, db, answered,
                [(EventType.CITIZEN_REPLIED, _citizen_payload(item))], connector_principal(str(item.platform)),
                now=now,
            )  # fmt: skip
            _record(conn, item, answered, CITIZEN_REPLY, now)
            _touch(conn, answered, now)
            return Taken(answered, CITIZEN_REPLY)
        original = _original(conn, item, now)
        payload = complaint_payload(
            platform=item.platform,
            item=item.item,
            platform_id=item.platform_id,
            posted_at=item.posted_at,
            text=item.text,
            received_at=now,
            author_handle=item.author_handle,
            author_id=item.author_id,
            author_url=item.author_url,
            post_url=item.post_url,
            thread_id=item.thread_id,
            thread_text=item.thread_text,
            thread_url=item.thread_url,
        )
        then = []
        if original is not None:
            then.append((EventType.DUPLICATE_LINKED, {"duplicate_of": original, "reason": "same thread or account"}))
        existing = conn.execute(select(cases.c.id).where(cases.c.upstream_ref == payload["upstream_ref"])).first()
        if existing is not None:  # made by another path (the generic intake) under the same reference
            _record(conn, item, existing.id, str(item.item), now)
            return Taken(existing.id, "already_taken")
        case_id = create(conn, db, payload, connector_principal(str(item.platform)), then=then)
        _record(conn, item, case_id, str(item.item), now)
        return Taken(case_id, "duplicate_of" if original else "created", original)


def _citizen_payload(item: IncomingItem) -> dict[str, str]:
    out = {"platform_id": item.platform_id[:200], "at": iso(item.posted_at), "text": item.text[:20_000]}
    if item.post_url:
        out["url"] = item.post_url[:2000]
    return out


def _answered_case(conn: Connection, item: IncomingItem) -> str | None:
    """The complaint this item answers: the case of our published reply it replies to, the complaint
    whose thread it replies under when the same author wrote both, or (a direct message) the open
    direct-message complaint of the same author that we have answered."""
    if item.under and item.author_id:
        row = conn.execute(
            select(complaint_items.c.case_id).where(
                complaint_items.c.key == upstream_ref(item.platform, item.under)[:250],
                complaint_items.c.item != CITIZEN_REPLY,
                complaint_items.c.author_id == item.author_id[:200],
            )
        ).first()
        if row is not None:
            return str(row.case_id)
    if item.in_reply_to:
        row = conn.execute(
            select(complaint_replies.c.case_id).where(
                complaint_replies.c.platform == str(item.platform),
                complaint_replies.c.platform_reply_id == item.in_reply_to,
            )
        ).first()
        if row is not None:
            return str(row.case_id)
    if item.item is ItemKind.DIRECT_MESSAGE and item.author_id:
        row = conn.execute(
            select(complaint_items.c.case_id)
            .join(complaint_replies, complaint_replies.c.case_id == complaint_items.c.case_id)
            .where(
                complaint_items.c.platform == str(item.platform),
                complaint_items.c.author_id == item.author_id,
                complaint_items.c.item == str(ItemKind.DIRECT_MESSAGE),
                complaint_items.c.next_check_at.is_not(None),
                complaint_replies.c.status == "published",
            )
            .order_by(complaint_items.c.posted_at.desc())
        ).first()
        if row is not None:
            return str(row.case_id)
    return None


def _original(conn: Connection, item: IncomingItem, now: datetime) -> str | None:
    """The open complaint this item repeats (same thread, or same account within the window)."""
    conds = []
    if item.thread_id:
        conds.append(complaint_items.c.thread_id == item.thread_id)
    if item.author_id:
        since = iso(now - timedelta(hours=SAME_AUTHOR_WINDOW_H))
        conds.append(and_(complaint_items.c.author_id == item.author_id, complaint_items.c.taken_at >= since))
    if not conds:
        return None
    row = conn.execute(
        select(complaint_items.c.case_id, complaint_items.c.key)
        .where(
            complaint_items.c.platform == str(item.platform),
            complaint_items.c.item != CITIZEN_REPLY,
            complaint_items.c.next_check_at.is_not(None),
            or_(*conds),
        )
        .order_by(complaint_items.c.posted_at, complaint_items.c.key)
    ).first()
    if row is None:
        return None
    # link to the root, not to another duplicate: the earliest open item of the thread is the root
    return str(row.case_id)


def _record(conn: Connection, item: IncomingItem, case_id: str, kind: str, now: datetime) -> None:
    conn.execute(
        complaint_items.insert().values(
            key=item.key[:250],
            case_id=case_id,
            platform=str(item.platform),
            item=kind,
            author_id=(item.author_id or None) and item.author_id[:200],
            thread_id=(item.thread_id or None) and item.thread_id[:200],
            posted_at=iso(item.posted_at),
            taken_at=iso(now),
            next_check_at=None if kind == CITIZEN_REPLY else iso(now),
        )
    )


def _touch(conn: Connection, case_id: str, now: datetime) -> None:
    """Have the SLA sweep look at ``case_id`` on its next run (something changed its clock)."""
    conn.execute(
        update(complaint_items)
        .where(complaint_items.c.case_id == case_id, complaint_items.c.item != CITIZEN_REPLY)
        .values(next_check_at=iso(now))
    )


touch = _touch

__all__ = ["CITIZEN_REPLY", "IncomingItem", "Taken", "take_item", "touch"]
