"""HQ's reports: SQL aggregates over ``case_summary``, ``follow_up_summary`` and ``presence_log``,
turned into the ``core.reports`` types by the definitions written there once (docs/REPORTS.md). The
compliance and tip-line reports are in ``hq.report_kinds``, over their own summary tables.

Who sees what: HQ operators, supervisors and admins the whole state (or any range or district of
it); a district operator its own district only (another district, or a range, is refused). Reading
a report is audited. No report carries a name or a phone number.

Step durations are numbers in ``case_summary`` (``core.reports.step_seconds`` of the fold, written
with the row), so no report parses a time. Percentiles: ``percentile_cont`` on PostgreSQL; on SQLite
the durations are read and ``core.reports.percentile`` (the same definition) applied.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    ARRAY,
    ColumnElement,
    Connection,
    Float,
    and_,
    case,
    func,
    literal,
    select,
    true,
    tuple_,
    union_all,
)
from sqlalchemy.dialects.postgresql import array as pg_array

from core.events import CaseKind, iso, parse_time, utcnow
from core.report_rows import STEP_SECONDS_COLUMNS, Timings, timing_figures
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
    StepTiming,
    TimingReport,
    TimingRow,
    covered_seconds,
    outcome_counts,
    period_bounds,
    step_timing,
    sum_counts,
)
from hq import report_kinds
from hq.audit import write_audit
from hq.db import Database
from hq.errors import Forbidden, Invalid
from hq.presence import PRESENCE_ONLINE_S
from hq.principals import TIP_ROLES, Principal, Role
from hq.schema import case_summary, cases, districts, follow_up_summary, presence_log

# Where each step's time is in case_summary.
STEP_COLUMNS: Mapping[Step, str] = {
    Step.HQ_ACKNOWLEDGED: "hq_acknowledged_at",
    Step.ROUTED: "routed_at",
    Step.DISTRICT_ACKNOWLEDGED: "district_acknowledged_at",
    Step.DISPATCHED: "dispatched_at",
    Step.REACHED: "reached_at",
    Step.COUNSELLED: "counselled_at",
}
STATE_ROLES = frozenset({Role.HQ_OPERATOR, Role.SUPERVISOR, Role.ADMIN})
# A case not (yet) routed to any district is counted in a row of its own, so the state row is still
# the sum of the rows.
UNROUTED = ""
UNROUTED_NAME = "(not routed)"
EARLIEST, LATEST = date(2000, 1, 1), date(2099, 12, 31)


def step_targets(env: Mapping[str, str] | None = None) -> dict[Step, float]:
    """Each step's target in seconds: ``RAKSHAK_REPORT_TARGET_<STEP>_S`` (e.g.
    ``RAKSHAK_REPORT_TARGET_DISPATCHED_S=900``) overrides ``core.reports.DEFAULT_STEP_TARGETS_S``."""
    env = os.environ if env is None else env
    out = dict(DEFAULT_STEP_TARGETS_S)
    for step in STEPS:
        raw = env.get(f"RAKSHAK_REPORT_TARGET_{step.name}_S")
        if raw:
            out[step] = float(raw)
    return out


# -- scope -------------------------------------------------------------------------------------------


# The reports a tip-only role (a DIG, an SP's office) may read: counts of its own tips. The others
# count cases those roles do not see.
TIP_ROLE_KINDS = frozenset({"tips"})


def scoped_query(p: Principal, query: ReportQuery, kind: str | None = None) -> ReportQuery:
    """``query`` as ``p`` may run it: refuses (``Forbidden``) what lies outside their scope. ``kind``
    matters to the tip-only roles, which read the tip-line report alone."""
    if query.date_to < query.date_from:
        raise Invalid("the period ends before it starts")
    if query.date_from < EARLIEST or query.date_to > LATEST:
        raise Invalid(f"the period must lie between {EARLIEST} and {LATEST}")
    if p.is_key or p.role is None:
        raise Forbidden("reports need a signed-in user")
    if p.role in STATE_ROLES:
        return query
    if p.role in TIP_ROLES:
        if kind not in TIP_ROLE_KINDS:
            raise Forbidden(f"the {p.role} role reads the tip-line report only")
        if p.role is Role.RANGE_DIG and p.range:
            # the districts of his range (``_districts`` filters by range, and by district within it)
            if query.range not in (None, p.range):
                raise Forbidden("a DIG sees the reports of his own range only")
            return ReportQuery(query.date_from, query.date_to, district=query.district, range=p.range)
        if p.role is Role.SP_OFFICE and p.district:
            if query.range is not None or query.district not in (None, p.district):
                raise Forbidden("an SP's office sees the reports of its own district only")
            return ReportQuery(query.date_from, query.date_to, district=p.district)
        raise Forbidden(f"this {p.role} account has no range or district")
    if p.role is Role.DISTRICT_OPERATOR and p.district:
        if query.range is not None:
            raise Forbidden("a district operator sees the reports of their own district only")
        if query.district not in (None, p.district):
            raise Forbidden("a district operator sees the reports of their own district only")
        return ReportQuery(query.date_from, query.date_to, district=p.district)
    raise Forbidden(f"the {p.role} role may not read reports")


def _districts(conn: Connection, query: ReportQuery) -> list[tuple[str, str, str | None]]:
    """(code, name, range) of the districts in scope, by name."""
    sel = select(districts.c.code, districts.c.name, districts.c.range)
    if query.district is not None:
        sel = sel.where(districts.c.code == query.district)
    if query.range is not None:
        sel = sel.where(districts.c.range == query.range)
    rows = [(r.code, r.name, r.range) for r in conn.execute(sel)]
    if query.district is not None and not rows:
        raise Invalid(f"unknown district {query.district!r}")
    return sorted(rows, key=lambda r: (r[1], r[0]))


def _whole_state(query: ReportQuery) -> bool:
    return query.district is None and query.range is None


def _district_filter(column: Any, query: ReportQuery, codes: list[str]) -> ColumnElement[bool]:
    if _whole_state(query):
        return true()
    return column.in_(codes) if codes else literal(False)


def _alerts(query: ReportQuery, codes: list[str]) -> ColumnElement[bool]:
    lo, hi = period_bounds(query)
    cs = case_summary.c
    return and_(
        cs.kind == str(CaseKind.SUICIDE_RISK),
        cs.received_at >= lo,
        cs.received_at < hi,
        _district_filter(cs.district, query, codes),
    )


def _header(query: ReportQuery, p: Principal) -> ReportHeader:
    return ReportHeader(query=query, source=ReportSource.HQ, as_of=iso(utcnow()), run_by=p.display_name)


# -- outcomes ----------------------------------------------------------------------------------------


def outcomes(conn: Connection, query: ReportQuery, header: ReportHeader) -> OutcomeReport:
    scope = _districts(conn, query)
    codes = [c for c, _, _ in scope]
    cs = case_summary.c
    reached = case((cs.reached_at.is_(None), 0), else_=1)
    district = func.coalesce(cs.district, UNROUTED)
    rows = conn.execute(
        select(
            district.label("district"),
            cs.outcome,
            cs.outcome_reason,
            reached.label("reached"),
            func.count().label("n"),
            func.coalesce(func.sum(cases.c.duplicates), 0).label("dups"),
        )
        .select_from(case_summary.join(cases, cases.c.id == cs.case_id))
        .where(_alerts(query, codes))
        .group_by(district, cs.outcome, cs.outcome_reason, reached)
    )
    groups: dict[str, list[OutcomeGroup]] = defaultdict(list)
    for r in rows:
        groups[r.district].append(OutcomeGroup(r.outcome, r.outcome_reason, bool(r.reached), int(r.n), int(r.dups)))
    out = [OutcomeRow(code, name, rng, outcome_counts(groups.pop(code, []))) for code, name, rng in scope]
    if groups.get(UNROUTED):
        out.append(OutcomeRow(UNROUTED, UNROUTED_NAME, None, outcome_counts(groups.pop(UNROUTED))))
    return OutcomeReport(header=header, rows=tuple(out), total=sum_counts(r.counts for r in out))


# -- chain timing ------------------------------------------------------------------------------------


def _durations(query: ReportQuery, codes: list[str]) -> Any:
    """One row per alert in scope: district (``UNROUTED`` if none), case id, and ``s0``..``s5``, each
    step's seconds as ``case_summary`` keeps them (NULL for a step not reached)."""
    cs = case_summary.c
    steps = [cs[STEP_SECONDS_COLUMNS[step]].label(f"s{i}") for i, step in enumerate(STEPS)]
    return select(func.coalesce(cs.district, UNROUTED).label("d"), cs.case_id, *steps).where(_alerts(query, codes))


