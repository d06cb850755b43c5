"""A folded case flattened for reports, and the timing figures from its stored durations: what
HQ's ``case_summary`` and a console's ``case_report`` rows hold (``summary_values``, one definition
for both) and how the rows of durations become ``core.reports`` figures (``timing_figures``).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from functools import partial
from itertools import compress, repeat
from operator import is_not, itemgetter, le
from typing import Any

from core.complaints import complaint_view
from core.events import Event, EventType, iso, parse_time
from core.fold import CaseState
from core.reports import (
    SLOWEST_PER_STEP,
    STEPS,
    UNCATEGORISED,
    SlowCase,
    Step,
    StepTiming,
    counselled_at,
    forwarded_at,
    outcome_reason,
    step_seconds,
    step_times,
    step_timing,
    tip_status,
)
from core.sla import SlaPolicy, deadlines
from core.tips import TipCategory

# Where each step's duration (seconds, ``step_seconds``) is kept in a per-case summary row: HQ's
# ``case_summary`` and a console's ``case_report`` carry these columns, written from the fold.
STEP_SECONDS_COLUMNS: Mapping[Step, str] = {
    Step.HQ_ACKNOWLEDGED: "hq_acknowledged_s",
    Step.ROUTED: "routed_s",
    Step.DISTRICT_ACKNOWLEDGED: "district_acknowledged_s",
    Step.DISPATCHED: "dispatched_s",
    Step.REACHED: "reached_s",
    Step.COUNSELLED: "counselled_s",
}
# Times kept as canonical UTC text in a summary row, so a period is a text range.
CANONICAL_TIME_COLUMNS = ("received_at", "reached_at", "next_follow_up_due")


def canonical_time(value: str | None) -> str | None:
    """A time as canonical UTC text (times typed in payloads may carry any offset), so times compare
    as text; one that does not parse is kept as it is."""
    if not value:
        return None
    try:
        return iso(parse_time(value))
    except ValueError:
        return value


def summary_values(state: CaseState) -> dict[str, Any]:
    """A folded case flattened for reports and boards: HQ's ``case_summary`` row (without its
    ``updated_at``) and the source of a console's ``case_report`` row. Each step's duration is
    stored as a number (``STEP_SECONDS_COLUMNS``), so no report parses a time."""
    open_follow_ups = state.open_follow_ups()
    row: dict[str, Any] = {
        "case_id": state.case_id,
        "district": state.district,
        "police_station": state.police_station,
        "kind": state.effective_kind,
        "source": state.source,
        "priority": state.priority,
        "status": str(state.status),
        "received_at": state.received_at,
        "hq_acknowledged_at": state.hq_acknowledged_at,
        "routed_at": state.routed_at,
        "district_acknowledged_at": state.acknowledged_at,
        "dispatched_at": state.dispatched_at,
        "forwarded_at": forwarded_at(state),
        "reached_at": state.reached_at,
        "outcome": state.outcome,
        "outcome_reason": outcome_reason(state),
        "outcome_at": state.outcome_at,
        "counselled_at": counselled_at(state),
        "closed_at": state.closed_at,
        "escalations": state.escalations,
        "last_escalation_step": state.last_escalation_step,
        "last_escalation_at": state.last_escalation_at,
        "follow_ups_open": len(open_follow_ups),
        "next_follow_up_due": min((f.due for f in open_follow_ups), default=None),
    }
    try:
        seconds = step_seconds(step_times(state), state.received_at)
    except ValueError:  # a time that does not parse: no step of this case is timed
        seconds = {}
    for step, column in STEP_SECONDS_COLUMNS.items():
        row[column] = seconds.get(step)
    for name in CANONICAL_TIME_COLUMNS:
        row[name] = canonical_time(row[name])
    return row


def follow_up_values(state: CaseState) -> list[dict[str, Any]]:
    """A folded case's follow-ups flattened for reports (HQ's ``follow_up_summary``, a console's
    ``follow_up_report``): the due time as canonical text."""
    return [
        {
            "follow_up_id": f.id,
            "case_id": state.case_id,
            "district": state.district,
            "due": canonical_time(f.due) or f.due,
            "done_at": f.done_at,
        }
        for f in state.follow_ups
    ]


def complaint_values(state: CaseState, history: Iterable[Event]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A complaint flattened for the compliance report: its row (district, category, platform, the
    platform's time, seconds to the first published reply) and one row per deadline its clock has
    started (``core.sla.deadlines``: start, and the seconds to what met it). A deadline's limit is not
    stored: the report applies the SLA policy in force (``core.reports.sla_limit_s``)."""
    view = complaint_view(state.case_id, history)
    facts = view.facts
    posted = facts.posted_at
    first_reply = next((r for r in facts.replies if posted is not None and r >= posted), None)
    row = {
        "case_id": state.case_id,
        "district": state.district,
        "category": facts.category or UNCATEGORISED,
        "platform": view.platform,
        "posted_at": iso(posted) if posted is not None else canonical_time(state.received_at),
        "first_response_s": round((first_reply - posted).total_seconds(), 3) if first_reply and posted else None,
    }
    deadlines_ = [
        {
            "case_id": state.case_id,
            "deadline": str(d.kind),
            "started_at": iso(d.started_at),
            "started_s": d.started_at.timestamp(),
            "met_s": round((d.met_at - d.started_at).total_seconds(), 3) if d.met_at is not None else None,
        }
        for d in deadlines(facts, SlaPolicy())  # starts and meets do not depend on the limits
    ]
    return row, deadlines_


