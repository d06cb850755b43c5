"""Ranges and the SP's office: a DIG's range, each case's kind and triage range, the tip officers.

Revision ID: 0014_ranges
Revises: 0011_claims
Create Date: 2026-11-29

``users.range`` binds a ``range_dig`` account to a range (``districts.range``). ``cases.kind`` and
``cases.range`` let the feed route tips to the SP (``tips:<district>``) and range (``range:<range>``)
streams; existing tip cases get their kind from ``tips``, and their range stays empty (a tip filed
before this revision and still unassigned remains with HQ's triage). ``tip_officers`` is the
per-district list of officers a tip is passed to.

Streams for tips already filed: the SP and range streams start empty; a console of those roles sees
tips filed or moved from this revision on.
"""

import sqlalchemy as sa
from alembic import op

revision = "0014_ranges"
down_revision = "0013_canned_replies"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("range", sa.String(100), nullable=True))
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("kind", sa.String(40), nullable=True))
        batch.add_column(sa.Column("range", sa.String(100), nullable=True))
    op.execute("UPDATE cases SET kind = 'tip' WHERE id IN (SELECT case_id FROM tips)")
    op.create_table(
        "tip_officers",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("district", sa.String(100), sa.ForeignKey("districts.code"), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("rank", sa.String(100), nullable=False),
        sa.Column("station", sa.String(100), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.String(30), nullable=False),
        sa.Column("created_by", sa.String(100), nullable=False),
    )
    op.create_index("ix_tip_officers_district", "tip_officers", ["district"])


def downgrade() -> None:
    op.drop_index("ix_tip_officers_district", table_name="tip_officers")
    op.drop_table("tip_officers")
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("range")
        batch.drop_column("kind")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("range")
