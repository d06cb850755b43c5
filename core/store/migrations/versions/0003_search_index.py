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
    op.execute("CREATE INDEX ix_cases_search ON cases (search_text) WHERE purged = 0")


def downgrade() -> None:
    op.execute("DROP INDEX ix_cases_search")
