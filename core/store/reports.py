"""The reports computed from a console's local replica, for when HQ cannot be reached.

The same definitions as HQ's (``core.reports``: outcome groups, step durations, percentiles) over
the cases this console holds, which are its scope: a district console's district, the state for an
HQ console. Each report says ``source=REPLICA`` and ``as_of`` = the replica's last sync with HQ.

What a replica cannot know: how many duplicate alerts HQ merged (``duplicates_merged`` is 0), the
districts' names and ranges (a row is named by its code, a range query is refused), and the
consoles' presence (console health has no coverage figure and no test counts).

Outcomes are one ``GROUP BY`` over the projection's ``state_json`` (SQLite's JSON functions); step
times and follow-ups read only the fields they need, so a year of 100,000 cases stays under two
seconds (bench/bench_reports.py). Run it off the GUI thread.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from core.events import CaseKind, iso, parse_time, utcnow
from core.reports import (
    DEFAULT_STEP_TARGETS_S,
    KINDS,
    SLOWEST_PER_STEP,
    STEPS,
    ConsoleHealthReport,
    ConsoleHealthRow,
    FollowUpReport,
    FollowUpRow,
    OutcomeGroup,
    OutcomeReport,
    OutcomeRow,
    ReportHeader,
    ReportQuery,
    ReportSource,
    SlowCase,
    Step,
    TimingReport,
    TimingRow,
    outcome_counts,
    period_bounds,
    reason_for,
    step_seconds,
    step_timing,
    sum_counts,
)
from core.store.schema import cases
from core.store.store import LocalStore

c = cases.c

UNROUTED = ""
UNROUTED_NAME = "(not routed)"

# The state fields a report reads, in one ``json_extract`` call (one parse of each case's state).
_FIELDS = (
    "$.outcome",
    "$.outcome_detail.not_reached_reason",
    "$.outcome_detail.false_alarm_reason",
    "$.hq_acknowledged_at",
    "$.routed_at",
    "$.acknowledged_at",
    "$.dispatched_at",
    "$.reached_at",
    "$.counselling_notes",
)

# Cases whose received time lies in the period. The projection keeps ``received_at`` as the alert
# gave it (any offset), so the text range is widened by a day and each time checked exactly.
_SLACK = timedelta(days=1)


def _period(query: ReportQuery) -> tuple[str, str, str, str]:
    lo, hi = period_bounds(query)
    return lo, hi, iso(parse_time(lo) - _SLACK), iso(parse_time(hi) + _SLACK)


def _in_period(received_at: str | None, lo: datetime, hi: datetime) -> bool:
    if not received_at:
        return False
    try:
        at = parse_time(received_at)
    except ValueError:
        return False
    return lo <= at < hi


def _facts(conn: sa.Connection, query: ReportQuery) -> Iterator[tuple[str, str, str, list[Any]]]:
    """(received time, district or ``UNROUTED``, case id, the ``_FIELDS`` values) of each
    suicide-risk case in scope received in the period."""
    lo_text, hi_text, wide_lo, wide_hi = _period(query)
    lo, hi = parse_time(lo_text), parse_time(hi_text)
    fields = sa.func.json_extract(c.state_json, *_FIELDS)
    sel = sa.select(c.received_at, sa.func.coalesce(c.district, UNROUTED), c.case_id, fields).where(
        c.kind == str(CaseKind.SUICIDE_RISK), c.received_at >= wide_lo, c.received_at < wide_hi
    )
    if query.district is not None:
        sel = sel.where(c.district == query.district)
    for received, district, case_id, values in conn.execute(sel):
        if _in_period(received, lo, hi):
            yield received, district, case_id, json.loads(values)


def _name(code: str) -> str:
    return UNROUTED_NAME if code == UNROUTED else code


def _header(store: LocalStore, query: ReportQuery, run_by: str) -> ReportHeader:
    with store.reader() as tx:
        as_of = tx.meta.last_sync_at or ""
    return ReportHeader(query=query, source=ReportSource.REPLICA, as_of=as_of, run_by=run_by)


def outcomes(conn: sa.Connection, query: ReportQuery, header: ReportHeader) -> OutcomeReport:
    groups: dict[str, dict[tuple[Any, ...], int]] = defaultdict(lambda: defaultdict(int))
    for _, district, _, (outcome, nr, fa, _, _, _, _, reached, _) in _facts(conn, query):
        groups[district][(outcome, reason_for(outcome, nr, fa), reached is not None)] += 1
    rows = [
        OutcomeRow(d, _name(d), None, outcome_counts(OutcomeGroup(o, r, x, n) for (o, r, x), n in g.items()))
        for d, g in sorted(groups.items(), key=lambda kv: (kv[0] == UNROUTED, kv[0]))
    ]
    if query.district is not None and not rows:
        rows = [OutcomeRow(query.district, query.district, None, outcome_counts([]))]
    return OutcomeReport(header=header, rows=tuple(rows), total=sum_counts(r.counts for r in rows))


def timing(conn: sa.Connection, query: ReportQuery, header: ReportHeader) -> TimingReport:
    targets = DEFAULT_STEP_TARGETS_S
    values: dict[str, dict[Step, list[float]]] = defaultdict(lambda: defaultdict(list))
    every: dict[Step, list[tuple[float, str, str]]] = defaultdict(list)
    for received, district, case_id, fields in _facts(conn, query):
        notes = [str(n["at"]) for n in fields[8] or () if n.get("at")]
        times = [*fields[3:8], min(notes) if notes else None]  # counselled: the earliest note
        durations = step_seconds(dict(zip(STEPS, times, strict=True)), received)
        for step, seconds in durations.items():
            values[district][step].append(seconds)
            every[step].append((seconds, case_id, district))

    def timings(by_step: dict[Step, list[float]]) -> tuple[Any, ...]:
        return tuple(step_timing(s, sorted(by_step.get(s, [])), targets[s]) for s in STEPS)

    rows = [
        TimingRow(d, _name(d), timings(v)) for d, v in sorted(values.items(), key=lambda kv: (kv[0] == UNROUTED, kv[0]))
    ]
    total = timings({s: [v[0] for v in every[s]] for s in STEPS})
    slowest = [
        SlowCase(case_id, district, step, seconds)
        for step in STEPS
        for seconds, case_id, district in sorted(every[step], key=lambda v: (-v[0], v[1]))[:SLOWEST_PER_STEP]
    ]
    return TimingReport(header=header, rows=tuple(rows), total=total, slowest=tuple(slowest))


def follow_ups(conn: sa.Connection, query: ReportQuery, header: ReportHeader) -> FollowUpReport:
    lo, hi = period_bounds(query)
    now = iso(utcnow())
    each = sa.func.json_each(c.state_json, "$.follow_ups").table_valued("value").alias("f")
    sel = sa.select(
        sa.func.coalesce(c.district, UNROUTED),
        sa.func.json_extract(each.c.value, "$.due"),
        sa.func.json_extract(each.c.value, "$.done_at"),
    ).select_from(cases.join(each, sa.true()))
    if query.district is not None:
        sel = sel.where(c.district == query.district)
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    lo_at, hi_at = parse_time(lo), parse_time(hi)
    for district, due, done_at in conn.execute(sel):
        if not _in_period(due, lo_at, hi_at):
            continue
        n = counts[district]
        n[0] += 1
        if done_at is not None:
            n[1] += 1
        elif iso(parse_time(due)) < now:
            n[2] += 1
    rows = [FollowUpRow(d, _name(d), *n) for d, n in sorted(counts.items(), key=lambda kv: (kv[0] == UNROUTED, kv[0]))]
    total = FollowUpRow("", "", sum(r.due for r in rows), sum(r.done for r in rows), sum(r.overdue for r in rows))
    return FollowUpReport(header=header, rows=tuple(rows), total=total)


def console_health(conn: sa.Connection, query: ReportQuery, header: ReportHeader) -> ConsoleHealthReport:
    """A console does not know the other consoles' presence: one row per district it holds, no figures."""
    found = conn.execute(sa.select(c.district).distinct().where(c.district.is_not(None))).scalars()
    codes = sorted(d for d in found if query.district in (None, d))
    return ConsoleHealthReport(header=header, rows=tuple(ConsoleHealthRow(d, d, None, 0, 0) for d in codes))


def compute(store: LocalStore, kind: str, query: ReportQuery, run_by: str) -> Any:
    """The report ``kind`` (one of ``core.reports.KINDS``) from this console's replica."""
    if kind not in KINDS:
        raise ValueError(f"unknown report {kind!r}")
    if query.range is not None:
        raise ValueError("a console's replica does not know the police ranges: ask HQ for a range")
    header = _header(store, query, run_by)
    with store.reader() as tx:
        conn = tx.connection
        if kind == "outcomes":
            return outcomes(conn, query, header)
        if kind == "timing":
            return timing(conn, query, header)
        if kind == "console-health":
            return console_health(conn, query, header)
        return follow_ups(conn, query, header)


__all__ = ["compute", "console_health", "follow_ups", "outcomes", "timing"]
