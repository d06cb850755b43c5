"""Table definitions for queries (SQLAlchemy Core). The migrations in ``migrations/versions`` create them;
``tests/unit/core/test_store_migrations.py`` checks that both agree.
"""

from __future__ import annotations

import enum

import sqlalchemy as sa

metadata = sa.MetaData()


class SyncState(enum.StrEnum):
    """Where an event stands with HQ. Only events made on this device are ever ``pending``/``rejected``."""

    PENDING = "pending"  # made here, not yet accepted by HQ (the outbox)
    ACCEPTED = "accepted"  # accepted by HQ, or received from HQ; ``hq_seq`` is set
    REJECTED = "rejected"  # HQ refused it; kept with the reason, left out of the case's state


# A pending event HQ holds in its review queue (a policy refusal a supervisor decides, e.g. its author
# was disabled): ``sync_state`` stays ``pending`` (it is still the operator's unsettled work, in the
# case's state and kept through a purge) with ``reject_code`` = this and ``reject_reason`` = HQ's note.
# The outbox does not push it again; the verdict settles it (accepted, or rejected with the reason).
HELD_FOR_REVIEW = "review"


events = sa.Table(
    "events",
    metadata,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("case_id", sa.Text, nullable=False),
    sa.Column("type", sa.Text, nullable=False),
    sa.Column("payload", sa.Text, nullable=False),
    sa.Column("author_id", sa.Text, nullable=False),
    sa.Column("author_name", sa.Text, nullable=False),
    sa.Column("device_id", sa.Text, nullable=False),
    sa.Column("wall_time", sa.Text, nullable=False),
    sa.Column("hlc", sa.Text, nullable=False),
    sa.Column("hq_seq", sa.Integer, nullable=True),
    sa.Column("sync_state", sa.Text, nullable=False),
    sa.Column("reject_reason", sa.Text, nullable=True),
    sa.Column("reject_code", sa.Text, nullable=True),
    sa.Column("local_seq", sa.Integer, nullable=False),
    sa.Column("seen_assignment", sa.Text, nullable=True),
    sa.Column("dealt_with_at", sa.Text, nullable=True),  # a refused event an operator has dealt with
    sa.Column("dealt_with_by", sa.Text, nullable=True),
    sa.Column("signature", sa.Text, nullable=True),  # migration 0008: HQ's signature of an event HQ wrote
)

cases = sa.Table(
    "cases",
    metadata,
    sa.Column("case_id", sa.Text, primary_key=True),
    sa.Column("kind", sa.Text, nullable=True),
    sa.Column("status", sa.Text, nullable=False),
    sa.Column("priority", sa.Integer, nullable=False),
    sa.Column("received_at", sa.Text, nullable=True),
    sa.Column("district", sa.Text, nullable=True),
    sa.Column("police_station", sa.Text, nullable=True),
    sa.Column("summary", sa.Text, nullable=True),
    sa.Column("subject_name", sa.Text, nullable=True),
    sa.Column("search_text", sa.Text, nullable=True),
    sa.Column("needs_alarm", sa.Integer, nullable=False),
    sa.Column("acknowledged_at", sa.Text, nullable=True),
    sa.Column("dispatched_at", sa.Text, nullable=True),
    sa.Column("muted_until", sa.Text, nullable=True),
    sa.Column("pending_count", sa.Integer, nullable=False),
    sa.Column("rejected_count", sa.Integer, nullable=False),
    sa.Column("updated_hlc", sa.Text, nullable=True),
    sa.Column("purged", sa.Integer, nullable=False),
    sa.Column("state_json", sa.Text, nullable=False),
    # migration 0006: HQ's alarm tier, due follow-ups, this console's refused acknowledgement/mute
    sa.Column("hq_needs_alarm", sa.Integer, nullable=False),
    sa.Column("hq_acknowledged_at", sa.Text, nullable=True),
    sa.Column("hq_muted_until", sa.Text, nullable=True),
    sa.Column("follow_up_due", sa.Text, nullable=True),
    sa.Column("refused_silence", sa.Text, nullable=True),
)

