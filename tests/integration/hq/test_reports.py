"""The published shape: 740 alerts, 457 lives saved, the rest not reached by reason (plus a few false
alarms, two deaths and some still open), built through HQ's real intake and push on loopback and read
back exactly from HQ's endpoint (SQLite and PostgreSQL) and from a console's replica filled with the
same events."""

from __future__ import annotations

import random
import uuid
from collections import Counter
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from core.events import Event, EventType, iso
from core.reports import OutcomeCounts, OutcomeReport, ReportQuery, ReportSource, from_json
from core.store import LocalStore, StoreKey
from core.store import reports as replica_reports
from hq.demo import synthetic_alert
from tests.fixtures.hq import API, HQClient, HQServer, plain_http
from tests.integration.hq.helpers import ack, event

# (outcome, reason, how many): 740 alerts, 457 lives saved.
PUBLISHED: list[tuple[str | None, str | None, int]] = [
    ("safe_counselled", None, 300),
    ("handed_to_family", None, 120),
    ("hospitalised", None, 37),
    ("not_reached", "location_not_traced", 130),
    ("not_reached", "phone_switched_off", 85),
    ("not_reached", "other_state", 45),
    ("false_alarm", "old_post", 8),
    ("false_alarm", "prank", 5),
    ("deceased", None, 2),
    (None, None, 8),  # still open
]
DISTRICTS = {"LKO": "demo", "KNP": "demo-knp", "VNS": "demo-vns"}
PERIOD = ReportQuery(date(2023, 1, 1), date(2024, 6, 30))
START = datetime(2023, 1, 1, 6, 0, tzinfo=UTC)
SPAN_S = (datetime(2024, 6, 30, 12, 0, tzinfo=UTC) - START).total_seconds()
DUPLICATES = 5
BATCH = 400


def specs() -> list[tuple[str, str | None, str | None]]:
    """(district, outcome, reason) per alert, districts spread unevenly by a fixed seed."""
    rng = random.Random(740)
    flat = [(o, r) for o, r, n in PUBLISHED for _ in range(n)]
    return [(rng.choice(sorted(DISTRICTS)), o, r) for o, r in flat]


def expected_counts(items: list[tuple[str | None, str | None]], duplicates: int) -> OutcomeCounts:
    """The table counted directly from what was built (not through the code under test)."""
    by = Counter(o for o, _ in items)
    saved = {o: by[o] for o in ("handed_to_family", "hospitalised", "safe_counselled") if by[o]}
    return OutcomeCounts(
        alerts=len(items),
        duplicates_merged=duplicates,
        reached=sum(saved.values()) + by["deceased"],
        lives_saved=sum(saved.values()),
        saved_by_outcome=saved,
        not_reached=dict(sorted(Counter(r for o, r in items if o == "not_reached").items())),
        false_alarms=dict(sorted(Counter(r for o, r in items if o == "false_alarm").items())),
        deceased=by["deceased"],
        other_outcome=0,
        still_open=by[None],
    )


def intake(hq: HQServer, district: str, received: datetime, **over: Any) -> tuple[str, dict[str, Any]]:
    body = synthetic_alert(district=district) | {"received_at": iso(received)} | over
    r = plain_http().post(f"{hq.url}{API}/intake", json=body, headers={"X-Api-Key": hq.intake_key})
    r.raise_for_status()
    return str(r.json()["case_id"]), body


def push_all(client: HQClient, events: list[Event]) -> None:
    for i in range(0, len(events), BATCH):
        results = client.push(events[i : i + BATCH])["results"]
        assert all(r["status"] in ("accepted", "duplicate") for r in results), results[:3]


def build(hq: HQServer) -> dict[str, list[tuple[str | None, str | None]]]:
    """The 740 alerts, their duplicates, and noise the report must not count. Returns per district
    what was built."""
    clients = {d: hq.login(u) for d, u in DISTRICTS.items()}
    hq_op = hq.login("hq")
    per_district: dict[str, list[Event]] = {d: [] for d in DISTRICTS}
    hq_events: list[Event] = []
    built: dict[str, list[tuple[str | None, str | None]]] = {d: [] for d in DISTRICTS}
    items = specs()
    for i, (district, outcome, reason) in enumerate(items):
        received = START + timedelta(seconds=SPAN_S * i / len(items))
        case_id, body = intake(hq, district, received)
        if i < DUPLICATES:
            intake(hq, district, received, upstream_ref=body["upstream_ref"])
        built[district].append((outcome, reason))
        c = clients[district]
        hq_events.append(ack(hq_op, case_id))
        out = per_district[district]
        out.append(ack(c, case_id))
        if outcome is None:
            continue
        out.append(event(c, case_id, EventType.DISPATCHED, {"officer": "SI Test", "phone": "9000000999"}))
        if outcome in ("safe_counselled", "handed_to_family", "hospitalised", "deceased"):
            out.append(event(c, case_id, EventType.REACHED, {"at": iso(received + timedelta(minutes=25))}))
        payload: dict[str, Any] = {"outcome": outcome}
        if outcome == "not_reached":
            payload["not_reached_reason"] = reason
        if outcome == "false_alarm":
            payload["false_alarm_reason"] = reason
        out.append(event(c, case_id, EventType.OUTCOME_RECORDED, payload))
    # noise: after the period, and a tip in it
    late, _ = intake(hq, "LKO", datetime(2024, 7, 2, 10, 0, tzinfo=UTC))
    per_district["LKO"].append(event(clients["LKO"], late, EventType.OUTCOME_RECORDED, {"outcome": "safe_counselled"}))
    intake(hq, "KNP", START + timedelta(days=3), kind="tip")
    push_all(hq_op, hq_events)
    for district, events in per_district.items():
        push_all(clients[district], events)
    return built


