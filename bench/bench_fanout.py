"""Fan-out: how fast a new case reaches 200 consoles, long-polling against polling every 5 s.

    .venv/bin/python bench/bench_fanout.py [--quick] [--clients N] [--rounds N] [--backend postgres|sqlite]
        [--workers N] [--long-poll-only]

Starts its own throwaway PostgreSQL cluster and an HQ subprocess (2 uvicorn workers) on 127.0.0.1,
then runs N consoles in one asyncio loop (httpx, one connection each) for the same district. Each
round injects one alert through intake and measures, for every console, the time from just before
the intake request to the moment that console holds the new case. Two modes in the same run:

- long-poll: ``GET /sync/pull?wait=25`` held open, re-issued at once after each reply;
- polling every 5 s (the named baseline): ``wait=0``, then sleep 5 s, consoles' phases spread evenly.

Prints p50/p99/max per mode. No asserts on speed.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from hq.db import Database, sqlite_url  # noqa: E402
from hq.demo import synthetic_alert  # noqa: E402
from tests.fixtures.hq import API, HQServer, seed_database  # noqa: E402
from tests.fixtures.postgres import PgCluster  # noqa: E402

POLL_INTERVAL_S = 5.0
LONG_POLL_WAIT_S = 25


class Console:
    def __init__(self, http: httpx.AsyncClient, cursor: int):
        self.http = http
        self.cursor = cursor
        self.received: dict[str, float] = {}

    async def pull_once(self, wait: float) -> None:
        r = await self.http.get(f"{API}/sync/pull", params={"cursor": self.cursor, "wait": wait})
        r.raise_for_status()
        page = r.json()
        now = time.perf_counter()
        for item in page["items"]:
            if item["kind"] == "event" and item["event"]["type"] == "created":
                self.received.setdefault(item["event"]["case_id"], now)
        self.cursor = page["cursor"]


async def long_poller(console: Console, stop: asyncio.Event) -> None:
    while not stop.is_set():
        await console.pull_once(LONG_POLL_WAIT_S)


async def poller(console: Console, stop: asyncio.Event, phase: float) -> None:
    await asyncio.sleep(phase)
    while not stop.is_set():
        await console.pull_once(0)
        try:
            await asyncio.wait_for(stop.wait(), POLL_INTERVAL_S)
        except TimeoutError:
            pass


async def measure(server: HQServer, token: str, clients: int, rounds: int, mode: str) -> list[float]:
    headers = {"Authorization": f"Bearer {token}"}
    # One client (one connection) per console, as in a control room: a single shared httpx pool
    # with hundreds of connections spends more time managing itself than the server spends serving.
    https = [httpx.AsyncClient(base_url=server.url, headers=headers, timeout=90) for _ in range(clients)]
    intake_http = httpx.AsyncClient(base_url=server.url, timeout=30)
    try:
        cursor = 0
        while True:
            first = (await https[0].get(f"{API}/sync/pull", params={"cursor": cursor, "limit": 1000})).json()
            cursor = first["cursor"]
            if not first["has_more"]:
                break
        consoles = [Console(http, cursor) for http in https]
        stop = asyncio.Event()
        if mode == "long-poll":
            tasks = [asyncio.create_task(long_poller(c, stop)) for c in consoles]
        else:
            tasks = [
                asyncio.create_task(poller(c, stop, POLL_INTERVAL_S * i / clients)) for i, c in enumerate(consoles)
            ]
        await asyncio.sleep(2.0 if mode == "long-poll" else POLL_INTERVAL_S + 0.5)  # everyone settled
        latencies: list[float] = []
        intake_times: list[float] = []
        firsts: list[float] = []
        rng = random.Random(7)
        for _ in range(rounds):
            t0 = time.perf_counter()
            r = await intake_http.post(
                f"{API}/intake", json=synthetic_alert(rng, "LKO"), headers={"X-Api-Key": server.intake_key}
            )
            r.raise_for_status()
            intake_times.append(time.perf_counter() - t0)
            case_id = r.json()["case_id"]
            deadline = t0 + 3 * POLL_INTERVAL_S + 30
            while not all(case_id in c.received for c in consoles):
                if time.perf_counter() > deadline:
                    missing = sum(case_id not in c.received for c in consoles)
                    raise RuntimeError(f"{missing} consoles never received case {case_id}")
                failed = [t for t in tasks if t.done()]
                if failed:
                    raise RuntimeError(f"a console failed: {failed[0].exception()!r}")
                await asyncio.sleep(0.005)
            latencies += [c.received[case_id] - t0 for c in consoles]
            firsts.append(min(c.received[case_id] for c in consoles) - t0)
            await asyncio.sleep(1.0 if mode == "long-poll" else rng.uniform(0, POLL_INTERVAL_S))
        stop.set()
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        print(f"   intake request: median {1000 * statistics.median(intake_times):.0f} ms; first console has it after "
              f"median {1000 * statistics.median(firsts):.0f} ms")  # fmt: skip
        return latencies
    finally:
        for http in [*https, intake_http]:
            await http.aclose()


def pct(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(p * len(s)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=None, help="alerts per mode (default 20, quick 5)")
    parser.add_argument("--backend", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--long-poll-only", action="store_true", help="skip the polling baseline (A/B runs)")
    args = parser.parse_args(argv)
    rounds = args.rounds or (5 if args.quick else 20)

    print(f"load average at start: {os.getloadavg()[0]:.2f} (2-core machine shared with other work)", flush=True)
    cluster = PgCluster.start() if args.backend == "postgres" else None
    workdir = Path(tempfile.mkdtemp(prefix="rakshak-fanout-"))
    try:
        if cluster is not None:
            url = cluster.url(cluster.create_database(f"fanout_{uuid.uuid4().hex[:8]}"))
            workers = args.workers
        else:
            url = sqlite_url(workdir / "hq.sqlite3")
            workers = 1
        db = Database(url, pool_size=1)
        try:
            key = seed_database(db)
        finally:
            db.dispose()
        server = HQServer(backend=args.backend, db_url=url, intake_key=key, mode="process", workers=workers,
                          cluster=cluster, workdir=workdir)  # fmt: skip
        server.start()
        try:
            token = server.login("demo", device_id="fanout-bench").session["access_token"]
            results: dict[str, list[float]] = {}
            modes = ["long-poll"] + ([] if args.long_poll_only else [f"poll every {POLL_INTERVAL_S:.0f} s (baseline)"])
            for mode in modes:
                print(f"-- {mode}: {args.clients} consoles, {rounds} alerts", flush=True)
                try:
                    results[mode] = asyncio.run(
                        measure(server, token, args.clients, rounds, "long-poll" if mode == "long-poll" else "poll")
                    )
                except Exception:
                    print("HQ log:\n" + server.log_tail(), file=sys.stderr)
                    raise
        finally:
            server.close()
    finally:
        if cluster is not None:
            cluster.stop()

    print(f"\nHQ on {args.backend} ({workers} worker(s)), {args.clients} consoles, time from intake to a console "
          "holding the case:")  # fmt: skip
    print(f"{'mode':30} {'samples':>8} {'p50 ms':>9} {'p99 ms':>9} {'max ms':>9} {'mean ms':>9}")
    for mode, lat in results.items():
        print(f"{mode:30} {len(lat):>8} {1000 * pct(lat, 0.5):>9.0f} {1000 * pct(lat, 0.99):>9.0f} "
              f"{1000 * max(lat):>9.0f} {1000 * statistics.mean(lat):>9.0f}")  # fmt: skip
    if len(results) == 2:
        lp, base = list(results.values())
        print(f"\np99 long-poll / p99 polling baseline: {pct(lp, 0.99) / pct(base, 0.99):.3f}")
    return 0


if __name__ == "__main__":
    code = main()
    print(f"load average at end: {os.getloadavg()[0]:.2f}")
    sys.exit(code)
