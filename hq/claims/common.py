"""Who may read and write claims and the register, and the history every change leaves."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, select

from core.events import iso, utcnow
from hq.audit import write_audit
from hq.errors import Forbidden
from hq.principals import Principal, Role
from hq.schema import register_history

# Supervisors and HQ operators read everything; a district operator reads only what concerns their
# district (a claim that spread there, an account followed there). Only HQ operators write: the
# same split as cases (supervisors read, HQ operators act). Admins manage accounts, not content.
READERS = frozenset({Role.HQ_OPERATOR, Role.SUPERVISOR, Role.DISTRICT_OPERATOR})
WRITERS = frozenset({Role.HQ_OPERATOR})


def require_read(p: Principal) -> str | None:
    """Refuse a caller who may not read; the district they are limited to (None: everything)."""
    if p.is_key or p.role not in READERS:
        raise Forbidden(f"the {p.role or 'integration key'} role may not read claims or the register")
    if p.role is Role.DISTRICT_OPERATOR:
        if not p.district:
            raise Forbidden("this district account has no district")
        return p.district
    return None


def require_write(p: Principal) -> None:
    if p.is_key or p.role not in WRITERS:
        raise Forbidden(f"the {p.role or 'integration key'} role may not change claims or the register")


def now() -> str:
    return iso(utcnow())


def record_change(
    conn: Connection, p: Principal, subject: str, subject_id: str, action: str, change: dict[str, Any]
) -> None:
    """The change in the record's history and in the audit log, in the caller's transaction."""
    text = json.dumps(change, ensure_ascii=False, sort_keys=True)
    conn.execute(
        register_history.insert().values(
            subject=subject, subject_id=subject_id, at=now(), actor=p.actor, username=p.username, change=text
        )
    )
    write_audit(conn, p, action, "ok", detail={f"{subject}_id": subject_id, "change": change})


def history(conn: Connection, subject: str, subject_id: str) -> list[dict[str, Any]]:
    rows = conn.execute(
        select(register_history)
        .where(register_history.c.subject == subject, register_history.c.subject_id == subject_id)
        .order_by(register_history.c.id)
    ).all()
    return [{"at": r.at, "actor": r.actor, "username": r.username, "change": json.loads(r.change)} for r in rows]
