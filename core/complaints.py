"""A citizen's complaint from social media: a case of kind ``complaint``, read from its event log.

No Qt, HTTP or SQL. HQ's queue, triage and reply publication read complaints through
``complaint_view``. The console's queue reads the same view as stored beside each case by its
client store's projector (``stored_values``, read back by ``view_from_stored``): the view's fields,
the clock's inputs, and what ``core.sla`` gives as of the last event (deadlines, soonest due time,
the row's state at each time it can change), so a reader needs no fold and no second copy of the rule.

A complaint is made by HQ's connectors (``hq.connectors``) with a ``created`` event whose payload
carries ``complaint`` (``core.events.COMPLAINT``): the platform, what arrived (comment, mention,
direct message), the platform's id and timestamp, the thread's context, the author's public handle.
Everything after is an event: ``categorised``, ``assigned``, ``duplicate_linked``, the reply's
``reply_drafted`` -> (``reply_approved``) -> ``reply_published`` or ``reply_publish_failed``,
``citizen_replied``, and the clock's ``sla_warned``/``sla_breached`` (``core.sla``).

Upstream reference: ``<platform>:<platform id>``, so the same post polled twice or delivered by a
webhook and a poll is one case (HQ's ``cases.upstream_ref`` is unique).
"""

from __future__ import annotations

import enum
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, overload

from core.alarm import SoftAlert
from core.complaint_timeline import Timeline, parse_timeline, state_timeline, timeline_from_text, timeline_state
from core.events import (
    CaseKind,
    ComplaintCategory,
    DeadlineKind,
    Event,
    EventType,
    ItemKind,
    Source,
    iso,
    parse_time,
)
from core.sla import (
    ClockFacts,
    Deadline,
    DeadlineState,
    SlaPolicy,
    deadlines,
    facts_from_history,
    next_open,
)

PLATFORMS = (Source.FACEBOOK, Source.INSTAGRAM, Source.X, Source.YOUTUBE)
MAX_PUBLISH_ATTEMPTS = 8


class ReplyStatus(enum.StrEnum):
    AWAITING_APPROVAL = "awaiting_approval"  # drafted, needs a supervisor's approval first
    READY = "ready"  # may be published (approved, or needs no approval)
    FAILED = "failed"  # the last attempt failed; retried with backoff
    PUBLISHED = "published"


@dataclass
class Reply:
    reply_id: str
    text: str
    needs_approval: bool
    drafted_by: str
    status: ReplyStatus
    attempts: int = 0
    last_error: str | None = None
    retry_at: str | None = None
    platform_id: str | None = None
    url: str | None = None
    published_at: str | None = None

    def to_wire(self) -> dict[str, Any]:
        return {k: (str(v) if isinstance(v, enum.Enum) else v) for k, v in self.__dict__.items()}


def upstream_ref(platform: Source | str, platform_id: str) -> str:
    return f"{platform}:{platform_id}"


def complaint_payload(
    *,
    platform: Source,
    item: ItemKind,
    platform_id: str,
    posted_at: datetime,
    text: str,
    received_at: datetime,
    author_handle: str | None = None,
    author_id: str | None = None,
    author_url: str | None = None,
    post_url: str | None = None,
    thread_id: str | None = None,
    thread_text: str | None = None,
    thread_url: str | None = None,
    category: ComplaintCategory | None = None,
) -> dict[str, Any]:
    """The ``created`` payload of a complaint (what HQ's intake takes): nothing beyond what the
    platform shows publicly. Priority 3 (normal): a complaint is not an emergency until raised."""
    complaint: dict[str, Any] = {
        "platform": str(platform),
        "item": str(item),
        "platform_id": platform_id,
        "posted_at": iso(posted_at),
    }
    for key, value in (
        ("author_handle", author_handle),
        ("author_id", author_id),
        ("thread_id", thread_id),
        ("thread_text", thread_text),
        ("thread_url", thread_url),
        ("category", str(category) if category else None),
    ):
        if value:
            complaint[key] = value
    subject: dict[str, Any] = {"post_text": text[:20_000]}
    if author_handle:
        subject["name"] = author_handle[:200]
    if author_url:
        subject["profile_url"] = author_url[:2000]
    if post_url:
        subject["post_url"] = post_url[:2000]
    return {
        "kind": str(CaseKind.COMPLAINT),
        "source": str(platform),
        "upstream_ref": upstream_ref(platform, platform_id)[:200],
        "received_at": iso(received_at),
        "priority": 3,
        "subject": subject,
        "location": {"text": ""},
        "complaint": complaint,
    }


