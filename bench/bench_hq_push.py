"""HQ push throughput: PostgreSQL (several uvicorn workers) against SQLite (one worker) as the baseline.

    .venv/bin/python bench/bench_hq_push.py [--quick] [--clients N] [--batch N] [--events N]

Starts its own throwaway PostgreSQL cluster (fsync off, as in the tests: this measures HQ, not the
disk) and an HQ subprocess per backend on 127.0.0.1, then has N concurrent clients (threads, one
console device each) push pre-built batches of events (acknowledgements and counselling notes over
a few dozen cases) as fast as HQ acknowledges them. Prints events/s and per-batch latency; the
SQLite run in the same invocation is the named baseline. No asserts on speed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.events import Author, EventType, new_event  # noqa: E402
from core.hlc import HybridClock  # noqa: E402
from hq.db import Database, sqlite_url  # noqa: E402
from tests.fixtures.hq import HQClient, HQServer, seed_database  # noqa: E402
from tests.fixtures.postgres import PgCluster  # noqa: E402


def build_batches(client: HQClient, cases: list[str], n_events: int, batch: int) -> list[list[dict[str, Any]]]:
    clock = HybridClock(client.device_id)
    author = Author(client.user["id"], client.user["display_name"])
    events = []
    for i in range(n_events):
        case_id = cases[i % len(cases)]
        events.append(
            new_event(
                case_id=case_id,
                type=EventType.COUNSELLING_NOTE,
                payload={
                    "officer_name": "SI Bench Officer",
                    "officer_rank": "SI",
                    "text": f"Counselling session {i}: spoke with the person and family; calm now. " * 3,
                    "family_contacted": True,
                },
                author=author,
                device_id=client.device_id,
                hlc=clock.now(),
            ).to_wire()
        )
    return [events[i : i + batch] for i in range(0, len(events), batch)]


def run(server: HQServer, clients: int, batch: int, total: int) -> dict[str, Any]:
    cases = [server.intake("LKO") for _ in range(40)]
    consoles = [server.login("demo", device_id=f"bench-{uuid.uuid4().hex[:8]}") for _ in range(clients)]
    work = [build_batches(c, cases, total // clients, batch) for c in consoles]
    # Warm up: one small push per console (connections, caches), not timed.
    for c in consoles:
        c.push(build_batches(c, cases, 5, 5)[0])
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(clients + 1)

    def pusher(console: HQClient, batches: list[list[dict[str, Any]]]) -> None:
        barrier.wait()
        for b in batches:
            t0 = time.perf_counter()
            try:
                body = console.push(b)
            except Exception as exc:  # report, don't hide
                with lock:
                    errors.append(repr(exc))
                continue
            dt = time.perf_counter() - t0
            bad = [r for r in body["results"] if r["status"] != "accepted"]
            with lock:
                latencies.append(dt)
                if bad:
                    errors.append(f"{len(bad)} rejected: {bad[0]}")

    threads = [threading.Thread(target=pusher, args=(c, w)) for c, w in zip(consoles, work, strict=True)]
    for t in threads:
        t.start()
    barrier.wait()
    start = time.perf_counter()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    sent = sum(len(b) for w in work for b in w)
    lat = sorted(latencies)
    return {
        "events": sent,
        "seconds": elapsed,
        "events_per_s": sent / elapsed,
        "batch_p50_ms": 1000 * statistics.median(lat),
        "batch_p99_ms": 1000 * lat[min(len(lat) - 1, int(0.99 * len(lat)))],
        "errors": errors,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer events (a smoke run)")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--batch", type=int, default=200)
    parser.add_argument("--events", type=int, default=None, help="events per backend (default 40000, quick 6000)")
    parser.add_argument("--pg-workers", type=int, default=2)
    args = parser.parse_args(argv)
    total = args.events or (6_000 if args.quick else 40_000)

    print(f"load average at start: {os.getloadavg()[0]:.2f} (2-core machine shared with other work)", flush=True)
    cluster = PgCluster.start()
    results: dict[str, dict[str, Any]] = {}
    try:
        setups = [
            ("SQLite, 1 worker (baseline)", "sqlite", 1),
            (f"PostgreSQL, {args.pg_workers} workers", "postgres", args.pg_workers),
        ]
        for label, backend, workers in setups:
            workdir = Path(tempfile.mkdtemp(prefix="rakshak-bench-"))
            if backend == "sqlite":
                url = sqlite_url(workdir / "hq.sqlite3")
            else:
                url = cluster.url(cluster.create_database(f"bench_{uuid.uuid4().hex[:8]}"))
            db = Database(url, pool_size=1)
            try:
                key = seed_database(db)
            finally:
                db.dispose()
            server = HQServer(backend=backend, db_url=url, intake_key=key, mode="process", workers=workers,
                              cluster=cluster, workdir=workdir)  # fmt: skip
            server.start()
            try:
                print(f"-- {label}: {total} events, {args.clients} clients, batches of {args.batch}", flush=True)
                results[label] = run(server, args.clients, args.batch, total)
            finally:
                server.close()
    finally:
        cluster.stop()

    print()
    print(f"{'setup':32} {'events':>7} {'seconds':>8} {'events/s':>9} {'batch p50 ms':>13} {'batch p99 ms':>13}")
    for label, r in results.items():
        print(f"{label:32} {r['events']:>7} {r['seconds']:>8.2f} {r['events_per_s']:>9.0f} "
              f"{r['batch_p50_ms']:>13.1f} {r['batch_p99_ms']:>13.1f}")  # fmt: skip
        for e in r["errors"][:5]:
            print(f"   error: {e}")
    base, pg = list(results.values())
    print(f"\nPostgreSQL / SQLite baseline: {pg['events_per_s'] / base['events_per_s']:.2f}x")
    return 1 if any(r["errors"] for r in results.values()) else 0


if __name__ == "__main__":
    code = main()
    print(f"load average at end: {os.getloadavg()[0]:.2f}")
    sys.exit(code)
