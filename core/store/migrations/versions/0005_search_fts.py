"""Name search through an FTS5 trigram index of ``cases.search_text``.

Revision ID: 0005
Revises: 0004

Search matched every word with ``instr`` over every entry of the search index: about 5,000
decrypted pages at 100,000 open cases for each page and again for its count. ``cases_fts`` is an
inverted index of the same text: the trigram tokenizer matches any substring of 3 or more
characters in any script, so a word is found by reading its trigrams' lists only. It is an
external-content table over ``cases`` (no second copy of the text) and ``case_sensitive 1``:
``search_text`` and the searched words are both case-folded by Python already, so a match is
exactly ``instr(search_text, word) > 0``.

The store keeps it in the same transaction as the projection rows, in bulk: one statement per
batch of rows (``core.store.store.UnitOfWork.fts_remove``/``fts_add`` around every write of
``cases``). Not triggers: FTS5 flushes its pending terms at every statement savepoint, so a trigger
wrote one segment per row and made applying new cases ~4x slower. A purge replaces the row by a
tombstone with no ``search_text``, so its entries leave the index; FTS5's ``secure-delete`` option
removes them from the index's pages instead of adding delete markers beside them, so a revoked
case's name does not stay in the file. That option needs SQLite 3.44; ``LocalStore.open`` refuses
a store without it (only the unencrypted benchmark baseline, over an older stdlib ``sqlite3``, runs
without it).
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

SECURE_DELETE_SINCE = (3, 44, 0)


def upgrade() -> None:
    conn = op.get_bind()
    op.execute(
        "CREATE VIRTUAL TABLE cases_fts USING fts5("
        "search_text, content='cases', content_rowid='rowid', tokenize='trigram case_sensitive 1')"
    )
    version = str(conn.execute(sa.text("SELECT sqlite_version()")).scalar_one())
    if tuple(int(p) for p in version.split(".")[:3]) >= SECURE_DELETE_SINCE:
        op.execute("INSERT INTO cases_fts (cases_fts, rank) VALUES ('secure-delete', 1)")
    # backfill: every row has its entry, a tombstone (no search_text) an empty one (FTS5's
    # integrity check of an external-content table expects one entry per content row)
    op.execute("INSERT INTO cases_fts (rowid, search_text) SELECT rowid, search_text FROM cases")


def downgrade() -> None:
    op.execute("DROP TABLE cases_fts")
