"""HQ's compliance and tip-line reports: SQL aggregates over ``complaint_summary``,
``complaint_deadlines`` and ``tip_summary`` (kept by ``hq.summary`` with every event write), turned
into ``core.reports.ComplianceReport`` and ``TipReport`` by the definitions written there once.

A deadline's limit is not stored: the report applies the SLA policy in force
(``core.reports.sla_limit_s``; the ``RAKSHAK_SLA_*`` settings, docs/COMPLAINTS.md) as a SQL ``CASE``
on kind and category, and compares it with the stored seconds, so a changed policy changes the
report, not the rows. Met, missed and running are ``core.reports.deadline_result`` in SQL.

Scope follows ``hq.reports.scoped_query``: HQ roles any district or range, a district operator its
own. Rows are by the district a complaint or tip is assigned to now; ``(not routed)`` holds the rest,
so the state's figures are the sum of the rows.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import ARRAY, ColumnElement, Connection, Float, and_, case, func, literal, or_, select, tuple_

from core.events import ComplaintCategory, DeadlineKind, iso, parse_time
from core.reports import (
    BREACHES_LISTED,
    IST,
    UNCATEGORISED,
    ComplianceBreach,
    ComplianceFigures,
    ComplianceReport,
    ComplianceRow,
    DeadlineGroup,
    DeadlineResult,
    ReportHeader,
    ReportQuery,
    TipBucket,
    TipCounts,
    TipReport,
    TipRow,
    TipStatus,
    compliance_figures,
    period_bounds,
    sum_tip_counts,
    tip_buckets,
)
from core.sla import SlaPolicy
from core.tips import TipCategory
from hq.schema import complaint_deadlines, complaint_summary, tip_summary

UNROUTED = ""
UNROUTED_NAME = "(not routed)"
COMPLAINT_CATEGORIES: tuple[str, ...] = (*(str(c) for c in ComplaintCategory), UNCATEGORISED)


def sla_policy(env: Mapping[str, str] | None = None) -> SlaPolicy:
    """The SLA policy the reports apply: the ``RAKSHAK_SLA_*`` settings as the complaints worker
    reads them (``hq.connectors.settings``; no secret is read)."""
    from hq.connectors.settings import DECLARED, ConnectorSettings

    env = os.environ if env is None else env
    values = {name: env.get(name) or default for name, default, _ in DECLARED if name.startswith("RAKSHAK_SLA_")}
    every = {name: default for name, default, _ in DECLARED}
    return ConnectorSettings({**every, **values}).policy()


def _scope(conn: Connection, query: ReportQuery) -> list[tuple[str, str]]:
    from hq.reports import _districts  # here, not at the top: hq.reports imports this module

    return [(code, name) for code, name, _ in _districts(conn, query)]


def _in_scope(column: Any, query: ReportQuery, codes: list[str]) -> ColumnElement[bool]:
    if query.district is None and query.range is None:
        return literal(True)
    return column.in_(codes) if codes else literal(False)


# -- compliance ---------------------------------------------------------------------------------------


def _limit_s(policy: SlaPolicy) -> Any:
    """The deadline's limit in seconds, by kind and category: ``core.reports.sla_limit_s`` in SQL."""
    cat, kind = complaint_summary.c.category, complaint_deadlines.c.deadline

    def by_category(default_min: int, per: Mapping[str, int]) -> Any:
        if not per:
            return literal(default_min * 60.0)
        return case(*((cat == c, literal(m * 60.0)) for c, m in per.items()), else_=literal(default_min * 60.0))

    return case(
        (
            kind == str(DeadlineKind.FIRST_RESPONSE),
            by_category(policy.first_response_min, policy.first_response_by_category),
        ),
        (kind == str(DeadlineKind.RESOLUTION), by_category(policy.resolution_min, policy.resolution_by_category)),
        else_=literal(policy.next_response_min * 60.0),
    )


