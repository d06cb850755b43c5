"""The escalation scheduler's cost per tick with 10,000 open unacknowledged cases, against 100 open
cases as the same-run baseline, on PostgreSQL and on SQLite.

    .venv/bin/python bench/bench_escalation.py [--quick] [--cases N] [--baseline N] [--ticks N]

For each backend and size: a fresh seeded database, N suicide-risk cases created and assigned in
one writer transaction (as intake makes them), every district with an online console that can sound
(so the policy's first wait holds and no step is due). Then it times:

- the **catch-up**: the ticks that scan every stored event (``SCAN_BATCH`` per tick) and start one
  escalation per case (with its snapshot), as when the runner first meets a backlog;
- the **steady tick** (median and max of ``--ticks``), what the runner pays every few seconds while
  nothing is due: the scan of new events (none), the stuck-step recovery and the due query;
- a **due tick**: the policy's wait is made to have passed for 200 cases (``DUE_BATCH``), which one
  tick then runs: a re-alarm and, with no wait between, the HQ alarm, each an event on the case.

PostgreSQL is a throwaway cluster started here (fsync off, as in the tests). No asserts on speed.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import update  # noqa: E402

from core.commands import decide  # noqa: E402
from core.events import EventType, iso, utcnow  # noqa: E402
from core.hlc import HybridClock  # noqa: E402
from core.ids import new_id  # noqa: E402
from hq.db import Database, sqlite_url  # noqa: E402
from hq.demo import DEMO_INTAKE, synthetic_alert  # noqa: E402
from hq.escalation import store  # noqa: E402
from hq.escalation.runner import DUE_BATCH, EscalationRunner  # noqa: E402
from hq.feed import Batch, CaseRow  # noqa: E402
from hq.schema import cases, devices, escalations, users  # noqa: E402
from tests.fixtures.hq import seed_database  # noqa: E402
from tests.fixtures.postgres import PgCluster  # noqa: E402

POLICY = {
    "steps": [{"action": "wait", "minutes": 30}, {"action": "realarm_district"}, {"action": "alarm_hq"}],
}


def make_cases(db: Database, n: int) -> None:
    author = DEMO_INTAKE.author()
    with db.writer() as conn:
        batch = Batch.open(conn, sign=False)
        rows = []
        for i in range(n):
            body = synthetic_alert(district=("LKO", "KNP", "VNS")[i % 3])
            district, station = body.pop("district"), body.pop("police_station")
            payload = {k: v for k, v in body.items() if v is not None}
            case_id = new_id()
            clock = HybridClock("hq")
            created = decide(case_id=case_id, history=[], etype=EventType.CREATED, payload=payload, author=author,
                             clock=clock)  # fmt: skip
            assigned = decide(case_id=case_id, history=[created], etype=EventType.ASSIGNED,
                              payload={"district": district, "police_station": station}, author=author,
                              clock=clock)  # fmt: skip
            rows.append({"id": case_id, "upstream_ref": payload["upstream_ref"], "district": None,
                         "police_station": None, "duplicates": 0, "created_at": iso(utcnow())})  # fmt: skip
            row = CaseRow(case_id, None, None)
            batch.add(created, row)
            batch.add(assigned, row)
        conn.execute(cases.insert(), rows)
        batch.flush(db)


def audible_consoles(db: Database) -> None:
    now = iso(utcnow())
    with db.transaction() as conn:
        ids = [r.id for r in conn.execute(users.select().where(users.c.district.is_not(None)))]
        conn.execute(
            devices.insert(),
            [{"id": f"bench-{u}", "name": "bench", "user_id": u, "first_seen": now, "last_seen": now,
              "audio": '{"ok": true}'} for u in ids],
        )  # fmt: skip


def measure(url: str, n: int, ticks: int) -> dict[str, Any]:
    db = Database(url, pool_size=4)
    try:
        seed_database(db)
        store.set_policy(db, None, "*", POLICY, by="bench")
        audible_consoles(db)
        t0 = time.perf_counter()
        make_cases(db, n)
        setup_s = time.perf_counter() - t0
        runner = EscalationRunner(db, {}, worker_id="bench")
        t0 = time.perf_counter()
        started, catch_up_ticks = 0, 0
        while True:  # SCAN_BATCH events per tick: a large backlog takes a few ticks
            report = runner.tick()
            catch_up_ticks += 1
            started += report.started
            if report.scanned == 0:
                break
        first_s = time.perf_counter() - t0
        assert started == n, started
        steady = []
        for _ in range(ticks):
            t0 = time.perf_counter()
            report = runner.tick()
            steady.append(time.perf_counter() - t0)
            assert report.steps == 0 and report.scanned == 0, report
        # Make the wait pass for DUE_BATCH escalations: one tick runs them.
        past = iso(utcnow() - timedelta(hours=1))
        with db.transaction() as conn:
            conn.execute(update(escalations).values(next_due_at=iso(utcnow() + timedelta(hours=1))))
            ids = [r.id for r in conn.execute(escalations.select().limit(DUE_BATCH))]
            due_now = update(escalations).where(escalations.c.id.in_(ids))
            conn.execute(due_now.values(next_due_at=past, last_step_at=past))
        t0 = time.perf_counter()
        due = runner.tick()
        due_s = time.perf_counter() - t0
        return {
            "n": n,
            "setup_s": setup_s,
            "first_s": first_s,
            "catch_up_ticks": catch_up_ticks,
            "steady_med_ms": statistics.median(steady) * 1000,
            "steady_max_ms": max(steady) * 1000,
            "due_s": due_s,
            "due_steps": due.steps,
        }
    finally:
        db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="1,000 cases instead of 10,000")
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--baseline", type=int, default=100)
    parser.add_argument("--ticks", type=int, default=20)
    args = parser.parse_args()
    n = 1_000 if args.quick else args.cases
    cluster = PgCluster.start()
    results = []
    try:
        for backend in ("postgres", "sqlite"):
            for size in (args.baseline, n):
                if backend == "postgres":
                    url = cluster.url(cluster.create_database(f"bench_{backend}_{size}"))
                else:
                    url = sqlite_url(Path(tempfile.mkdtemp(prefix="rakshak-bench-")) / "hq.sqlite3")
                r = measure(url, size, args.ticks) | {"backend": backend}
                results.append(r)
                print(
                    f"{backend:8} {size:>6} open cases: catch-up (scan, start all) {r['first_s']:.2f} s in "
                    f"{r['catch_up_ticks']} ticks; "
                    f"steady tick median {r['steady_med_ms']:.1f} ms, max {r['steady_max_ms']:.1f} ms; "
                    f"tick with {r['due_steps']} due steps {r['due_s']:.2f} s "
                    f"({r['due_s'] * 1000 / max(1, r['due_steps']):.0f} ms a step)  (setup {r['setup_s']:.1f} s)",
                    flush=True,
                )
    finally:
        cluster.stop()
    for backend in ("postgres", "sqlite"):
        base, big = [r for r in results if r["backend"] == backend]
        print(
            f"{backend}: steady tick at {big['n']} open cases is {big['steady_med_ms'] / base['steady_med_ms']:.1f}x "
            f"the {base['n']}-case baseline"
        )


if __name__ == "__main__":
    main()