def timing(conn: Connection, query: ReportQuery, header: ReportHeader, targets: Mapping[Step, float]) -> TimingReport:
    scope = _districts(conn, query)
    codes = [c for c, _, _ in scope]
    compute = _timing_postgres if conn.dialect.name == "postgresql" else _timing_sqlite
    per, total, slowest = compute(conn, _durations(query, codes), targets)

    def row(code: str, name: str) -> TimingRow:
        return TimingRow(code, name, per.pop(code, ()) or tuple(step_timing(s, [], targets[s]) for s in STEPS))

    rows = [row(code, name) for code, name, _ in scope]
    if per.get(UNROUTED):
        rows.append(row(UNROUTED, UNROUTED_NAME))
    return TimingReport(header=header, rows=tuple(rows), total=total, slowest=slowest)


def _timing_postgres(conn: Connection, durations: Any, targets: Mapping[Step, float]) -> Timings:
    """Every district's figures and the state's in one pass (``GROUPING SETS``) with
    ``percentile_cont``; the slowest cases of each step from the same materialised durations."""
    dur = durations.cte("dur").prefix_with("MATERIALIZED")
    aggs = []
    for i, step in enumerate(STEPS):
        s = dur.c[f"s{i}"]
        # one sort per step for its three percentiles
        quantiles = func.percentile_cont(pg_array([0.5, 0.9, 0.99]), type_=ARRAY(Float)).within_group(s)
        aggs += [func.count(s), quantiles, func.count().filter(s > targets[step])]
    grouped = select(dur.c.d, *aggs).group_by(func.grouping_sets(tuple_(dur.c.d), tuple_()))
    per: dict[str, tuple[StepTiming, ...]] = {}
    total: tuple[StepTiming, ...] = tuple(step_timing(s, [], targets[s]) for s in STEPS)
    for r in conn.execute(grouped):
        figures = tuple(_timing(step, r[1 + 3 * i : 4 + 3 * i], targets[step]) for i, step in enumerate(STEPS))
        if r[0] is None:
            total = figures
        else:
            per[r[0]] = figures
    parts = []
    for i in range(len(STEPS)):
        s = dur.c[f"s{i}"]
        top = (
            select(literal(i).label("k"), dur.c.case_id, dur.c.d, s.label("s"))
            .where(s.is_not(None))
            .order_by(s.desc(), dur.c.case_id)
            .limit(SLOWEST_PER_STEP)
            .subquery(f"top{i}")
        )
        parts.append(select(top))
    slow = conn.execute(union_all(*parts)).all()
    slowest = tuple(
        SlowCase(r.case_id, r.d, STEPS[r.k], float(r.s)) for r in sorted(slow, key=lambda r: (r.k, -r.s, r.case_id))
    )
    return per, total, slowest


