"""Events carry what their author had seen of the case's assignment; refused events are dealt with.

Revision ID: 0007
Revises: 0006

``seen_assignment``: the id of the case's last ``assigned`` event the console held when it made the
event (``core.events.Event.seen_assignment``; NULL on HQ's events and on events stored before).
``dealt_with_at`` / ``dealt_with_by``: when and by whom an operator marked an event HQ refused as
dealt with. A refused event is never deleted; these say it needs no more attention.
"""

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE events ADD COLUMN seen_assignment TEXT")
    op.execute("ALTER TABLE events ADD COLUMN dealt_with_at TEXT")
    op.execute("ALTER TABLE events ADD COLUMN dealt_with_by TEXT")


def downgrade() -> None:
    op.execute("ALTER TABLE events DROP COLUMN dealt_with_by")
    op.execute("ALTER TABLE events DROP COLUMN dealt_with_at")
    op.execute("ALTER TABLE events DROP COLUMN seen_assignment")
