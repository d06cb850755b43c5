"""A case's history: the append-only event log and the rules every event must satisfy.

This module is shared by the desktop client and HQ, so "valid event" means the same on both sides.
It knows neither Qt, HTTP nor SQL. Events are immutable; nothing is ever edited or deleted in place:
corrections are ``amended`` events that point at the event they correct.

Kept in one file because it is the one contract both sides validate by: the event types, their
payload schemas and the small checker those schemas are written in change together.
"""

from __future__ import annotations

import enum
import json
import math
import re
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from core.errors import InvalidEvent
from core.hlc import Stamp
from core.ids import new_id
from core.tips import TipCategory, TipLanguage, TipMediaKind, TipOutcome

MAX_TEXT_CHARS = 20_000
MAX_SHORT_CHARS = 500
MAX_PAYLOAD_BYTES = 64 * 1024


class EventType(enum.StrEnum):
    CREATED = "created"
    ASSIGNED = "assigned"
    ACKNOWLEDGED = "acknowledged"
    LOCATED = "located"
    DISPATCHED = "dispatched"
    FORWARDED = "forwarded"
    EN_ROUTE = "en_route"
    REACHED = "reached"
    OUTCOME_RECORDED = "outcome_recorded"
    COUNSELLING_NOTE = "counselling_note"
    FOLLOW_UP_SCHEDULED = "follow_up_scheduled"
    FOLLOW_UP_DONE = "follow_up_done"
    ESCALATED = "escalated"
    ALARM_MUTED = "alarm_muted"
    CONTACT_REVEALED = "contact_revealed"
    CLOSED = "closed"
    REOPENED = "reopened"
    AMENDED = "amended"
    RISK_RAISED = "risk_raised"
    # The anonymous tip line (core.tips, docs/TIPLINE.md): made at HQ only, never pushed by a console.
    TIP_ADDED = "tip_added"  # the tipster added text or media to a filed tip (the relay writes it)
    TIP_QUESTION = "tip_question"  # an officer's question, relayed to the tipster
    TIP_ANSWER = "tip_answer"  # the tipster's answer to a question (the relay writes it)
    # The follow-up work on a tip, recorded at a console (the SP's office) and pushed like any case work.
    TIP_OFFICER_ASSIGNED = "tip_officer_assigned"  # passed to a designated officer (reassignable)
    TIP_ACTION = "tip_action"  # an action taken on the tip, as a note
    TIP_OUTCOME = "tip_outcome"  # what came of it (core.tips.TipOutcome); a later one supersedes
    # Complaints (core.complaints, core.sla): triage, replies and the two-hour clock.
    CATEGORISED = "categorised"
    DUPLICATE_LINKED = "duplicate_linked"
    REPLY_DRAFTED = "reply_drafted"
    REPLY_APPROVED = "reply_approved"
    REPLY_PUBLISHED = "reply_published"
    REPLY_PUBLISH_FAILED = "reply_publish_failed"
    CITIZEN_REPLIED = "citizen_replied"
    SLA_WARNED = "sla_warned"
    SLA_BREACHED = "sla_breached"


class CaseKind(enum.StrEnum):
    """Known kinds. Kind stays an open string in events so later channels need no migration."""

    SUICIDE_RISK = "suicide_risk"
    TIP = "tip"
    COMPLAINT = "complaint"


class Tier(enum.StrEnum):
    """Who an acknowledgement or a mute speaks for.

    HQ's acknowledgement records receipt at HQ and quiets HQ's consoles only; a district's consoles
    ring until an operator of the assigned district acknowledges. ``core.commands`` writes the tier
    of the author into the payload; HQ's push refuses a tier the author's role does not hold.
    """

    HQ = "hq"
    DISTRICT = "district"


# The account role whose acknowledgements speak for a district; every other role that writes is HQ's.
DISTRICT_ROLE = "district_operator"


def tier_for_role(role: str | None) -> Tier:
    """The tier of an account role (HQ operator, supervisor, admin: HQ; district operator: district).

    An unknown or empty role counts as a district: its acknowledgement then cannot pass HQ's push
    check for the HQ tier, and a district console rings until the district acknowledges.
    """
    if role in (None, "", DISTRICT_ROLE):
        return Tier.DISTRICT
    return Tier.HQ


