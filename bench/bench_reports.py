"""Reports over a year: HQ on PostgreSQL over 1,000,000 events, and a console's replica of 100,000 cases.

    .venv/bin/python bench/bench_reports.py [--quick] [--cases N] [--events-per-case N] [--repeat N]

Builds ``--cases`` synthetic suicide-risk cases (default 100,000) received over 2025 in 75 districts
(15 ranges of 5), each a real event history of ``--events-per-case`` events (default 10: created,
assigned, two acknowledgements, dispatched, reached, outcome, a counselling note with a follow-up,
the follow-up done, closed), and folds each with ``core.fold.fold``. Then:

* HQ: a throwaway PostgreSQL cluster (fsync off, as in the tests), HQ's schema by its migrations,
  every event stored in ``events`` and each case's ``case_summary`` / ``follow_up_summary`` rows (what
  ``hq.feed.Batch`` writes), ``ANALYZE``; then ``hq.reports`` for the whole state and the year
  (outcomes, timing, follow-ups), median of ``--repeat`` runs, against one district in the same run.
* Replica: an encrypted local store (SQLCipher) holding the same cases' projection rows and report
  rows (what the projector writes); then ``core.store.reports.compute`` for the whole state and the
  year, against one district. Then a store at schema 0008 holding the same projection rows, and the
  time of its first open: the migration 0009 back-filling every case's report rows.

Targets: HQ state-wide year report under 1 s; replica under 2 s. Prints a table; never asserts.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402

from core.events import Event, EventType, iso  # noqa: E402
from core.fold import CaseState, fold  # noqa: E402
from core.reports import ReportQuery  # noqa: E402
from core.store import LocalStore, StoreKey  # noqa: E402
from core.store import reports as replica_reports  # noqa: E402
from core.store.engine import make_engine  # noqa: E402
from core.store.migrate import upgrade  # noqa: E402
from core.store.projection import PROJECTION_VERSION, projection_row  # noqa: E402
from core.store.projector import write_report_rows  # noqa: E402
from core.store.schema import cases as local_cases  # noqa: E402
from core.store.schema import meta  # noqa: E402
from hq import reports as hq_reports  # noqa: E402
from hq.db import Database  # noqa: E402
from hq.principals import Principal, Role  # noqa: E402
from hq.schema import case_summary, cases, districts, events, follow_up_summary  # noqa: E402
from hq.summary import follow_up_rows, summary_row  # noqa: E402
from tests.fixtures.postgres import PgCluster  # noqa: E402

YEAR = ReportQuery(date(2025, 1, 1), date(2025, 12, 31))
START = datetime(2024, 12, 31, 18, 30, tzinfo=UTC)  # 2025-01-01 00:00 IST
OUTCOMES = [  # (weight, outcome, payload extra)
    (300, "safe_counselled", {}),
    (120, "handed_to_family", {}),
    (37, "hospitalised", {}),
    (130, "not_reached", {"not_reached_reason": "location_not_traced"}),
    (85, "not_reached", {"not_reached_reason": "phone_switched_off"}),
    (45, "not_reached", {"not_reached_reason": "other_state"}),
    (13, "false_alarm", {"false_alarm_reason": "prank"}),
    (2, "deceased", {}),
]
RANGES = [f"Range {r:02d}" for r in range(15)]
DISTRICT_CODES = [f"D{i:02d}" for i in range(75)]
SUPERVISOR = Principal(actor="bench", display_name="bench", role=Role.SUPERVISOR, username="bench")


def case_history(rng: random.Random, i: int, per_case: int) -> list[Event]:
    case_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
    district = DISTRICT_CODES[i % len(DISTRICT_CODES)]
    received = START + timedelta(seconds=rng.randrange(0, 364 * 86400))
    t = received
    out: list[Event] = []

    def ev(etype: EventType, payload: dict[str, Any], after_s: float) -> None:
        nonlocal t
        t = t + timedelta(seconds=after_s)
        n = len(out)
        out.append(
            Event(
                id=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                case_id=case_id,
                type=etype,
                payload=payload,
                author_id="u-bench",
                author_name="Bench",
                device_id="dev-bench",
                wall_time=iso(t),
                hlc=f"{iso(t)}-{n:04d}-dev-bench",
                hq_seq=None,
            )
        )

    weights = [w for w, _, _ in OUTCOMES]
    _, outcome, extra = rng.choices(OUTCOMES, weights)[0]
    created = {
        "kind": "suicide_risk",
        "source": "facebook",
        "upstream_ref": f"b-{case_id}",
        "received_at": iso(received),
    }
    ev(EventType.CREATED, created | {"priority": 1, "summary": "bench", "subject": {}, "location": {"text": "x"}}, 5)
    ev(EventType.ASSIGNED, {"district": district}, rng.expovariate(1 / 60))
    ev(EventType.ACKNOWLEDGED, {"tier": "hq"}, rng.expovariate(1 / 40))
    ev(EventType.ACKNOWLEDGED, {"tier": "district", "district": district}, rng.expovariate(1 / 90))
    ev(EventType.DISPATCHED, {"officer": "SI Bench", "phone": "9000000999"}, rng.expovariate(1 / 400))
    if outcome not in ("not_reached", "false_alarm"):
        ev(EventType.REACHED, {"at": iso(t + timedelta(seconds=rng.expovariate(1 / 1500)))}, 1)
    ev(EventType.OUTCOME_RECORDED, {"outcome": outcome} | extra, rng.expovariate(1 / 900))
    note = {"officer_name": "SI", "officer_rank": "SI", "text": "spoke", "follow_up_date": iso(t + timedelta(days=7))}
    ev(EventType.COUNSELLING_NOTE, note, rng.expovariate(1 / 1800))
    while len(out) < per_case - 1:
        ev(EventType.FOLLOW_UP_DONE, {"follow_up_id": out[-1].id}, 7 * 86400)
    ev(EventType.CLOSED, {"reason": "done"}, 60)
    return out


def build(n: int, per_case: int) -> Iterator[tuple[list[Event], CaseState]]:
    rng = random.Random(2025)
    for i in range(n):
        history = case_history(rng, i, per_case)
        yield history, fold(history[0].case_id, history)


def median_s(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def fill_hq(db: Database, data: list[tuple[list[Event], CaseState]]) -> int:
    now = iso(datetime.now(UTC))
    seq = 0
    with db.engine.begin() as conn:
        conn.execute(
            districts.insert(),
            [
                {"code": c, "name": f"District {c}", "duty_phones": "[]", "created_at": now, "range": RANGES[i // 5]}
                for i, c in enumerate(DISTRICT_CODES)
            ],
        )
    chunk = 2000
    for start in range(0, len(data), chunk):
        part = data[start : start + chunk]
        event_rows = []
        for history, _ in part:
            for e in history:
                seq += 1
                event_rows.append(
                    {
                        "seq": seq,
                        "id": e.id,
                        "case_id": e.case_id,
                        "type": str(e.type),
                        "hlc": e.hlc,
                        "author_id": e.author_id,
                        "device_id": e.device_id,
                        "content": e.content_key(),
                        "stored_at": now,
                        "signature": None,
                    }
                )
        with db.engine.begin() as conn:
            conn.execute(events.insert(), event_rows)
            conn.execute(
                cases.insert(),
                [
                    {
                        "id": s.case_id,
                        "upstream_ref": s.upstream_ref,
                        "district": s.district,
                        "police_station": None,
                        "duplicates": 0,
                        "created_at": now,
                    }
                    for _, s in part
                ],
            )
            conn.execute(case_summary.insert(), [summary_row(s, now) for _, s in part])
            conn.execute(follow_up_summary.insert(), [r for _, s in part for r in follow_up_rows(s)])
    with db.engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("ANALYZE"))
    return seq


def fill_replica(store: LocalStore, data: list[tuple[list[Event], CaseState]]) -> None:
    """The cases' projection rows and their report rows, as the projector writes them."""
    chunk = 2000
    for start in range(0, len(data), chunk):
        part = [s for _, s in data[start : start + chunk]]
        with store.unit_of_work() as uow:
            uow.connection.execute(local_cases.insert(), [projection_row(s, 0, 0) for s in part])
            write_report_rows(uow.connection, part)
            uow.commit()


