"""The reports computed from a console's local replica, for when HQ cannot be reached.

The same definitions as HQ's (``core.reports``: outcome groups, step durations, percentiles) over
the cases this console holds, which are its scope: a district console's district, the state for an
HQ console. Each report says ``source=REPLICA`` and ``as_of`` = the replica's last sync with HQ.

What a replica cannot know: how many duplicate alerts HQ merged (``duplicates_merged`` is 0), the
districts' names and ranges (a row is named by its code, a range query is refused), and the
consoles' presence (console health has no coverage figure and no test counts).

Every report is an SQL aggregate (or, for timing, a read of numbers) over the narrow report rows the
projector keeps beside each case (``case_report``, ``follow_up_report``: ``core.report_rows.summary_values``
of the fold, the function HQ's ``case_summary`` is written with): no case's ``state_json`` is read,
so few encrypted pages are. A year of 100,000 cases stays under two seconds
(bench/bench_reports.py). Run it off the GUI thread.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import sqlalchemy as sa

from core.events import CaseKind, iso, utcnow
from core.report_rows import STEP_SECONDS_COLUMNS, timing_figures
from core.reports import (
    DEFAULT_STEP_TARGETS_S,
    KINDS,
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
    TimingReport,
    TimingRow,
    outcome_counts,
    period_bounds,
    step_timing,
    sum_counts,
)
from core.store.schema import case_report, follow_up_report
from core.store.store import LocalStore

r = case_report.c
f = follow_up_report.c

UNROUTED = ""
UNROUTED_NAME = "(not routed)"


def _alerts(query: ReportQuery) -> list[sa.ColumnElement[bool]]:
    """Suicide-risk cases received in the period (canonical UTC text, so a text range), in scope."""
    lo, hi = period_bounds(query)
    where = [r.kind == str(CaseKind.SUICIDE_RISK), r.received_at >= lo, r.received_at < hi]
    if query.district is not None:
        where.append(r.district == query.district)
    return where


def _name(code: str) -> str:
    return UNROUTED_NAME if code == UNROUTED else code


def _order(code: str) -> tuple[bool, str]:
    return code == UNROUTED, code


def _header(store: LocalStore, query: ReportQuery, run_by: str) -> ReportHeader:
    with store.reader() as tx:
        as_of = tx.meta.last_sync_at or ""
    return ReportHeader(query=query, source=ReportSource.REPLICA, as_of=as_of, run_by=run_by)


def outcomes(conn: sa.Connection, query: ReportQuery, header: ReportHeader) -> OutcomeReport:
    district = sa.func.coalesce(r.district, UNROUTED)
    sel = (
        sa.select(district, r.outcome, r.outcome_reason, r.reached, sa.func.count())
        .where(*_alerts(query))
        .group_by(district, r.outcome, r.outcome_reason, r.reached)
    )
    groups: dict[str, list[OutcomeGroup]] = defaultdict(list)
    for d, outcome, reason, reached, n in conn.execute(sel):
        groups[d].append(OutcomeGroup(outcome, reason, bool(reached), int(n)))
    rows = [
        OutcomeRow(d, _name(d), None, outcome_counts(g))
        for d, g in sorted(groups.items(), key=lambda kv: _order(kv[0]))
    ]
    if query.district is not None and not rows:
        rows = [OutcomeRow(query.district, query.district, None, outcome_counts([]))]
    return OutcomeReport(header=header, rows=tuple(rows), total=sum_counts(row.counts for row in rows))


def timing(conn: sa.Connection, query: ReportQuery, header: ReportHeader) -> TimingReport:
    targets = DEFAULT_STEP_TARGETS_S
    steps = [r[STEP_SECONDS_COLUMNS[step]] for step in STEPS]
    district = sa.func.coalesce(r.district, UNROUTED)
    sel = sa.select(district, r.case_id, *steps).where(*_alerts(query)).order_by(district)
    per, total, slowest = timing_figures(conn.execute(sel), targets)
    empty = tuple(step_timing(s, [], targets[s]) for s in STEPS)
    rows = [TimingRow(d, _name(d), per.get(d, empty)) for d in sorted(per, key=_order)]
    return TimingReport(header=header, rows=tuple(rows), total=total, slowest=slowest)


def follow_ups(conn: sa.Connection, query: ReportQuery, header: ReportHeader) -> FollowUpReport:
    lo, hi = period_bounds(query)
    now = iso(utcnow())
    district = sa.func.coalesce(f.district, UNROUTED)
    sel = sa.select(
        district,
        sa.func.count(),
        sa.func.sum(sa.case((f.done_at.is_not(None), 1), else_=0)),
        sa.func.sum(sa.case((sa.and_(f.done_at.is_(None), f.due < now), 1), else_=0)),
    ).where(f.due >= lo, f.due < hi)
    if query.district is not None:
        sel = sel.where(f.district == query.district)
    counts = {
        d: (int(n), int(done or 0), int(overdue or 0)) for d, n, done, overdue in conn.execute(sel.group_by(district))
    }
    rows = [FollowUpRow(d, _name(d), *counts[d]) for d in sorted(counts, key=_order)]
    total = FollowUpRow("", "", sum(x.due for x in rows), sum(x.done for x in rows), sum(x.overdue for x in rows))
    return FollowUpReport(header=header, rows=tuple(rows), total=total)


def console_health(conn: sa.Connection, query: ReportQuery, header: ReportHeader) -> ConsoleHealthReport:
    """A console does not know the other consoles' presence: one row per district it holds, no figures."""
    found = conn.execute(sa.select(r.district).distinct().where(r.district.is_not(None))).scalars()
    codes = sorted(d for d in found if query.district in (None, d))
    return ConsoleHealthReport(header=header, rows=tuple(ConsoleHealthRow(d, d, None, 0, 0) for d in codes))


# Reports a replica cannot compute: their summaries (each complaint's deadlines, each tip's status)
# are kept at HQ only.
HQ_ONLY_KINDS = frozenset({"compliance", "tips"})


def compute(store: LocalStore, kind: str, query: ReportQuery, run_by: str) -> Any:
    """The report ``kind`` (one of ``core.reports.KINDS``) from this console's replica."""
    if kind not in KINDS:
        raise ValueError(f"unknown report {kind!r}")
    if kind in HQ_ONLY_KINDS:
        raise ValueError(f"the {kind} report is computed at HQ only (a replica keeps no complaint or tip summary)")
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


__all__ = ["HQ_ONLY_KINDS", "compute", "console_health", "follow_ups", "outcomes", "timing"]
