"""Events keep HQ's signature.

Revision ID: 0008
Revises: 0007

``signature``: HQ's Ed25519 signature of an event HQ wrote (``core.events.Event.signature``; NULL on
events made by consoles and on events stored before). A console hands HQ's signed events back to an
HQ restored from an older backup (docs/SYNC.md, "HQ restored from a backup").
"""

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE events ADD COLUMN signature TEXT")


def downgrade() -> None:
    op.execute("ALTER TABLE events DROP COLUMN signature")
