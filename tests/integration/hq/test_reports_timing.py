"""Chain timing, follow-ups and console health from HQ (SQLite and PostgreSQL: percentile_cont against
core's percentile) and from a replica filled with the same events: the same figures as
``core.reports`` computes from each case's fold."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from core.events import EventType, iso, parse_time, utcnow
from core.fold import fold
from core.reports import (
    DEFAULT_STEP_TARGETS_S,
    IST,
    STEPS,
    ReportQuery,
    Step,
    StepTiming,
    covered_seconds,
    period_bounds,
    step_seconds,
    step_times,
    step_timing,
)
from core.store import reports as replica_reports
from hq.feed import case_history
from hq.presence import PRESENCE_ONLINE_S
from hq.schema import presence_log
from tests.fixtures.hq import API, HQServer
from tests.integration.hq.helpers import event
from tests.integration.hq.test_reports import get_report, intake, push_all, replica_from

TODAY = datetime.now(IST).date()
PERIOD = ReportQuery(TODAY - timedelta(days=1), TODAY + timedelta(days=1))


def close(a: StepTiming, b: StepTiming) -> None:
    assert (a.step, a.count, a.over_target, a.target_s) == (b.step, b.count, b.over_target, b.target_s)
    for x, y in ((a.p50_s, b.p50_s), (a.p90_s, b.p90_s), (a.p99_s, b.p99_s)):
        assert (x is None and y is None) or x == pytest.approx(y, abs=1e-6)


def build_timing(hq: HQServer) -> list[str]:
    rng = random.Random(14)
    users = {"VNS": hq.login("demo-vns"), "KNP": hq.login("demo-knp")}
    hq_op = hq.login("hq")
    now = utcnow()
    hq_events, district_events = [], defaultdict(list)
    ids = []
    for i in range(40):
        district = "VNS" if i % 3 else "KNP"
        received = now - timedelta(seconds=rng.randrange(60, 3000))
        case_id, _ = intake(hq, district, received)
        ids.append(case_id)
        t = received + timedelta(seconds=rng.randrange(5, 400))
        if i % 7:
            hq_events.append(event(hq_op, case_id, EventType.ACKNOWLEDGED, {"tier": "hq"}, wall_time=t))
        c = users[district]
        out = district_events[district]
        t = now + timedelta(seconds=rng.randrange(1, 900))
        out.append(event(c, case_id, EventType.ACKNOWLEDGED, {"tier": "district", "district": district}, wall_time=t))
        if i % 5 == 0:
            continue
        t += timedelta(seconds=rng.randrange(30, 1500))
        out.append(event(c, case_id, EventType.DISPATCHED, {"officer": "SI T", "phone": "9000000999"}, wall_time=t))
        t += timedelta(seconds=rng.randrange(60, 4000))
        out.append(event(c, case_id, EventType.REACHED, {"at": iso(t)}, wall_time=t))
        t += timedelta(seconds=rng.randrange(60, 9000))
        note = {"officer_name": "SI T", "officer_rank": "SI", "text": "spoke"}
        if i % 4 == 1:
            note["follow_up_date"] = iso(now - timedelta(hours=1))  # due and overdue
        out.append(event(c, case_id, EventType.COUNSELLING_NOTE, note, wall_time=t))
        if i % 4 == 2:
            due = iso(now + timedelta(hours=3))
            scheduled = event(c, case_id, EventType.FOLLOW_UP_SCHEDULED, {"due": due}, wall_time=t)
            out.append(scheduled)
            if i % 8 == 2:
                out.append(event(c, case_id, EventType.FOLLOW_UP_DONE, {"follow_up_id": scheduled.id}, wall_time=t))
    push_all(hq_op, hq_events)
    for district, events in district_events.items():
        push_all(users[district], events)
    return ids


def expected_timing(hq: HQServer, ids: list[str]) -> tuple[dict[str, dict[Step, list[float]]], dict[Step, list[float]]]:
    db = hq.database()
    per: dict[str, dict[Step, list[float]]] = defaultdict(lambda: defaultdict(list))
    total: dict[Step, list[float]] = defaultdict(list)
    try:
        with db.reader() as conn:
            for case_id in ids:
                state = fold(case_id, case_history(conn, case_id))
                for step, s in step_seconds(step_times(state), state.received_at).items():
                    per[str(state.district)][step].append(s)
                    total[step].append(s)
    finally:
        db.dispose()
    return per, total


def test_timing_and_follow_ups_from_hq_and_a_replica(hq: HQServer, tmp_path: Path) -> None:
    ids = build_timing(hq)
    per, total = expected_timing(hq, ids)
    assert all(len(total[s]) > 5 for s in STEPS)

    def check(report: Any) -> None:
        for step, got in zip(STEPS, report.total, strict=True):
            close(got, step_timing(step, sorted(total[step]), DEFAULT_STEP_TARGETS_S[step]))
        rows = {r.district: r for r in report.rows}
        for district, steps in per.items():
            for step, got in zip(STEPS, rows[district].steps, strict=True):
                close(got, step_timing(step, sorted(steps.get(step, [])), DEFAULT_STEP_TARGETS_S[step]))
        slowest_reached = [c for c in report.slowest if c.step is Step.REACHED]
        assert slowest_reached[0].seconds == pytest.approx(max(total[Step.REACHED]))
        assert [c.seconds for c in slowest_reached] == sorted((c.seconds for c in slowest_reached), reverse=True)

    client = hq.login("supervisor")
    check(get_report(client, "timing", PERIOD))
    hq_follow = get_report(client, "follow-ups", PERIOD)
    assert {r.district: (r.due, r.done, r.overdue) for r in hq_follow.rows} == {
        "LKO": (0, 0, 0),
        "KNP": (_count(ids, lambda i: i % 3 == 0 and i % 4 in (1, 2) and i % 5), _done(ids, 0), _over(ids, 0)),
        "VNS": (_count(ids, lambda i: i % 3 != 0 and i % 4 in (1, 2) and i % 5), _done(ids, 1), _over(ids, 1)),
    }

    store = replica_from(hq, tmp_path)
    try:
        check(replica_reports.compute(store, "timing", PERIOD, "Supervisor"))
        local = replica_reports.compute(store, "follow-ups", PERIOD, "Supervisor")
    finally:
        store.close()
    assert {r.district: (r.due, r.done, r.overdue) for r in local.rows} == {
        r.district: (r.due, r.done, r.overdue) for r in hq_follow.rows if r.due
    }
    assert local.total == hq_follow.total


def _count(ids: list[str], keep: Any) -> int:
    return sum(1 for i in range(len(ids)) if keep(i))


def _done(ids: list[str], vns: int) -> int:
    return _count(ids, lambda i: (i % 3 != 0) == bool(vns) and i % 8 == 2 and i % 5)


def _over(ids: list[str], vns: int) -> int:
    return _count(ids, lambda i: (i % 3 != 0) == bool(vns) and i % 4 == 1 and i % 5)


def test_console_health_counts_covered_time_and_test_alarms(hq: HQServer) -> None:
    client = hq.login("demo-vns")
    checked = iso(utcnow())

    def beat(ok: bool, heard: bool | None, at: str) -> None:
        audio: dict[str, Any] = {"ok": ok, "checked_at": at, "detail": "test"}
        if heard is not None:
            audio["test_alarm"] = {"heard": heard, "at": at, "by": "Operator VNS"}
        body = {"device_id": client.device_id, "app_version": "t", "pending": 0, "audio": audio}
        client.http.post(f"{API}/presence", json=body).raise_for_status()

    beat(True, True, checked)
    beat(True, True, checked)  # the same answer again: counted once
    beat(False, False, iso(utcnow() + timedelta(seconds=1)))  # a new test nobody heard; cannot sound
    report = get_report(hq.login("supervisor"), "console-health", PERIOD)
    rows = {r.district: r for r in report.rows}
    assert (rows["VNS"].tests_heard, rows["VNS"].tests_not_heard) == (1, 1)
    assert (rows["LKO"].tests_heard, rows["LKO"].tests_not_heard, rows["LKO"].covered_share) == (0, 0, 0.0)
    db = hq.database()
    try:
        with db.reader() as conn:
            rows_at = conn.execute(
                select(presence_log.c.at).where(presence_log.c.district == "VNS", presence_log.c.can_sound.is_(True))
            ).scalars()
            beats = sorted(parse_time(a).timestamp() for a in rows_at)
    finally:
        db.dispose()
    assert len(beats) == 2
    lo, hi = (parse_time(t).timestamp() for t in period_bounds(PERIOD))
    end = min(hi, parse_time(report.header.as_of).timestamp())
    expected = covered_seconds(beats, PRESENCE_ONLINE_S, lo, end) / (end - lo)
    assert rows["VNS"].covered_share == pytest.approx(expected, rel=1e-9)
    assert 0 < rows["VNS"].covered_share < 1
    assert isinstance(TODAY, date)