class Source(enum.StrEnum):
    FACEBOOK = "facebook"
    INSTAGRAM = "instagram"
    X = "x"
    YOUTUBE = "youtube"
    WHATSAPP_TIPLINE = "whatsapp_tipline"
    MANUAL = "manual"
    OTHER = "other"


class ComplaintCategory(enum.StrEnum):
    """What a citizen's complaint is about (set at triage; ``core.sla`` may give each its own clock)."""

    CRIME_REPORT = "crime_report"
    TRAFFIC = "traffic"
    CYBER_FRAUD = "cyber_fraud"
    WOMENS_SAFETY = "womens_safety"
    POLICE_CONDUCT = "police_conduct"
    INFORMATION_REQUEST = "information_request"
    NOT_ACTIONABLE = "not_actionable"


class ItemKind(enum.StrEnum):
    """What a complaint arrived as on its platform."""

    COMMENT = "comment"
    MENTION = "mention"
    DIRECT_MESSAGE = "direct_message"


class DeadlineKind(enum.StrEnum):
    """The deadlines of a complaint's clock (``core.sla``), as Chatwoot names its SLA thresholds."""

    FIRST_RESPONSE = "first_response"
    NEXT_RESPONSE = "next_response"
    RESOLUTION = "resolution"


class Outcome(enum.StrEnum):
    SAFE_COUNSELLED = "safe_counselled"
    HANDED_TO_FAMILY = "handed_to_family"
    HOSPITALISED = "hospitalised"
    NOT_REACHED = "not_reached"
    FALSE_ALARM = "false_alarm"
    DECEASED = "deceased"
    OTHER = "other"


# Outcomes counted as "life saved" in the published tables.
SAVED_OUTCOMES = frozenset({Outcome.SAFE_COUNSELLED, Outcome.HANDED_TO_FAMILY, Outcome.HOSPITALISED})


class NotReachedReason(enum.StrEnum):
    LOCATION_NOT_TRACED = "location_not_traced"
    PHONE_SWITCHED_OFF = "phone_switched_off"
    OTHER_STATE = "other_state"
    OTHER = "other"


class FalseAlarmReason(enum.StrEnum):
    OLD_POST = "old_post"
    PRANK = "prank"
    WRONG_PERSON = "wrong_person"
    OTHER = "other"


class ForwardTarget(enum.StrEnum):
    ERSS_112 = "erss_112"
    OTHER_STATE_POLICE = "other_state_police"
    COUNSELLING_SERVICE = "counselling_service"


class LocationMethod(enum.StrEnum):
    CDR_TOWER = "cdr_tower"
    PHONE_CALL = "phone_call"
    PLATFORM_DATA = "platform_data"
    FIELD = "field"
    OTHER = "other"


class Priority(enum.IntEnum):
    CRITICAL = 1
    HIGH = 2
    NORMAL = 3
    LOW = 4


# ---------------------------------------------------------------------------------------------
# Payload schemas: a small declarative checker (no dependency, same code on both sides).
# ---------------------------------------------------------------------------------------------

Check = Callable[[Any, str], None]


def _fail(path: str, why: str) -> None:
    raise InvalidEvent(f"{path}: {why}")


def text(max_chars: int = MAX_SHORT_CHARS, *, allow_empty: bool = False) -> Check:
    def check(value: Any, path: str) -> None:
        if not isinstance(value, str):
            _fail(path, "must be text")
        if not allow_empty and (not value or value.isspace()):
            _fail(path, "must not be empty")
        if len(value) > max_chars:
            _fail(path, f"longer than {max_chars} characters")

    return check


# Characters no text in a new event may hold. NUL cannot be stored in a PostgreSQL text column at
# all; the other C0 control characters are invisible and mean nothing in a name, a code or a
# reference; a lone UTF-16 surrogate is not Unicode text (no UTF-8 encoder, so no database, takes it).
# Free text (notes, post text, reasons, addresses) keeps tab and line breaks.
_NOT_IN_LINE = re.compile("[\x00-\x1f\ud800-\udfff]")
_NOT_IN_FREE_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")

# Payload fields whose text is a single line: the codes and references HQ and the console match on.
# Every other payload text, names and numbers people type or paste included, is free text: a suicide
# alert or an operator's entry is never refused over a line break or tab pasted into a name (the NUL
# and the other control characters are still refused). Enumerations and times are not listed: their
# own checks refuse anything but their values.
SINGLE_LINE_FIELDS = frozenset({"kind", "upstream_ref", "district", "police_station", "language", "field"})