# The reports' narrow rows (migration 0009), written by the projector from the same fold as the
# case's ``cases`` row (``core.report_rows.summary_values``, the function HQ's ``case_summary`` is
# written with) and deleted with it by triggers (a purge, a deleted row): the replica's reports are
# SQL aggregates over a few small pages, never a parse of ``state_json``. ``received_at`` and
# ``due`` are canonical UTC text, so a period is a text range.
case_report = sa.Table(
    "case_report",
    metadata,
    sa.Column("case_id", sa.Text, primary_key=True),
    sa.Column("district", sa.Text, nullable=True),
    sa.Column("kind", sa.Text, nullable=True),
    sa.Column("received_at", sa.Text, nullable=True),
    sa.Column("outcome", sa.Text, nullable=True),
    sa.Column("outcome_reason", sa.Text, nullable=True),
    sa.Column("reached", sa.Integer, nullable=False),  # 1: the case has a reached time
    sa.Column("hq_acknowledged_s", sa.Float, nullable=True),
    sa.Column("routed_s", sa.Float, nullable=True),
    sa.Column("district_acknowledged_s", sa.Float, nullable=True),
    sa.Column("dispatched_s", sa.Float, nullable=True),
    sa.Column("reached_s", sa.Float, nullable=True),
    sa.Column("counselled_s", sa.Float, nullable=True),
)

follow_up_report = sa.Table(
    "follow_up_report",
    metadata,
    sa.Column("case_id", sa.Text, primary_key=True),
    sa.Column("follow_up_id", sa.Text, primary_key=True),
    sa.Column("district", sa.Text, nullable=True),
    sa.Column("due", sa.Text, nullable=False),
    sa.Column("done_at", sa.Text, nullable=True),
)

# The complaint queue's rows (migration 0011): one per case whose fold is a complaint, written by the
# projector with ``core.complaints.stored_values`` of ``complaint_view`` in the same unit of work as
# the case's ``cases`` row, and deleted with it by triggers (a purge, a deleted row). ``clock`` holds
# the two-hour clock's inputs (``core.complaints.clock_to_json``), not its deadlines: they and their
# state at ``now`` are computed at read with ``core.sla`` under the reader's policy.
complaint_row = sa.Table(
    "complaint_row",
    metadata,
    sa.Column("case_id", sa.Text, primary_key=True),
    # 1 while the case's ``cases`` row is on the complaint queue (kind complaint, not closed; a
    # purged case has no row here): the queue reads this table alone, never the wide ``cases`` rows
    sa.Column("listed", sa.Integer, nullable=False),
    sa.Column("updated_hlc", sa.Text, nullable=True),  # the ``cases`` row's stamp, for the row cache
    *(
        sa.Column(name, sa.Text, nullable=True)
        for name in (
            "platform", "item", "platform_id", "posted_at", "author_handle", "author_url", "post_url", "text",
            "thread_text", "thread_url", "thread_id", "category", "district", "duplicate_of",
        )
    ),
    sa.Column("closed", sa.Integer, nullable=False),
    sa.Column("raised", sa.Integer, nullable=False),
    sa.Column("reply_state", sa.Text, nullable=False),  # the newest reply's status, or "none"
    sa.Column("replies", sa.Text, nullable=False),  # JSON: ``Reply.to_wire`` of each, in draft order
    sa.Column("clock", sa.Text, nullable=False),  # JSON: ``core.complaints.clock_to_json``
    sa.Column("deadlines", sa.Text, nullable=False),  # ``core.complaints.deadlines_to_text``
    sa.Column("due_ts", sa.Float, nullable=True),  # the soonest open deadline's due time (epoch s)
    # ``core.complaint_timeline.state_timeline``: packed bytes (a BLOB value; the column was declared
    # TEXT by migration 0011, and SQLite keeps a BLOB as it is written)
    sa.Column("timeline", sa.Text, nullable=False),
    sa.Column("search", sa.Text, nullable=False),  # what the queue's text filter matches, case-folded
    # the queue's first read (every open complaint's sort and filter keys) reads this index alone
    sa.Index(
        "ix_complaint_row_queue", "listed", "case_id", "updated_hlc", "platform", "category", "district", "due_ts",
        "timeline",
    ),
)

meta = sa.Table(
    "meta",
    metadata,
    sa.Column("key", sa.Text, primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)

drafts = sa.Table(
    "drafts",
    metadata,
    sa.Column("case_id", sa.Text, primary_key=True),
    sa.Column("form", sa.Text, primary_key=True),
    sa.Column("fields", sa.Text, nullable=False),
    sa.Column("saved_at", sa.Text, nullable=False),
)

# The open-case queue: literally the partial index's WHERE clause, so SQLite uses that index
# (a bound parameter in place of the literals would not match it).
OPEN_CASES = sa.text("cases.purged = 0 AND cases.status != 'closed'")
NOT_PURGED = sa.text("cases.purged = 0")
QUEUE_ORDER = (
    cases.c.needs_alarm.desc(),
    cases.c.priority.asc(),
    cases.c.received_at.asc(),
    cases.c.case_id.asc(),
)
