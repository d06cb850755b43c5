"""A new, empty store created in one step at a known revision, instead of replaying every migration.

Replaying the migrations on a new workstation's first start imported Alembic (about half a second on
a 2-core machine) and ran nine upgrade steps; the result is always the same empty schema. Alembic's
documented pattern for a new database is to create the schema directly and stamp it at the head:
here the schema is the SQL below, ``alembic_version`` is written as Alembic writes it, and Alembic is
not imported at all. Stores that already exist still upgrade through the migrations
(``core.store.migrate.upgrade``).

``REVISION`` is the migration whose schema the statements reproduce. ``LocalStore.open`` stamps a new
store at ``REVISION`` and then runs any later migration through Alembic, so a new migration is correct
before this file is updated; updating it (statements and ``REVISION``) keeps the first start fast.
``tests/unit/core/test_store_fresh.py`` compares ``sqlite_master`` of a store made here with one made
by the migrations (every table, column, type, index, trigger and the FTS5 table with its options).
"""

from __future__ import annotations

import sqlalchemy as sa

REVISION = "0012"

# FTS5's secure-delete option exists since SQLite 3.44 (migration 0005 sets it when it can; the store
# refuses to open without it, except the unencrypted benchmark baseline over an older sqlite3).
SECURE_DELETE_SINCE = (3, 44, 0)

_OPEN = "WHERE purged = 0 AND status != 'closed'"
_FORGET = (
    "DELETE FROM case_report WHERE case_id = {row}.case_id; "
    "DELETE FROM follow_up_report WHERE case_id = {row}.case_id; "
)

_FORGET_COMPLAINT = "DELETE FROM complaint_row WHERE case_id = {row}.case_id; "
_COMPLAINT_TEXT_COLUMNS = (
    "platform", "item", "platform_id", "posted_at", "author_handle", "author_url", "post_url", "text",
    "thread_text", "thread_url", "thread_id", "category", "district", "duplicate_of",
)  # fmt: skip