def text_problem(value: str, *, free_text: bool = False) -> str | None:
    """Why ``value`` cannot be stored as text, or None if it can (see ``_NOT_IN_LINE``).

    The reason names the character by code point and position, never by quoting it. HQ's request
    models use this too, so a request field and an event field refuse the same characters.
    """
    found = (_NOT_IN_FREE_TEXT if free_text else _NOT_IN_LINE).search(value)
    if found is None:
        return None
    code = ord(found.group())
    where = f"U+{code:04X} at character {found.start() + 1}"
    if 0xD800 <= code <= 0xDFFF:
        return f"is not valid Unicode text (a lone surrogate, {where})"
    if code == 0:
        return f"must not contain a NUL character ({where})"
    if code in (0x09, 0x0A, 0x0D):
        return f"must be one line without tabs ({where})"
    return f"must not contain a control character ({where})"


def _is_scalar(value: Any) -> bool:
    return not isinstance(value, str | dict | list)


def check_characters(value: Any, path: str, *, free_text: bool = True) -> None:
    """Refuse (InvalidEvent naming the field) any text in ``value``, however deeply nested, that holds
    a character ``text_problem`` refuses; field names too. A field listed in ``SINGLE_LINE_FIELDS``
    must be one line; other text may hold tabs and line breaks. Iterative: any JSON depth is safe."""
    stack: list[tuple[Any, str, bool]] = [(value, path, free_text)]
    while stack:
        item, where, free = stack.pop()
        if isinstance(item, str):
            problem = text_problem(item, free_text=free)
            if problem is not None:
                _fail(where, problem)
        elif isinstance(item, dict):
            for key, sub in item.items():
                if not isinstance(key, str):
                    continue
                if _NOT_IN_LINE.search(key):
                    _fail(where, f"a field name {text_problem(key)}")
                free_sub = key not in SINGLE_LINE_FIELDS
                if isinstance(sub, str):  # the common case, checked in place (a push checks every event)
                    if (_NOT_IN_FREE_TEXT if free_sub else _NOT_IN_LINE).search(sub):
                        _fail(f"{where}.{key}", str(text_problem(sub, free_text=free_sub)))
                elif isinstance(sub, dict | list):
                    stack.append((sub, f"{where}.{key}", free_sub))
        elif isinstance(item, list):
            stack.extend((sub, f"{where}[{i}]", free) for i, sub in enumerate(item) if not _is_scalar(sub))


def one_of(enum_type: type[enum.Enum]) -> Check:
    allowed = sorted(str(m.value) for m in enum_type)

    def check(value: Any, path: str) -> None:
        if value not in allowed:
            _fail(path, f"must be one of {', '.join(allowed)}")

    return check


def boolean(value: Any, path: str) -> None:
    if not isinstance(value, bool):
        _fail(path, "must be true or false")


def integer(lo: int, hi: int) -> Check:
    def check(value: Any, path: str) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
            _fail(path, f"must be a whole number from {lo} to {hi}")

    return check


def number(lo: float, hi: float) -> Check:
    def check(value: Any, path: str) -> None:
        if isinstance(value, bool) or not isinstance(value, int | float):
            _fail(path, "must be a number")
        if not math.isfinite(value) or not lo <= value <= hi:
            _fail(path, f"must be between {lo} and {hi}")

    return check


def timestamp(value: Any, path: str) -> None:
    if not isinstance(value, str):
        _fail(path, "must be an ISO 8601 time")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        _fail(path, "must be an ISO 8601 time")
        return
    if parsed.tzinfo is None:
        _fail(path, "must carry a time zone")


# The canonical form every Rakshak id has; anything else still gets the full ``uuid.UUID`` parse.
_CANONICAL_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def identifier(value: Any, path: str) -> None:
    if not isinstance(value, str):
        _fail(path, "must be a UUID")
    if _CANONICAL_UUID.fullmatch(value):  # fast path (an initial sync checks a million ids)
        return
    try:
        uuid.UUID(value)
    except ValueError:
        _fail(path, "must be a UUID")


