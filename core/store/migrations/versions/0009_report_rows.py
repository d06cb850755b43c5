"""The reports' narrow per-case rows: ``case_report`` and ``follow_up_report``.

Revision ID: 0009
Revises: 0008

One ``case_report`` row per case (district, kind, canonical received time, outcome and reason,
whether reached, each step's duration in seconds) and one ``follow_up_report`` row per follow-up,
written by the projector from the fold with ``core.report_rows.summary_values`` (HQ's ``case_summary``
is written with the same function). Triggers delete a case's report rows with its ``cases`` row and
when the row becomes a purge tombstone, whichever code path does it. Back-filled here from each
row's ``state_json`` (no refold); rows written by another projection version are left to the
refold of every case that follows at open.
"""

import sqlalchemy as sa
from alembic import op

from core.store.projection import state_from_json
from core.store.projector import write_report_rows

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

BACKFILL_CHUNK = 2000


def upgrade() -> None:
    op.execute(
        "CREATE TABLE case_report ("
        "case_id TEXT NOT NULL PRIMARY KEY, district TEXT, kind TEXT, received_at TEXT, outcome TEXT, "
        "outcome_reason TEXT, reached INTEGER NOT NULL, hq_acknowledged_s FLOAT, routed_s FLOAT, "
        "district_acknowledged_s FLOAT, dispatched_s FLOAT, reached_s FLOAT, counselled_s FLOAT)"
    )
    # a state-wide period: kind and received time; one district: its own range of the index
    op.execute("CREATE INDEX ix_case_report_received ON case_report (received_at)")
    op.execute("CREATE INDEX ix_case_report_district_received ON case_report (district, received_at)")
    op.execute(
        "CREATE TABLE follow_up_report ("
        "case_id TEXT NOT NULL, follow_up_id TEXT NOT NULL, district TEXT, due TEXT NOT NULL, done_at TEXT, "
        "PRIMARY KEY (case_id, follow_up_id))"
    )
    op.execute("CREATE INDEX ix_follow_up_report_due ON follow_up_report (due)")
    op.execute("CREATE INDEX ix_follow_up_report_district_due ON follow_up_report (district, due)")
    forget = (
        "DELETE FROM case_report WHERE case_id = {row}.case_id; "
        "DELETE FROM follow_up_report WHERE case_id = {row}.case_id; "
    )
    op.execute(f"CREATE TRIGGER tr_case_report_deleted AFTER DELETE ON cases BEGIN {forget.format(row='OLD')}END")
    op.execute(
        "CREATE TRIGGER tr_case_report_tombstone AFTER INSERT ON cases WHEN NEW.purged = 1 "
        f"BEGIN {forget.format(row='NEW')}END"
    )
    op.execute(
        "CREATE TRIGGER tr_case_report_purged AFTER UPDATE OF purged ON cases WHEN NEW.purged = 1 "
        f"BEGIN {forget.format(row='NEW')}END"
    )
    _backfill()


def _backfill() -> None:
    conn = op.get_bind()
    page = "SELECT rowid, state_json FROM cases WHERE purged = 0 AND rowid > ? ORDER BY rowid LIMIT ?"
    last = -1
    while True:
        rows = conn.exec_driver_sql(page, (last, BACKFILL_CHUNK)).all()
        if not rows:
            break
        last = rows[-1][0]
        states = [s for s in (state_from_json(r[1]) for r in rows) if s is not None and s.exists]
        write_report_rows(conn, states)


def downgrade() -> None:
    for trigger in ("tr_case_report_purged", "tr_case_report_tombstone", "tr_case_report_deleted"):
        op.execute(f"DROP TRIGGER {trigger}")
    op.execute("DROP TABLE follow_up_report")
    op.execute("DROP TABLE case_report")
