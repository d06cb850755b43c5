"""HQ's tables (SQLAlchemy Core). The migrations in ``migrations/versions`` create exactly these;
``tests/integration/hq/test_cli.py`` (``test_migrations_create_exactly_the_declared_schema``) checks that
the two never drift apart.

Times are stored as canonical ISO 8601 UTC text (``core.events.iso``): it sorts correctly as text and
reads the same on SQLite and PostgreSQL.

Kept in one file because it is the one declaration the migrations are compared with (every table,
whatever area it serves), and the place a reader looks a table up.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

# 64-bit on PostgreSQL; SQLite wants plain INTEGER for a rowid alias.
BigId = BigInteger().with_variant(Integer(), "sqlite")

meta = Table(
    "meta",
    metadata,
    Column("key", String(50), primary_key=True),
    Column("value", Text, nullable=False),
)

counters = Table(
    "counters",
    metadata,
    Column("name", String(20), primary_key=True),
    Column("value", BigInteger, nullable=False),
)

districts = Table(
    "districts",
    metadata,
    Column("code", String(100), primary_key=True),
    Column("name", Text, nullable=False),
    Column("duty_phones", Text, nullable=False),  # JSON list
    Column("created_at", String(30), nullable=False),
    Column("range", String(100), nullable=True),  # the police range it belongs to (reports group by it)
)

stations = Table(
    "stations",
    metadata,
    Column("district_code", String(100), ForeignKey("districts.code"), primary_key=True),
    Column("code", String(100), primary_key=True),
    Column("name", Text, nullable=False),
)

users = Table(
    "users",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("username", String(100), nullable=False, unique=True),
    Column("display_name", String(200), nullable=False),
    Column("role", String(20), nullable=False),
    Column("district", String(100), ForeignKey("districts.code"), nullable=True),
    Column("range", String(100), nullable=True),  # a range DIG's range (``districts.range``)
    Column("password_hash", Text, nullable=False),
    Column("active", Boolean, nullable=False),
    Column("locked_at", String(30), nullable=True),
    Column("created_at", String(30), nullable=False),
)

login_failures = Table(
    "login_failures",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("username", String(100), nullable=False),
    Column("at", String(30), nullable=False),
    Index("ix_login_failures_username_at", "username", "at"),
)

devices = Table(
    "devices",
    metadata,
    Column("id", String(100), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("user_id", String(36), nullable=False),
    Column("first_seen", String(30), nullable=False),
    Column("last_seen", String(30), nullable=False),
    Column("app_version", String(50), nullable=True),
    Column("pending", Integer, nullable=True),
    Column("audio", Text, nullable=True),  # JSON object
    Column("disk_free_bytes", BigInteger, nullable=True),  # free space in the console's data folder
    # The last test alarm a human answered on this console (heartbeat ``audio.test_alarm``), kept apart
    # from ``audio`` so a later software check does not erase it; empty for consoles that never sent one.
    Column("test_heard", Boolean, nullable=True),
    Column("test_confirmed_at", String(30), nullable=True),
    Column("test_confirmed_by", String(200), nullable=True),
)

# Who has signed in on which device: one row per (device, user), kept for good. A console pushes the
# pending events of every operator who signed in on it (shift change), so HQ must know them.
device_users = Table(
    "device_users",
    metadata,
    Column("device_id", String(100), primary_key=True),
    Column("user_id", String(36), primary_key=True),
    Column("first_at", String(30), nullable=False),
    Column("last_at", String(30), nullable=False),
)

refresh_tokens = Table(
    "refresh_tokens",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("family", String(36), nullable=False, index=True),
    Column("user_id", String(36), nullable=False),
    Column("device_id", String(100), nullable=False),
    Column("issued_at", String(30), nullable=False),
    Column("expires_at", String(30), nullable=False),
    Column("rotated_at", String(30), nullable=True),
    Column("revoked", Boolean, nullable=False),
)

api_keys = Table(
    "api_keys",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("name", String(100), nullable=False, unique=True),
    Column("key_hash", String(64), nullable=False, unique=True),
    Column("scope", String(20), nullable=False),
    Column("created_at", String(30), nullable=False),
    Column("revoked_at", String(30), nullable=True),
)

cases = Table(
    "cases",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("upstream_ref", String(200), nullable=True, unique=True),
    Column("district", String(100), nullable=True, index=True),
    Column("police_station", String(100), nullable=True),
    Column("duplicates", Integer, nullable=False),
    Column("created_at", String(30), nullable=False),
    # the case's kind (``created``); the feed routes tips to the SP and range streams by it
    Column("kind", String(40), nullable=True),
    # a tip with no district whose place names a range: that range's triage (``hq.feed``)
    Column("range", String(100), nullable=True),
)

# One row per accepted event. ``seq`` is the event's hq_seq; ``content`` is the canonical JSON of
# everything but hq_seq and the signature (``Event.content_key()``), so idempotency is a string
# comparison.
events = Table(
    "events",
    metadata,
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("id", String(36), nullable=False, unique=True),
    Column("case_id", String(36), nullable=False, index=True),
    Column("type", String(40), nullable=False),
    Column("hlc", String(150), nullable=False),
    Column("author_id", String(100), nullable=False),
    Column("device_id", String(100), nullable=False),
    Column("content", Text, nullable=False),
    Column("stored_at", String(30), nullable=False),
    # HQ's Ed25519 signature of an event HQ wrote itself (hq.signing); NULL on consoles' events
    Column("signature", String(200), nullable=True),
)

# The change feed: what each stream ("*" for HQ roles, a district code for a district) must deliver,
# in ``pos`` order. ``pos`` is the pull cursor. An event appears in "*" and in its case's current
# district; a reassignment re-delivers the whole history to the new district and a ``revoke`` to the
# old one, so a feed position is not an hq_seq.
feed = Table(
    "feed",
    metadata,
    Column("pos", BigInteger, primary_key=True, autoincrement=False),
    Column("stream", String(100), nullable=False),
    Column("kind", String(10), nullable=False),
    Column("case_id", String(36), nullable=False),
    Column("event_seq", BigInteger, nullable=True),
    Index("ix_feed_stream_pos", "stream", "pos"),
)

audit = Table(
    "audit",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("at", String(30), nullable=False, index=True),
    Column("actor", String(150), nullable=True),
    Column("username", String(100), nullable=True),
    Column("device_id", String(100), nullable=True),
    Column("action", String(40), nullable=False),
    Column("outcome", String(20), nullable=False),
    Column("case_id", String(36), nullable=True, index=True),
    Column("detail", Text, nullable=True),  # JSON object
    Column("ip", String(64), nullable=True),
)

# Events a push delivered that HQ's policy refused only because of who wrote them (their author was
# disabled before the console reconnected): kept apart, in no case log and no feed,
# until a supervisor accepts (the event is then stored as if pushed: ``hq_seq`` set) or rejects it
# with a reason. ``content`` is the event's canonical JSON (``Event.content_key()``).
review_queue = Table(
    "review_queue",
    metadata,
    Column("event_id", String(36), primary_key=True),
    Column("case_id", String(36), nullable=False, index=True),
    Column("content", Text, nullable=False),
    Column("author_id", String(100), nullable=False),
    Column("cause", String(40), nullable=False),  # why it was held: author_disabled
    Column("note", Text, nullable=False),  # why it was held, as told to the console
    Column("pushed_by", String(36), nullable=False),  # the signed-in user whose push delivered it
    Column("pushed_by_username", String(100), nullable=True),
    Column("device_id", String(100), nullable=False, index=True),  # the console it came from
    Column("held_at", String(30), nullable=False),
    Column("status", String(20), nullable=False, index=True),  # held | accepted | rejected
    Column("decided_by", String(36), nullable=True),
    Column("decided_by_username", String(100), nullable=True),
    Column("decided_at", String(30), nullable=True),
    Column("decision_reason", Text, nullable=True),
    Column("hq_seq", BigInteger, nullable=True),
)

# One row per mail HQ's mailbox intake has taken (hq.mailbox), keyed by its Message-ID (or, for a mail
# without one, a hash of its headers and body). Written in the same transaction as the case the mail
# made, inside the writer lock, so a restart or a second HQ worker reading the same box never makes a
# twin. ``raw`` keeps the whole original of a mail the parser could not read (the case carries a
# capped copy of its text).
mailbox_messages = Table(
    "mailbox_messages",
    metadata,
    Column("key", String(200), primary_key=True),
    Column("mailbox", String(300), nullable=False),  # user@host/folder
    Column("message_id", Text, nullable=True),
    Column("outcome", String(20), nullable=False),  # parsed | duplicate | unparsed | too_large
    Column("case_id", String(36), nullable=True, index=True),
    Column("sender", Text, nullable=True),
    Column("subject", Text, nullable=True),
    Column("size_bytes", BigInteger, nullable=False),
    Column("taken_at", String(30), nullable=False),
    Column("raw", LargeBinary, nullable=True),
)

# The health of each mailbox HQ reads: the board shows it (hq.mailbox.health).
mailbox_health = Table(
    "mailbox_health",
    metadata,
    Column("mailbox", String(300), primary_key=True),
    Column("last_contact_at", String(30), nullable=True),  # the server last answered
    Column("last_fetch_at", String(30), nullable=True),  # a whole run last ended without an error
    Column("last_error", Text, nullable=True),
    Column("last_error_at", String(30), nullable=True),
    Column("taken", BigInteger, nullable=False),  # mails taken in all
    Column("refused", BigInteger, nullable=False),  # oversized mails refused in all
)

# Escalation (hq/escalation, docs/HQ.md "Escalation"). A district's policy, or the state-wide default
# under district "*": ``policy`` is its JSON (``hq.escalation.policy.Policy``), ``version`` counts edits.
escalation_policies = Table(
    "escalation_policies",
    metadata,
    Column("district", String(100), primary_key=True),
    Column("policy", Text, nullable=False),
    Column("version", Integer, nullable=False),
    Column("updated_at", String(30), nullable=False),
    Column("updated_by", String(150), nullable=False),
)

# Who a notification step reaches: per district, optionally per police station, by role
# (sp_control_room, sho, range_dig, hq_duty).
duty_contacts = Table(
    "duty_contacts",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("district", String(100), nullable=False, index=True),
    Column("station", String(100), nullable=True),
    Column("role", String(40), nullable=False),
    Column("name", Text, nullable=False),
    Column("phone", String(32), nullable=True),
    Column("email", String(200), nullable=True),
    Column("created_at", String(30), nullable=False),
)

# One running (or finished) escalation of a case at a tier for a trigger. ``snapshot`` is the policy
# as it was when the escalation started; ``next_step`` (0-based into the snapshot's planned steps) is
# the compare-and-set claim: a worker runs step N only if its UPDATE moved next_step from N to N+1.
escalations = Table(
    "escalations",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("case_id", String(36), nullable=False),
    Column("tier", String(20), nullable=False),
    Column("trigger", String(40), nullable=False),
    Column("district", String(100), nullable=True),
    Column("assignment", String(36), nullable=False),  # the case's last assigned event when it started
    Column("snapshot", Text, nullable=False),
    Column("policy_version", Integer, nullable=False),
    Column("started_at", String(30), nullable=False),
    Column("last_step_at", String(30), nullable=False),
    Column("next_step", Integer, nullable=False),
    Column("next_due_at", String(30), nullable=True, index=True),
    Column("first_round", Boolean, nullable=False),
    Column("status", String(20), nullable=False),  # running | stopped | done
    Column("stop_reason", Text, nullable=True),
    Column("claimed_by", String(100), nullable=True),
    Column("updated_at", String(30), nullable=False),
    Index("ux_escalations_case_tier_trigger", "case_id", "tier", "trigger", "assignment", unique=True),
    Index("ix_escalations_status_due", "status", "next_due_at"),
)

# Every notification sent by a step, and the delivery receipt the gateway posted back for it.
escalation_deliveries = Table(
    "escalation_deliveries",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("escalation_id", String(36), nullable=False, index=True),
    Column("step", Integer, nullable=False),
    Column("case_id", String(36), nullable=False),
    Column("channel", String(20), nullable=False),
    Column("target", String(200), nullable=False),
    Column("provider_id", String(200), nullable=True, index=True),
    Column("result", String(40), nullable=False),
    Column("answer", Text, nullable=True),
    Column("attempts", Integer, nullable=False),
    Column("sent_at", String(30), nullable=False),
    Column("receipt_status", String(40), nullable=True),
    Column("receipt_at", String(30), nullable=True),
)

# Where the runner's scan of new events has reached (``events.seq``): one row, moved by compare-and-set.
escalation_cursor = Table(
    "escalation_cursor",
    metadata,
    Column("name", String(20), primary_key=True),
    Column("seq", BigInteger, nullable=False),
)

# One row per case: its fold (``core.fold.fold``) flattened for reports and boards, maintained by
# ``hq.feed.Batch`` in the same transaction as every event write (``hq.summary``). NULL time = not yet.
case_summary = Table(
    "case_summary",
    metadata,
    Column("case_id", String(36), primary_key=True),
    Column("district", String(100), nullable=True),
    Column("police_station", String(100), nullable=True),
    Column("kind", String(40), nullable=True),  # the effective kind: suicide_risk once raised
    Column("source", String(40), nullable=True),
    Column("priority", Integer, nullable=True),
    Column("status", String(20), nullable=False),
    Column("received_at", String(30), nullable=True),
    Column("hq_acknowledged_at", String(30), nullable=True),
    Column("routed_at", String(30), nullable=True),
    Column("district_acknowledged_at", String(30), nullable=True),
    Column("dispatched_at", String(30), nullable=True),
    Column("forwarded_at", String(30), nullable=True),
    Column("reached_at", String(30), nullable=True),
    Column("outcome", String(40), nullable=True),
    Column("outcome_reason", String(40), nullable=True),
    Column("outcome_at", String(30), nullable=True),
    Column("counselled_at", String(30), nullable=True),
    Column("closed_at", String(30), nullable=True),
    Column("escalations", Integer, nullable=False),
    Column("last_escalation_step", String(200), nullable=True),
    Column("last_escalation_at", String(30), nullable=True),
    Column("follow_ups_open", Integer, nullable=False),
    Column("next_follow_up_due", String(30), nullable=True),
    Column("updated_at", String(30), nullable=False),
    # each step's duration in seconds (``core.report_rows.STEP_SECONDS_COLUMNS``): the timing report's input
    Column("hq_acknowledged_s", Float, nullable=True),
    Column("routed_s", Float, nullable=True),
    Column("district_acknowledged_s", Float, nullable=True),
    Column("dispatched_s", Float, nullable=True),
    Column("reached_s", Float, nullable=True),
    Column("counselled_s", Float, nullable=True),
    Index("ix_case_summary_district_received", "district", "received_at"),
    Index("ix_case_summary_status", "status"),
    Index("ix_case_summary_received", "received_at"),
)

# One row per console heartbeat (``hq.presence``): which console, for which district, whether its
# alarm could sound and, when the heartbeat reports a test alarm, whether an operator heard it. The
# console-health report reads coverage from it: a console counts as online for the heartbeat interval
# after each row (``hq.presence.PRESENCE_ONLINE_S``).
presence_log = Table(
    "presence_log",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("device_id", String(100), nullable=False),
    Column("district", String(100), nullable=True),
    Column("at", String(30), nullable=False),
    Column("online", Boolean, nullable=False),
    Column("can_sound", Boolean, nullable=False),
    Column("test_heard", Boolean, nullable=True),  # None: this heartbeat reports no test alarm
    Index("ix_presence_log_district_at", "district", "at"),
)

# Each case's follow-ups (``core.fold.FollowUp``), maintained with ``case_summary`` (``hq.summary``).
follow_up_summary = Table(
    "follow_up_summary",
    metadata,
    Column("follow_up_id", String(36), primary_key=True),
    Column("case_id", String(36), nullable=False, index=True),
    Column("district", String(100), nullable=True),
    Column("due", String(30), nullable=False),
    Column("done_at", String(30), nullable=True),
    Index("ix_follow_up_summary_district_due", "district", "due"),
)

# The compliance and tip-line reports' rows, maintained with ``case_summary`` (``hq.summary``):
# one per complaint (``core.report_rows.complaint_values``), one per deadline its clock started, and
# one per tip (``core.report_rows.tip_values``: counts only, nothing about the tipster).
complaint_summary = Table(
    "complaint_summary",
    metadata,
    Column("case_id", String(36), primary_key=True),
    Column("district", String(100), nullable=True),
    Column("category", String(40), nullable=False),
    Column("platform", String(40), nullable=True),
    Column("posted_at", String(30), nullable=True),
    Column("first_response_s", Float, nullable=True),
    Index("ix_complaint_summary_posted", "posted_at"),
    Index("ix_complaint_summary_district_posted", "district", "posted_at"),
)
complaint_deadlines = Table(
    "complaint_deadlines",
    metadata,
    Column("case_id", String(36), primary_key=True),
    Column("deadline", String(20), primary_key=True),
    Column("started_at", String(30), primary_key=True),
    Column("started_s", Float, nullable=False),
    Column("met_s", Float, nullable=True),
)
tip_summary = Table(
    "tip_summary",
    metadata,
    Column("case_id", String(36), primary_key=True),
    Column("district", String(100), nullable=True),
    Column("category", String(40), nullable=False),
    Column("received_at", String(30), nullable=True),
    Column("status", String(20), nullable=False),
    Column("questions", Integer, nullable=False),
    Column("answered", Integer, nullable=False),
    Index("ix_tip_summary_received", "received_at"),
    Index("ix_tip_summary_district_received", "district", "received_at"),
)

# ---------------------------------------------------------------------------------------------
# The anonymous tip line (hq/tipline, docs/TIPLINE.md). No column holds a tipster's number in clear
# or any unkeyed function of it: ``sender_ref`` is an HMAC under the relay's pseudonym key and
# ``sealed_number`` is AES-GCM under the relay's seal key. None of these tables is served to police.
# ---------------------------------------------------------------------------------------------

tip_senders = Table(
    "tip_senders",
    metadata,
    Column("ref", String(64), primary_key=True),  # HMAC-SHA256(pseudonym key, E.164 number), hex
    Column("pseudonym", String(40), nullable=False, unique=True),  # "Tipster K7F3"
    Column("sealed_number", LargeBinary, nullable=True),  # NULL once destroyed (retention)
    Column("seal_key_id", String(16), nullable=True),
    Column("first_seen", String(30), nullable=False),
    Column("last_seen", String(30), nullable=False),
    Column("tips", Integer, nullable=False),  # tips filed under this pseudonym
    Column("destroyed_at", String(30), nullable=True),
)

# One row per WhatsApp message accepted by the webhook (signature checked): the bot's work queue and
# the idempotency record. ``message_ref`` is a keyed HMAC of WhatsApp's message id (a redelivery has
# the same one); the id itself is never stored, because a ``wamid`` is base64 holding the sender's number.
tip_inbox = Table(
    "tip_inbox",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("message_ref", String(64), nullable=False, unique=True),
    Column("sender_ref", String(64), nullable=False, index=True),
    Column("received_at", String(30), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("body", Text, nullable=False),  # JSON: text, media id, caption; never the sender
    Column("status", String(20), nullable=False, index=True),  # new | done | failed
    Column("processed_at", String(30), nullable=True),
)

# The bot's state per sender (hq.tipline.bot).
tip_conversations = Table(
    "tip_conversations",
    metadata,
    Column("sender_ref", String(64), primary_key=True),
    Column("state", String(20), nullable=False),
    Column("language", String(8), nullable=True),
    Column("draft", Text, nullable=False),  # JSON
    Column("started_at", String(30), nullable=False),
    Column("updated_at", String(30), nullable=False),
    Column("last_inbound_at", String(30), nullable=True),  # the Cloud API's 24-hour window
    Column("tip_case_id", String(36), nullable=True),  # the tip last filed (messages bundle into it)
    Column("filed_at", String(30), nullable=True),
    Column("question_id", String(36), nullable=True),  # an officer's question awaiting its answer
    Column("question_case_id", String(36), nullable=True),
    Column("lease_owner", String(64), nullable=True),
    Column("lease_until", String(30), nullable=True),
)

tips = Table(
    "tips",
    metadata,
    Column("case_id", String(36), primary_key=True),
    Column("sender_ref", String(64), nullable=False, index=True),
    Column("receipt_hash", String(64), nullable=False, unique=True),  # HMAC of the receipt code; never the code
    Column("category", String(40), nullable=False),
    Column("district", String(100), nullable=True),
    Column("created_at", String(30), nullable=False),
)

# The officers an SP's office passes its district's tips to (a ``tip_officer_assigned`` event names
# one by ``id``). Never deleted: a retired officer is made inactive, and old tips keep naming them.
tip_officers = Table(
    "tip_officers",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("district", String(100), ForeignKey("districts.code"), nullable=False, index=True),
    Column("name", String(200), nullable=False),
    Column("rank", String(100), nullable=False),
    Column("station", String(100), nullable=True),
    Column("active", Boolean, nullable=False),
    Column("created_at", String(30), nullable=False),
    Column("created_by", String(100), nullable=False),
)

tip_media = Table(
    "tip_media",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("sender_ref", String(64), nullable=False, index=True),
    Column("case_id", String(36), nullable=True, index=True),
    Column("kind", String(10), nullable=False),
    Column("mime", String(100), nullable=False),  # sniffed from the bytes
    Column("original_sha256", String(64), nullable=False),
    Column("original_bytes", BigInteger, nullable=False),
    Column("sealed_original", LargeBinary, nullable=True),  # AES-GCM, seal key: evidence, may identify
    Column("police_sha256", String(64), nullable=False),
    Column("police_bytes", BigInteger, nullable=False),
    Column("police_copy", LargeBinary, nullable=False),  # AES-GCM, media key: metadata removed
    Column("cleaning", Text, nullable=False),  # what was removed, and what could not be
    Column("received_at", String(30), nullable=False),
)

# Replies waiting to be sent through the Cloud API. The recipient is the sealed sender (unsealed only
# at the moment of sending); ``last_error`` holds a status code, never the API's text (which may
# quote the number).
tip_outbox = Table(
    "tip_outbox",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("sender_ref", String(64), nullable=False, index=True),
    Column("body", Text, nullable=False),  # JSON: {"text": ...} or {"template": ..., "language": ...}
    Column("created_at", String(30), nullable=False),
    Column("status", String(20), nullable=False, index=True),  # pending | sent | failed
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", String(30), nullable=False),
    Column("sent_at", String(30), nullable=True),
    Column("last_error", String(100), nullable=True),
)

# One row per platform item HQ's social-media connectors have taken (hq.complaints.take), keyed by
# ``<platform>:<platform id>``: a complaint, or a citizen's reply recorded on an existing complaint.
# Written in the same transaction as the case or event it made, so a re-delivered webhook, a poll
# repeated after an outage, or a second HQ worker never makes a twin.
complaint_items = Table(
    "complaint_items",
    metadata,
    Column("key", String(250), primary_key=True),
    Column("case_id", String(36), nullable=False, index=True),
    Column("platform", String(20), nullable=False),
    Column("item", String(20), nullable=False),  # comment | mention | direct_message | citizen_reply
    Column("author_id", String(200), nullable=True),
    Column("thread_id", String(200), nullable=True),
    Column("posted_at", String(30), nullable=False),
    Column("taken_at", String(30), nullable=False),
    # when the SLA sweep next looks at the case (hq.complaints.sweep); NULL: nothing left to watch
    Column("next_check_at", String(30), nullable=True),
    Index("ix_complaint_items_author", "platform", "author_id"),
    Index("ix_complaint_items_thread", "platform", "thread_id"),
    Index("ix_complaint_items_next_check_at", "next_check_at"),
)

# A reply to a complaint and its publication (hq.complaints.replies). ``reply_id`` is the idempotency
# key: the row is claimed (``publishing``) and committed before the platform is called, so a crash or
# a timeout leaves ``publishing``/``unknown`` and the next attempt first asks the platform whether the
# reply is already there. Never deleted.
complaint_replies = Table(
    "complaint_replies",
    metadata,
    Column("reply_id", String(36), primary_key=True),
    Column("case_id", String(36), nullable=False, index=True),
    Column("platform", String(20), nullable=False),
    Column("target_id", String(200), nullable=False),  # the platform id replied to
    Column("text", Text, nullable=False),
    # awaiting_approval | ready | publishing | unknown | failed | published | given_up
    Column("status", String(20), nullable=False, index=True),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", String(30), nullable=True),
    Column("claimed_at", String(30), nullable=True),
    Column("platform_reply_id", String(200), nullable=True),
    Column("url", Text, nullable=True),
    Column("last_error", Text, nullable=True),
    Column("created_at", String(30), nullable=False),
)

# Each polled connector's cursor, quota and health (hq.connectors): the cursor advances only after
# every item up to it is stored; the quota counts the units spent on the platform's quota day.
connector_state = Table(
    "connector_state",
    metadata,
    Column("name", String(100), primary_key=True),  # x:mentions, x:dms, youtube:threads ...
    Column("cursor", Text, nullable=True),
    Column("quota_day", String(10), nullable=True),
    Column("quota_used", Integer, nullable=False),
    Column("paused_until", String(30), nullable=True),  # rate limit or quota: no call before this
    Column("last_contact_at", String(30), nullable=True),
    Column("last_ok_at", String(30), nullable=True),
    Column("last_error", Text, nullable=True),
    Column("last_error_at", String(30), nullable=True),
    Column("taken", BigInteger, nullable=False),
)

# Misinformation claims (hq.claims, docs/CLAIMS.md). ``platforms``, ``links`` and ``media`` are JSON
# lists; the districts a claim spread in are rows of ``claim_districts`` so a district's operators
# can be given theirs by an indexed query. ``rebutted_at`` is when the claim first became rebutted
# (the reports' time to rebuttal), kept if it is later closed.
claims = Table(
    "claims",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("text", Text, nullable=False),
    Column("official_version", Text, nullable=False),
    Column("status", String(20), nullable=False, index=True),
    Column("platforms", Text, nullable=False),  # JSON list
    Column("links", Text, nullable=False),  # JSON list
    Column("media", Text, nullable=False),  # JSON list of {sha256, link, phash}
    Column("created_at", String(30), nullable=False, index=True),
    Column("created_by", String(100), nullable=False),
    Column("updated_at", String(30), nullable=False, index=True),  # the matcher's catch-up (hq.claims.service)
    Column("rebutted_at", String(30), nullable=True),
)

claim_districts = Table(
    "claim_districts",
    metadata,
    Column("claim_id", String(36), ForeignKey("claims.id"), primary_key=True),
    Column("district", String(100), primary_key=True),
    Index("ix_claim_districts_district", "district"),
)

claim_rebuttals = Table(
    "claim_rebuttals",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("claim_id", String(36), ForeignKey("claims.id"), nullable=False, index=True),
    Column("platform", String(20), nullable=False),
    Column("link", Text, nullable=False),
    Column("published_at", String(30), nullable=False),
    Column("added_by", String(100), nullable=False),
    Column("added_at", String(30), nullable=False),
)

# Posts proposed as the same rumour as a claim: by text likeness or the same image. An operator
# confirms or dismisses each; nothing is linked without them.
claim_suggestions = Table(
    "claim_suggestions",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("claim_id", String(36), ForeignKey("claims.id"), nullable=False, index=True),
    Column("post_ref", String(300), nullable=False),  # the platform's id of the post, or a complaint id
    Column("post_text", Text, nullable=False),
    Column("post_link", Text, nullable=True),
    Column("kind", String(10), nullable=False),  # text | image
    Column("score", Integer, nullable=False),  # likeness in thousandths
    Column("image_hash", String(32), nullable=True),
    Column("status", String(20), nullable=False, index=True),  # suggested | confirmed | dismissed
    Column("created_at", String(30), nullable=False),
    Column("decided_by", String(100), nullable=True),
    Column("decided_at", String(30), nullable=True),
    Index("ux_claim_suggestions_claim_post", "claim_id", "post_ref", unique=True),
)

# The suspicious-accounts register. (platform, handle) is the normalised handle
# (core.accounts.normalise_handle): one account, one row. ``district`` is where the account is
# followed (its district's operators read it); NULL for state-wide.
accounts = Table(
    "accounts",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("platform", String(20), nullable=False),
    Column("handle", String(200), nullable=False),
    Column("url", Text, nullable=True),
    Column("reasons", Text, nullable=False),  # JSON list of core.accounts.Reason
    Column("status", String(20), nullable=False, index=True),
    Column("district", String(100), nullable=True, index=True),
    Column("note", Text, nullable=False),
    Column("created_at", String(30), nullable=False),
    Column("created_by", String(100), nullable=False),
    Column("updated_at", String(30), nullable=False),
    Column("flagged", Integer, nullable=False),  # times it was flagged on arrival
    Column("last_flagged_at", String(30), nullable=True),
    Index("ux_accounts_platform_handle", "platform", "handle", unique=True),
)

account_links = Table(
    "account_links",
    metadata,
    Column("account_id", String(36), ForeignKey("accounts.id"), primary_key=True),
    Column("kind", String(10), primary_key=True),  # post | claim | case
    Column("ref", String(300), primary_key=True),
    Column("added_by", String(100), nullable=False),
    Column("added_at", String(30), nullable=False),
)

account_actions = Table(
    "account_actions",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("account_id", String(36), ForeignKey("accounts.id"), nullable=False, index=True),
    Column("kind", String(30), nullable=False, index=True),  # core.accounts.ActionKind
    Column("reference", Text, nullable=False),  # FIR number, notice number, platform ticket
    Column("on_date", String(10), nullable=False),  # YYYY-MM-DD, the day it was done
    Column("note", Text, nullable=False),
    Column("added_by", String(100), nullable=False),
    Column("added_at", String(30), nullable=False),
)

# Every change to a claim or an account: who, when, what (field -> [before, after]). The same change
# is also in ``audit``; this is the per-record history the detail views show.
register_history = Table(
    "register_history",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("subject", String(10), nullable=False),  # claim | account
    Column("subject_id", String(36), nullable=False),
    Column("at", String(30), nullable=False),
    Column("actor", String(100), nullable=False),
    Column("username", String(100), nullable=True),
    Column("change", Text, nullable=False),  # JSON object
    Index("ix_register_history_subject", "subject", "subject_id"),
)

# Canned bilingual replies for complaints (hq.complaints.canned, migration 0013_canned_replies):
# supervisors and admins edit them; a reply no longer wanted is retired, never deleted.
canned_replies = Table(
    "canned_replies",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("title", String(200), nullable=False),
    Column("text_hi", Text, nullable=False),
    Column("text_en", Text, nullable=False),
    Column("category", String(40), nullable=True),  # a ComplaintCategory value, or none: any complaint
    Column("updated_by", String(100), nullable=False),
    Column("updated_at", String(30), nullable=False),
    Column("retired", Boolean, nullable=False),
)