def get_report(client: HQClient, kind: str, query: ReportQuery, expect: int = 200) -> Any:
    params = {"from": query.date_from.isoformat(), "to": query.date_to.isoformat()}
    if query.district:
        params["district"] = query.district
    if query.range:
        params["range"] = query.range
    r = client.http.get(f"{API}/reports/{kind}", params=params)
    assert r.status_code == expect, r.text
    return from_json(kind, r.json()) if expect == 200 else r.json()


def replica_from(hq: HQServer, tmp_path: Path) -> LocalStore:
    """A console's replica holding everything the HQ operator's stream carries."""
    items, _ = hq.login("supervisor").pull_all()
    store = LocalStore.open(tmp_path / "replica.db", StoreKey.ephemeral())
    events = [Event.from_wire(i["event"]) for i in items if i["kind"] == "event"]
    with store.unit_of_work() as uow:
        uow.events.apply_remote(events)
        uow.meta.last_sync_at = "2026-11-29T12:00:00.000Z"
        uow.commit()
    return store


def check_table(
    report: OutcomeReport, built: dict[str, list[tuple[str | None, str | None]]], dups: dict[str, int]
) -> None:
    rows = {r.district: r.counts for r in report.rows}
    assert set(rows) == set(DISTRICTS)
    for district, items in built.items():
        assert rows[district] == expected_counts(items, dups[district]), district
    total = report.total
    assert (total.alerts, total.lives_saved, total.reached) == (740, 457, 459)
    assert total.not_reached == {"location_not_traced": 130, "other_state": 45, "phone_switched_off": 85}
    assert total.false_alarms == {"old_post": 8, "prank": 5}
    assert (total.deceased, total.still_open, total.other_outcome) == (2, 8, 0)
    assert total == expected_counts([x for v in built.values() for x in v], sum(dups.values()))


def test_the_published_table_from_hq_and_from_a_replica(hq: HQServer, tmp_path: Path) -> None:
    built = build(hq)
    first = specs()[:DUPLICATES]
    dups = {d: sum(1 for x in first if x[0] == d) for d in DISTRICTS}

    report = get_report(hq.login("supervisor"), "outcomes", PERIOD)
    assert report.header.source is ReportSource.HQ and report.header.run_by
    check_table(report, built, dups)
    assert {r.district: r.range for r in report.rows} == {"LKO": "Lucknow", "KNP": "Kanpur", "VNS": "Varanasi"}

    # a range, and a district operator's own district
    varanasi = get_report(hq.login("hq"), "outcomes", replace(PERIOD, range="Varanasi"))
    assert [r.district for r in varanasi.rows] == ["VNS"] and varanasi.total == expected_counts(
        built["VNS"], dups["VNS"]
    )
    own = get_report(hq.login("demo-knp"), "outcomes", PERIOD)
    assert [r.district for r in own.rows] == ["KNP"] and own.header.query.district == "KNP"

    store = replica_from(hq, tmp_path)
    try:
        local = replica_reports.compute(store, "outcomes", PERIOD, "Demo Supervisor")
    finally:
        store.close()
    assert local.header.source is ReportSource.REPLICA and local.header.as_of == "2026-11-29T12:00:00.000Z"
    # a replica does not know the duplicates HQ merged; every other figure is HQ's
    check_table(local, built, {d: 0 for d in DISTRICTS})


def test_a_district_operator_is_refused_another_district_and_reading_is_audited(hq: HQServer) -> None:
    client = hq.login("demo")
    get_report(client, "outcomes", replace(PERIOD, district="KNP"), expect=403)
    get_report(client, "timing", replace(PERIOD, range="Lucknow"), expect=403)
    get_report(client, "follow-ups", PERIOD)
    get_report(hq.login("hq"), "console-health", replace(PERIOD, district="NOPE"), expect=422)
    get_report(client, "outcomes", ReportQuery(date(2024, 2, 1), date(2024, 1, 1)), expect=422)
    db = hq.database()
    try:
        from sqlalchemy import select

        from hq.schema import audit

        with db.reader() as conn:
            rows = conn.execute(
                select(audit.c.username, audit.c.outcome, audit.c.detail).where(audit.c.action == "report")
            )
            seen = [(r.username, r.outcome, r.detail) for r in rows]
    finally:
        db.dispose()
    assert ("demo", "denied") in {(u, o) for u, o, _ in seen}
    assert any(u == "demo" and o == "ok" and '"follow-ups"' in d for u, o, d in seen)


def test_reports_hold_no_names_or_phone_numbers(hq: HQServer) -> None:
    case_id, body = intake(hq, "LKO", START + timedelta(days=1))
    client = hq.login("supervisor")
    for kind in ("outcomes", "timing", "console-health", "follow-ups"):
        params = {"from": PERIOD.date_from.isoformat(), "to": PERIOD.date_to.isoformat()}
        text = client.http.get(f"{API}/reports/{kind}", params=params).text
        assert body["subject"]["name"] not in text and body["subject"]["phones"][0] not in text
    assert uuid.UUID(case_id)
