"""The compliance and tip-line reports' rows: ``complaint_summary``, ``complaint_deadlines``, ``tip_summary``.

Revision ID: 0015_compliance
Revises: 0011_claims
Create Date: 2026-11-29

One row per complaint and per deadline its clock started (``core.report_rows.complaint_values``),
one per tip (``core.report_rows.tip_values``: counts only), kept up to date with ``case_summary`` by
every event write (``hq.summary``) and back-filled here from the stored events of complaints and tips.
"""

import sqlalchemy as sa
from alembic import op

from core.fold import fold
from hq.feed import event_from_row
from hq.summary import REFRESH_CHUNK, kind_rows

revision = "0015_compliance"
down_revision = "0014_ranges"
branch_labels = None
depends_on = None


def upgrade() -> None:
    complaints = op.create_table(
        "complaint_summary",
        sa.Column("case_id", sa.String(36), primary_key=True),
        sa.Column("district", sa.String(100), nullable=True),
        sa.Column("category", sa.String(40), nullable=False),
        sa.Column("platform", sa.String(40), nullable=True),
        sa.Column("posted_at", sa.String(30), nullable=True),
        sa.Column("first_response_s", sa.Float, nullable=True),
    )
    op.create_index("ix_complaint_summary_posted", "complaint_summary", ["posted_at"])
    op.create_index("ix_complaint_summary_district_posted", "complaint_summary", ["district", "posted_at"])
    deadlines = op.create_table(
        "complaint_deadlines",
        sa.Column("case_id", sa.String(36), primary_key=True),
        sa.Column("deadline", sa.String(20), primary_key=True),
        sa.Column("started_at", sa.String(30), primary_key=True),
        sa.Column("started_s", sa.Float, nullable=False),
        sa.Column("met_s", sa.Float, nullable=True),
    )
    tips = op.create_table(
        "tip_summary",
        sa.Column("case_id", sa.String(36), primary_key=True),
        sa.Column("district", sa.String(100), nullable=True),
        sa.Column("category", sa.String(40), nullable=False),
        sa.Column("received_at", sa.String(30), nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("questions", sa.Integer, nullable=False),
        sa.Column("answered", sa.Integer, nullable=False),
    )
    op.create_index("ix_tip_summary_received", "tip_summary", ["received_at"])
    op.create_index("ix_tip_summary_district_received", "tip_summary", ["district", "received_at"])
    _backfill(complaints, deadlines, tips)


def _backfill(complaints: sa.Table, deadlines: sa.Table, tips: sa.Table) -> None:
    conn = op.get_bind()
    ids = [
        r[0]
        for r in conn.execute(
            sa.text(
                "SELECT case_id FROM events WHERE type = 'created' AND "
                "(content LIKE '%\"kind\":\"complaint\"%' OR content LIKE '%\"kind\":\"tip\"%') ORDER BY case_id"
            )
        )
    ]
    read = sa.text("SELECT seq, content FROM events WHERE case_id IN :ids ORDER BY seq").bindparams(
        sa.bindparam("ids", expanding=True)
    )
    for start in range(0, len(ids), REFRESH_CHUNK):
        chunk = ids[start : start + REFRESH_CHUNK]
        histories: dict[str, list] = {cid: [] for cid in chunk}
        for seq, content in conn.execute(read, {"ids": chunk}):
            event = event_from_row(content, seq)
            histories[event.case_id].append(event)
        states = [fold(cid, h) for cid, h in histories.items()]
        for table, rows in zip((complaints, deadlines, tips), kind_rows(states, histories), strict=True):
            if rows:
                op.bulk_insert(table, rows)


def downgrade() -> None:
    op.drop_table("tip_summary")
    op.drop_table("complaint_deadlines")
    op.drop_table("complaint_summary")
