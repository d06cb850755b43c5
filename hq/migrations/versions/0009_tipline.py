"""The anonymous tip line: sealed senders, the webhook's inbox, the bot's conversations, tips, their
media (sealed original and cleaned police copy) and the replies waiting to be sent.

Revision ID: 0009_tipline
Revises: 0005_signatures
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_tipline"
down_revision = "0008_reports"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "tip_senders",
        sa.Column("ref", sa.String(64), primary_key=True),
        sa.Column("pseudonym", sa.String(40), nullable=False, unique=True),
        sa.Column("sealed_number", sa.LargeBinary, nullable=True),
        sa.Column("seal_key_id", sa.String(16), nullable=True),
        sa.Column("first_seen", sa.String(30), nullable=False),
        sa.Column("last_seen", sa.String(30), nullable=False),
        sa.Column("tips", sa.Integer, nullable=False),
        sa.Column("destroyed_at", sa.String(30), nullable=True),
    )
    op.create_table(
        "tip_inbox",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("message_ref", sa.String(64), nullable=False, unique=True),
        sa.Column("sender_ref", sa.String(64), nullable=False),
        sa.Column("received_at", sa.String(30), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("processed_at", sa.String(30), nullable=True),
    )
    op.create_index("ix_tip_inbox_sender_ref", "tip_inbox", ["sender_ref"])
    op.create_index("ix_tip_inbox_status", "tip_inbox", ["status"])
    op.create_table(
        "tip_conversations",
        sa.Column("sender_ref", sa.String(64), primary_key=True),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("language", sa.String(8), nullable=True),
        sa.Column("draft", sa.Text, nullable=False),
        sa.Column("started_at", sa.String(30), nullable=False),
        sa.Column("updated_at", sa.String(30), nullable=False),
        sa.Column("last_inbound_at", sa.String(30), nullable=True),
        sa.Column("tip_case_id", sa.String(36), nullable=True),
        sa.Column("filed_at", sa.String(30), nullable=True),
        sa.Column("question_id", sa.String(36), nullable=True),
        sa.Column("question_case_id", sa.String(36), nullable=True),
        sa.Column("lease_owner", sa.String(64), nullable=True),
        sa.Column("lease_until", sa.String(30), nullable=True),
    )
    op.create_table(
        "tips",
        sa.Column("case_id", sa.String(36), primary_key=True),
        sa.Column("sender_ref", sa.String(64), nullable=False),
        sa.Column("receipt_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("category", sa.String(40), nullable=False),
        sa.Column("district", sa.String(100), nullable=True),
        sa.Column("created_at", sa.String(30), nullable=False),
    )
    op.create_index("ix_tips_sender_ref", "tips", ["sender_ref"])
    op.create_table(
        "tip_media",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("sender_ref", sa.String(64), nullable=False),
        sa.Column("case_id", sa.String(36), nullable=True),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("mime", sa.String(100), nullable=False),
        sa.Column("original_sha256", sa.String(64), nullable=False),
        sa.Column("original_bytes", sa.BigInteger, nullable=False),
        sa.Column("sealed_original", sa.LargeBinary, nullable=True),
        sa.Column("police_sha256", sa.String(64), nullable=False),
        sa.Column("police_bytes", sa.BigInteger, nullable=False),
        sa.Column("police_copy", sa.LargeBinary, nullable=False),
        sa.Column("cleaning", sa.Text, nullable=False),
        sa.Column("received_at", sa.String(30), nullable=False),
    )
    op.create_index("ix_tip_media_sender_ref", "tip_media", ["sender_ref"])
    op.create_index("ix_tip_media_case_id", "tip_media", ["case_id"])
    op.create_table(
        "tip_outbox",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("sender_ref", sa.String(64), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("created_at", sa.String(30), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("next_attempt_at", sa.String(30), nullable=False),
        sa.Column("sent_at", sa.String(30), nullable=True),
        sa.Column("last_error", sa.String(100), nullable=True),
    )
    op.create_index("ix_tip_outbox_sender_ref", "tip_outbox", ["sender_ref"])
    op.create_index("ix_tip_outbox_status", "tip_outbox", ["status"])


def downgrade() -> None:
    for name in ("tip_outbox", "tip_media", "tips", "tip_conversations", "tip_inbox", "tip_senders"):
        op.drop_table(name)
