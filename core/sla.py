"""The two-hour clock of a citizen's complaint: a pure function of the case's history and ``now``.

No Qt, no HTTP, no SQL: HQ's sweep decides from it which warnings and breaches to record, and the
console draws its countdowns from the same function, so both show the same due times.

Rules (Chatwoot's SLA policy, ``enterprise/app/services/sla/evaluate_applied_sla_service.rb``):

- **First response** is due ``first_response_min`` (default 120) after the platform's timestamp of
  the post (``posted_at``), not after HQ polled it: a post HQ saw late has less time left, never more.
  It is met by the first reply published on the platform.
- **Next response**: a citizen's reply after our last published reply starts a next-response
  deadline at the citizen's timestamp; it is met by our next published reply. Further citizen replies
  while one is running do not restart it (the clock runs from the first unanswered message, as in
  Chatwoot, where next response counts only while the customer waits). Citizen replies before the
  first response start nothing: the first response is still due.
- **Resolution** is due ``resolution_min`` after ``posted_at`` and met by the case's closing.
  Closing also ends a response deadline still open (an unanswerable post is closed, not answered):
  met if closed in time, missed if closed late.
- A deadline warns ``warn_before_min`` (default 30) before it is due (90 minutes on a two-hour
  clock) and is breached at its due time. A deadline met before it was due is ``met``; met late it
  stays ``missed``: a late reply does not turn a breach into a hit. Each deadline's hit or miss is
  thus decided once, and recorded once (``marks_due``): a mark is keyed by (deadline kind, start).
- A complaint marked ``not_actionable``, or a duplicate linked to another, starts no new deadline
  (Chatwoot stops evaluating a resolved conversation; an unanswerable post is closed, not answered).

Times are compared as aware UTC datetimes; an event with an unreadable time is skipped (the event
checker refuses such events, so this only guards histories from elsewhere).

The policy travels from HQ to the consoles as JSON (``SlaPolicy.to_json``/``from_json``,
``GET /api/v1/complaints/policy``), so a console's countdowns run on the thresholds HQ's sweep uses.
``from_json`` refuses anything off-contract (``SlaPolicyError``); HQ checks its own settings with
it at start, so it never serves a policy its consoles would refuse.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from core.events import ComplaintCategory, DeadlineKind, Event, EventType, iso, parse_time

FIRST_RESPONSE_MIN = 120
NEXT_RESPONSE_MIN = 120
RESOLUTION_MIN = 72 * 60
WARN_BEFORE_MIN = 30
# The longest deadline a policy may set (a year): a larger number is a typing error, and it keeps the
# due times far inside ``datetime``'s range.
MAX_POLICY_MIN = 366 * 24 * 60
_POLICY_MINUTES = ("first_response_min", "next_response_min", "resolution_min", "warn_before_min")
_POLICY_MAPS = ("first_response_by_category", "resolution_by_category")


class DeadlineState(enum.StrEnum):
    RUNNING = "running"  # due later, not yet in its warning window
    WARNING = "warning"  # within ``warn_before_min`` of its due time
    BREACHED = "breached"  # past due, not met
    MET = "met"  # met before its due time
    MISSED = "missed"  # met, but after its due time


@dataclass(frozen=True)
class SlaPolicy:
    """The clock's thresholds, per category where set (``by_category``: category -> minutes)."""

    first_response_min: int = FIRST_RESPONSE_MIN
    next_response_min: int = NEXT_RESPONSE_MIN
    resolution_min: int = RESOLUTION_MIN
    warn_before_min: int = WARN_BEFORE_MIN
    first_response_by_category: Mapping[str, int] = field(default_factory=dict)
    resolution_by_category: Mapping[str, int] = field(default_factory=dict)

    def minutes(self, kind: DeadlineKind, category: str | None) -> int:
        if kind is DeadlineKind.FIRST_RESPONSE:
            return self.first_response_by_category.get(category or "", self.first_response_min)
        if kind is DeadlineKind.RESOLUTION:
            return self.resolution_by_category.get(category or "", self.resolution_min)
        return self.next_response_min

    def to_json(self) -> dict[str, Any]:
        """The policy as JSON (``from_json`` reads it back): minutes, then per-category maps."""
        out: dict[str, Any] = {name: getattr(self, name) for name in _POLICY_MINUTES}
        for name in _POLICY_MAPS:
            out[name] = dict(sorted(getattr(self, name).items()))
        return out

    @classmethod
    def from_json(cls, data: Any) -> SlaPolicy:
        """Build and check a policy from untrusted JSON. Every field is required, none unknown; minutes
        are whole numbers, deadlines 1 to ``MAX_POLICY_MIN``, the warning 0 to that; a map's keys are
        ``ComplaintCategory`` values. Raises ``SlaPolicyError`` naming the field."""
        if not isinstance(data, Mapping):
            raise SlaPolicyError("a clock policy is a JSON object")
        fields = set(_POLICY_MINUTES) | set(_POLICY_MAPS)
        unknown, missing = set(data) - fields, fields - set(data)
        if unknown:
            raise SlaPolicyError(f"unknown field(s): {', '.join(sorted(map(str, unknown)))}")
        if missing:
            raise SlaPolicyError(f"missing field(s): {', '.join(sorted(missing))}")
        return cls(
            first_response_min=_policy_minutes(data["first_response_min"], "first_response_min", least=1),
            next_response_min=_policy_minutes(data["next_response_min"], "next_response_min", least=1),
            resolution_min=_policy_minutes(data["resolution_min"], "resolution_min", least=1),
            warn_before_min=_policy_minutes(data["warn_before_min"], "warn_before_min", least=0),
            first_response_by_category=_policy_map(data["first_response_by_category"], "first_response_by_category"),
            resolution_by_category=_policy_map(data["resolution_by_category"], "resolution_by_category"),
        )


