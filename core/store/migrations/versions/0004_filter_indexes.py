"""Queue filters and their counts read narrow partial indexes instead of the wide cases rows.

Revision ID: 0004
Revises: 0003

A filter by police station (with or without kind), or by kind alone, walked ``ix_cases_queue`` in
queue order and fetched every open row (each with its ``state_json``, so many decrypted pages) to
test the filter; its exact count read every open row. These indexes hold the filter columns ahead
of the queue order, so a page reads only the matching entries (already in queue order) and a count
never leaves the index. ``ix_cases_search_open`` is the search index restricted to open cases (with
``status`` and ``purged``, which make it cover the query), the
queue's default: about half the pages of ``ix_cases_search`` to scan.
The WHERE clauses are the literal ones of ``core.store.schema.OPEN_CASES`` (SQLite matches partial
indexes against literal terms only).
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

OPEN = "WHERE purged = 0 AND status != 'closed'"


def upgrade() -> None:
    op.execute(
        "CREATE INDEX ix_cases_open_station ON cases "
        f"(police_station, kind, needs_alarm DESC, priority, received_at, case_id, status, purged) {OPEN}"
    )
    op.execute(f"CREATE INDEX ix_cases_open_kind ON cases (kind, needs_alarm DESC, priority, received_at, case_id, status, purged) {OPEN}")
    op.execute(f"CREATE INDEX ix_cases_search_open ON cases (search_text, status, purged) {OPEN} AND search_text IS NOT NULL")


def downgrade() -> None:
    op.execute("DROP INDEX ix_cases_search_open")
    op.execute("DROP INDEX ix_cases_open_kind")
    op.execute("DROP INDEX ix_cases_open_station")
