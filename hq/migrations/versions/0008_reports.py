"""Reports: the maintained per-case summary, districts' police ranges, the consoles' presence log.

Revision ID: 0008_reports
Revises: 0005_signatures
Create Date: 2026-11-29

``case_summary``: one row per case, ``hq.summary.summary_row`` of its fold (each step's duration in
seconds among its columns), back-filled here from the stored events with ``core.fold.fold`` and kept
up to date by every event write (``hq.feed.Batch``).
``districts.range``: the police range a district belongs to, so reports group by district, range and
state. ``presence_log``: one row per console heartbeat, for the share of time a district was covered.
``follow_up_summary``: each case's follow-ups, maintained with ``case_summary``.
"""

import sqlalchemy as sa
from alembic import op

from core.events import iso, utcnow
from core.fold import fold
from hq.feed import event_from_row
from hq.summary import REFRESH_CHUNK, follow_up_rows, summary_row

revision = "0008_reports"
down_revision = "0007_escalation"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("districts") as batch:
        batch.add_column(sa.Column("range", sa.String(100), nullable=True))
    table = op.create_table(
        "case_summary",
        sa.Column("case_id", sa.String(36), primary_key=True),
        sa.Column("district", sa.String(100), nullable=True),
        sa.Column("police_station", sa.String(100), nullable=True),
        sa.Column("kind", sa.String(40), nullable=True),
        sa.Column("source", sa.String(40), nullable=True),
        sa.Column("priority", sa.Integer, nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("received_at", sa.String(30), nullable=True),
        sa.Column("hq_acknowledged_at", sa.String(30), nullable=True),
        sa.Column("routed_at", sa.String(30), nullable=True),
        sa.Column("district_acknowledged_at", sa.String(30), nullable=True),
        sa.Column("dispatched_at", sa.String(30), nullable=True),
        sa.Column("forwarded_at", sa.String(30), nullable=True),
        sa.Column("reached_at", sa.String(30), nullable=True),
        sa.Column("outcome", sa.String(40), nullable=True),
        sa.Column("outcome_reason", sa.String(40), nullable=True),
        sa.Column("outcome_at", sa.String(30), nullable=True),
        sa.Column("counselled_at", sa.String(30), nullable=True),
        sa.Column("closed_at", sa.String(30), nullable=True),
        sa.Column("escalations", sa.Integer, nullable=False),
        sa.Column("last_escalation_step", sa.String(200), nullable=True),
        sa.Column("last_escalation_at", sa.String(30), nullable=True),
        sa.Column("follow_ups_open", sa.Integer, nullable=False),
        sa.Column("next_follow_up_due", sa.String(30), nullable=True),
        sa.Column("updated_at", sa.String(30), nullable=False),
        sa.Column("hq_acknowledged_s", sa.Float, nullable=True),
        sa.Column("routed_s", sa.Float, nullable=True),
        sa.Column("district_acknowledged_s", sa.Float, nullable=True),
        sa.Column("dispatched_s", sa.Float, nullable=True),
        sa.Column("reached_s", sa.Float, nullable=True),
        sa.Column("counselled_s", sa.Float, nullable=True),
    )
    op.create_index("ix_case_summary_district_received", "case_summary", ["district", "received_at"])
    op.create_index("ix_case_summary_status", "case_summary", ["status"])
    op.create_index("ix_case_summary_received", "case_summary", ["received_at"])
    op.create_table(
        "presence_log",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("device_id", sa.String(100), nullable=False),
        sa.Column("district", sa.String(100), nullable=True),
        sa.Column("at", sa.String(30), nullable=False),
        sa.Column("online", sa.Boolean, nullable=False),
        sa.Column("can_sound", sa.Boolean, nullable=False),
        sa.Column("test_heard", sa.Boolean, nullable=True),
    )
    op.create_index("ix_presence_log_district_at", "presence_log", ["district", "at"])
    follow_ups = op.create_table(
        "follow_up_summary",
        sa.Column("follow_up_id", sa.String(36), primary_key=True),
        sa.Column("case_id", sa.String(36), nullable=False),
        sa.Column("district", sa.String(100), nullable=True),
        sa.Column("due", sa.String(30), nullable=False),
        sa.Column("done_at", sa.String(30), nullable=True),
    )
    op.create_index("ix_follow_up_summary_case_id", "follow_up_summary", ["case_id"])
    op.create_index("ix_follow_up_summary_district_due", "follow_up_summary", ["district", "due"])
    _backfill(table, follow_ups)


def _backfill(table: sa.Table, follow_ups: sa.Table) -> None:
    conn = op.get_bind()
    ids = [r[0] for r in conn.execute(sa.text("SELECT DISTINCT case_id FROM events ORDER BY case_id"))]
    read = sa.text("SELECT seq, content FROM events WHERE case_id IN :ids ORDER BY seq").bindparams(
        sa.bindparam("ids", expanding=True)
    )
    now = iso(utcnow())
    for start in range(0, len(ids), REFRESH_CHUNK):
        chunk = ids[start : start + REFRESH_CHUNK]
        histories: dict[str, list] = {cid: [] for cid in chunk}
        for seq, content in conn.execute(read, {"ids": chunk}):
            event = event_from_row(content, seq)
            histories[event.case_id].append(event)
        states = [fold(cid, h) for cid, h in histories.items()]
        op.bulk_insert(table, [summary_row(state, now) for state in states])
        op.bulk_insert(follow_ups, [row for state in states for row in follow_up_rows(state)])


def downgrade() -> None:
    op.drop_table("follow_up_summary")
    op.drop_table("presence_log")
    op.drop_table("case_summary")
    # a plain ALTER (SQLite >= 3.35): a batch copy of districts would break the users' foreign key
    op.drop_column("districts", "range")
