"""The complaint queue's rows: ``complaint_row``.

Revision ID: 0011
Revises: 0009

One row per case whose fold is a complaint (``core.complaints.stored_values`` of ``complaint_view``):
the fields the queue and its pane show, the replies, the newest reply's state, the two-hour clock's
inputs, its deadlines and the row's state over time as of the last event, and the text the queue's
search matches. Written by the projector in the same unit of work as
the case's ``cases`` row; triggers delete it with that row and when the row becomes a purge
tombstone, as for the report rows. Back-filled here by folding each live complaint's events (its
``state_json`` does not hold the replies or the clock), a chunk of cases per query.
"""

from typing import Any

from alembic import op

from core.fold import fold
from core.store.projector import complaint_values, write_complaint_values
from core.store.rows import event_from_row
from core.store.schema import SyncState

revision = "0011"
down_revision = "0009"
branch_labels = None
depends_on = None

BACKFILL_CHUNK = 500  # cases per query (SQLite's bound-parameter limit)

_TEXT_COLUMNS = (
    "platform", "item", "platform_id", "posted_at", "author_handle", "author_url", "post_url", "text",
    "thread_text", "thread_url", "thread_id", "category", "district", "duplicate_of",
)  # fmt: skip


def upgrade() -> None:
    op.execute(
        "CREATE TABLE complaint_row (case_id TEXT NOT NULL PRIMARY KEY, listed INTEGER NOT NULL, updated_hlc TEXT, "
        + "".join(f"{name} TEXT, " for name in _TEXT_COLUMNS)
        + "closed INTEGER NOT NULL, raised INTEGER NOT NULL, reply_state TEXT NOT NULL, replies TEXT NOT NULL, "
        "clock TEXT NOT NULL, deadlines TEXT NOT NULL, due_ts FLOAT, timeline TEXT NOT NULL, search TEXT NOT NULL)"
    )
    forget = "DELETE FROM complaint_row WHERE case_id = {row}.case_id; "
    op.execute(f"CREATE TRIGGER tr_complaint_row_deleted AFTER DELETE ON cases BEGIN {forget.format(row='OLD')}END")
    op.execute(
        "CREATE TRIGGER tr_complaint_row_tombstone AFTER INSERT ON cases WHEN NEW.purged = 1 "
        f"BEGIN {forget.format(row='NEW')}END"
    )
    op.execute(
        "CREATE TRIGGER tr_complaint_row_purged AFTER UPDATE OF purged ON cases WHEN NEW.purged = 1 "
        f"BEGIN {forget.format(row='NEW')}END"
    )
    _backfill()


def _backfill() -> None:
    conn = op.get_bind()
    ids = [
        str(r[0])
        for r in conn.exec_driver_sql(
            "SELECT case_id FROM cases WHERE purged = 0 AND json_extract(state_json, '$.kind') = 'complaint' "
            "ORDER BY case_id"
        )
    ]
    for i in range(0, len(ids), BACKFILL_CHUNK):
        chunk = ids[i : i + BACKFILL_CHUNK]
        histories: dict[str, list[Any]] = {c: [] for c in chunk}
        marks = ", ".join("?" for _ in chunk)
        rows = conn.exec_driver_sql(
            f"SELECT * FROM events WHERE case_id IN ({marks}) AND sync_state != ?",  # noqa: S608 - placeholders only
            (*chunk, SyncState.REJECTED.value),
        )
        for row in rows:
            histories[row.case_id].append(event_from_row(row))
        folded = [(fold(c, h), h) for c, h in histories.items() if h]
        write_complaint_values(conn, [complaint_values(s, h) for s, h in folded if s.exists])


def downgrade() -> None:
    for trigger in ("tr_complaint_row_purged", "tr_complaint_row_tombstone", "tr_complaint_row_deleted"):
        op.execute(f"DROP TRIGGER {trigger}")
    op.execute("DROP TABLE complaint_row")
