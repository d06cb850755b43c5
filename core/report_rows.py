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

from core.events import iso, parse_time
from core.fold import CaseState
from core.reports import (
    SLOWEST_PER_STEP,
    STEPS,
    SlowCase,
    Step,
    StepTiming,
    counselled_at,
    forwarded_at,
    outcome_reason,
    step_seconds,
    step_times,
    step_timing,
)

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
    "follow_up_values",
    "summary_values",
    "timing_figures",
]
