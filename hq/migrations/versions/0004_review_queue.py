"""The review queue: pushed events refused only by policy (their author was disabled before the
console reconnected) wait here for a supervisor's verdict instead of being dropped.

Revision ID: 0004
Revises: 0003_disk_free
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003_disk_free"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "review_queue",
        sa.Column("event_id", sa.String(36), primary_key=True),
        sa.Column("case_id", sa.String(36), nullable=False),
        sa.Column("content", sa.Text, nullable=False),
        sa.Column("author_id", sa.String(100), nullable=False),
        sa.Column("cause", sa.String(40), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("pushed_by", sa.String(36), nullable=False),
        sa.Column("pushed_by_username", sa.String(100), nullable=True),
        sa.Column("device_id", sa.String(100), nullable=False),
        sa.Column("held_at", sa.String(30), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("decided_by", sa.String(36), nullable=True),
        sa.Column("decided_by_username", sa.String(100), nullable=True),
        sa.Column("decided_at", sa.String(30), nullable=True),
        sa.Column("decision_reason", sa.Text, nullable=True),
        sa.Column("hq_seq", sa.BigInteger, nullable=True),
    )
    op.create_index("ix_review_queue_case_id", "review_queue", ["case_id"])
    op.create_index("ix_review_queue_device_id", "review_queue", ["device_id"])
    op.create_index("ix_review_queue_status", "review_queue", ["status"])


def downgrade() -> None:
    op.drop_table("review_queue")