def compliance(conn: Connection, query: ReportQuery, header: ReportHeader, policy: SlaPolicy) -> ComplianceReport:
    scope = _scope(conn, query)
    codes = [c for c, _ in scope]
    lo, hi = period_bounds(query)
    now_s = parse_time(header.as_of).timestamp()
    cs, cd = complaint_summary.c, complaint_deadlines.c
    d_expr = func.coalesce(cs.district, UNROUTED)
    district = d_expr.label("d")
    where = and_(cs.posted_at >= lo, cs.posted_at < hi, _in_scope(cs.district, query, codes))
    received = {
        (r.d, r.category): int(r.n)
        for r in conn.execute(
            select(district, cs.category, func.count().label("n")).where(where).group_by(district, cs.category)
        )
    }
    limit = _limit_s(policy)
    met = and_(cd.met_s.is_not(None), cd.met_s < limit)
    missed = or_(cd.met_s.is_not(None), cd.started_s + limit <= now_s)
    result = case(
        (met, str(DeadlineResult.MET)), (missed, str(DeadlineResult.MISSED)), else_=str(DeadlineResult.RUNNING)
    )
    joined = complaint_deadlines.join(complaint_summary, complaint_summary.c.case_id == cd.case_id)
    # counted per (district, category, kind) with conditional sums, so the limit's CASE is not a
    # grouping key: "running" is what is neither met nor missed
    groups: list[tuple[str, str, DeadlineGroup]] = []
    for r in conn.execute(
        select(district, cs.category, cd.deadline, func.count().label("n"),
               func.sum(case((met, 1), else_=0)).label("met"),
               func.sum(case((and_(~met, missed), 1), else_=0)).label("missed"))
        .select_from(joined)
        .where(where)
        .group_by(district, cs.category, cd.deadline)
    ):  # fmt: skip
        n_met, n_missed = int(r.met or 0), int(r.missed or 0)
        for res, n in ((DeadlineResult.MET, n_met), (DeadlineResult.MISSED, n_missed),
                       (DeadlineResult.RUNNING, int(r.n) - n_met - n_missed)):  # fmt: skip
            if n:
                groups.append((r.d, r.category, DeadlineGroup(r.deadline, str(res), n)))
    seconds = _first_response_seconds(conn, where, d_expr)
    # each row's complaints and deadlines, indexed once: ("d", district), ("c", category), ("t", "")
    counts: dict[tuple[str, str], int] = defaultdict(int)
    grouped: dict[tuple[str, str], list[DeadlineGroup]] = defaultdict(list)
    for (d, c), n in received.items():
        for key in (("d", d), ("c", c), ("t", "")):
            counts[key] += n
    for d, c, g in groups:
        for key in (("d", d), ("c", c), ("t", "")):
            grouped[key].append(g)

    def figures(key: tuple[str, str]) -> ComplianceFigures:
        return _figures(counts.get(key, 0), grouped.get(key, []), seconds.get(key, []))

    by_district = [ComplianceRow(code, name, figures(("d", code))) for code, name in scope]
    if ("d", UNROUTED) in counts:
        by_district.append(ComplianceRow(UNROUTED, UNROUTED_NAME, figures(("d", UNROUTED))))
    by_category = [ComplianceRow(cat, cat, figures(("c", cat))) for cat in COMPLAINT_CATEGORIES]
    total = figures(("t", ""))
    breaches_total = sum(g.n for g in grouped.get(("t", ""), []) if g.result == DeadlineResult.MISSED)
    lateness = case((cd.met_s.is_not(None), cd.met_s - limit), else_=literal(now_s) - cd.started_s - limit)
    late = (
        select(cd.case_id, cs.platform, cs.category, district, cd.deadline, cd.started_s, lateness.label("late"),
               limit.label("limit"))
        .select_from(joined)
        .where(where, result == str(DeadlineResult.MISSED))
    )  # fmt: skip
    breaches = tuple(
        ComplianceBreach(
            r.case_id, r.platform, r.category, r.d, r.deadline, iso(_epoch(r.started_s + r.limit)),
            round(float(r.late), 3),
        )
        for r in conn.execute(late.order_by((cd.started_s + limit).desc(), cd.case_id).limit(BREACHES_LISTED))
    )
    return ComplianceReport(header, tuple(by_district), tuple(by_category), total, breaches, breaches_total)