def list_of(item: Check, max_items: int = 20) -> Check:
    def check(value: Any, path: str) -> None:
        if not isinstance(value, list):
            _fail(path, "must be a list")
        if len(value) > max_items:
            _fail(path, f"more than {max_items} items")
        for i, v in enumerate(value):
            item(v, f"{path}[{i}]")

    return check


def obj(required: Mapping[str, Check], optional: Mapping[str, Check] | None = None) -> Check:
    optional = optional or {}
    allowed = frozenset(required) | frozenset(optional)

    def check(value: Any, path: str) -> None:
        if not isinstance(value, dict):
            _fail(path, "must be an object")
        for key, sub in required.items():
            if key not in value or value[key] is None:
                _fail(f"{path}.{key}", "is required")
            sub(value[key], f"{path}.{key}")
        for key, sub in optional.items():
            if value.get(key) is not None:
                sub(value[key], f"{path}.{key}")
        if not allowed.issuperset(value):
            _fail(path, f"unknown field(s) {', '.join(sorted(set(value) - allowed))}")

    return check


def any_object(value: Any, path: str) -> None:
    if not isinstance(value, dict):
        _fail(path, "must be an object")


PHONE = text(32)
LOCATION = obj(
    {"text": text(MAX_SHORT_CHARS, allow_empty=True)},
    {
        "latitude": number(-90, 90),
        "longitude": number(-180, 180),
        "accuracy_m": number(0, 1_000_000),
    },
)
SUBJECT = obj(
    {},
    {
        "name": text(200),
        "phones": list_of(PHONE, 10),
        "profile_url": text(2000),
        "post_url": text(2000),
        "picture_url": text(2000),
        "post_text": text(MAX_TEXT_CHARS, allow_empty=True),
        "language": text(16),
    },
)

_SHA256 = re.compile("[0-9a-f]{64}")


def sha256_hex(value: Any, path: str) -> None:
    if not isinstance(value, str) or not _SHA256.fullmatch(value):
        _fail(path, "must be a SHA-256 digest in lower-case hex")


# A piece of tip media as police see it: the re-encoded copy (no EXIF/GPS) HQ serves by ``id``; the
# sealed original's digest is kept as evidence (``original_sha256``).
TIP_MEDIA = obj(
    {"id": identifier, "kind": one_of(TipMediaKind), "sha256": sha256_hex, "bytes": integer(0, 2**40)},
    {"original_sha256": sha256_hex, "mime": text(100), "note": text()},
)
# What a ``created`` event of a tip carries besides the common fields. ``pseudonym`` and ``prior_tips``
# are all police learn of the tipster; the receipt code is never in an event (only its keyed hash, at HQ).
TIP = obj(
    {"category": one_of(TipCategory), "pseudonym": text(40), "prior_tips": integer(0, 1_000_000)},
    {
        "language": one_of(TipLanguage),
        "what": text(MAX_TEXT_CHARS, allow_empty=True),
        "place": text(MAX_SHORT_CHARS, allow_empty=True),
        "when": text(MAX_SHORT_CHARS, allow_empty=True),
        "media": list_of(TIP_MEDIA, 50),
        "confirmed": boolean,
        "place_unclear": boolean,
        # the police range the place names when it names no one district (the range's triage)
        "range": text(100),
    },
)
# What a complaint case carries besides its subject (the author's public handle and links are the
# subject's ``name``, ``profile_url``, ``post_url``; the text is ``post_text``): nothing more than the
# platform shows. ``posted_at`` is the platform's own time, from which the two-hour clock runs.
COMPLAINT = obj(
    {
        "platform": one_of(Source),
        "item": one_of(ItemKind),
        "platform_id": text(200),
        "posted_at": timestamp,
    },
    {
        "author_handle": text(200),
        "author_id": text(200),
        "thread_id": text(200),
        "thread_text": text(MAX_TEXT_CHARS, allow_empty=True),
        "thread_url": text(2000),
        "category": one_of(ComplaintCategory),
    },
)
_SLA_MARK = obj({"deadline": one_of(DeadlineKind), "started_at": timestamp, "due_at": timestamp})