def tip_values(state: CaseState, history: Iterable[Event]) -> dict[str, Any]:
    """A tip flattened for the tip-line report: counts only (no pseudonym, no text). Its category is
    the ``created`` event's; questions asked and answered are the officers' questions relayed and
    the distinct ones a tipster answered."""
    category = None
    asked: set[str] = set()
    answered: set[str] = set()
    for e in history:
        if e.type is EventType.CREATED:
            category = (e.payload.get("tip") or {}).get("category") or category
        elif e.type is EventType.TIP_QUESTION:
            asked.add(e.id)
        elif e.type is EventType.TIP_ANSWER:
            answered.add(str(e.payload.get("question_id")))
    return {
        "case_id": state.case_id,
        "district": state.district,
        "category": category or str(TipCategory.OTHER),
        "received_at": canonical_time(state.received_at),
        "status": str(tip_status(state)),
        "questions": len(asked),
        "answered": len(answered & asked),
    }


Timings = tuple[dict[str, tuple[StepTiming, ...]], tuple[StepTiming, ...], tuple[SlowCase, ...]]


def timing_figures(rows: Iterable[Sequence[Any]], targets: Mapping[Step, float]) -> Timings:
    """Each district's step figures, the whole scope's, and the slowest cases of each step, from rows
    of (district, case id, the six steps' seconds in ``STEPS`` order, None where not reached): the
    durations sorted here and ``percentile`` applied. HQ on SQLite and a console's replica read
    their rows with SQL and call this; HQ on PostgreSQL computes the same with ``percentile_cont``.

    Column by column (``zip``, slices, ``sorted``, ``filter``): 100,000 rows cost a few list sorts,
    not a Python step per value."""
    # by district, so each district is one slice of a column (linear when the rows come sorted)
    table = sorted(rows, key=itemgetter(0))
    if not table:
        return {}, tuple(step_timing(s, [], targets[s]) for s in STEPS), ()
    districts, case_ids, *columns = (tuple(c) for c in zip(*table, strict=True))
    bounds = {d: (bisect_left(districts, d), bisect_right(districts, d)) for d in set(districts)}
    per = {
        d: tuple(
            step_timing(s, sorted(filter(_NOT_NONE, col[lo:hi])), targets[s])
            for s, col in zip(STEPS, columns, strict=True)
        )
        for d, (lo, hi) in bounds.items()
    }
    total = []
    slowest: list[SlowCase] = []
    for step, col in zip(STEPS, columns, strict=True):
        values = sorted(filter(_NOT_NONE, col))
        total.append(step_timing(step, values, targets[step]))
        if not values:
            continue
        least = values[-min(SLOWEST_PER_STEP, len(values))]  # the slowest cases are at least this slow
        if least > 0:  # then a duration that is None or 0 is not among them: drop those first
            timed = list(filter(itemgetter(0), zip(col, case_ids, districts, strict=True)))
            candidates = list(compress(timed, map(le, repeat(least), map(itemgetter(0), timed))))
        else:
            candidates = [(v, case_ids[i], districts[i]) for i, v in enumerate(col) if v is not None and v >= least]
        candidates.sort(key=lambda x: (-x[0], x[1]))
        slowest += [SlowCase(cid, d, step, float(v)) for v, cid, d in candidates[:SLOWEST_PER_STEP]]
    return per, tuple(total), tuple(slowest)


_NOT_NONE = partial(is_not, None)


__all__ = [
    "CANONICAL_TIME_COLUMNS",
    "STEP_SECONDS_COLUMNS",
    "Timings",
    "canonical_time",
    "complaint_values",
    "follow_up_values",
    "summary_values",
    "timing_figures",
    "tip_values",
]
