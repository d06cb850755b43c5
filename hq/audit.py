"""The audit log: who did what, to which case, from where, with what outcome.

Rows are written inside the caller's transaction (``write_audit``), so an action and its audit row
commit together, or in one group commit for busy read paths (``write_audit_rows``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection

from core.events import iso, utcnow
from hq.db import Database
from hq.principals import Principal
from hq.schema import audit

# At most this many ids (cases, events) are listed in one audit row's detail.
AUDIT_CASE_IDS_MAX = 200


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
    """One audit row, stamped now. ``p`` None: an action with no signed-in caller (a sign-in, an
    admin command), named by ``username``/``device_id``/``ip`` instead."""
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
    """Write one audit row in ``conn``'s transaction."""
    row = audit_row(p, action, outcome, case_id=case_id, detail=detail, username=username, device_id=device_id, ip=ip)
    conn.execute(audit.insert().values(**row))


def write_audit_rows(db: Database, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert many audit rows in one transaction (group commit for busy read paths)."""
    if rows:
        with db.transaction() as conn:
            conn.execute(audit.insert(), list(rows))


__all__ = ["AUDIT_CASE_IDS_MAX", "audit_row", "write_audit", "write_audit_rows"]