@dataclass
class ComplaintView:
    """One complaint as the queue, the composer and the countdowns show it."""

    case_id: str
    platform: str | None = None
    item: str | None = None
    platform_id: str | None = None
    posted_at: str | None = None
    author_handle: str | None = None
    author_url: str | None = None
    post_url: str | None = None
    text: str | None = None
    thread_text: str | None = None
    thread_url: str | None = None
    thread_id: str | None = None
    category: str | None = None
    district: str | None = None
    duplicate_of: str | None = None
    closed: bool = False
    raised: bool = False  # raised to suicide-risk: it rings as an alert now
    replies: dict[str, Reply] = field(default_factory=dict)
    facts: ClockFacts = field(default_factory=lambda: ClockFacts(posted_at=None))


def complaint_view(case_id: str, history: Iterable[Event]) -> ComplaintView:
    """Fold a complaint's history (fold order) into what its row and its composer show."""
    events = sorted(history, key=lambda e: e.sort_key)
    v = ComplaintView(case_id)
    for e in events:
        p: Mapping[str, Any] = e.payload
        if e.type is EventType.CREATED:
            c = p.get("complaint") or {}
            s = p.get("subject") or {}
            v.platform, v.item, v.platform_id = c.get("platform"), c.get("item"), c.get("platform_id")
            v.posted_at, v.author_handle = c.get("posted_at"), c.get("author_handle")
            v.thread_text, v.thread_url, v.thread_id = c.get("thread_text"), c.get("thread_url"), c.get("thread_id")
            v.category = c.get("category")
            v.author_url, v.post_url, v.text = s.get("profile_url"), s.get("post_url"), s.get("post_text")
            v.district = p.get("district") or v.district
        elif e.type is EventType.ASSIGNED:
            v.district = p.get("district")
        elif e.type is EventType.CATEGORISED:
            v.category = p.get("category")
        elif e.type is EventType.DUPLICATE_LINKED:
            v.duplicate_of = p.get("duplicate_of")
        elif e.type is EventType.CLOSED:
            v.closed = True
        elif e.type is EventType.REOPENED:
            v.closed = False
        elif e.type is EventType.RISK_RAISED:
            v.raised = True
        elif e.type is EventType.REPLY_DRAFTED:
            needs = bool(p.get("needs_approval"))
            v.replies[p["reply_id"]] = Reply(
                reply_id=p["reply_id"],
                text=p["text"],
                needs_approval=needs,
                drafted_by=e.author_id,
                status=ReplyStatus.AWAITING_APPROVAL if needs else ReplyStatus.READY,
            )
        elif e.type in (EventType.REPLY_APPROVED, EventType.REPLY_PUBLISHED, EventType.REPLY_PUBLISH_FAILED):
            reply = v.replies.get(p.get("reply_id", ""))
            if reply is None or reply.status is ReplyStatus.PUBLISHED:
                continue  # published once: a later failure report of the same reply changes nothing
            if e.type is EventType.REPLY_APPROVED:
                reply.status = ReplyStatus.READY if reply.status is ReplyStatus.AWAITING_APPROVAL else reply.status
            elif e.type is EventType.REPLY_PUBLISHED:
                reply.status = ReplyStatus.PUBLISHED
                reply.platform_id, reply.url, reply.published_at = p["platform_id"], p.get("url"), p["published_at"]
            else:
                reply.status = ReplyStatus.FAILED
                reply.attempts = max(reply.attempts, int(p["attempt"]))
                reply.last_error, reply.retry_at = p["error"], p.get("retry_at")
    v.facts = facts_from_history(events)
    return v


# ---- the stored row: a complaint's view kept beside its case, so the queue reads without a fold ----

# ``ComplaintView``'s plain fields, in the order of the client store's ``complaint_row`` columns.
STORED_FIELDS = (
    "platform", "item", "platform_id", "posted_at", "author_handle", "author_url", "post_url", "text",
    "thread_text", "thread_url", "thread_id", "category", "district", "duplicate_of",
)  # fmt: skip


