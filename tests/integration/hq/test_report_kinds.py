"""The compliance and tip-line reports from a known set of complaints and tips, built through HQ's
own writes (the connectors' take, triage events, published replies, the relay's intake) on SQLite and
PostgreSQL: exactly the expected table, the state's figures equal to the sum of the district rows,
served by the endpoint in each caller's scope and printed by the CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import fields
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from core.events import EventType, ItemKind, Source, iso
from core.reports import (
    ComplianceFigures,
    ComplianceReport,
    DeadlineCounts,
    ReportQuery,
    TipCounts,
    TipReport,
    from_json,
)
from hq import reports
from hq.complaints.queue import triage
from hq.complaints.take import IncomingItem, take_item
from hq.complaints.write import append
from hq.db import Database
from hq.intake import intake
from hq.principals import Principal, Role
from hq.tipline.replies import RELAY
from tests.fixtures.hq import API, ROOT, HQFactory, HQServer

JAN = ReportQuery(date(2026, 1, 1), date(2026, 1, 31))
SUPERVISOR = Principal(actor="u-sup", display_name="Supervisor", role=Role.SUPERVISOR)
OPERATOR = Principal(actor="u-operator", display_name="HQ operator", role=Role.HQ_OPERATOR)
T = datetime(2026, 1, 5, 4, 0, tzinfo=UTC)  # 09:30 IST
MIN = timedelta(minutes=1)


def _complaint(db: Database, n: int, posted: datetime, category: str | None, district: str | None) -> str:
    item = IncomingItem(Source.X, ItemKind.MENTION, f"k-{n}", posted, f"complaint {n}", author_id=f"9{n}",
                        author_handle=f"citizen{n}")  # fmt: skip
    case_id = take_item(db, item, now=posted + MIN).case_id
    if category or district:
        triage(db, OPERATOR, case_id, category=category, district=district)
    return case_id


def _write(db: Database, case_id: str, made: list[tuple[EventType, dict[str, Any]]], at: datetime) -> None:
    with db.writer() as conn:
        append(conn, db, case_id, made, OPERATOR, now=at)


def _reply(db: Database, case_id: str, n: int, at: datetime) -> None:
    reply = f"00000000-0000-4000-8000-{n:012d}"
    _write(db, case_id, [
        (EventType.REPLY_DRAFTED, {"reply_id": reply, "text": "We are on it.", "needs_approval": False}),
        (EventType.REPLY_PUBLISHED, {"reply_id": reply, "platform_id": f"r-{n}", "published_at": iso(at)}),
    ], at)  # fmt: skip


def _citizen(db: Database, case_id: str, n: int, at: datetime) -> None:
    _write(db, case_id, [(EventType.CITIZEN_REPLIED, {"platform_id": f"c-{n}", "at": iso(at), "text": "and?"})], at)


def _close(db: Database, case_id: str, at: datetime) -> None:
    _write(db, case_id, [(EventType.CLOSED, {"reason": "answered"})], at)


def build_complaints(db: Database) -> dict[str, str]:
    """Eight complaints; the comment on each says what the clock makes of it."""
    ids = {}
    # LKO: first response met in 30 min, closed next day (resolution met)
    ids["c1"] = c = _complaint(db, 1, T, "crime_report", "LKO")
    _reply(db, c, 1, T + 30 * MIN)
    _close(db, c, T + timedelta(days=1))
    # LKO: replied after 150 min (missed by 30 min), closed in two days (resolution met)
    ids["c2"] = c = _complaint(db, 2, T + 60 * MIN, "traffic", "LKO")
    _reply(db, c, 2, T + 210 * MIN)
    _close(db, c, T + timedelta(days=2))
    # LKO: never answered: first response and resolution missed, still open
    ids["c3"] = _complaint(db, 3, T + timedelta(days=1), "crime_report", "LKO")
    # KNP: replied in 60 min; the citizen writes at 90, answered at 100 (next response met); closed
    ids["c4"] = c = _complaint(db, 4, T + timedelta(days=2), "cyber_fraud", "KNP")
    _reply(db, c, 4, T + timedelta(days=2) + 60 * MIN)
    _citizen(db, c, 4, T + timedelta(days=2) + 90 * MIN)
    _reply(db, c, 5, T + timedelta(days=2) + 100 * MIN)
    _close(db, c, T + timedelta(days=2, hours=3))
    # KNP: replied in 10 min; the citizen writes at 20 and waits; closed after five days (both missed)
    ids["c5"] = c = _complaint(db, 5, T + timedelta(days=3), "cyber_fraud", "KNP")
    _reply(db, c, 6, T + timedelta(days=3) + 10 * MIN)
    _citizen(db, c, 6, T + timedelta(days=3) + 20 * MIN)
    _close(db, c, T + timedelta(days=8))
    # not routed, not categorised: replied in 90 min (met); never closed (resolution missed)
    ids["c6"] = c = _complaint(db, 6, T + timedelta(days=4), None, None)
    _reply(db, c, 7, T + timedelta(days=4) + 90 * MIN)
    # LKO, not actionable: received, no deadline
    ids["c7"] = _complaint(db, 7, T + timedelta(days=5), "not_actionable", "LKO")
    # after the period: not counted
    ids["c8"] = _complaint(db, 8, datetime(2026, 2, 2, 4, 0, tzinfo=UTC), "traffic", "LKO")
    return ids


def _dc(met: int, missed: int, running: int = 0) -> DeadlineCounts:
    return DeadlineCounts(met + missed, met, missed, running)


EXPECTED_DISTRICTS = {
    "KNP": ComplianceFigures(2, _dc(2, 0), _dc(1, 1), _dc(1, 1), 2, 2100.0, 3300.0),
    "LKO": ComplianceFigures(4, _dc(1, 2), _dc(0, 0), _dc(2, 1), 2, 5400.0, 8280.0),
    "VNS": ComplianceFigures(),
    "": ComplianceFigures(1, _dc(1, 0), _dc(0, 0), _dc(0, 1), 1, 5400.0, 5400.0),
}
EXPECTED_TOTAL = ComplianceFigures(7, _dc(4, 2), _dc(1, 1), _dc(3, 3), 5, 3600.0, 7560.0)


def _counts_only(f: ComplianceFigures) -> tuple[Any, ...]:
    return (f.received, f.first_response, f.next_response, f.resolution, f.replied)


def _add(rows: list[ComplianceFigures]) -> tuple[Any, ...]:
    def dsum(name: str) -> DeadlineCounts:
        return DeadlineCounts(*(sum(getattr(getattr(r, name), f.name) for r in rows) for f in fields(DeadlineCounts)))

    return (sum(r.received for r in rows), dsum("first_response"), dsum("next_response"), dsum("resolution"),
            sum(r.replied for r in rows))  # fmt: skip


def check_compliance(report: ComplianceReport, ids: dict[str, str]) -> None:
    got = {r.key: r.figures for r in report.by_district}
    assert got == EXPECTED_DISTRICTS
    assert report.total == EXPECTED_TOTAL
    assert _counts_only(report.total) == _add(list(got.values()))  # the state is the sum of the districts
    assert _counts_only(report.total) == _add([r.figures for r in report.by_category])
    cats = {r.key: r.figures.received for r in report.by_category}
    assert cats == {"crime_report": 2, "traffic": 1, "cyber_fraud": 2, "womens_safety": 0, "police_conduct": 0,
                    "information_request": 0, "not_actionable": 1, "uncategorised": 1}  # fmt: skip
    assert report.breaches_total == 6 == len(report.breaches)
    listed = {(b.case_id, b.deadline) for b in report.breaches}
    assert listed == {
        (ids["c2"], "first_response"), (ids["c3"], "first_response"), (ids["c3"], "resolution"),
        (ids["c5"], "next_response"), (ids["c5"], "resolution"), (ids["c6"], "resolution"),
    }  # fmt: skip
    [late] = [b for b in report.breaches if b.case_id == ids["c2"]]
    assert late.late_s == 1800.0 and late.district == "LKO" and late.platform == "x" and late.category == "traffic"
    assert late.due_at == iso(T + 180 * MIN)
    assert "citizen" not in json.dumps([b.__dict__ for b in report.breaches])  # no handle


def build_tips(db: Database) -> dict[str, str]:
    """Five tips: two in LKO (one open, one closed after a question answered), one in KNP dispatched
    with a question unanswered, one not routed (the range's triage), one in March (outside)."""

    def tip(n: int, category: str, district: str | None, at: datetime) -> str:
        body: dict[str, Any] = {
            "kind": "tip", "source": "whatsapp_tipline", "upstream_ref": f"tipline:test{n}", "received_at": iso(at),
            "priority": 3, "subject": {}, "location": {"text": "somewhere"}, "summary": f"tip {n}",
            "tip": {"category": category, "pseudonym": f"Tipster T{n}", "prior_tips": 0, "confirmed": True},
        }  # fmt: skip
        if district:
            body["district"] = district
        return intake(db, RELAY, body).case_id

    ids = {
        "t1": tip(1, "gambling", "LKO", T),
        "t2": tip(2, "drugs_liquor", "LKO", T + timedelta(days=9)),
        "t3": tip(3, "gambling", "KNP", T + timedelta(days=10)),
        "t4": tip(4, "arms", None, T + timedelta(days=20)),
        "t5": tip(5, "arms", "LKO", datetime(2026, 3, 1, 4, 0, tzinfo=UTC)),
    }
    with db.writer() as conn:
        [q] = append(conn, db, ids["t2"], [(EventType.TIP_QUESTION, {"text": "Which street?"})], OPERATOR)
        append(conn, db, ids["t2"], [(EventType.TIP_ANSWER, {"question_id": q.id, "text": "Main street"})], OPERATOR)
        append(conn, db, ids["t2"], [(EventType.CLOSED, {"reason": "raided"})], OPERATOR)
        append(conn, db, ids["t3"], [(EventType.TIP_QUESTION, {"text": "When?"})], OPERATOR)
        append(conn, db, ids["t3"], [(EventType.ACKNOWLEDGED, {"note": "seen", "tier": "hq"})], OPERATOR)
        append(conn, db, ids["t3"], [(EventType.DISPATCHED, {"officer": "SI Test", "phone": "9000000999"})], OPERATOR)
    return ids


def check_tips(report: TipReport) -> None:
    rows = {r.key: r.counts for r in report.by_district}
    assert rows == {
        "LKO": TipCounts(received=2, open=1, closed=1, questions_asked=1, questions_answered=1),
        "KNP": TipCounts(received=1, actioned=1, questions_asked=1),
        "VNS": TipCounts(),
        "": TipCounts(received=1, open=1),
    }
    assert report.total == TipCounts(received=4, open=2, actioned=1, closed=1, questions_asked=2,
                                     questions_answered=1)  # fmt: skip
    cats = {r.key: r.counts.received for r in report.by_category if r.counts.received}
    assert cats == {"gambling": 2, "drugs_liquor": 1, "arms": 1}
    assert report.bucket == "week"
    assert [b.start for b in report.over_time][:3] == [date(2026, 1, 1), date(2026, 1, 5), date(2026, 1, 12)]
    by_week = {b.start: b.received for b in report.over_time if b.received}
    assert by_week == {date(2026, 1, 5): 1, date(2026, 1, 12): 2, date(2026, 1, 19): 1}
    assert report.over_time[2].by_category["gambling"] == 1 and report.over_time[2].by_category["drugs_liquor"] == 1
    assert sum(b.received for b in report.over_time) == 4
    assert "Tipster" not in json.dumps(reports_json(report))  # no pseudonym anywhere


def reports_json(report: Any) -> Any:
    from core.reports import to_json

    return to_json(report)


@pytest.fixture
def built(hq_factory: HQFactory, backend: str) -> Iterator[tuple[HQServer, Database, dict[str, str]]]:
    server = hq_factory(backend)
    db = server.database()
    ids = build_complaints(db) | build_tips(db)
    yield server, db, ids
    db.dispose()


def test_compliance_and_tips_exactly(built: tuple[HQServer, Database, dict[str, str]]) -> None:
    server, db, ids = built
    check_compliance(reports.run(db, SUPERVISOR, "compliance", JAN, audit=False), ids)
    check_tips(reports.run(db, SUPERVISOR, "tips", JAN, audit=False))
    # the endpoint: the supervisor sees the state, a district operator its own district only
    sup = server.login("supervisor")
    r = sup.http.get(f"{API}/reports/compliance", params={"from": "2026-01-01", "to": "2026-01-31"})
    assert r.status_code == 200, r.text
    check_compliance(from_json("compliance", r.json()), ids)
    lko = server.login("demo")
    r = lko.http.get(f"{API}/reports/tips", params={"from": "2026-01-01", "to": "2026-01-31"})
    assert r.status_code == 200, r.text
    mine = from_json("tips", r.json())
    assert [row.key for row in mine.by_district] == ["LKO"] and mine.total.received == 2
    r = lko.http.get(f"{API}/reports/compliance", params={"from": "2026-01-01", "to": "2026-01-31", "district": "KNP"})
    assert r.status_code == 403
    # a period with no complaint and no tip: zeros, not an error (on PostgreSQL the grand total of no
    # replies comes back as a row without percentiles)
    empty = ReportQuery(date(2025, 1, 1), date(2025, 1, 31))
    none = reports.run(db, SUPERVISOR, "compliance", empty, audit=False)
    assert none.total.received == 0 and none.total.first_response_p50_s is None and none.breaches == ()
    assert reports.run(db, SUPERVISOR, "tips", empty, audit=False).total.received == 0
    r = lko.http.get(f"{API}/reports/compliance", params={"from": "2025-01-01", "to": "2025-01-31"})
    assert r.status_code == 200, r.text


def test_the_cli_prints_both(built: tuple[HQServer, Database, dict[str, str]], backend: str) -> None:
    server, _, _ = built
    if backend != "sqlite":
        pytest.skip("the CLI's output does not depend on the backend")
    out = subprocess.run(
        [sys.executable, "-m", "hq", "report", "compliance", "--from", "2026-01-01", "--to", "2026-01-31",
         "--district", "LKO", "--format", "csv", "--db", server.db_url],
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=True,
    ).stdout  # fmt: skip
    assert "# compliance report; period 2026-01-01..2026-01-31 (IST, by date posted)" in out.splitlines()[0]
    assert "district,LKO,Lucknow,4,3,1,2,0,33.3,5400,8280,2,0,0,2,1" in out
    assert "STATE,,,4,3,1,2,0,33.3" in out
    tips = subprocess.run(
        [sys.executable, "-m", "hq", "report", "tips", "--from", "2026-01-01", "--to", "2026-01-31", "--format",
         "json", "--db", server.db_url],
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=True,
    ).stdout  # fmt: skip
    assert from_json("tips", json.loads(tips)).total.received == 4


def test_the_migration_back_fills_the_rows(built: tuple[HQServer, Database, dict[str, str]], backend: str) -> None:
    """Down to before ``0015_compliance`` and up again: the back-filled rows give the same reports."""
    from alembic import command
    from alembic.config import Config

    from hq.db import MIGRATIONS_DIR

    if backend != "sqlite":
        pytest.skip("the back-fill is the same code on both backends")
    server, db, ids = built
    server.stop()
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0011_claims")
    db.migrate()
    check_compliance(reports.run(db, SUPERVISOR, "compliance", JAN, audit=False), ids)
    check_tips(reports.run(db, SUPERVISOR, "tips", JAN, audit=False))
