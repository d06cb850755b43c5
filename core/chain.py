"""A case's chain: each step of the response with its time and how long it took.

alert received -> HQ acknowledged -> routed -> district acknowledged -> dispatched -> reached ->
outcome -> counselled -> follow-ups. The steps named in ``core.reports.Step`` keep that wording and
its rule: a step's duration runs from the latest earlier step of the chain the case reached (the
first from the alert's receipt), so a step the case skipped does not hide how long the next took.
"Latest" is by time, among the earlier steps reached no later than this one: the real order may
differ from the chain's (intake routes a case before HQ acknowledges it; a counselling call may come
before the outcome is typed), and a step is then measured from what had actually happened before it.

Shared by the case detail (``ui.chain_view`` only paints it) and anything else that shows a case's
chain, so the durations a console shows and the ones a report counts are computed the same way.

Where a time comes from:

- received: ``CaseState.received_at`` (the alert's own time, from intake);
- HQ / district acknowledged, dispatched, reached, outcome: the fold's fields (``reached_at`` is the
  time the team says it reached the person, not when that was recorded);
- routed: ``CaseState.routed_at`` when the fold has it, else the case's first ``assigned`` entry
  (or its ``created`` entry when the alert arrived already routed);
- dispatched: the dispatch, else the first forward (to 112, another state's police): the case was
  handed to someone who moves;
- counselled: ``CaseState.counselled_at`` when the fold has it, else the first counselling note;
- follow-ups: each one, done (its completion) or still open (its due time, no duration).

A time earlier than every earlier step reached, the alert's receipt included (clocks of two consoles
that disagree, a "reached" typed wrong), gives no duration and ``out_of_order``: a negative minute
count would read as a fact. No Qt, no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from core.events import Event, EventType, parse_time
from core.fold import CaseState, canonical
from core.reports import Step

# The chain's links that are not report steps.
RECEIVED = "received"
OUTCOME = "outcome"
FOLLOW_UP = "follow_up"

# The chain's order: received, then the report steps and the outcome where they fall in the response.
CHAIN_ORDER: tuple[str, ...] = (
    RECEIVED,
    Step.HQ_ACKNOWLEDGED,
    Step.ROUTED,
    Step.DISTRICT_ACKNOWLEDGED,
    Step.DISPATCHED,
    Step.REACHED,
    OUTCOME,
    Step.COUNSELLED,
)


@dataclass(frozen=True)
class ChainLink:
    """One step of a case's chain.

    ``key``: ``RECEIVED``, ``OUTCOME``, ``FOLLOW_UP`` or a ``core.reports.Step`` value. ``at``: ISO
    8601 UTC, None while the case has not reached the step. ``seconds``: from the latest earlier step
    reached (None for the first, a step not reached, an open follow-up, or ``out_of_order``).
    ``done``: False only for a follow-up still open (``at`` is then its due time).
    """

    key: str
    at: str | None
    seconds: float | None = None
    out_of_order: bool = False
    done: bool = True


def _first(events: Iterable[Event], *types: EventType) -> Event | None:
    return next((e for e in events if e.type in types), None)


def _routed_at(state: CaseState, ordered: list[Event]) -> str | None:
    own = getattr(state, "routed_at", None)
    if own:
        return str(own)
    assigned = _first(ordered, EventType.ASSIGNED)
    if assigned is not None:
        return assigned.wall_time
    created = _first(ordered, EventType.CREATED)
    if created is not None and created.payload.get("district"):
        return created.wall_time
    return None


def _counselled_at(state: CaseState) -> str | None:
    own = getattr(state, "counselled_at", None)
    if own:
        return str(own)
    times = [str(n["at"]) for n in state.counselling_notes if n.get("at")]
    return min(times, key=_sort_time) if times else None


def _dispatched_at(state: CaseState) -> str | None:
    if state.dispatched_at:
        return state.dispatched_at
    times = [str(f["at"]) for f in state.forwards if f.get("at")]
    return min(times, key=_sort_time) if times else None


def _sort_time(value: str) -> datetime:
    return parse_time(value)


def _time(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return parse_time(value)
    except ValueError:
        return None


def step_times(state: CaseState, history: Iterable[Event]) -> dict[str, str | None]:
    """Each step of ``CHAIN_ORDER`` and its time (None: not reached). ``history``: the events the
    state was folded from (for "routed" when the state does not carry it)."""
    ordered = canonical(history)
    return {
        RECEIVED: state.received_at,
        Step.HQ_ACKNOWLEDGED: state.hq_acknowledged_at,
        Step.ROUTED: _routed_at(state, ordered),
        Step.DISTRICT_ACKNOWLEDGED: state.acknowledged_at,
        Step.DISPATCHED: _dispatched_at(state),
        Step.REACHED: state.reached_at,
        OUTCOME: state.outcome_at,
        Step.COUNSELLED: _counselled_at(state),
    }


def chain(state: CaseState, history: Iterable[Event]) -> list[ChainLink]:
    """The case's chain in order, follow-ups last (done ones by completion, then open ones by due)."""
    times = step_times(state, history)
    links: list[ChainLink] = []
    earlier: list[datetime] = []  # the times of the earlier steps reached
    for key in CHAIN_ORDER:
        at = times[key]
        links.append(_link(key, at, _time(at), earlier))
    done = sorted((f for f in state.follow_ups if f.done_at), key=lambda f: (_time(f.done_at) or datetime.max, f.id))
    for f in done:
        links.append(_link(FOLLOW_UP, f.done_at, _time(f.done_at), earlier))
    for f in state.open_follow_ups():
        links.append(ChainLink(FOLLOW_UP, f.due, done=False))
    return links


def _link(key: str, at: str | None, when: datetime | None, earlier: list[datetime]) -> ChainLink:
    """The link for a step reached at ``when`` (None: not reached), measured from the latest of the
    ``earlier`` steps' times not after it; adds ``when`` to ``earlier``."""
    if when is None:
        return ChainLink(key, None)
    before = [t for t in earlier if t <= when]
    out_of_order = bool(earlier) and not before
    earlier.append(when)
    if not before:
        return ChainLink(key, at, None, out_of_order=out_of_order)
    return ChainLink(key, at, (when - max(before)).total_seconds())


def duration_text(seconds: float | None) -> str:
    """A duration as a control room reads it: "45 s", "13 min", "2 h 05 min", "3 d 4 h" ("" for None)."""
    if seconds is None:
        return ""
    s = round(seconds)
    if s < 60:
        return f"{s} s"
    minutes = s // 60
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} h {minutes:02d} min"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h"


__all__ = ["CHAIN_ORDER", "FOLLOW_UP", "OUTCOME", "RECEIVED", "ChainLink", "chain", "duration_text", "step_times"]
