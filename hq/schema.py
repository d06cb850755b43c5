"""HQ's tables (SQLAlchemy Core). The migration in ``migrations/versions`` creates exactly these;
``tests/integration/hq/test_migrations.py`` checks that the two never drift apart.

Times are stored as canonical ISO 8601 UTC text (``core.events.iso``): it sorts correctly as text and
reads the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
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
