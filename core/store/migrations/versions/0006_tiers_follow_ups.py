"""Acknowledgement tiers, due follow-ups and the console's own refused silencing, as queue columns.

Revision ID: 0006
Revises: 0005

``hq_needs_alarm``/``hq_acknowledged_at``/``hq_muted_until`` are HQ's tier of the alarm (``needs_alarm``,
``acknowledged_at`` and ``muted_until`` are the assigned district's). ``follow_up_due`` is the earliest
open follow-up's due time (UTC ISO text, so text order is time order). ``refused_silence`` is the
acknowledgement or mute this console recorded and HQ refused (JSON), which still silences the
console's own siren. The projection version changes with them, so every row is refolded at open.
"""

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE cases ADD COLUMN hq_needs_alarm INTEGER NOT NULL DEFAULT 0")
    op.execute("ALTER TABLE cases ADD COLUMN hq_acknowledged_at TEXT")
    op.execute("ALTER TABLE cases ADD COLUMN hq_muted_until TEXT")
    op.execute("ALTER TABLE cases ADD COLUMN follow_up_due TEXT")
    op.execute("ALTER TABLE cases ADD COLUMN refused_silence TEXT")
    op.execute(
        "CREATE INDEX ix_cases_hq_alarm ON cases (hq_needs_alarm DESC, priority, received_at, case_id) "
        "WHERE purged = 0 AND status != 'closed'"
    )
    op.execute(
        "CREATE INDEX ix_cases_follow_up_due ON cases (follow_up_due) WHERE purged = 0 AND follow_up_due IS NOT NULL"
    )


def downgrade() -> None:
    op.execute("DROP INDEX ix_cases_follow_up_due")
    op.execute("DROP INDEX ix_cases_hq_alarm")
    for column in ("refused_silence", "follow_up_due", "hq_muted_until", "hq_acknowledged_at", "hq_needs_alarm"):
        op.execute(f"ALTER TABLE cases DROP COLUMN {column}")
