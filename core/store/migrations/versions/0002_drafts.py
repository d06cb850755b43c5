"""Drafts: half-filled forms survive a crash or a lock of the console.

Revision ID: 0002
Revises: 0001
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE drafts (
            case_id TEXT NOT NULL,
            form TEXT NOT NULL,
            fields TEXT NOT NULL,
            saved_at TEXT NOT NULL,
            PRIMARY KEY (case_id, form)
        )
        """
    )


def downgrade() -> None:
    op.execute("DROP TABLE drafts")