def _timing_sqlite(conn: Connection, durations: Any, targets: Mapping[Step, float]) -> Timings:
    """The durations read (numbers only) and ``core.report_rows.timing_figures`` applied (the definition
    ``percentile_cont`` has)."""
    return timing_figures(conn.execute(durations.order_by("d")), targets)


def _timing(step: Step, r: Any, target: float) -> StepTiming:
    n, quantiles, over = r
    p50, p90, p99 = (None, None, None) if quantiles is None else (float(q) for q in quantiles)
    return StepTiming(step, int(n), p50, p90, p99, target, int(over or 0))


# -- console health ----------------------------------------------------------------------------------


def console_health(conn: Connection, query: ReportQuery, header: ReportHeader) -> ConsoleHealthReport:
    scope = _districts(conn, query)
    codes = [c for c, _, _ in scope]
    lo, hi = period_bounds(query)
    start, end = parse_time(lo).timestamp(), parse_time(hi).timestamp()
    now = parse_time(header.as_of).timestamp()  # covered up to the moment the report was made
    span = min(end, now) - start
    pl = presence_log.c
    early = iso(datetime.fromtimestamp(start - PRESENCE_ONLINE_S, UTC))
    in_scope = and_(pl.at >= early, pl.at < hi, pl.district.in_(codes))
    beats: dict[str, list[float]] = defaultdict(list)
    covering = and_(in_scope, pl.online.is_(True), pl.can_sound.is_(True))
    for d, at in conn.execute(select(pl.district, pl.at).where(covering).order_by(pl.district, pl.at)):
        beats[d].append(parse_time(at).timestamp())
    tests: dict[tuple[str, bool], int] = {}
    for d, heard, n in conn.execute(
        select(pl.district, pl.test_heard, func.count())
        .where(in_scope, pl.at >= lo, pl.test_heard.is_not(None))
        .group_by(pl.district, pl.test_heard)
    ):
        tests[(d, bool(heard))] = int(n)
    rows = []
    for code, name, _ in scope:
        share = None
        if span > 0:
            share = covered_seconds(beats.get(code, []), PRESENCE_ONLINE_S, start, min(end, now)) / span
        rows.append(ConsoleHealthRow(code, name, share, tests.get((code, True), 0), tests.get((code, False), 0)))
    return ConsoleHealthReport(header=header, rows=tuple(rows))