PAYLOADS: dict[EventType, Check] = {
    EventType.CREATED: obj(
        {
            "kind": text(40),
            "source": one_of(Source),
            "upstream_ref": text(200),
            "received_at": timestamp,
            "priority": integer(1, 4),
            "subject": SUBJECT,
            "location": LOCATION,
        },
        {"district": text(100), "police_station": text(100), "summary": text(1000), "tip": TIP,
         "complaint": COMPLAINT},
    ),
    EventType.ASSIGNED: obj({"district": text(100)}, {"police_station": text(100), "note": text()}),
    # ``tier`` and ``district`` are set by ``core.commands``: whose acknowledgement this is, and for
    # which district (a district's acknowledgement counts only while the case stays assigned there).
    # An acknowledgement without a tier (older clients) is a district acknowledgement.
    EventType.ACKNOWLEDGED: obj({}, {"note": text(), "tier": one_of(Tier), "district": text(100)}),
    EventType.LOCATED: obj({"location": LOCATION, "method": one_of(LocationMethod)}, {"note": text()}),
    EventType.DISPATCHED: obj({"officer": text(200), "phone": PHONE}, {"team": text(200), "note": text()}),
    EventType.FORWARDED: obj(
        {"to": one_of(ForwardTarget), "reference": text(200)},
        {"agency": text(200), "state": text(100), "note": text()},
    ),
    EventType.EN_ROUTE: obj({}, {"note": text(), "eta_min": integer(0, 24 * 60)}),
    EventType.REACHED: obj({"at": timestamp}, {"place": text(), "note": text()}),
    EventType.OUTCOME_RECORDED: obj(
        {"outcome": one_of(Outcome)},
        {
            "not_reached_reason": one_of(NotReachedReason),
            "false_alarm_reason": one_of(FalseAlarmReason),
            "detail": text(MAX_TEXT_CHARS),
        },
    ),
    EventType.COUNSELLING_NOTE: obj(
        {"officer_name": text(200), "officer_rank": text(100), "text": text(MAX_TEXT_CHARS)},
        {"family_contacted": boolean, "referral": text(), "follow_up_date": timestamp},
    ),
    EventType.FOLLOW_UP_SCHEDULED: obj({"due": timestamp}, {"note": text(MAX_TEXT_CHARS)}),
    EventType.FOLLOW_UP_DONE: obj({"follow_up_id": identifier}, {"note": text(MAX_TEXT_CHARS)}),
    # HQ's escalation runner (hq/escalation) fills the optional fields: which escalation, its tier and
    # trigger, the step (1-based across repeats) and round, the action, and for a notification the
    # channel, target and the channel's answer. ``realarm``: the consoles of ``tier`` ring again
    # (``realarm_tier``). Older escalated events carry only ``reason`` and ``to``.
    EventType.ESCALATED: obj(
        {"reason": text()},
        {
            "to": text(200),
            "escalation_id": identifier,
            "tier": one_of(Tier),
            "trigger": text(40),
            "step": integer(1, 10_000),
            "round": integer(1, 100),
            "action": text(40),
            "channel": text(20),
            "target": text(200),
            "result": text(40),
            "answer": text(1000),
            "attempts": integer(0, 100),
            "realarm": boolean,
        },
    ),
    EventType.ALARM_MUTED: obj({"reason": text(), "until": timestamp}, {"tier": one_of(Tier)}),
    EventType.CONTACT_REVEALED: obj({"field": text(50)}),
    EventType.CLOSED: obj({}, {"reason": text()}),
    EventType.REOPENED: obj({"reason": text()}),
    # Any case (a tip, a complaint) raised to suicide-risk: it then rings like any other.
    EventType.RISK_RAISED: obj({"reason": text(MAX_TEXT_CHARS)}),
    EventType.TIP_ADDED: obj({}, {"text": text(MAX_TEXT_CHARS), "media": list_of(TIP_MEDIA, 50)}),
    EventType.TIP_QUESTION: obj({"text": text(2000)}),
    EventType.TIP_ANSWER: obj(
        {"question_id": identifier}, {"text": text(MAX_TEXT_CHARS), "media": list_of(TIP_MEDIA, 50)}
    ),
    # ``officer_id``: an entry of HQ's officer list of the tip's district (HQ refuses another).
    EventType.TIP_OFFICER_ASSIGNED: obj(
        {"officer_id": identifier, "name": text(200), "rank": text(100)}, {"station": text(100), "note": text()}
    ),
    EventType.TIP_ACTION: obj({"text": text(MAX_TEXT_CHARS)}),
    EventType.TIP_OUTCOME: obj({"outcome": one_of(TipOutcome)}, {"detail": text(MAX_TEXT_CHARS)}),
    # ``fields`` may carry any of the target's payload fields; they are checked against the target's
    # schema by ``core.commands`` when the target is known (the fold ignores fields it cannot apply).
    EventType.AMENDED: obj({"target_event_id": identifier, "fields": any_object, "reason": text()}),
    EventType.CATEGORISED: obj({"category": one_of(ComplaintCategory)}, {"note": text()}),
    # A duplicate is linked to the complaint it repeats, never deleted.
    EventType.DUPLICATE_LINKED: obj({"duplicate_of": identifier}, {"reason": text()}),
    EventType.REPLY_DRAFTED: obj(
        {"reply_id": identifier, "text": text(MAX_TEXT_CHARS), "needs_approval": boolean}, {"language": text(16)}
    ),
    EventType.REPLY_APPROVED: obj({"reply_id": identifier}, {"note": text()}),
    EventType.REPLY_PUBLISHED: obj(
        {"reply_id": identifier, "platform_id": text(200), "published_at": timestamp}, {"url": text(2000)}
    ),
    EventType.REPLY_PUBLISH_FAILED: obj(
        {"reply_id": identifier, "error": text(), "attempt": integer(1, 1000)}, {"retry_at": timestamp}
    ),
    EventType.CITIZEN_REPLIED: obj(
        {"platform_id": text(200), "at": timestamp, "text": text(MAX_TEXT_CHARS, allow_empty=True)},
        {"url": text(2000)},
    ),
    EventType.SLA_WARNED: _SLA_MARK,
    EventType.SLA_BREACHED: _SLA_MARK,
}


