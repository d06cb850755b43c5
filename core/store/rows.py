"""Rows of the ``events`` table as domain objects, and the refused-event minimising both the
repositories and the projection write. Knows no unit of work.
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa

from core.events import Event, EventType
from core.store import schema as t
from core.store.records import StoredEvent, minimised_payload
from core.store.schema import SyncState

# Ids per statement when a list of cases is written in chunks (SQLite's bound-parameter limit).
IN_CHUNK = 500


def dumps(value: Any) -> str:
    """Canonical JSON text as the store keeps it (sorted keys, compact, non-ASCII kept)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def event_from_row(row: Any) -> Event:
    return Event(
        id=row.id,
        case_id=row.case_id,
        type=EventType(row.type),
        payload=json.loads(row.payload),
        author_id=row.author_id,
        author_name=row.author_name,
        device_id=row.device_id,
        wall_time=row.wall_time,
        hlc=row.hlc,
        hq_seq=row.hq_seq,
        seen_assignment=row.seen_assignment,
        signature=row.signature,
    )


def stored_from_row(row: Any) -> StoredEvent:
    return StoredEvent(
        event=event_from_row(row),
        sync_state=SyncState(row.sync_state),
        reject_reason=row.reject_reason,
        reject_code=row.reject_code,
        local_seq=row.local_seq,
        dealt_with_at=row.dealt_with_at,
        dealt_with_by=row.dealt_with_by,
    )


def minimise_refused(conn: sa.Connection, case_ids: list[str]) -> None:
    """Cut the payload of these cases' refused events to ``minimised_payload`` (revoked cases)."""
    e = t.events
    for i in range(0, len(case_ids), IN_CHUNK):
        rows = conn.execute(
            sa.select(e.c.id, e.c.payload).where(
                e.c.case_id.in_(case_ids[i : i + IN_CHUNK]), e.c.sync_state == SyncState.REJECTED.value
            )
        ).all()
        changed = []
        for r in rows:
            text = dumps(minimised_payload(json.loads(r.payload)))
            if text != r.payload:
                changed.append({"eid": r.id, "p": text})
        if changed:
            conn.execute(
                sa.update(e).where(e.c.id == sa.bindparam("eid")).values(payload=sa.bindparam("p")), changed
            )