def first_open_after_upgrade(path: Path, key: bytes, data: list[tuple[list[Event], CaseState]]) -> float:
    """A store at schema 0008 (before the report rows) holding the cases' projection rows, then the
    seconds its first open takes: the migration to the head, whose back-fill reads every row's state."""
    engine = make_engine(path, key)
    upgrade(engine, "0008")
    chunk = 2000
    with engine.connect() as conn:
        conn = conn.execution_options(rakshak_write=True)
        conn.execute(meta.insert(), [{"key": "device_id", "value": "dev-bench"}])
        conn.execute(meta.insert(), [{"key": "projection_version", "value": str(PROJECTION_VERSION)}])
        for start in range(0, len(data), chunk):
            conn.execute(local_cases.insert(), [projection_row(s, 0, 0) for _, s in data[start : start + chunk]])
        conn.commit()
    engine.dispose()
    t = time.perf_counter()
    LocalStore.open(path, key).close()
    return time.perf_counter() - t


def explain_timing(db: Database, queries: list[ReportQuery]) -> None:
    """PostgreSQL's plan of the timing report's read of the stored durations, for each query."""
    with db.engine.connect() as conn:
        for query in queries:
            codes = [query.district] if query.district else []
            sql = hq_reports._durations(query, codes).compile(conn, compile_kwargs={"literal_binds": True})
            plan = [r[0] for r in conn.execute(text(f"EXPLAIN ANALYZE {sql}"))]
            print(f"plan, timing durations, district={query.district}:")
            print("\n".join(f"    {line}" for line in plan))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="10,000 cases (a smoke run)")
    parser.add_argument("--cases", type=int, default=None)
    parser.add_argument("--events-per-case", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--skip-hq", action="store_true")
    parser.add_argument("--skip-replica", action="store_true")
    parser.add_argument("--explain", action="store_true", help="print PostgreSQL's plan of the timing read")
    parser.add_argument("--skip-backfill", action="store_true", help="do not time the store migration's back-fill")
    args = parser.parse_args()
    n = args.cases or (10_000 if args.quick else 100_000)
    print(f"load average at start: {os.getloadavg()[0]:.2f} (2-core machine shared with other work)")
    t = time.perf_counter()
    data = list(build(n, args.events_per_case))
    n_events = sum(len(h) for h, _ in data)
    print(f"built and folded {n:,} cases, {n_events:,} events in {time.perf_counter() - t:.1f} s")
    one = ReportQuery(YEAR.date_from, YEAR.date_to, district=DISTRICT_CODES[7])
    results: list[tuple[str, float, float]] = []

    if not args.skip_hq:
        cluster = PgCluster.start()
        try:
            db = Database(cluster.url(cluster.create_database("bench_reports")), pool_size=2)
            db.migrate()
            t = time.perf_counter()
            stored = fill_hq(db, data)
            print(f"PostgreSQL: stored {stored:,} events and {n:,} summaries in {time.perf_counter() - t:.1f} s")
            if args.explain:
                explain_timing(db, [YEAR, one])
            for kind in ("outcomes", "timing", "follow-ups"):
                state = median_s(lambda k=kind: hq_reports.run(db, SUPERVISOR, k, YEAR), args.repeat)
                base = median_s(lambda k=kind: hq_reports.run(db, SUPERVISOR, k, one), args.repeat)
                results.append((f"HQ PostgreSQL, {kind}, {n_events:,} events", state, base))
            db.dispose()
        finally:
            cluster.stop()

    if not args.skip_replica:
        with tempfile.TemporaryDirectory(prefix="rakshak-bench-reports-") as folder:
            store = LocalStore.open(Path(folder) / "replica.db", StoreKey.ephemeral())
            try:
                t = time.perf_counter()
                fill_replica(store, data)
                print(f"replica: wrote {n:,} case rows in {time.perf_counter() - t:.1f} s")
                for kind in ("outcomes", "timing", "follow-ups"):
                    state = median_s(lambda k=kind: replica_reports.compute(store, k, YEAR, "bench"), args.repeat)
                    base = median_s(lambda k=kind: replica_reports.compute(store, k, one, "bench"), args.repeat)
                    results.append((f"replica (SQLCipher), {kind}, {n:,} cases", state, base))
            finally:
                store.close()
            if not args.skip_backfill:
                key = StoreKey.ephemeral()
                seconds = first_open_after_upgrade(Path(folder) / "upgraded.db", key, data)
                print(f"replica: first open after upgrade (0009 back-fills {n:,} cases' report rows): {seconds:.1f} s")

    print()
    print(f"{'report for 2025 (median of ' + str(args.repeat) + ')':<58} {'state':>9} {'one district':>13}")
    for name, state, base in results:
        print(f"{name:<58} {state * 1000:>7.0f} ms {base * 1000:>10.0f} ms")
    print(f"load average at end: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
