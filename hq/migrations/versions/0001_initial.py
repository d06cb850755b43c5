"""Initial HQ schema.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table("meta", sa.Column("key", sa.String(50), primary_key=True), sa.Column("value", sa.Text, nullable=False))
    op.create_table(
        "counters", sa.Column("name", sa.String(20), primary_key=True), sa.Column("value", sa.BigInteger, nullable=False)
    )
    op.create_table(
        "districts",
        sa.Column("code", sa.String(100), primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("duty_phones", sa.Text, nullable=False),
        sa.Column("created_at", sa.String(30), nullable=False),
    )
    op.create_table(
        "stations",
        sa.Column("district_code", sa.String(100), sa.ForeignKey("districts.code"), primary_key=True),
        sa.Column("code", sa.String(100), primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("username", sa.String(100), nullable=False, unique=True),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("district", sa.String(100), sa.ForeignKey("districts.code"), nullable=True),
        sa.Column("password_hash", sa.Text, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("locked_at", sa.String(30), nullable=True),
        sa.Column("created_at", sa.String(30), nullable=False),
    )
    op.create_table(
        "login_failures",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("username", sa.String(100), nullable=False),
        sa.Column("at", sa.String(30), nullable=False),
    )
    op.create_index("ix_login_failures_username_at", "login_failures", ["username", "at"])
    op.create_table(
        "devices",
        sa.Column("id", sa.String(100), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("user_id", sa.String(36), nullable=False),
        sa.Column("first_seen", sa.String(30), nullable=False),
        sa.Column("last_seen", sa.String(30), nullable=False),
        sa.Column("app_version", sa.String(50), nullable=True),
        sa.Column("pending", sa.Integer, nullable=True),
        sa.Column("audio", sa.Text, nullable=True),
    )
    op.create_table(
        "refresh_tokens",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("family", sa.String(36), nullable=False),
        sa.Column("user_id", sa.String(36), nullable=False),
        sa.Column("device_id", sa.String(100), nullable=False),
        sa.Column("issued_at", sa.String(30), nullable=False),
        sa.Column("expires_at", sa.String(30), nullable=False),
        sa.Column("rotated_at", sa.String(30), nullable=True),
        sa.Column("revoked", sa.Boolean, nullable=False),
    )
    op.create_index("ix_refresh_tokens_family", "refresh_tokens", ["family"])
    op.create_table(
        "api_keys",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("name", sa.String(100), nullable=False, unique=True),
        sa.Column("key_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("scope", sa.String(20), nullable=False),
        sa.Column("created_at", sa.String(30), nullable=False),
        sa.Column("revoked_at", sa.String(30), nullable=True),
    )
    op.create_table(
        "cases",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("upstream_ref", sa.String(200), nullable=True, unique=True),
        sa.Column("district", sa.String(100), nullable=True),
        sa.Column("police_station", sa.String(100), nullable=True),
        sa.Column("duplicates", sa.Integer, nullable=False),
        sa.Column("created_at", sa.String(30), nullable=False),
    )
    op.create_index("ix_cases_district", "cases", ["district"])
    op.create_table(
        "events",
        sa.Column("seq", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("id", sa.String(36), nullable=False, unique=True),
        sa.Column("case_id", sa.String(36), nullable=False),
        sa.Column("type", sa.String(40), nullable=False),
        sa.Column("hlc", sa.String(150), nullable=False),
        sa.Column("author_id", sa.String(100), nullable=False),
        sa.Column("device_id", sa.String(100), nullable=False),
        sa.Column("content", sa.Text, nullable=False),
        sa.Column("stored_at", sa.String(30), nullable=False),
    )
    op.create_index("ix_events_case_id", "events", ["case_id"])
    op.create_table(
        "feed",
        sa.Column("pos", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("stream", sa.String(100), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("case_id", sa.String(36), nullable=False),
        sa.Column("event_seq", sa.BigInteger, nullable=True),
    )
    op.create_index("ix_feed_stream_pos", "feed", ["stream", "pos"])
    op.create_table(
        "audit",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("at", sa.String(30), nullable=False),
        sa.Column("actor", sa.String(150), nullable=True),
        sa.Column("username", sa.String(100), nullable=True),
        sa.Column("device_id", sa.String(100), nullable=True),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("outcome", sa.String(20), nullable=False),
        sa.Column("case_id", sa.String(36), nullable=True),
        sa.Column("detail", sa.Text, nullable=True),
        sa.Column("ip", sa.String(64), nullable=True),
    )
    op.create_index("ix_audit_at", "audit", ["at"])
    op.create_index("ix_audit_case_id", "audit", ["case_id"])


def downgrade() -> None:
    for table in (
        "audit", "feed", "events", "cases", "api_keys", "refresh_tokens", "devices", "login_failures",
        "users", "stations", "districts", "counters", "meta",
    ):
        op.drop_table(table)
