"""Escalation at HQ: per-district policies, duty contacts, running escalations with their policy
snapshot and step claim, the notifications sent and their receipts, and the runner's scan cursor.

Revision ID: 0007_escalation
Revises: 0005_signatures
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_escalation"
down_revision = "0006_mailbox"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "escalation_policies",
        sa.Column("district", sa.String(100), primary_key=True),
        sa.Column("policy", sa.Text, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("updated_at", sa.String(30), nullable=False),
        sa.Column("updated_by", sa.String(150), nullable=False),
    )
    op.create_table(
        "duty_contacts",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("district", sa.String(100), nullable=False),
        sa.Column("station", sa.String(100), nullable=True),
        sa.Column("role", sa.String(40), nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("phone", sa.String(32), nullable=True),
        sa.Column("email", sa.String(200), nullable=True),
        sa.Column("created_at", sa.String(30), nullable=False),
    )
    op.create_index("ix_duty_contacts_district", "duty_contacts", ["district"])
    op.create_table(
        "escalations",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("case_id", sa.String(36), nullable=False),
        sa.Column("tier", sa.String(20), nullable=False),
        sa.Column("trigger", sa.String(40), nullable=False),
        sa.Column("district", sa.String(100), nullable=True),
        sa.Column("assignment", sa.String(36), nullable=False),
        sa.Column("snapshot", sa.Text, nullable=False),
        sa.Column("policy_version", sa.Integer, nullable=False),
        sa.Column("started_at", sa.String(30), nullable=False),
        sa.Column("last_step_at", sa.String(30), nullable=False),
        sa.Column("next_step", sa.Integer, nullable=False),
        sa.Column("next_due_at", sa.String(30), nullable=True),
        sa.Column("first_round", sa.Boolean, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("stop_reason", sa.Text, nullable=True),
        sa.Column("claimed_by", sa.String(100), nullable=True),
        sa.Column("updated_at", sa.String(30), nullable=False),
    )
    op.create_index("ix_escalations_next_due_at", "escalations", ["next_due_at"])
    op.create_index(
        "ux_escalations_case_tier_trigger", "escalations", ["case_id", "tier", "trigger", "assignment"], unique=True
    )
    op.create_index("ix_escalations_status_due", "escalations", ["status", "next_due_at"])
    op.create_table(
        "escalation_deliveries",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("escalation_id", sa.String(36), nullable=False),
        sa.Column("step", sa.Integer, nullable=False),
        sa.Column("case_id", sa.String(36), nullable=False),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("target", sa.String(200), nullable=False),
        sa.Column("provider_id", sa.String(200), nullable=True),
        sa.Column("result", sa.String(40), nullable=False),
        sa.Column("answer", sa.Text, nullable=True),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("sent_at", sa.String(30), nullable=False),
        sa.Column("receipt_status", sa.String(40), nullable=True),
        sa.Column("receipt_at", sa.String(30), nullable=True),
    )
    op.create_index("ix_escalation_deliveries_escalation_id", "escalation_deliveries", ["escalation_id"])
    op.create_index("ix_escalation_deliveries_provider_id", "escalation_deliveries", ["provider_id"])
    op.create_table(
        "escalation_cursor",
        sa.Column("name", sa.String(20), primary_key=True),
        sa.Column("seq", sa.BigInteger, nullable=False),
    )


def downgrade() -> None:
    for table in ("escalation_cursor", "escalation_deliveries", "escalations", "duty_contacts", "escalation_policies"):
        op.drop_table(table)