def realarm_tier(payload: Mapping[str, Any]) -> Tier | None:
    """The tier whose consoles an ``escalated`` event rings again, or None.

    An escalation step that re-alarms a tier ends that tier's mute made before it (``core.fold``
    applies this in fold order), so a muted case rings again on the consoles of that tier: an
    escalation is HQ saying "nobody has answered", and a mute must not hide it. Any other escalated
    event (a notification sent, a step skipped) changes no alarm.
    """
    if payload.get("realarm") is not True:
        return None
    tier = payload.get("tier")
    return Tier.HQ if tier == Tier.HQ else Tier.DISTRICT

# Tip line entries HQ alone makes (its relay, or an officer's question through HQ's tip route, which
# also sends it): a console never pushes one.
HQ_ONLY_TIP_EVENTS = frozenset({EventType.TIP_ADDED, EventType.TIP_QUESTION, EventType.TIP_ANSWER})
# The follow-up work on a tip a console records (offline too) and pushes; only a tip case takes them.
TIP_WORK_EVENTS = frozenset({EventType.TIP_OFFICER_ASSIGNED, EventType.TIP_ACTION, EventType.TIP_OUTCOME})

# Event types that describe case details rather than progress; the only ones an amendment may target.
AMENDABLE = frozenset(
    {
        EventType.CREATED,
        EventType.LOCATED,
        EventType.DISPATCHED,
        EventType.FORWARDED,
        EventType.REACHED,
        EventType.OUTCOME_RECORDED,
        EventType.COUNSELLING_NOTE,
        EventType.FOLLOW_UP_SCHEDULED,
    }
)


def utcnow() -> datetime:
    return datetime.now(UTC)


def iso(dt: datetime) -> str:
    """Canonical text form of a time: UTC, ISO 8601, milliseconds."""
    if dt.tzinfo is None:
        raise ValueError("naive datetime")
    return dt.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse_time(value: str) -> datetime:
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        raise ValueError(f"time {value!r} has no time zone")
    return parsed.astimezone(UTC)


@dataclass(frozen=True)
class Author:
    user_id: str
    display_name: str
    tier: Tier = Tier.DISTRICT  # from the account's role (``tier_for_role``)


