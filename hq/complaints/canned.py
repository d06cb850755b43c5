"""Canned bilingual replies for complaints: HQ keeps them, supervisors and admins edit them.

Each has a title, a Hindi and an English text, an optional category (shown first for complaints of
that category; none: any complaint), who changed it last and when, and a ``retired`` flag. A reply
no longer wanted is retired, never deleted: the texts that were sent stay readable, and a console
that cached it before sees it gone from the list on its next refresh.

The texts may hold fields in braces (``{handle}``, ``{district}``, ``{reference}``) that the
console's composer fills from the case; HQ stores them as written. Every change is audited
(``write_audit``) in the change's own transaction.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update

from core.events import ComplaintCategory, iso, utcnow
from hq.audit import write_audit
from hq.db import Database
from hq.errors import Forbidden, Invalid
from hq.principals import HQ_ROLES, Principal, Role
from hq.schema import canned_replies

EDITORS = frozenset({Role.SUPERVISOR, Role.ADMIN})
MAX_TITLE_CHARS = 200
MAX_TEXT_CHARS = 5000
ID_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,63}$"


def _readable(p: Principal) -> None:
    if p.is_key or p.role not in HQ_ROLES:
        raise Forbidden("canned replies are for HQ's roles")


def _wire(row: Any) -> dict[str, Any]:
    keys = ("id", "title", "text_hi", "text_en", "category", "updated_by", "updated_at")
    return {k: getattr(row, k) for k in keys} | {"retired": bool(row.retired)}


def list_canned(db: Database, p: Principal, *, include_retired: bool = False) -> list[dict[str, Any]]:
    """The canned replies by title (HQ roles); retired ones only when asked for (the editor)."""
    _readable(p)
    q = select(canned_replies).order_by(canned_replies.c.title, canned_replies.c.id)
    if not include_retired:
        q = q.where(canned_replies.c.retired.is_(False))
    with db.reader() as conn:
        return [_wire(r) for r in conn.execute(q)]


def put_canned(
    db: Database,
    p: Principal,
    canned_id: str,
    *,
    title: str,
    text_hi: str,
    text_en: str,
    category: str | None,
    retired: bool,
) -> dict[str, Any]:
    """Create or change one canned reply (supervisor or admin); ``retired`` takes it out of the list."""
    if p.is_key or p.role not in EDITORS:
        raise Forbidden("only a supervisor or an admin edits canned replies")
    if not title.strip() or not (text_hi.strip() or text_en.strip()):
        raise Invalid("a canned reply needs a title and a Hindi or an English text")
    if category is not None and category not in {str(c) for c in ComplaintCategory}:
        raise Invalid(f"category: must be one of {', '.join(sorted(str(c) for c in ComplaintCategory))}")
    values = {
        "title": title.strip()[:MAX_TITLE_CHARS],
        "text_hi": text_hi[:MAX_TEXT_CHARS],
        "text_en": text_en[:MAX_TEXT_CHARS],
        "category": category,
        "updated_by": (p.username or p.actor)[:100],
        "updated_at": iso(utcnow()),
        "retired": retired,
    }
    with db.writer() as conn:
        old = conn.execute(select(canned_replies).where(canned_replies.c.id == canned_id)).first()
        if old is None:
            conn.execute(canned_replies.insert().values(id=canned_id, **values))
            outcome = "created"
        else:
            conn.execute(update(canned_replies).where(canned_replies.c.id == canned_id).values(**values))
            outcome = "retired" if retired and not old.retired else "changed"
        changed = sorted(k for k in ("title", "text_hi", "text_en", "category", "retired")
                         if old is None or getattr(old, k) != values[k])  # fmt: skip
        write_audit(conn, p, "canned_reply", outcome, detail={"id": canned_id, "changed": changed})
        row = conn.execute(select(canned_replies).where(canned_replies.c.id == canned_id)).one()
        return _wire(row)


__all__ = ["EDITORS", "ID_PATTERN", "list_canned", "put_canned"]
