"""Initial local store: event log, case projection, metadata.

Revision ID: 0001
Revises:
"""

from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE events (
            id TEXT NOT NULL PRIMARY KEY,
            case_id TEXT NOT NULL,
            type TEXT NOT NULL,
            payload TEXT NOT NULL,
            author_id TEXT NOT NULL,
            author_name TEXT NOT NULL,
            device_id TEXT NOT NULL,
            wall_time TEXT NOT NULL,
            hlc TEXT NOT NULL,
            hq_seq INTEGER,
            sync_state TEXT NOT NULL CHECK (sync_state IN ('pending', 'accepted', 'rejected')),
            reject_reason TEXT,
            reject_code TEXT,
            local_seq INTEGER NOT NULL
        )
        """
    )
    op.execute("CREATE INDEX ix_events_case_hlc ON events (case_id, hlc)")
    op.execute("CREATE INDEX ix_events_sync ON events (sync_state, local_seq)")
    op.execute("CREATE UNIQUE INDEX ux_events_local_seq ON events (local_seq)")
    op.execute(
        """
        CREATE TABLE cases (
            case_id TEXT NOT NULL PRIMARY KEY,
            kind TEXT,
            status TEXT NOT NULL,
            priority INTEGER NOT NULL,
            received_at TEXT,
            district TEXT,
            police_station TEXT,
            summary TEXT,
            subject_name TEXT,
            search_text TEXT,
            needs_alarm INTEGER NOT NULL DEFAULT 0,
            acknowledged_at TEXT,
            dispatched_at TEXT,
            muted_until TEXT,
            pending_count INTEGER NOT NULL DEFAULT 0,
            rejected_count INTEGER NOT NULL DEFAULT 0,
            updated_hlc TEXT,
            purged INTEGER NOT NULL DEFAULT 0,
            state_json TEXT NOT NULL
        )
        """
    )
    # The open-case queue: alarming first, then priority, then oldest first. Partial, so closed
    # and purged cases (most rows after a few months) cost the queue nothing.
    op.execute(
        "CREATE INDEX ix_cases_queue ON cases (needs_alarm DESC, priority, received_at, case_id) "
        "WHERE purged = 0 AND status != 'closed'"
    )
    op.execute("CREATE INDEX ix_cases_updated ON cases (updated_hlc)")
    op.execute("CREATE TABLE meta (key TEXT NOT NULL PRIMARY KEY, value TEXT NOT NULL)")


def downgrade() -> None:
    op.execute("DROP TABLE meta")
    op.execute("DROP TABLE cases")
    op.execute("DROP TABLE events")
