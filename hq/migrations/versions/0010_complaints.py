"""Social-media complaints: the items taken, the replies and their publication, connector state.

Revision ID: 0010_complaints
Revises: 0006_mailbox
Create Date: 2026-11-29

``complaint_items``: one row per platform item taken (keyed by platform and platform id).
``complaint_replies``: each reply and its publication, keyed by its idempotency key.
``connector_state``: each polled connector's cursor, quota and health (docs/COMPLAINTS.md).
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_complaints"
down_revision = "0012_test_alarm"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "complaint_items",
        sa.Column("key", sa.String(250), primary_key=True),
        sa.Column("case_id", sa.String(36), nullable=False),
        sa.Column("platform", sa.String(20), nullable=False),
        sa.Column("item", sa.String(20), nullable=False),
        sa.Column("author_id", sa.String(200), nullable=True),
        sa.Column("thread_id", sa.String(200), nullable=True),
        sa.Column("posted_at", sa.String(30), nullable=False),
        sa.Column("taken_at", sa.String(30), nullable=False),
        sa.Column("next_check_at", sa.String(30), nullable=True),
    )
    op.create_index("ix_complaint_items_case_id", "complaint_items", ["case_id"])
    op.create_index("ix_complaint_items_author", "complaint_items", ["platform", "author_id"])
    op.create_index("ix_complaint_items_thread", "complaint_items", ["platform", "thread_id"])
    op.create_index("ix_complaint_items_next_check_at", "complaint_items", ["next_check_at"])
    op.create_table(
        "complaint_replies",
        sa.Column("reply_id", sa.String(36), primary_key=True),
        sa.Column("case_id", sa.String(36), nullable=False),
        sa.Column("platform", sa.String(20), nullable=False),
        sa.Column("target_id", sa.String(200), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("next_attempt_at", sa.String(30), nullable=True),
        sa.Column("claimed_at", sa.String(30), nullable=True),
        sa.Column("platform_reply_id", sa.String(200), nullable=True),
        sa.Column("url", sa.Text, nullable=True),
        sa.Column("last_error", sa.Text, nullable=True),
        sa.Column("created_at", sa.String(30), nullable=False),
    )
    op.create_index("ix_complaint_replies_case_id", "complaint_replies", ["case_id"])
    op.create_index("ix_complaint_replies_status", "complaint_replies", ["status"])
    op.create_table(
        "connector_state",
        sa.Column("name", sa.String(100), primary_key=True),
        sa.Column("cursor", sa.Text, nullable=True),
        sa.Column("quota_day", sa.String(10), nullable=True),
        sa.Column("quota_used", sa.Integer, nullable=False),
        sa.Column("paused_until", sa.String(30), nullable=True),
        sa.Column("last_contact_at", sa.String(30), nullable=True),
        sa.Column("last_ok_at", sa.String(30), nullable=True),
        sa.Column("last_error", sa.Text, nullable=True),
        sa.Column("last_error_at", sa.String(30), nullable=True),
        sa.Column("taken", sa.BigInteger, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("connector_state")
    op.drop_index("ix_complaint_replies_status", "complaint_replies")
    op.drop_index("ix_complaint_replies_case_id", "complaint_replies")
    op.drop_table("complaint_replies")
    for name in ("ix_complaint_items_next_check_at", "ix_complaint_items_thread", "ix_complaint_items_author"):
        op.drop_index(name, "complaint_items")
    op.drop_index("ix_complaint_items_case_id", "complaint_items")
    op.drop_table("complaint_items")
