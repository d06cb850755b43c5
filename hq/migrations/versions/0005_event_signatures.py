"""HQ signs the events it writes; cases a restored HQ could not take back from a console are listed.

Revision ID: 0005_signatures
Revises: 0004
Create Date: 2026-11-29

``events.signature``: HQ's Ed25519 signature of an event HQ wrote (``hq.signing``); NULL on
consoles' events and on events stored before.
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_signatures"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.add_column(sa.Column("signature", sa.String(200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.drop_column("signature")