# -- follow-ups --------------------------------------------------------------------------------------


def follow_ups(conn: Connection, query: ReportQuery, header: ReportHeader) -> FollowUpReport:
    """Follow-ups due in the period, per district: how many, how many done, and how many of the rest
    are overdue now."""
    scope = _districts(conn, query)
    codes = [c for c, _, _ in scope]
    lo, hi = period_bounds(query)
    now = header.as_of
    f = follow_up_summary.c
    district = func.coalesce(f.district, UNROUTED)
    counts = {
        r[0]: (int(r[1]), int(r[2] or 0), int(r[3] or 0))
        for r in conn.execute(
            select(
                district,
                func.count(),
                func.sum(case((f.done_at.is_not(None), 1), else_=0)),
                func.sum(case((and_(f.done_at.is_(None), f.due < now), 1), else_=0)),
            )
            .where(f.due >= lo, f.due < hi, _district_filter(f.district, query, codes))
            .group_by(district)
        )
    }
    rows = [FollowUpRow(code, name, *counts.pop(code, (0, 0, 0))) for code, name, _ in scope]
    if counts.get(UNROUTED):
        rows.append(FollowUpRow(UNROUTED, UNROUTED_NAME, *counts.pop(UNROUTED)))
    total = FollowUpRow("", "", sum(r.due for r in rows), sum(r.done for r in rows), sum(r.overdue for r in rows))
    return FollowUpReport(header=header, rows=tuple(rows), total=total)


# -- entry point -------------------------------------------------------------------------------------


def run(db: Database, p: Principal, kind: str, query: ReportQuery, *, audit: bool = True) -> Any:
    """The report ``kind`` (one of ``core.reports.KINDS``) for ``query`` as ``p`` may see it; audited."""
    if kind not in KINDS:
        raise Invalid(f"unknown report {kind!r}")
    try:
        scoped = scoped_query(p, query, kind)
    except Forbidden:
        if audit:
            _audit(db, p, kind, query, "denied")
        raise
    header = _header(scoped, p)
    with db.reader() as conn:
        if kind == "outcomes":
            report: Any = outcomes(conn, scoped, header)
        elif kind == "timing":
            report = timing(conn, scoped, header, step_targets())
        elif kind == "console-health":
            report = console_health(conn, scoped, header)
        elif kind == "compliance":
            report = report_kinds.compliance(conn, scoped, header, report_kinds.sla_policy())
        elif kind == "tips":
            report = report_kinds.tips(conn, scoped, header)
        else:
            report = follow_ups(conn, scoped, header)
    if audit:
        _audit(db, p, kind, scoped, "ok")
    return report


# What a console may export: the chain's reports and the misinformation registers' (hq.claims.reports).
EXPORTABLE = (*KINDS, "claims", "accounts")


def record_export(db: Database, p: Principal, kind: str, query: ReportQuery, fmt: str, exported_at: str) -> None:
    """A console exported a report (CSV, XLSX or PDF): audited as ``report_export``, with the scope the
    caller may see (an export outside it is refused and audited as denied, like a read)."""
    if kind not in EXPORTABLE:
        raise Invalid(f"unknown report {kind!r}")
    try:
        scoped = scoped_query(p, query, kind)
    except Forbidden:
        _audit(db, p, kind, query, "denied", action="report_export", format=fmt, exported_at=exported_at)
        raise
    _audit(db, p, kind, scoped, "ok", action="report_export", format=fmt, exported_at=exported_at)


def _audit(
    db: Database, p: Principal, kind: str, query: ReportQuery, outcome: str, *, action: str = "report", **extra: str
) -> None:
    detail = {
        "report": kind,
        "from": query.date_from.isoformat(),
        "to": query.date_to.isoformat(),
        "district": query.district,
        "range": query.range,
        **extra,
    }
    with db.transaction() as conn:
        write_audit(conn, p, action, outcome, detail=detail)


__all__ = [
    "STEP_COLUMNS",
    "console_health",
    "follow_ups",
    "outcomes",
    "record_export",
    "run",
    "scoped_query",
    "step_targets",
    "timing",
]