# In the order the migrations create them; each statement's comment names the migration that owns it.
STATEMENTS: tuple[str, ...] = (
    # alembic_version, exactly as Alembic creates it (its primary key constraint's name included)
    "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, "
    "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))",
    # 0001; 0007 and 0008 add the last four columns
    "CREATE TABLE events (id TEXT NOT NULL PRIMARY KEY, case_id TEXT NOT NULL, type TEXT NOT NULL, "
    "payload TEXT NOT NULL, author_id TEXT NOT NULL, author_name TEXT NOT NULL, device_id TEXT NOT NULL, "
    "wall_time TEXT NOT NULL, hlc TEXT NOT NULL, hq_seq INTEGER, "
    "sync_state TEXT NOT NULL CHECK (sync_state IN ('pending', 'accepted', 'rejected')), reject_reason TEXT, "
    "reject_code TEXT, local_seq INTEGER NOT NULL, seen_assignment TEXT, dealt_with_at TEXT, dealt_with_by TEXT, "
    "signature TEXT)",
    "CREATE INDEX ix_events_case_hlc ON events (case_id, hlc)",
    "CREATE INDEX ix_events_sync ON events (sync_state, local_seq)",
    "CREATE UNIQUE INDEX ux_events_local_seq ON events (local_seq)",
    # 0001; 0006 adds the last five columns
    "CREATE TABLE cases (case_id TEXT NOT NULL PRIMARY KEY, kind TEXT, status TEXT NOT NULL, "
    "priority INTEGER NOT NULL, received_at TEXT, district TEXT, police_station TEXT, summary TEXT, "
    "subject_name TEXT, search_text TEXT, needs_alarm INTEGER NOT NULL DEFAULT 0, acknowledged_at TEXT, "
    "dispatched_at TEXT, muted_until TEXT, pending_count INTEGER NOT NULL DEFAULT 0, "
    "rejected_count INTEGER NOT NULL DEFAULT 0, updated_hlc TEXT, purged INTEGER NOT NULL DEFAULT 0, "
    "state_json TEXT NOT NULL, hq_needs_alarm INTEGER NOT NULL DEFAULT 0, hq_acknowledged_at TEXT, "
    "hq_muted_until TEXT, follow_up_due TEXT, refused_silence TEXT)",
    f"CREATE INDEX ix_cases_queue ON cases (needs_alarm DESC, priority, received_at, case_id) {_OPEN}",
    "CREATE INDEX ix_cases_updated ON cases (updated_hlc)",
    "CREATE TABLE meta (key TEXT NOT NULL PRIMARY KEY, value TEXT NOT NULL)",
    # 0002
    "CREATE TABLE drafts (case_id TEXT NOT NULL, form TEXT NOT NULL, fields TEXT NOT NULL, "
    "saved_at TEXT NOT NULL, PRIMARY KEY (case_id, form))",
    # 0003
    "CREATE INDEX ix_cases_search ON cases (search_text) WHERE purged = 0 AND search_text IS NOT NULL",
    # 0004
    "CREATE INDEX ix_cases_open_station ON cases "
    f"(police_station, kind, needs_alarm DESC, priority, received_at, case_id, status, purged) {_OPEN}",
    "CREATE INDEX ix_cases_open_kind ON cases "
    f"(kind, needs_alarm DESC, priority, received_at, case_id, status, purged) {_OPEN}",
    f"CREATE INDEX ix_cases_search_open ON cases (search_text, status, purged) {_OPEN} AND search_text IS NOT NULL",
    # 0005 (FTS5 makes its shadow tables cases_fts_data/_idx/_docsize/_config itself)
    "CREATE VIRTUAL TABLE cases_fts USING fts5("
    "search_text, content='cases', content_rowid='rowid', tokenize='trigram case_sensitive 1')",
    # 0006
    f"CREATE INDEX ix_cases_hq_alarm ON cases (hq_needs_alarm DESC, priority, received_at, case_id) {_OPEN}",
    "CREATE INDEX ix_cases_follow_up_due ON cases (follow_up_due) WHERE purged = 0 AND follow_up_due IS NOT NULL",
    # 0009
    "CREATE TABLE case_report (case_id TEXT NOT NULL PRIMARY KEY, district TEXT, kind TEXT, received_at TEXT, "
    "outcome TEXT, outcome_reason TEXT, reached INTEGER NOT NULL, hq_acknowledged_s FLOAT, routed_s FLOAT, "
    "district_acknowledged_s FLOAT, dispatched_s FLOAT, reached_s FLOAT, counselled_s FLOAT)",
    "CREATE INDEX ix_case_report_received ON case_report (received_at)",
    "CREATE INDEX ix_case_report_district_received ON case_report (district, received_at)",
    "CREATE TABLE follow_up_report (case_id TEXT NOT NULL, follow_up_id TEXT NOT NULL, district TEXT, "
    "due TEXT NOT NULL, done_at TEXT, PRIMARY KEY (case_id, follow_up_id))",
    "CREATE INDEX ix_follow_up_report_due ON follow_up_report (due)",
    "CREATE INDEX ix_follow_up_report_district_due ON follow_up_report (district, due)",
    f"CREATE TRIGGER tr_case_report_deleted AFTER DELETE ON cases BEGIN {_FORGET.format(row='OLD')}END",
    "CREATE TRIGGER tr_case_report_tombstone AFTER INSERT ON cases WHEN NEW.purged = 1 "
    f"BEGIN {_FORGET.format(row='NEW')}END",
    "CREATE TRIGGER tr_case_report_purged AFTER UPDATE OF purged ON cases WHEN NEW.purged = 1 "
    f"BEGIN {_FORGET.format(row='NEW')}END",
    # 0011
    "CREATE TABLE complaint_row (case_id TEXT NOT NULL PRIMARY KEY, listed INTEGER NOT NULL, updated_hlc TEXT, "
    + "".join(f"{name} TEXT, " for name in _COMPLAINT_TEXT_COLUMNS)
    + "closed INTEGER NOT NULL, raised INTEGER NOT NULL, reply_state TEXT NOT NULL, replies TEXT NOT NULL, "
    "clock TEXT NOT NULL, deadlines TEXT NOT NULL, due_ts FLOAT, timeline TEXT NOT NULL, search TEXT NOT NULL)",
    f"CREATE TRIGGER tr_complaint_row_deleted AFTER DELETE ON cases BEGIN {_FORGET_COMPLAINT.format(row='OLD')}END",
    "CREATE TRIGGER tr_complaint_row_tombstone AFTER INSERT ON cases WHEN NEW.purged = 1 "
    f"BEGIN {_FORGET_COMPLAINT.format(row='NEW')}END",
    "CREATE TRIGGER tr_complaint_row_purged AFTER UPDATE OF purged ON cases WHEN NEW.purged = 1 "
    f"BEGIN {_FORGET_COMPLAINT.format(row='NEW')}END",
    # 0012
    "CREATE INDEX ix_complaint_row_queue ON complaint_row "
    "(listed, case_id, updated_hlc, platform, category, district, due_ts, timeline)",
)


def is_empty(conn: sa.Connection) -> bool:
    """True for a database with nothing in it (a file SQLite has just made)."""
    return conn.exec_driver_sql("SELECT count(*) FROM sqlite_master").scalar() == 0


def create(conn: sa.Connection) -> None:
    """Create the schema at ``REVISION`` in an empty database and stamp it, in the caller's transaction
    (a writer's: ``BEGIN IMMEDIATE``); the caller commits. A crash before the commit leaves an empty
    file, which the next open creates again."""
    for statement in STATEMENTS:
        conn.exec_driver_sql(statement)
    version = str(conn.exec_driver_sql("SELECT sqlite_version()").scalar_one())
    if tuple(int(p) for p in version.split(".")[:3]) >= SECURE_DELETE_SINCE:
        conn.exec_driver_sql("INSERT INTO cases_fts (cases_fts, rank) VALUES ('secure-delete', 1)")
    conn.exec_driver_sql("INSERT INTO alembic_version (version_num) VALUES (?)", (REVISION,))