class SlaPolicyError(ValueError):
    """A clock policy that is not what the contract promises, with the field at fault."""


def _policy_minutes(value: Any, what: str, *, least: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not least <= value <= MAX_POLICY_MIN:
        raise SlaPolicyError(f"{what}: a whole number of minutes from {least} to {MAX_POLICY_MIN}")
    return value


def _policy_map(value: Any, what: str) -> dict[str, int]:
    if not isinstance(value, Mapping):
        raise SlaPolicyError(f"{what}: an object of category -> minutes")
    known = {str(c) for c in ComplaintCategory}
    out: dict[str, int] = {}
    for category, minutes in value.items():
        if category not in known:
            raise SlaPolicyError(f"{what}: {str(category)[:40]!r} is not a complaint category")
        out[category] = _policy_minutes(minutes, f"{what}.{category}", least=1)
    return out


@dataclass(frozen=True)
class Deadline:
    kind: DeadlineKind
    started_at: datetime
    due_at: datetime
    warn_at: datetime
    met_at: datetime | None

    def state(self, now: datetime) -> DeadlineState:
        if self.met_at is not None:
            return DeadlineState.MET if self.met_at < self.due_at else DeadlineState.MISSED  # due: breached
        if now >= self.due_at:
            return DeadlineState.BREACHED
        if now >= self.warn_at:
            return DeadlineState.WARNING
        return DeadlineState.RUNNING

    def remaining_s(self, now: datetime) -> float:
        """Seconds left (negative once overdue): the console's countdown."""
        return (self.due_at - now).total_seconds()

    @property
    def key(self) -> tuple[str, datetime]:
        return (str(self.kind), self.started_at)


@dataclass(frozen=True)
class ClockFacts:
    """What the clock reads from a complaint's history (``facts_from_history``)."""

    posted_at: datetime | None
    category: str | None = None
    replies: tuple[datetime, ...] = ()  # our replies, as published on the platform
    citizen: tuple[datetime, ...] = ()  # the citizen's replies, at the platform's time
    closed_at: datetime | None = None
    duplicate: bool = False
    warned: frozenset[tuple[str, datetime]] = frozenset()
    breached: frozenset[tuple[str, datetime]] = frozenset()


def _time(value: Any) -> datetime | None:
    try:
        return parse_time(value) if isinstance(value, str) else None
    except ValueError:
        return None


def facts_from_history(history: Iterable[Event]) -> ClockFacts:
    """Read the clock's facts from a case's events, in fold order."""
    posted = category = closed = None
    replies: list[datetime] = []
    citizen: list[datetime] = []
    duplicate = False
    warned: set[tuple[str, datetime]] = set()
    breached: set[tuple[str, datetime]] = set()
    for e in sorted(history, key=lambda e: e.sort_key):
        p = e.payload
        if e.type is EventType.CREATED:
            complaint = p.get("complaint") or {}
            posted = _time(complaint.get("posted_at"))
            category = complaint.get("category") or category
        elif e.type is EventType.CATEGORISED:
            category = p.get("category")
        elif e.type is EventType.REPLY_PUBLISHED:
            at = _time(p.get("published_at"))
            if at is not None:
                replies.append(at)
        elif e.type is EventType.CITIZEN_REPLIED:
            at = _time(p.get("at"))
            if at is not None:
                citizen.append(at)
        elif e.type is EventType.CLOSED:
            closed = closed or _time(e.wall_time)
        elif e.type is EventType.DUPLICATE_LINKED:
            duplicate = True
        elif e.type in (EventType.SLA_WARNED, EventType.SLA_BREACHED):
            started = _time(p.get("started_at"))
            if started is not None:
                (warned if e.type is EventType.SLA_WARNED else breached).add((str(p.get("deadline")), started))
    return ClockFacts(
        posted_at=posted,
        category=category,
        replies=tuple(sorted(replies)),
        citizen=tuple(sorted(citizen)),
        closed_at=closed,
        duplicate=duplicate,
        warned=frozenset(warned),
        breached=frozenset(breached),
    )


def _deadline(kind: DeadlineKind, start: datetime, minutes: int, warn_min: int, met: datetime | None) -> Deadline:
    due = start + timedelta(minutes=minutes)
    warn = due - timedelta(minutes=min(warn_min, minutes))
    return Deadline(kind, start, due, warn, met)


def _first(a: datetime | None, b: datetime | None) -> datetime | None:
    return min((t for t in (a, b) if t is not None), default=None)


def deadlines(facts: ClockFacts, policy: SlaPolicy) -> list[Deadline]:
    """Every deadline the history has started, in start order (first response, resolution, then
    each next response). Empty for a case with no platform time, a duplicate, or not actionable."""
    if facts.posted_at is None or facts.duplicate or facts.category == ComplaintCategory.NOT_ACTIONABLE:
        return []
    posted, warn = facts.posted_at, policy.warn_before_min
    first_reply = next((r for r in facts.replies if r >= posted), facts.replies[0] if facts.replies else None)
    out = [
        _deadline(
            DeadlineKind.FIRST_RESPONSE, posted, policy.minutes(DeadlineKind.FIRST_RESPONSE, facts.category), warn,
            _first(first_reply, facts.closed_at),
        ),
        _deadline(
            DeadlineKind.RESOLUTION, posted, policy.minutes(DeadlineKind.RESOLUTION, facts.category), warn,
            facts.closed_at,
        ),
    ]  # fmt: skip
    if first_reply is None:
        return out
    next_min = policy.minutes(DeadlineKind.NEXT_RESPONSE, facts.category)
    last_reply = first_reply
    waiting_since: datetime | None = None
    for at, is_reply in sorted([(r, True) for r in facts.replies] + [(c, False) for c in facts.citizen]):
        if is_reply:
            if waiting_since is not None:
                out.append(_deadline(DeadlineKind.NEXT_RESPONSE, waiting_since, next_min, warn, at))
                waiting_since = None
            last_reply = max(last_reply, at)
        elif at > last_reply and waiting_since is None and (facts.closed_at is None or at < facts.closed_at):
            waiting_since = at
    if waiting_since is not None:
        out.append(_deadline(DeadlineKind.NEXT_RESPONSE, waiting_since, next_min, warn, facts.closed_at))
    return out


@dataclass(frozen=True)
class Mark:
    """An ``sla_warned`` or ``sla_breached`` event HQ must record now."""

    type: EventType
    deadline: Deadline

    def payload(self) -> dict[str, str]:
        d = self.deadline
        return {"deadline": str(d.kind), "started_at": iso(d.started_at), "due_at": iso(d.due_at)}


def marks_due(facts: ClockFacts, policy: SlaPolicy, now: datetime) -> list[Mark]:
    """The warnings and breaches the history does not yet record: each at most once per deadline.

    A deadline met in time needs no mark. A deadline missed (met late) or still open past its due
    time needs a breach; one in its warning window (or breached without a warning) needs a warning
    first, so the log always reads warning-then-breach.
    """
    out: list[Mark] = []
    for d in deadlines(facts, policy):
        state = d.state(now)
        late = state in (DeadlineState.BREACHED, DeadlineState.MISSED)
        if (state is DeadlineState.WARNING or late) and d.key not in facts.warned and (d.met_at is None or late):
            out.append(Mark(EventType.SLA_WARNED, d))
        if late and d.key not in facts.breached:
            out.append(Mark(EventType.SLA_BREACHED, d))
    return out


def worst_state(items: Sequence[Deadline], now: datetime) -> DeadlineState | None:
    """The state the queue shows for a row: breached over warning over running; None if all met."""
    order = [DeadlineState.BREACHED, DeadlineState.WARNING, DeadlineState.RUNNING]
    states = {d.state(now) for d in items}
    return next((s for s in order if s in states), None)


def next_open(items: Sequence[Deadline]) -> Deadline | None:
    """The open deadline due soonest (the countdown a row shows), or None."""
    open_ = [d for d in items if d.met_at is None]
    return min(open_, key=lambda d: d.due_at) if open_ else None


__all__ = [
    "MAX_POLICY_MIN",
    "ClockFacts",
    "Deadline",
    "DeadlineState",
    "Mark",
    "SlaPolicy",
    "SlaPolicyError",
    "deadlines",
    "facts_from_history",
    "marks_due",
    "next_open",
    "worst_state",
]
