"""The complaint queue's first read from an index: ``ix_complaint_row_queue``; timelines packed.

Revision ID: 0012
Revises: 0011

The console reads every open complaint's sort and filter keys at start-up (``ui.operations.
complaint_queue``): the index holds exactly those columns (``listed`` first), so that read never
decrypts the table's pages with the post text, replies and deadlines. Each row's state over time
(``timeline``) is rewritten from the ``state@seconds`` text of 0011 to the packed form of
``core.complaint_timeline`` (a reader bisects it with no text parsed); rows written by this
code's projector (0011's back-fill included) are packed already and left as they are.
"""

from alembic import op

from core.complaint_timeline import timeline_from_text

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

QUEUE_INDEX = (
    "CREATE INDEX ix_complaint_row_queue ON complaint_row "
    "(listed, case_id, updated_hlc, platform, category, district, due_ts, timeline)"
)


def upgrade() -> None:
    conn = op.get_bind()
    old = conn.exec_driver_sql("SELECT case_id, timeline FROM complaint_row WHERE typeof(timeline) = 'text'").fetchall()
    if old:
        conn.exec_driver_sql(
            "UPDATE complaint_row SET timeline = ? WHERE case_id = ?",
            [(timeline_from_text(text), case_id) for case_id, text in old],
        )
    op.execute(QUEUE_INDEX)


def downgrade() -> None:
    op.execute("DROP INDEX ix_complaint_row_queue")