@dataclass(frozen=True)
class Event:
    """One immutable entry of a case's log.

    ``hq_seq`` is HQ's sequence number, empty until HQ accepts the event; it is the only field that
    changes after creation and is not part of the event's content (see ``content_key``).

    ``seen_assignment`` is the id of the case's last ``assigned`` event the author's console held
    when it made the event (``core.commands.decide`` sets it): what the author knew of who is
    responsible for the case. HQ judges a district's right to write to a case HQ has since moved by
    it, not by clock order (docs/HQ.md, push rule 5). It is part of the event's content. It is
    absent on ``created`` and ``assigned`` events, on events of cases never assigned, and on events
    made by clients older than the field; absent, it is left out of the wire form entirely, so the
    content of an event made before the field existed is unchanged.

    ``signature`` is HQ's Ed25519 signature of an event HQ wrote (``created``, ``assigned``...),
    ``ed25519:<key id>:<base64>`` over ``SIGNED_PREFIX`` + ``content_key()`` (``hq.signing``). Like
    ``hq_seq`` it travels in the envelope and is not part of the content: the same event with or
    without it is the same event. A console keeps it so it can hand HQ's events back to an HQ
    restored from an older backup, which reinstates only what its own key signed.
    """

    id: str
    case_id: str
    type: EventType
    payload: Mapping[str, Any]
    author_id: str
    author_name: str
    device_id: str
    wall_time: str
    hlc: str
    hq_seq: int | None = field(default=None, compare=False)
    seen_assignment: str | None = None
    signature: str | None = field(default=None, compare=False)

    @property
    def sort_key(self) -> tuple[str, str]:
        """The one total order every fold uses: HLC, then id for ties (impossible between devices)."""
        return (self.hlc, self.id)

    def payload_json(self) -> str:
        """The payload as canonical JSON text (sorted keys, compact, non-ASCII kept): what the local
        store keeps and what the size limit counts. Computed once per event (``validate`` makes it,
        the store reuses it: an initial sync encodes half a million payloads)."""
        cached = self.__dict__.get("_payload_json")
        if cached is not None and cached[0] is self.payload:
            return str(cached[1])
        text = json.dumps(self.payload, ensure_ascii=False, allow_nan=False, separators=(",", ":"), sort_keys=True)
        object.__setattr__(self, "_payload_json", (self.payload, text))  # a cache, not a field
        return text

    def content_key(self) -> str:
        """Canonical JSON of everything but ``hq_seq`` and ``signature``: equal content means the same event."""
        return json.dumps(self.to_wire(include_seq=False), sort_keys=True, ensure_ascii=False, separators=(",", ":"))

    def with_seq(self, seq: int) -> Event:
        return replace(self, hq_seq=seq)

    def to_wire(self, *, include_seq: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "case_id": self.case_id,
            "type": str(self.type),
            "payload": dict(self.payload),
            "author_id": self.author_id,
            "author_name": self.author_name,
            "device_id": self.device_id,
            "wall_time": self.wall_time,
            "hlc": self.hlc,
        }
        if self.seen_assignment is not None:
            out["seen_assignment"] = self.seen_assignment
        if include_seq:
            out["hq_seq"] = self.hq_seq
            if self.signature is not None:
                out["signature"] = self.signature
        return out

    @classmethod
    def from_wire(cls, data: Any) -> Event:
        """Build and fully validate an event from untrusted JSON. Raises InvalidEvent with a reason."""
        if not isinstance(data, dict):
            raise InvalidEvent("event must be a JSON object")
        for key in ("id", "case_id", "type", "payload", "author_id", "author_name", "device_id", "wall_time", "hlc"):
            if key not in data:
                raise InvalidEvent(f"event.{key}: is required")
        try:
            etype = EventType(data["type"])
        except (ValueError, TypeError):
            raise InvalidEvent(f"event.type: unknown event type {data['type']!r}") from None
        seq = data.get("hq_seq")
        if seq is not None and (isinstance(seq, bool) or not isinstance(seq, int) or seq < 1):
            raise InvalidEvent("event.hq_seq: must be a positive whole number")
        signature = data.get("signature")
        if signature is not None and (not isinstance(signature, str) or not 0 < len(signature) <= MAX_SIGNATURE_CHARS):
            raise InvalidEvent(f"event.signature: must be text of at most {MAX_SIGNATURE_CHARS} characters")
        event = cls(
            id=data["id"],
            case_id=data["case_id"],
            type=etype,
            payload=data["payload"],
            author_id=data["author_id"],
            author_name=data["author_name"],
            device_id=data["device_id"],
            wall_time=data["wall_time"],
            hlc=data["hlc"],
            hq_seq=seq,
            seen_assignment=data.get("seen_assignment"),
            signature=signature,
        )
        validate(event)
        return event