def _epoch(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


Seconds = dict[tuple[str, str], Any]


def _first_response_seconds(conn: Connection, where: ColumnElement[bool], d_expr: Any) -> Seconds:
    """Per district (``("d", code)``), per category (``("c", cat)``) and overall (``("t", "")``): on
    PostgreSQL ``(replied, p50, p90)`` by ``percentile_cont`` in one pass (``GROUPING SETS``); on
    SQLite the seconds themselves, sorted, for ``core.reports.percentile`` (the same definition)."""
    cs = complaint_summary.c
    s = cs.first_response_s
    replied = and_(where, s.is_not(None))
    out: Seconds = {}
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import array as pg_array

        q = func.percentile_cont(pg_array([0.5, 0.9]), type_=ARRAY(Float)).within_group(s)
        grouped = (
            select(d_expr.label("d"), cs.category, func.grouping(d_expr).label("gd"),
                   func.grouping(cs.category).label("gc"), func.count(s), q)
            .where(replied)
            .group_by(func.grouping_sets(tuple_(d_expr), tuple_(cs.category), tuple_()))
        )  # fmt: skip
        for r in conn.execute(grouped):
            if not r[4] or r[5] is None:  # the grand total's row of a period with no reply: no percentiles
                continue
            key = ("t", "") if r.gd and r.gc else ("c", r.category) if r.gd else ("d", r.d)
            p50, p90 = (float(v) for v in r[5])
            out[key] = (int(r[4]), p50, p90)
        return out
    values: dict[tuple[str, str], list[float]] = defaultdict(list)
    for d, c, v in conn.execute(select(d_expr, cs.category, s).where(replied)):
        values[("d", d)].append(float(v))
        values[("c", c)].append(float(v))
        values[("t", "")].append(float(v))
    return {k: sorted(v) for k, v in values.items()}


def _figures(received: int, groups: list[DeadlineGroup], found: Any) -> ComplianceFigures:
    """One row's figures; ``found`` is its first-response seconds (SQLite) or PostgreSQL's
    ``(replied, p50, p90)``."""
    figures = compliance_figures(received, groups, found if isinstance(found, list) else [])
    if isinstance(found, tuple):
        figures = replace(figures, replied=found[0], first_response_p50_s=found[1], first_response_p90_s=found[2])
    return figures


# -- the tip line --------------------------------------------------------------------------------------


def tips(conn: Connection, query: ReportQuery, header: ReportHeader) -> TipReport:
    """Tips received in the period (by the day received, IST) in scope: by district and category
    with their status now and the relay's questions; and per week or month by category. Counts only."""
    scope = _scope(conn, query)
    codes = [c for c, _ in scope]
    lo, hi = period_bounds(query)
    ts = tip_summary.c
    district = func.coalesce(ts.district, UNROUTED).label("d")
    where = and_(ts.received_at >= lo, ts.received_at < hi, _in_scope(ts.district, query, codes))
    cells: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for r in conn.execute(
        select(district, ts.category, ts.status, func.count().label("n"), func.sum(ts.questions).label("q"),
               func.sum(ts.answered).label("a"))
        .where(where)
        .group_by(district, ts.category, ts.status)
    ):  # fmt: skip
        cell = cells[(r.d, r.category)]
        cell["received"] += int(r.n)
        cell[str(r.status)] += int(r.n)
        cell["questions_asked"] += int(r.q or 0)
        cell["questions_answered"] += int(r.a or 0)

    def counts(pick: Any) -> TipCounts:
        total: dict[str, int] = defaultdict(int)
        for k, cell in cells.items():
            if pick(k):
                for name, n in cell.items():
                    total[name] += n
        return TipCounts(
            received=total["received"], open=total[str(TipStatus.OPEN)], assigned=total[str(TipStatus.ASSIGNED)],
            actioned=total[str(TipStatus.ACTIONED)], closed=total[str(TipStatus.CLOSED)],
            questions_asked=total["questions_asked"], questions_answered=total["questions_answered"],
        )  # fmt: skip

    by_district = [TipRow(code, name, counts(lambda k, c=code: k[0] == c)) for code, name in scope]
    if any(k[0] == UNROUTED for k in cells):
        by_district.append(TipRow(UNROUTED, UNROUTED_NAME, counts(lambda k: k[0] == UNROUTED)))
    by_category = [TipRow(str(c), str(c), counts(lambda k, c=str(c): k[1] == c)) for c in TipCategory]
    unit, starts = tip_buckets(query.date_from, query.date_to)
    bucket = _bucket_of(ts.received_at, starts)
    per: dict[int, dict[str, int]] = defaultdict(dict)
    for r in conn.execute(
        select(bucket.label("b"), ts.category, func.count().label("n")).where(where).group_by(bucket, ts.category)
    ):
        per[int(r.b)][r.category] = int(r.n)
    over_time = tuple(
        TipBucket(start, {str(c): per[i].get(str(c), 0) for c in TipCategory}, sum(per[i].values()))
        for i, start in enumerate(starts)
    )
    return TipReport(
        header, unit, tuple(by_district), tuple(by_category), sum_tip_counts(r.counts for r in by_district), over_time
    )


def _bucket_of(received_at: Any, starts: list[date]) -> Any:
    """The index of the bucket a tip's receipt falls in (``starts`` as IST midnights in UTC text)."""
    edges = [iso(datetime.combine(d, time(0), IST).astimezone(UTC)) for d in starts[1:]]
    if not edges:
        return literal(0)
    return case(*((received_at < e, literal(i)) for i, e in enumerate(edges)), else_=literal(len(edges)))


__all__ = ["COMPLAINT_CATEGORIES", "compliance", "sla_policy", "tips"]
