"""Misinformation claims and the suspicious-accounts register.

Revision ID: 0011_claims
Revises: 0006_mailbox
Create Date: 2026-11-29

``claims`` (with ``claim_districts``, ``claim_rebuttals``, ``claim_suggestions``), ``accounts``
(with ``account_links``, ``account_actions``) and ``register_history`` (docs/CLAIMS.md).
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_claims"
down_revision = "0010_complaints"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "claims",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("official_version", sa.Text, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("platforms", sa.Text, nullable=False),
        sa.Column("links", sa.Text, nullable=False),
        sa.Column("media", sa.Text, nullable=False),
        sa.Column("created_at", sa.String(30), nullable=False),
        sa.Column("created_by", sa.String(100), nullable=False),
        sa.Column("updated_at", sa.String(30), nullable=False),
        sa.Column("rebutted_at", sa.String(30), nullable=True),
    )
    op.create_index("ix_claims_status", "claims", ["status"])
    op.create_index("ix_claims_created_at", "claims", ["created_at"])
    op.create_index("ix_claims_updated_at", "claims", ["updated_at"])
    op.create_table(
        "claim_districts",
        sa.Column("claim_id", sa.String(36), sa.ForeignKey("claims.id"), primary_key=True),
        sa.Column("district", sa.String(100), primary_key=True),
    )
    op.create_index("ix_claim_districts_district", "claim_districts", ["district"])
    op.create_table(
        "claim_rebuttals",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("claim_id", sa.String(36), sa.ForeignKey("claims.id"), nullable=False),
        sa.Column("platform", sa.String(20), nullable=False),
        sa.Column("link", sa.Text, nullable=False),
        sa.Column("published_at", sa.String(30), nullable=False),
        sa.Column("added_by", sa.String(100), nullable=False),
        sa.Column("added_at", sa.String(30), nullable=False),
    )
    op.create_index("ix_claim_rebuttals_claim_id", "claim_rebuttals", ["claim_id"])
    op.create_table(
        "claim_suggestions",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("claim_id", sa.String(36), sa.ForeignKey("claims.id"), nullable=False),
        sa.Column("post_ref", sa.String(300), nullable=False),
        sa.Column("post_text", sa.Text, nullable=False),
        sa.Column("post_link", sa.Text, nullable=True),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("score", sa.Integer, nullable=False),
        sa.Column("image_hash", sa.String(32), nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("created_at", sa.String(30), nullable=False),
        sa.Column("decided_by", sa.String(100), nullable=True),
        sa.Column("decided_at", sa.String(30), nullable=True),
    )
    op.create_index("ix_claim_suggestions_claim_id", "claim_suggestions", ["claim_id"])
    op.create_index("ix_claim_suggestions_status", "claim_suggestions", ["status"])
    op.create_index("ux_claim_suggestions_claim_post", "claim_suggestions", ["claim_id", "post_ref"], unique=True)
    op.create_table(
        "accounts",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("platform", sa.String(20), nullable=False),
        sa.Column("handle", sa.String(200), nullable=False),
        sa.Column("url", sa.Text, nullable=True),
        sa.Column("reasons", sa.Text, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("district", sa.String(100), nullable=True),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("created_at", sa.String(30), nullable=False),
        sa.Column("created_by", sa.String(100), nullable=False),
        sa.Column("updated_at", sa.String(30), nullable=False),
        sa.Column("flagged", sa.Integer, nullable=False),
        sa.Column("last_flagged_at", sa.String(30), nullable=True),
    )
    op.create_index("ix_accounts_status", "accounts", ["status"])
    op.create_index("ix_accounts_district", "accounts", ["district"])
    op.create_index("ux_accounts_platform_handle", "accounts", ["platform", "handle"], unique=True)
    op.create_table(
        "account_links",
        sa.Column("account_id", sa.String(36), sa.ForeignKey("accounts.id"), primary_key=True),
        sa.Column("kind", sa.String(10), primary_key=True),
        sa.Column("ref", sa.String(300), primary_key=True),
        sa.Column("added_by", sa.String(100), nullable=False),
        sa.Column("added_at", sa.String(30), nullable=False),
    )
    op.create_table(
        "account_actions",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("account_id", sa.String(36), sa.ForeignKey("accounts.id"), nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("reference", sa.Text, nullable=False),
        sa.Column("on_date", sa.String(10), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("added_by", sa.String(100), nullable=False),
        sa.Column("added_at", sa.String(30), nullable=False),
    )
    op.create_index("ix_account_actions_account_id", "account_actions", ["account_id"])
    op.create_index("ix_account_actions_kind", "account_actions", ["kind"])
    op.create_table(
        "register_history",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("subject", sa.String(10), nullable=False),
        sa.Column("subject_id", sa.String(36), nullable=False),
        sa.Column("at", sa.String(30), nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("username", sa.String(100), nullable=True),
        sa.Column("change", sa.Text, nullable=False),
    )
    op.create_index("ix_register_history_subject", "register_history", ["subject", "subject_id"])


def downgrade() -> None:
    op.drop_table("register_history")
    op.drop_table("account_actions")
    op.drop_table("account_links")
    op.drop_table("accounts")
    op.drop_table("claim_suggestions")
    op.drop_table("claim_rebuttals")
    op.drop_table("claim_districts")
    op.drop_table("claims")