def _times(values: Iterable[datetime]) -> list[str]:
    return [v.isoformat() for v in values]  # not ``iso``: microseconds kept, so due times are exact


def clock_to_json(facts: ClockFacts) -> str:
    """The clock's inputs (``ClockFacts``) as text: what ``core.sla.deadlines`` reads, so the
    deadlines are computed from a stored row with the rule itself, under whatever policy the reader
    has. The warning and breach marks are left out: they decide what HQ records, not a row's state."""
    return json.dumps(
        {
            "posted_at": facts.posted_at.isoformat() if facts.posted_at else None,
            "category": facts.category,
            "replies": _times(facts.replies),
            "citizen": _times(facts.citizen),
            "closed_at": facts.closed_at.isoformat() if facts.closed_at else None,
            "duplicate": facts.duplicate,
        },
        separators=(",", ":"),
    )


def clock_from_json(text: str) -> ClockFacts:
    d = json.loads(text)
    posted, closed = d["posted_at"], d["closed_at"]
    return ClockFacts(
        posted_at=parse_time(posted) if posted else None,
        category=d["category"],
        replies=tuple(parse_time(r) for r in d["replies"]),
        citizen=tuple(parse_time(c) for c in d["citizen"]),
        closed_at=parse_time(closed) if closed else None,
        duplicate=bool(d["duplicate"]),
    )


# The policy a stored row's deadlines are computed under (the console's: it has no other). A reader
# with another policy computes them from the stored clock inputs instead (``stored_deadlines``).
STORED_POLICY = SlaPolicy()
_KINDS = {str(k): k for k in DeadlineKind}


def deadlines_to_text(items: Iterable[Deadline]) -> str:
    """Deadlines as compact text (``kind,start,due,warn,met`` per deadline, ``;`` between them):
    read back with ``fromisoformat`` only, many times cheaper than JSON for a queue of 10,000."""
    parts = []
    for d in items:
        met = d.met_at.isoformat() if d.met_at else ""
        parts.append(f"{d.kind},{d.started_at.isoformat()},{d.due_at.isoformat()},{d.warn_at.isoformat()},{met}")
    return ";".join(parts)


def deadlines_from_text(text: str) -> tuple[Deadline, ...]:
    if not text:
        return ()
    at = datetime.fromisoformat
    out = []
    for part in text.split(";"):
        kind, start, due, warn, met = part.split(",")
        out.append(Deadline(_KINDS[kind], at(start), at(due), at(warn), at(met) if met else None))
    return tuple(out)


class StoredDeadlines(Sequence[Deadline]):
    """A stored row's deadlines (``deadlines_to_text``), parsed at first use: a queue of 10,000 reads
    its rows without building 20,000 ``Deadline``s, and parses only the rows it shows or opens."""

    __slots__ = ("_items", "_text")

    def __init__(self, text: str) -> None:
        self._text = text
        self._items: tuple[Deadline, ...] | None = None

    def _parsed(self) -> tuple[Deadline, ...]:
        if self._items is None:
            self._items = deadlines_from_text(self._text)
        return self._items

    @overload
    def __getitem__(self, i: int) -> Deadline: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[Deadline]: ...
    def __getitem__(self, i: int | slice) -> Deadline | Sequence[Deadline]:
        return self._parsed()[i]

    def __len__(self) -> int:
        return len(self._parsed())

    def __iter__(self) -> Iterator[Deadline]:
        return iter(self._parsed())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and tuple(self) == tuple(other)

    def __hash__(self) -> int:
        return hash(self._parsed())

    def __repr__(self) -> str:
        return repr(self._parsed())


def soonest_due_ts(items: Sequence[Deadline]) -> float | None:
    soonest = next_open(items)
    return soonest.due_at.timestamp() if soonest else None


def stored_deadlines(clock: str, stored: str, policy: SlaPolicy) -> tuple[Deadline, ...]:
    """A stored row's deadlines under ``policy``: those stored if it is ``STORED_POLICY``, else
    ``core.sla.deadlines`` of the stored clock inputs. Either way the rule's own output."""
    if policy == STORED_POLICY:
        return deadlines_from_text(stored)
    return tuple(deadlines(clock_from_json(clock), policy))


