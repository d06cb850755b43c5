"""Replies to complaints and their publication: never lost, never published twice.

A reply is drafted (``reply_drafted``) by an HQ operator; one marked ``needs_approval`` (the second
pair of eyes) waits for a supervisor other than its author (``reply_approved``). Publication:

1. **Claim.** Inside the writer lock the reply's row goes to ``publishing`` with ``attempts + 1``
   and is committed *before* the platform is called. Only a row that is ``ready``, or ``failed`` /
   ``unknown`` with its retry time come, or ``publishing`` with a claim older than ``CLAIM_LEASE_S``
   (the process died mid-call) can be claimed, so two workers never call the platform for one reply.
2. **Look first after an unknown outcome.** If an earlier attempt may have reached the platform
   (its outcome was ``unknown``, or its claim lapsed), the publisher first asks the platform for our
   reply under the target (``Publisher.find_reply``); found, it is recorded as published and nothing
   is sent. The reply's text is the key the platform can be searched by.
3. **Call and record.** Success: ``published`` with the platform's id and link, and a
   ``reply_published`` event. A definite refusal (``failed``) or an unknown outcome (``unknown``):
   a ``reply_publish_failed`` event naming the attempt and the retry time, the backoff doubling from
   ``BACKOFF_BASE_S`` up to ``BACKOFF_CAP_S``. A reply is never given up and never deleted: the
   queue shows it failed until it is published.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, and_, or_, select, update

from core.complaints import complaint_view
from core.events import CaseKind, EventType, ItemKind, iso, parse_time, utcnow
from core.ids import new_id
from hq.audit import write_audit
from hq.complaints.take import CITIZEN_REPLY, touch
from hq.complaints.write import SYSTEM, append
from hq.connectors.base import Published, Publisher, RateLimited, Refused
from hq.db import Database
from hq.errors import Conflict, Forbidden, Invalid, NotFound
from hq.feed import case_history, valid_case_id
from hq.principals import Action, Principal, Role, require
from hq.schema import complaint_items, complaint_replies

log = logging.getLogger(__name__)

CLAIM_LEASE_S = 120
BACKOFF_BASE_S = 30
BACKOFF_CAP_S = 30 * 60
MAX_REPLY_CHARS = 5000
APPROVERS = frozenset({Role.SUPERVISOR, Role.ADMIN})


@dataclass(frozen=True)
class Attempt:
    reply_id: str
    status: str  # published | failed | unknown | skipped
    platform_id: str | None = None
    url: str | None = None
    error: str | None = None


def _reply_row(conn: Connection, reply_id: str) -> Any:
    return conn.execute(select(complaint_replies).where(complaint_replies.c.reply_id == reply_id)).first()


def draft(db: Database, p: Principal, case_id: str, text: str, needs_approval: bool) -> dict[str, Any]:
    """Record a reply to a complaint; it is published only once approved (when it needs approval)."""
    require(p, Action.ASSIGN)  # HQ's roles: operators triage and answer complaints
    valid_case_id(case_id)
    if not text.strip():
        raise Invalid("text: must not be empty")
    if len(text) > MAX_REPLY_CHARS:
        raise Invalid(f"text: longer than {MAX_REPLY_CHARS} characters")
    with db.writer() as conn:
        item = conn.execute(
            select(complaint_items)
            .where(complaint_items.c.case_id == case_id, complaint_items.c.item != CITIZEN_REPLY)
            .order_by(complaint_items.c.posted_at)
        ).first()
        history = case_history(conn, case_id)
        view = complaint_view(case_id, history)
        if item is None or not history or history[0].payload.get("kind") != CaseKind.COMPLAINT:
            raise NotFound("no such complaint")
        platform_id = str(item.key).split(":", 1)[1]
        target = item.author_id if view.item == ItemKind.DIRECT_MESSAGE else platform_id
        reply_id = new_id()
        append(
            conn, db, case_id,
            [(EventType.REPLY_DRAFTED, {"reply_id": reply_id, "text": text, "needs_approval": needs_approval})], p,
        )  # fmt: skip
        conn.execute(
            complaint_replies.insert().values(
                reply_id=reply_id,
                case_id=case_id,
                platform=item.platform,
                target_id=target or platform_id,
                text=text,
                status="awaiting_approval" if needs_approval else "ready",
                attempts=0,
                created_at=iso(utcnow()),
            )
        )
        write_audit(conn, p, "reply", "drafted", case_id=case_id, detail={"reply_id": reply_id})
        return _wire(_reply_row(conn, reply_id))


def approve(db: Database, p: Principal, case_id: str, reply_id: str) -> dict[str, Any]:
    """A supervisor (not the reply's author) lets a reply that needs approval be published."""
    if p.role not in APPROVERS:
        raise Forbidden("only a supervisor approves a reply")
    with db.writer() as conn:
        row = _reply_row(conn, reply_id)
        if row is None or row.case_id != case_id:
            raise NotFound("no such reply")
        if row.status != "awaiting_approval":
            raise Conflict(f"the reply is {row.status}, not awaiting approval")
        view = complaint_view(case_id, case_history(conn, case_id))
        drafted = view.replies.get(reply_id)
        if drafted is not None and drafted.drafted_by == p.actor:
            raise Forbidden("a second pair of eyes: the reply's author cannot approve it")
        append(conn, db, case_id, [(EventType.REPLY_APPROVED, {"reply_id": reply_id})], p)
        conn.execute(update(complaint_replies).where(complaint_replies.c.reply_id == reply_id).values(status="ready"))
        write_audit(conn, p, "reply", "approved", case_id=case_id, detail={"reply_id": reply_id})
        return _wire(_reply_row(conn, reply_id))


def _claimable(now: datetime) -> Any:
    lapsed = iso(now - timedelta(seconds=CLAIM_LEASE_S))
    return or_(
        complaint_replies.c.status == "ready",
        and_(
            complaint_replies.c.status.in_(("failed", "unknown")),
            complaint_replies.c.next_attempt_at <= iso(now),
        ),
        and_(complaint_replies.c.status == "publishing", complaint_replies.c.claimed_at <= lapsed),
    )


def _claim(db: Database, reply_id: str, now: datetime, force: bool) -> tuple[Any, bool] | None:
    """Claim the reply for one attempt (committed before the platform is called); returns its row and
    whether an earlier attempt may have reached the platform."""
    with db.writer() as conn:
        row = _reply_row(conn, reply_id)
        if row is None:
            return None
        cond = _claimable(now)
        if force:  # an operator's "publish now": a failed reply need not wait for its retry time
            cond = or_(cond, complaint_replies.c.status.in_(("failed", "unknown")))
        claimed = conn.execute(
            update(complaint_replies)
            .where(complaint_replies.c.reply_id == reply_id, cond)
            .values(status="publishing", attempts=row.attempts + 1, claimed_at=iso(now))
        ).rowcount
        if not claimed:
            return None
        maybe_sent = row.status in ("unknown", "publishing")
        return _reply_row(conn, reply_id), maybe_sent


def attempt(
    db: Database,
    publishers: Mapping[str, Publisher],
    reply_id: str,
    *,
    now: datetime | None = None,
    force: bool = False,
) -> Attempt:
    """One publication attempt of ``reply_id`` (see the module docstring)."""
    now = now or utcnow()
    claimed = _claim(db, reply_id, now, force)
    if claimed is None:
        return Attempt(reply_id, "skipped")
    row, maybe_sent = claimed
    publisher = publishers.get(row.platform)
    if publisher is None:
        return _failed(db, row, now, f"no connector configured for {row.platform}", unknown=maybe_sent)
    item = _item_kind(db, row.case_id)
    try:
        found = publisher.find_reply(row.target_id, row.text, item) if maybe_sent else None
        done = found or publisher.publish_reply(row.target_id, row.text, item)
    except RateLimited as exc:
        return _failed(db, row, now, str(exc), unknown=maybe_sent, retry_at=exc.reset_at)
    except Refused as exc:
        return _failed(db, row, now, str(exc), unknown=maybe_sent)
    except Exception as exc:  # Unavailable, or anything unforeseen: the platform may have stored it
        return _failed(db, row, now, f"outcome unknown: {exc}"[:400], unknown=True)
    return _published(db, row, done, now)


def _item_kind(db: Database, case_id: str) -> str:
    with db.reader() as conn:
        item = conn.execute(
            select(complaint_items.c.item).where(
                complaint_items.c.case_id == case_id, complaint_items.c.item != CITIZEN_REPLY
            )
        ).scalar()
    return str(item or ItemKind.COMMENT)


def _published(db: Database, row: Any, done: Published, now: datetime) -> Attempt:
    with db.writer() as conn:
        payload = {
            "reply_id": row.reply_id,
            "platform_id": done.platform_id[:200],
            "published_at": iso(done.published_at),
        }
        if done.url:
            payload["url"] = done.url[:2000]
        append(conn, db, row.case_id, [(EventType.REPLY_PUBLISHED, payload)], SYSTEM, now=now)
        conn.execute(
            update(complaint_replies)
            .where(complaint_replies.c.reply_id == row.reply_id)
            .values(status="published", platform_reply_id=done.platform_id, url=done.url, next_attempt_at=None,
                    last_error=None)
        )  # fmt: skip
        touch(conn, row.case_id, now)
    return Attempt(row.reply_id, "published", done.platform_id, done.url)


def backoff_s(attempts: int) -> float:
    return float(min(BACKOFF_BASE_S * 2 ** max(attempts - 1, 0), BACKOFF_CAP_S))


def _failed(
    db: Database, row: Any, now: datetime, error: str, *, unknown: bool, retry_at: datetime | None = None
) -> Attempt:
    retry = max(retry_at or now, now + timedelta(seconds=backoff_s(row.attempts)))
    status = "unknown" if unknown else "failed"
    with db.writer() as conn:
        payload = {"reply_id": row.reply_id, "error": error[:500] or "failed", "attempt": min(row.attempts, 1000),
                   "retry_at": iso(retry)}  # fmt: skip
        append(conn, db, row.case_id, [(EventType.REPLY_PUBLISH_FAILED, payload)], SYSTEM, now=now)
        conn.execute(
            update(complaint_replies)
            .where(complaint_replies.c.reply_id == row.reply_id)
            .values(status=status, next_attempt_at=iso(retry), last_error=error[:1000], claimed_at=None)
        )
    log.warning("reply %s: attempt %d failed (%s); retry at %s", row.reply_id, row.attempts, error, iso(retry))
    return Attempt(row.reply_id, status, error=error)


def publish_due(db: Database, publishers: Mapping[str, Publisher], now: datetime | None = None) -> list[Attempt]:
    """Attempt every reply whose time has come (the worker calls this every run)."""
    now = now or utcnow()
    with db.reader() as conn:
        ids = list(conn.execute(select(complaint_replies.c.reply_id).where(_claimable(now))).scalars())
    return [attempt(db, publishers, reply_id, now=now) for reply_id in ids]


def publish_now(
    db: Database, p: Principal, publishers: Mapping[str, Publisher], case_id: str, reply_id: str
) -> dict[str, Any]:
    """An operator's "publish now" (a reply that is ready, or failed and waiting for its retry)."""
    require(p, Action.ASSIGN)
    with db.reader() as conn:
        row = _reply_row(conn, reply_id)
    if row is None or row.case_id != case_id:
        raise NotFound("no such reply")
    if row.status == "awaiting_approval":
        raise Conflict("the reply awaits a supervisor's approval")
    attempt(db, publishers, reply_id, force=True)
    with db.reader() as conn:
        return _wire(_reply_row(conn, reply_id))


def _wire(row: Any) -> dict[str, Any]:
    keys = ("reply_id", "case_id", "platform", "target_id", "text", "status", "attempts", "next_attempt_at",
            "platform_reply_id", "url", "last_error", "created_at")  # fmt: skip
    return {k: getattr(row, k) for k in keys}


def retry_time(row: Any) -> datetime | None:
    return parse_time(row.next_attempt_at) if row.next_attempt_at else None


__all__ = ["Attempt", "approve", "attempt", "backoff_s", "draft", "publish_due", "publish_now"]
