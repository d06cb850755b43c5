"""The claims and register reports, computed at HQ over the whole state (``core.reports`` types).

Periods are days in India Standard Time: a claim recorded at 20:00 UTC on the 1st belongs to the 2nd.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from pydantic import BaseModel
from sqlalchemy import func, select

from core.accounts import ActionKind, Reason
from core.events import iso, utcnow
from core.reports import (
    AccountsReport,
    ClaimsReport,
    CountRow,
    ReportHeader,
    ReportQuery,
    ReportSource,
    SlowRebuttal,
)
from hq.claims.common import require_read
from hq.db import Database
from hq.errors import Forbidden, Invalid
from hq.principals import Principal
from hq.schema import account_actions, accounts, claim_rebuttals, claims

IST = timezone(timedelta(hours=5, minutes=30))
SLOWEST_MAX = 10
TEXT_PREVIEW_CHARS = 80


def percentile(values: list[float], q: float) -> float | None:
    """The nearest-rank percentile (``q`` in 0..1) of ``values``; None when there are none."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def _utc_bounds(date_from: date, date_to: date) -> tuple[str, str]:
    """The period's IST days as [start, end) in the stored UTC text form."""
    start = datetime.combine(date_from, datetime.min.time(), IST).astimezone(UTC)
    end = datetime.combine(date_to + timedelta(days=1), datetime.min.time(), IST).astimezone(UTC)
    return iso(start), iso(end)


def _header(p: Principal, query: ReportQuery) -> ReportHeader:
    return ReportHeader(query, ReportSource.HQ, iso(utcnow()), p.display_name)


def claims_stats(db: Database, p: Principal, query: ReportQuery) -> ClaimsReport:
    start, end = _utc_bounds(query.date_from, query.date_to)
    first = (
        select(claim_rebuttals.c.claim_id, func.min(claim_rebuttals.c.published_at).label("first"))
        .group_by(claim_rebuttals.c.claim_id)
        .subquery()
    )
    q = (
        select(claims.c.id, claims.c.text, claims.c.status, claims.c.created_at, claims.c.rebutted_at, first.c.first)
        .outerjoin(first, first.c.claim_id == claims.c.id)
        .where(claims.c.created_at >= start, claims.c.created_at < end)
    )
    with db.reader() as conn:
        rows = conn.execute(q).all()
    rebutted = investigating = closed = 0
    waits: list[tuple[float, str, str]] = []
    for r in rows:
        if r.rebutted_at is not None:
            rebutted += 1
            if r.first is not None:
                seconds = (datetime.fromisoformat(r.first) - datetime.fromisoformat(r.created_at)).total_seconds()
                waits.append((max(0.0, seconds), r.id, r.text))
        elif r.status == "investigating":
            investigating += 1
        else:
            closed += 1
    waited = [w[0] for w in waits]
    slowest = tuple(
        SlowRebuttal(cid, " ".join(text.split())[:TEXT_PREVIEW_CHARS], s)
        for s, cid, text in sorted(waits, key=lambda w: (-w[0], w[1]))[:SLOWEST_MAX]
    )
    return ClaimsReport(
        _header(p, query),
        len(rows),
        rebutted,
        investigating,
        closed,
        percentile(waited, 0.5),
        percentile(waited, 0.9),
        slowest,
    )


def accounts_stats(db: Database, p: Principal, query: ReportQuery) -> AccountsReport:
    start, end = _utc_bounds(query.date_from, query.date_to)
    with db.reader() as conn:
        added = (
            conn.execute(select(accounts.c.reasons).where(accounts.c.created_at >= start, accounts.c.created_at < end))
            .scalars()
            .all()
        )
        actions = conn.execute(
            select(account_actions.c.kind, account_actions.c.account_id).where(
                account_actions.c.on_date >= query.date_from.isoformat(),
                account_actions.c.on_date <= query.date_to.isoformat(),
            )
        ).all()
    reasons: dict[str, int] = {}
    for text in added:
        for r in json.loads(text):
            reasons[r] = reasons.get(r, 0) + 1
    kinds: dict[str, int] = {}
    for a in actions:
        kinds[a.kind] = kinds.get(a.kind, 0) + 1
    return AccountsReport(
        _header(p, query),
        len(added),
        tuple(CountRow(r.value, reasons.get(r.value, 0)) for r in Reason),
        tuple(CountRow(k.value, kinds.get(k.value, 0)) for k in ActionKind),
        len({a.account_id for a in actions}),
    )


class ClaimsReportOut(BaseModel):
    claims: dict[str, Any]
    accounts: dict[str, Any]


def claims_report(db: Database, p: Principal, date_from: str, date_to: str) -> dict[str, Any]:
    """Both reports for HQ roles (a district operator's console has no claims reports)."""
    if require_read(p) is not None:
        raise Forbidden("the claims reports are for HQ roles")
    try:
        query = ReportQuery(date.fromisoformat(date_from), date.fromisoformat(date_to))
    except ValueError:
        raise Invalid("date_from, date_to: not a date") from None
    if query.date_to < query.date_from:
        raise Invalid("date_to is before date_from")
    return {
        "claims": _jsonable(asdict(claims_stats(db, p, query))),
        "accounts": _jsonable(asdict(accounts_stats(db, p, query))),
    }


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value
