"""The mailbox intake's record of taken mails, and each mailbox's health.

Revision ID: 0006_mailbox
Revises: 0005_signatures
Create Date: 2026-11-29

``mailbox_messages``: one row per mail taken from a mailbox (keyed by Message-ID), written with the
case it made. ``mailbox_health``: last contact, last good fetch, last error per mailbox (docs/HQ.md,
"Mailbox intake").
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_mailbox"
down_revision = "0005_signatures"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "mailbox_messages",
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("mailbox", sa.String(300), nullable=False),
        sa.Column("message_id", sa.Text, nullable=True),
        sa.Column("outcome", sa.String(20), nullable=False),
        sa.Column("case_id", sa.String(36), nullable=True),
        sa.Column("sender", sa.Text, nullable=True),
        sa.Column("subject", sa.Text, nullable=True),
        sa.Column("size_bytes", sa.BigInteger, nullable=False),
        sa.Column("taken_at", sa.String(30), nullable=False),
        sa.Column("raw", sa.LargeBinary, nullable=True),
    )
    op.create_index("ix_mailbox_messages_case_id", "mailbox_messages", ["case_id"])
    op.create_table(
        "mailbox_health",
        sa.Column("mailbox", sa.String(300), primary_key=True),
        sa.Column("last_contact_at", sa.String(30), nullable=True),
        sa.Column("last_fetch_at", sa.String(30), nullable=True),
        sa.Column("last_error", sa.Text, nullable=True),
        sa.Column("last_error_at", sa.String(30), nullable=True),
        sa.Column("taken", sa.BigInteger, nullable=False),
        sa.Column("refused", sa.BigInteger, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("mailbox_health")
    op.drop_index("ix_mailbox_messages_case_id", "mailbox_messages")
    op.drop_table("mailbox_messages")
