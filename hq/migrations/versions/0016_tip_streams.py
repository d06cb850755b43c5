"""Tips filed before ``0014_ranges`` reach the SP office's and the range DIG's streams.

Revision ID: 0016_tip_streams
Revises: 0015_compliance
Create Date: 2026-11-30

``0014_ranges`` started the ``tips:<district>`` and ``range:<range>`` streams empty: a tip filed
before it reached them only when it next moved, so an SP's console syncing for the first time did
not see its district's earlier tips. This revision writes each such tip's whole history into the
streams it belongs in now, in order (``hq.feed.backfill_tip_streams``: idempotent, a tip already in
a stream is left alone there).

A migration rather than a start-up back-fill: it runs once, in the one transaction that upgrades
the schema (serialised across processes on PostgreSQL), so two HQ workers starting together cannot
both write the rows, and no start-up pays for a scan of every tip. On PostgreSQL it also takes HQ's
writer lock, so a worker still serving during a rolling upgrade cannot interleave feed positions.

Downgrade leaves the rows: they are what the streams would hold had the tips been filed after
``0014_ranges``, and an upgrade again writes nothing twice.
"""

from alembic import op

from hq.db import WRITER_LOCK_KEY
from hq.feed import backfill_tip_streams

revision = "0016_tip_streams"
down_revision = "0015_compliance"
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITER_LOCK_KEY})")
    backfill_tip_streams(conn)


def downgrade() -> None:
    pass