def stored_values(view: ComplaintView) -> dict[str, Any]:
    """A complaint's stored row (``complaint_row``): the view's fields, its replies, its clock's
    inputs and its deadlines under ``STORED_POLICY`` as of its last event (their state at a given
    time is ``Deadline.state``, at read), the newest reply's state and what the queue's text
    search matches."""
    out: dict[str, Any] = {name: getattr(view, name) for name in STORED_FIELDS}
    replies = [r.to_wire() for r in view.replies.values()]
    out["closed"] = int(view.closed)
    out["raised"] = int(view.raised)
    out["reply_state"] = str(replies[-1]["status"]) if replies else "none"
    out["replies"] = json.dumps(replies, ensure_ascii=False, separators=(",", ":"))
    out["clock"] = clock_to_json(view.facts)
    items = deadlines(view.facts, STORED_POLICY)
    out["deadlines"] = deadlines_to_text(items)
    out["due_ts"] = soonest_due_ts(items)
    out["timeline"] = state_timeline(items)
    out["search"] = " ".join(
        x for x in (view.text or "", view.author_handle, view.thread_text, view.case_id) if x
    ).casefold()
    return out


def reply_from_wire(d: Mapping[str, Any]) -> Reply:
    return Reply(**{**d, "status": ReplyStatus(d["status"])})


def view_from_stored(case_id: str, row: Mapping[str, Any]) -> ComplaintView:
    """The ``ComplaintView`` a stored row holds (``stored_values`` read back): ``queue_row`` of it is
    ``queue_row`` of the fold it was written from."""
    v = ComplaintView(case_id, **{name: row[name] for name in STORED_FIELDS})
    v.closed, v.raised = bool(row["closed"]), bool(row["raised"])
    v.replies = {r["reply_id"]: reply_from_wire(r) for r in json.loads(row["replies"])}
    v.facts = clock_from_json(row["clock"])
    return v


def soft_alert(items: Iterable[Deadline], now: datetime) -> SoftAlert | None:
    """The complaint SLA signal a row gives (never the siren): breach over warning; None otherwise."""
    states = {d.state(now) for d in items}
    if DeadlineState.BREACHED in states:
        return SoftAlert.COMPLAINT_SLA_BREACH
    if DeadlineState.WARNING in states:
        return SoftAlert.COMPLAINT_SLA_WARNING
    return None


def queue_row(view: ComplaintView, policy: SlaPolicy, now: datetime) -> dict[str, Any]:
    """The queue's row of one complaint: its fields, its countdown and its soft signal."""
    items = deadlines(view.facts, policy)
    soonest = next_open(items)
    signal = None if view.closed else soft_alert(items, now)
    return {
        "case_id": view.case_id,
        "platform": view.platform,
        "item": view.item,
        "platform_id": view.platform_id,
        "posted_at": view.posted_at,
        "author_handle": view.author_handle,
        "author_url": view.author_url,
        "post_url": view.post_url,
        "text": view.text,
        "thread_text": view.thread_text,
        "thread_url": view.thread_url,
        "category": view.category,
        "district": view.district,
        "duplicate_of": view.duplicate_of,
        "closed": view.closed,
        "raised": view.raised,
        "signal": str(signal) if signal else None,
        "due": None
        if soonest is None
        else {"deadline": str(soonest.kind), "due_at": iso(soonest.due_at), "remaining_s": soonest.remaining_s(now)},
        "deadlines": [
            {
                "deadline": str(d.kind),
                "started_at": iso(d.started_at),
                "due_at": iso(d.due_at),
                "state": str(d.state(now)),
            }
            for d in items
        ],
        "replies": [r.to_wire() for r in view.replies.values()],
    }


__all__ = [
    "MAX_PUBLISH_ATTEMPTS",
    "PLATFORMS",
    "STORED_FIELDS",
    "STORED_POLICY",
    "ComplaintCategory",
    "ComplaintView",
    "ItemKind",
    "Reply",
    "ReplyStatus",
    "StoredDeadlines",
    "Timeline",
    "clock_from_json",
    "clock_to_json",
    "complaint_payload",
    "complaint_view",
    "deadlines_from_text",
    "deadlines_to_text",
    "parse_timeline",
    "queue_row",
    "reply_from_wire",
    "soft_alert",
    "soonest_due_ts",
    "state_timeline",
    "stored_deadlines",
    "stored_values",
    "timeline_from_text",
    "timeline_state",
    "upstream_ref",
    "view_from_stored",
]