MAX_SIGNATURE_CHARS = 200  # "ed25519:" + a 16-character key id + ":" + 88 base64 characters, with room
_AUTHOR_ID = text(100)
_AUTHOR_NAME = text(200)
_DEVICE_ID = text(100)


def validate(event: Event) -> None:
    """Check an event's shape and payload. Raises InvalidEvent naming the offending field.

    The characters its text may hold (``check_characters``) are judged only for an event HQ has not
    numbered yet (``hq_seq`` empty: made here, or pushed to HQ). An event from HQ's log was judged
    when HQ accepted it; judging it again by a rule made stricter since would make every replica
    refuse that page of the feed, and stop its sync there.
    """
    _validate_envelope(event)
    _validate_payload(event.type, event.payload, event.payload_json, judge_characters=event.hq_seq is None)


def validate_payload(etype: EventType, payload: Mapping[str, Any]) -> str:
    """Check a new event's payload alone (as ``validate`` does for an event not yet numbered by HQ),
    before the event is made; returns its canonical JSON text (``Event.payload_json``)."""

    def encode() -> str:
        return json.dumps(payload, ensure_ascii=False, allow_nan=False, separators=(",", ":"), sort_keys=True)

    return _validate_payload(etype, payload, encode, judge_characters=True)


def _validate_envelope(event: Event) -> None:
    identifier(event.id, "event.id")
    identifier(event.case_id, "event.case_id")
    if not isinstance(event.type, EventType):
        raise InvalidEvent(f"event.type: unknown event type {event.type!r}")
    if event.hq_seq is None:
        for name in ("author_id", "author_name", "device_id", "wall_time", "hlc"):
            check_characters(getattr(event, name), f"event.{name}", free_text=False)
    _AUTHOR_ID(event.author_id, "event.author_id")
    _AUTHOR_NAME(event.author_name, "event.author_name")
    _DEVICE_ID(event.device_id, "event.device_id")
    timestamp(event.wall_time, "event.wall_time")
    if not isinstance(event.hlc, str):
        raise InvalidEvent("event.hlc: must be text")
    try:
        Stamp.parse(event.hlc)
    except ValueError as exc:
        raise InvalidEvent(f"event.hlc: {exc}") from None
    if event.seen_assignment is not None:
        identifier(event.seen_assignment, "event.seen_assignment")
        if event.type in (EventType.CREATED, EventType.ASSIGNED):
            raise InvalidEvent(f"event.seen_assignment: a {event.type} event does not carry one")


def _validate_payload(
    etype: EventType, payload: Mapping[str, Any], encode: Callable[[], str], *, judge_characters: bool
) -> str:
    if judge_characters:
        check_characters(payload, "event.payload")
    PAYLOADS[etype](payload, "event.payload")
    try:
        # allow_nan=False: NaN/Infinity are not JSON; HQ (PostgreSQL jsonb) and strict parsers refuse them
        text = encode()
    except (TypeError, ValueError):
        raise InvalidEvent("event.payload: must be plain JSON") from None
    if len(text.encode()) > MAX_PAYLOAD_BYTES:
        raise InvalidEvent(f"event.payload: larger than {MAX_PAYLOAD_BYTES} bytes")
    if etype is EventType.AMENDED and not payload["fields"]:
        raise InvalidEvent("event.payload.fields: must name at least one field to correct")
    return text


def new_event(
    *,
    case_id: str,
    type: EventType,
    payload: Mapping[str, Any],
    author: Author,
    device_id: str,
    hlc: str,
    wall_time: datetime | None = None,
    event_id: str | None = None,
    seen_assignment: str | None = None,
    payload_json: str | None = None,
) -> Event:
    """Make and validate a new local event (the id is made here, where the event is created).

    ``payload_json``: what ``validate_payload`` returned for this very payload; the payload is then
    not checked again, only the rest of the event.
    """
    event = Event(
        id=event_id or new_id(),
        case_id=case_id,
        type=type,
        payload=dict(payload),
        author_id=author.user_id,
        author_name=author.display_name,
        device_id=device_id,
        wall_time=iso(wall_time or utcnow()),
        hlc=hlc,
        seen_assignment=seen_assignment,
    )
    if payload_json is None:
        validate(event)
    else:
        _validate_envelope(event)
        object.__setattr__(event, "_payload_json", (event.payload, payload_json))  # the cache, as payload_json()
    return event
