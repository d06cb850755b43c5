"""Search reads a narrow partial index of search_text instead of scanning the wide cases rows.

Revision ID: 0003
Revises: 0002
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # "search_text IS NOT NULL" keeps the queue and its count from picking this index (its WHERE
    # would be implied by theirs, and it does not hold their columns)
    op.execute("CREATE INDEX ix_cases_search ON cases (search_text) WHERE purged = 0 AND search_text IS NOT NULL")


def downgrade() -> None:
    op.execute("DROP INDEX ix_cases_search")
