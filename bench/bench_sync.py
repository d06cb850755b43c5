"""Client sync: link-return recovery, initial sync, intake-to-replica latency. One run, own baselines.

    .venv/bin/python bench/bench_sync.py [--quick] [--trials N] [--cases N] [--skip-initial] [--initial-only]
                                         [--push-only] [--push-events N] [--push-repeat N] [--push-baseline]

Starts HQ as a subprocess (uvicorn, SQLite) on 127.0.0.1 and real clients in this process (SQLCipher
store, ``sync.SyncEngine`` with the default settings, an in-memory keyring). Four measurements:

1. **Link returns -> fully synced both ways.** Console A reaches HQ through the loopback fault proxy,
   console B directly. Each trial blackholes A's link for 1-6 s (silence, no resets; connections
   open during the cut stay dead), writes on A and on B and injects a new case at HQ, restores the
   link and measures until A's outbox is empty, A holds B's note and the new case, and B holds A's
   note. Baseline in the same run: the same engine with its link probe and in-flight abort disabled
   (plain exponential backoff with full jitter, capped at ``retry_cap_s``).
2. **Initial sync** of N cases x 5 events (100,000 by default; ``--quick`` 10,000) into an empty
   replica, through the engine's own pull path. Baseline: the same pages fetched and parsed without
   applying them (what the wire and JSON cost alone).
4. **An operator's write during a 5,000-event push** (``--push-only`` runs only this): a console of
   district KNP that was offline for a shift holds 5,000 pending notes over 200 cases and pushes
   them (the engine's push pass alone, ``_push_all``: ``run_once`` would go on to pull the same events
   back, which is benchmark 2's catch-up); meanwhile an operator records a note every 0.5 s, timed from the
   call to its commit returning. Baseline in the same run: the same write on the same, idle store;
   with ``--push-baseline`` also the whole run again with each reply applied in one ordinary unit of
   work (``OneUnitPushEngine``: the push path before the operator-first rule).
3. **Intake at HQ -> case committed in a console's replica**: the long-polling engine, measured, vs
   polling every 5 s and every 60 s. For the polling clients the phase is random and uniform (an
   alert arrives at a uniformly random point of the polling interval); their latency is that wait
   plus a real, measured ``wait=0`` pull-and-apply after the intake.

Prints p50/p90/p99/max. No asserts on speed.
"""

from __future__ import annotations

import argparse
import random
import shutil
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

import keyring  # noqa: E402

from core.events import Author, EventType, new_event  # noqa: E402
from core.hlc import HybridClock  # noqa: E402
from core.ids import new_id  # noqa: E402
from core.settings import Settings  # noqa: E402
from core.store import LocalStore, StoreKey, record  # noqa: E402
from hq import admin  # noqa: E402
from hq.db import Database, sqlite_url  # noqa: E402
from hq.demo import synthetic_alert  # noqa: E402
from hq.feed import Batch, CaseRow  # noqa: E402
from hq.schema import cases as hq_cases  # noqa: E402
from sync import SyncEngine  # noqa: E402
from sync.link import LinkWatch  # noqa: E402
from sync.push import Pusher  # noqa: E402
from sync.session import Session  # noqa: E402
from tests.fixtures.faultproxy import FaultProxy  # noqa: E402
from tests.fixtures.hq import HQServer, seed_database  # noqa: E402
from tests.fixtures.keyring import MemoryKeyring  # noqa: E402

BULK_DISTRICT = "LKO"  # the initial-sync data lives here
LIVE_DISTRICT = "KNP"  # the consoles of benchmarks 1 and 3 work here (they never pull the bulk data)
PASSWORD = "bench-password-1"
BASELINE_TRIALS_MAX = 8  # each baseline trial waits out read timeouts (~30 s)


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def summary(values: list[float]) -> str:
    return (
        f"p50 {pct(values, 50):6.2f} s  p90 {pct(values, 90):6.2f} s  p99 {pct(values, 99):6.2f} s  "
        f"max {max(values):6.2f} s  (n={len(values)})"
    )


def summary_ms(values: list[float]) -> str:
    ms = [v * 1000 for v in values]
    return (
        f"p50 {pct(ms, 50):6.1f} ms  p90 {pct(ms, 90):6.1f} ms  p99 {pct(ms, 99):6.1f} ms  "
        f"max {max(ms):6.1f} ms  (n={len(ms)})"
    )


class BackoffOnlyLink(LinkWatch):
    """No link probe, no abort of requests in flight when the link returns."""

    def probe(self) -> None:
        return None

    def set_ok(self, ok: bool) -> None:
        self._ok = ok


class BackoffOnlyEngine(SyncEngine):
    """Baseline: no link probe, no abort of requests in flight when the link returns; only the
    backoff retries (full jitter, ``retry_cap_s``) and each request's own timeout."""

    link_class = BackoffOnlyLink


class OneUnitPusher(Pusher):
    """A push reply applied as before the operator-first rule, all its results in one ordinary
    (interactive) unit of work, each settled with a refold of its case."""

    def apply_push_reply(self, reply: Any, events: list[Any], epoch_at_send: str | None,
                         local_wall: float) -> set[str]:
        changed: set[str] = set()
        by_id = {e.id: e for e in events}
        with self.replica.tx() as tx:
            if tx.epoch != epoch_at_send:
                return changed
            if reply.epoch != tx.epoch:
                self._adopt_epoch(tx, reply.epoch, had_epoch=tx.epoch is not None)
            for result in reply.results:
                if result.accepted:
                    tx.mark_accepted(result.id, result.hq_seq)
                else:
                    tx.mark_rejected(result.id, result.reason or "rejected", result.code)
                changed.add(by_id[result.id].case_id)
            tx.record_skew(reply.server_time, local_wall)
            tx.commit()
        return changed


class OneUnitPushEngine(SyncEngine):
    """Baseline for benchmark 4: the push reply applied by ``OneUnitPusher``."""

    pusher_class = OneUnitPusher


class Console:
    def __init__(self, root: Path, url: str, username: str, engine_cls: type[SyncEngine] = SyncEngine):
        root.mkdir(parents=True, exist_ok=True)
        self.store = LocalStore.open(root / "rakshak.db", StoreKey.ephemeral())
        device = self.store.device_id
        self.session = Session(url, device)
        self.session.login(url, username, PASSWORD, device, f"bench {root.name}")
        with self.store.reader() as uow:
            self.clock = HybridClock(device, last=uow.meta.hlc_last())
        self.engine = engine_cls(self.store, self.session, self.clock, settings=Settings({}))
        user = self.session.user
        assert user is not None
        self.author = Author(user.id, user.display_name)

    def note(self, case_id: str) -> str:
        payload = {"officer_name": "SI Bench", "officer_rank": "SI", "text": f"bench {uuid.uuid4().hex[:8]}"}
        event = record(self.store, self.clock, self.author, case_id, EventType.COUNSELLING_NOTE, payload)
        self.engine.notify_local_change()
        return event.id

    def has_event(self, event_id: str) -> bool:
        with self.store.reader() as uow:
            return uow.events.get(event_id) is not None

    def has_case(self, case_id: str) -> bool:
        with self.store.reader() as uow:
            return uow.cases.state(case_id) is not None

    def pending(self) -> int:
        with self.store.reader() as uow:
            return uow.outbox.counts()[0]

    def close(self) -> None:
        self.engine.stop()
        self.session.close()
        self.store.close()


def wait_for(pred: Any, timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if pred():
            return True
        time.sleep(0.01)
    return False


# ---------------------------------------------------------------------------------------------
# 1. link returns
# ---------------------------------------------------------------------------------------------


def bench_link_return(hq: HQServer, work: Path, trials: int, rng: random.Random) -> dict[str, list[float]]:
    results: dict[str, list[float]] = {}
    variants = (("engine (probe + abort)", SyncEngine, trials), ("baseline: backoff only", BackoffOnlyEngine,
                                                                  min(trials, BASELINE_TRIALS_MAX)))
    for label, engine_cls, n_trials in variants:
        proxy = FaultProxy(hq.port)
        a = Console(work / f"a-{engine_cls.__name__}", proxy.url, "bench-a", engine_cls)
        b = Console(work / f"b-{engine_cls.__name__}", hq.url, "bench-b", engine_cls)
        a.engine.start()
        b.engine.start()
        case_id = hq.intake(LIVE_DISTRICT)
        if not wait_for(lambda: a.has_case(case_id) and b.has_case(case_id), 30):  # noqa: B023
            raise RuntimeError("consoles did not get the first case")
        times: list[float] = []
        for trial in range(n_trials):
            proxy.blackhole()
            from_a = a.note(case_id)
            from_b = b.note(case_id)
            new_case = hq.intake(LIVE_DISTRICT)
            time.sleep(rng.uniform(1.0, 6.0))
            restored = time.monotonic()
            proxy.restore()
            ok = wait_for(
                lambda: a.pending() == 0  # noqa: B023
                and a.has_event(from_b)  # noqa: B023
                and a.has_case(new_case)  # noqa: B023
                and b.has_event(from_a),  # noqa: B023
                120,
            )
            if not ok:
                raise RuntimeError(f"{label}: trial {trial} did not converge within 120 s")
            times.append(time.monotonic() - restored)
            print(f"  {label:26s} trial {trial + 1:2d}/{n_trials}: {times[-1]:5.2f} s", flush=True)
            time.sleep(rng.uniform(0.2, 1.0))
        results[label] = times
        a.close()
        b.close()
        proxy.stop()
    return results


# ---------------------------------------------------------------------------------------------
# 2. initial sync
# ---------------------------------------------------------------------------------------------


def bulk_load(db: Database, n_cases: int, rng: random.Random, *, legacy_ids: bool = False) -> int:
    """Write n cases x 5 events straight into HQ's tables through HQ's own batch code (fast setup).

    Ids are made as the product makes them (``core.ids.new_id``, UUIDv7); ``legacy_ids`` uses random
    UUIDv4 instead, as data written before v7 ids has them.
    """
    make_id = (lambda: str(uuid.uuid4())) if legacy_ids else new_id
    author = Author("key:bench", "Bench intake")
    clock = HybridClock("hq-bench")
    made = 0
    chunk = 2000
    for start in range(0, n_cases, chunk):
        with db.writer() as conn:
            batch = Batch.open(conn)
            rows = []
            for _ in range(min(chunk, n_cases - start)):
                case_id = make_id()
                alert = synthetic_alert(rng, BULK_DISTRICT)
                alert["upstream_ref"] = f"bench-{uuid.uuid4().hex}"
                created = {k: alert[k] for k in ("kind", "source", "upstream_ref", "received_at", "priority",
                                                 "subject", "location", "summary") if k in alert}
                created["district"] = BULK_DISTRICT
                steps: list[tuple[EventType, dict[str, Any]]] = [
                    (EventType.CREATED, created),
                    (EventType.ACKNOWLEDGED, {}),
                    (EventType.DISPATCHED, {"officer": "SI Sharma", "phone": "+919800000000"}),
                    (EventType.EN_ROUTE, {"eta_min": 12}),
                    (EventType.COUNSELLING_NOTE,
                     {"officer_name": "SI Sharma", "officer_rank": "SI", "text": "Spoke with the family."}),
                ]
                rows.append({"id": case_id, "upstream_ref": created["upstream_ref"], "district": BULK_DISTRICT,
                             "police_station": None, "duplicates": 0, "created_at": alert["received_at"]})
                row = CaseRow(case_id, BULK_DISTRICT, None)
                for etype, payload in steps:
                    event = new_event(case_id=case_id, type=etype, payload=payload, author=author,
                                      device_id="hq-bench", hlc=clock.now(), event_id=make_id())
                    batch.add(event, row)
                    made += 1
            conn.execute(hq_cases.insert(), rows)
            batch.flush(db)
    return made


def bench_initial_sync(hq: HQServer, work: Path, n_events: int) -> dict[str, float]:
    out: dict[str, float] = {}
    # Baseline first: fetch + parse only, same page size, same client code.
    probe = Console(work / "initial-baseline", hq.url, "bench-lko")
    cursor, fetched = 0, 0
    started = time.monotonic()
    while True:
        reply = probe.session.call(lambda t, c=cursor: probe.session.client.pull(t, c, limit=1000))  # type: ignore[misc]
        fetched += len(reply.items)
        cursor = reply.cursor
        if not reply.has_more:
            break
    out["baseline_s"] = time.monotonic() - started
    out["baseline_items"] = fetched
    probe.close()

    console = Console(work / "initial", hq.url, "bench-lko")
    # An operator working during the catch-up: a local write every 0.5 s, timed from the call to
    # its commit returning (it waits for the catch-up's unit of work to release the write lock).
    done = threading.Event()
    during: list[float] = []

    def operator() -> None:
        case_id = None
        while not done.is_set() and case_id is None:
            with console.store.reader() as uow:
                first = uow.cases.queue(limit=1)
            case_id = first[0].case_id if first else None
            done.wait(0.2)
        while case_id is not None and not done.wait(0.5):
            t0 = time.monotonic()
            console.note(case_id)
            during.append(time.monotonic() - t0)

    writer = threading.Thread(target=operator, name="bench-operator")
    writer.start()
    started = time.monotonic()
    status = console.engine.run_once()
    out["sync_s"] = time.monotonic() - started
    done.set()
    writer.join()
    # Baseline: the same write on the same, now idle, store.
    with console.store.reader() as uow:
        any_case = uow.cases.queue(limit=1)[0].case_id
    idle: list[float] = []
    for _ in range(20):
        t0 = time.monotonic()
        console.note(any_case)
        idle.append(time.monotonic() - t0)
        time.sleep(0.05)
    status = console.engine.run_once()  # push the operator's notes too: nothing may stay behind
    with console.store.reader() as uow:
        out["cases"] = uow.cases.count()
    out["events"] = n_events
    out["state_ok"] = float(status.pending == 0 and status.last_error is None)
    out["writes_during"] = during  # type: ignore[assignment]
    out["writes_idle"] = idle  # type: ignore[assignment]
    console.close()
    return out


# ---------------------------------------------------------------------------------------------
# 4. an operator's write during a big push
# ---------------------------------------------------------------------------------------------


def bench_push_write(hq: HQServer, work: Path, n_events: int, n_cases: int,
                     engine_cls: type[SyncEngine] = SyncEngine) -> dict[str, Any]:
    """A console back from a shift offline pushes ``n_events`` notes over ``n_cases`` cases while an
    operator records a note every 0.5 s on it (as benchmark 2's operator does). Returns push time and
    both write latencies (s)."""
    case_ids = [hq.intake(LIVE_DISTRICT) for _ in range(n_cases)]
    console = Console(work / f"push-{engine_cls.__name__}-{uuid.uuid4().hex[:6]}", hq.url, "bench-push", engine_cls)
    console.engine.run_once()  # the cases are here; from now on the console is "offline"
    if not all(console.has_case(c) for c in case_ids):
        raise RuntimeError("the push console did not get its cases")
    # The shift's work, recorded offline: n_events pending notes, spread over the cases.
    chunk = 500
    for start in range(0, n_events, chunk):
        with console.store.unit_of_work() as uow:
            for k in range(start, min(n_events, start + chunk)):
                payload = {"officer_name": "SI Bench", "officer_rank": "SI", "text": f"offline note {k}"}
                uow.events.append_local(new_event(case_id=case_ids[k % n_cases], type=EventType.COUNSELLING_NOTE,
                                                  payload=payload, author=console.author,
                                                  device_id=console.store.device_id, hlc=console.clock.now()))
            uow.commit()
    # Baseline: the operator's write on the same store, idle (the events are pending, nothing runs).
    idle: list[float] = []
    for i in range(30):
        t0 = time.monotonic()
        console.note(case_ids[i % n_cases])
        idle.append(time.monotonic() - t0)
        time.sleep(0.02)
    done = threading.Event()
    during: list[float] = []

    def operator() -> None:
        i = 0
        while not done.wait(0.5):
            t0 = time.monotonic()
            console.note(case_ids[i % n_cases])
            during.append(time.monotonic() - t0)
            i += 1

    writer = threading.Thread(target=operator, name="bench-operator")
    writer.start()
    started = time.monotonic()
    console.engine.push.push_all()  # the push alone (run_once would also pull the 5,000 events back)
    push_s = time.monotonic() - started
    done.set()
    writer.join()
    status = console.engine.run_once()  # the operator's own notes too, and the feed
    out: dict[str, Any] = {
        "events": n_events, "cases": n_cases, "push_s": push_s, "during": during, "idle": idle,
        "ok": status.pending == 0 and status.rejected == 0 and status.last_error is None,
    }
    console.close()
    return out


# ---------------------------------------------------------------------------------------------
# 3. intake -> replica
# ---------------------------------------------------------------------------------------------


def bench_intake_latency(hq: HQServer, work: Path, samples: int, rng: random.Random) -> dict[str, list[float]]:
    console = Console(work / "latency", hq.url, "bench-a")
    console.engine.start()
    first = hq.intake(LIVE_DISTRICT)
    wait_for(lambda: console.has_case(first), 60)
    wait_for(lambda: console.engine.status.pending == 0, 60)
    long_poll: list[float] = []
    for _ in range(samples):
        time.sleep(rng.uniform(0.3, 1.5))  # the console sits in its long poll
        started = time.monotonic()
        case_id = hq.intake(LIVE_DISTRICT)
        wait_for(lambda: console.has_case(case_id), 60)  # noqa: B023
        long_poll.append(time.monotonic() - started)
    console.close()

    poller = Console(work / "poller", hq.url, "bench-b")  # never started: pulled by hand, wait=0
    poller.engine.run_once()
    fetch: list[float] = []
    for _ in range(samples):
        started = time.monotonic()
        case_id = hq.intake(LIVE_DISTRICT)
        poller.engine.run_once()
        fetch.append(time.monotonic() - started)
        if not poller.has_case(case_id):
            raise RuntimeError("poll did not bring the case")
    poller.close()
    out = {"long-poll (engine, measured)": long_poll}
    for interval in (5.0, 60.0):
        out[f"polling every {interval:.0f} s"] = [rng.uniform(0, interval) + f for f in fetch]
    return out


# ---------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="10,000 cases, fewer trials")
    parser.add_argument("--trials", type=int, default=None, help="link-return trials per variant")
    parser.add_argument("--cases", type=int, default=None, help="cases for the initial sync")
    parser.add_argument("--skip-initial", action="store_true")
    parser.add_argument("--initial-only", action="store_true", help="only benchmark 2 (initial sync)")
    parser.add_argument("--legacy-ids", action="store_true", help="initial-sync data with random UUIDv4 ids")
    parser.add_argument("--push-only", action="store_true", help="only benchmark 4 (a write during a big push)")
    parser.add_argument("--push-events", type=int, default=5000, help="events pushed in benchmark 4")
    parser.add_argument("--push-repeat", type=int, default=1, help="benchmark 4 runs per variant (samples pooled)")
    parser.add_argument("--push-baseline", action="store_true",
                        help="benchmark 4 also with the reply applied in one ordinary unit of work (as before)")
    args = parser.parse_args()
    n_cases = args.cases or (10_000 if args.quick else 100_000)
    trials = args.trials or (8 if args.quick else 25)
    samples = 10 if args.quick else 30
    rng = random.Random(20261122)
    keyring.set_keyring(MemoryKeyring())

    work = Path(tempfile.mkdtemp(prefix="rakshak-bench-sync-"))
    db_path = work / "hq.sqlite3"
    db = Database(sqlite_url(db_path), pool_size=2)
    key = seed_database(db)
    if args.push_only:
        args.skip_initial = True
    for user, district in (("bench-a", LIVE_DISTRICT), ("bench-b", LIVE_DISTRICT), ("bench-lko", BULK_DISTRICT),
                           ("bench-push", LIVE_DISTRICT)):
        admin.create_user(db, user, PASSWORD, "district_operator", f"Bench {user}", district)
    n_events = 0
    if not args.skip_initial:
        t0 = time.monotonic()
        n_events = bulk_load(db, n_cases, rng, legacy_ids=args.legacy_ids)
        print(f"loaded {n_cases:,} cases / {n_events:,} events into HQ in {time.monotonic() - t0:.1f} s", flush=True)
    db.dispose()
    hq = HQServer(backend="sqlite", db_url=sqlite_url(db_path), intake_key=key, mode="process", workdir=work)
    hq.start()
    try:
        link: dict[str, list[float]] = {}
        if not (args.initial_only or args.push_only):
            print(f"\n== 1. link returns -> fully synced both ways ({trials} trials, default settings)")
            link = bench_link_return(hq, work, trials, rng)
        initial: dict[str, float] = {}
        if not args.skip_initial:
            print(f"\n== 2. initial sync of {n_cases:,} cases x 5 events", flush=True)
            initial = bench_initial_sync(hq, work, n_events)
        pushed: dict[str, dict[str, Any]] = {}
        if not args.initial_only:
            print(f"\n== 4. an operator's write during a {args.push_events:,}-event push", flush=True)
            variants: list[tuple[str, type[SyncEngine]]] = [("engine (operator first)", SyncEngine)]
            if args.push_baseline:
                variants.append(("baseline: one unit per reply", OneUnitPushEngine))
            for label, engine_cls in variants:
                runs = [bench_push_write(hq, work, args.push_events, 200, engine_cls) for _ in range(args.push_repeat)]
                pushed[label] = {
                    "events": args.push_events, "cases": 200, "runs": len(runs),
                    "push_s": statistics.mean(r["push_s"] for r in runs),
                    "during": [x for r in runs for x in r["during"]],
                    "idle": [x for r in runs for x in r["idle"]],
                    "ok": all(r["ok"] for r in runs),
                }
        latency: dict[str, list[float]] = {}
        if not (args.initial_only or args.push_only):
            print(f"\n== 3. intake at HQ -> case in a console's replica ({samples} samples)", flush=True)
            latency = bench_intake_latency(hq, work, samples, rng)
    finally:
        hq.stop()

    print("\n================ results ================")
    if link:
        print("1. link returns -> fully synced both ways "
              "(A's outbox empty, A has B's note and the new case, B has A's)")
    for label, values in link.items():
        print(f"   {label:28s} {summary(values)}")
    if initial:
        ev_s = initial["events"] / initial["sync_s"]
        base_s = initial["baseline_items"] / initial["baseline_s"]
        print(f"2. initial sync: {initial['events']:,.0f} events / {initial['cases']:,.0f} cases in "
              f"{initial['sync_s']:.1f} s = {ev_s:,.0f} events/s (ok={bool(initial['state_ok'])})")
        print(f"   baseline (fetch + parse only, no store): {initial['baseline_items']:,.0f} items in "
              f"{initial['baseline_s']:.1f} s = {base_s:,.0f} items/s; applying costs "
              f"{initial['sync_s'] / initial['baseline_s']:.1f}x the wire alone")
        during, idle = initial["writes_during"], initial["writes_idle"]
        if during:
            print(f"   a local write during the catch-up  {summary(during)}")  # type: ignore[arg-type]
        print(f"   baseline: the same write, idle     {summary(idle)}")  # type: ignore[arg-type]
    for label, run in pushed.items():
        print(f"4. {label}: push of {run['events']:,} events over {run['cases']} cases in {run['push_s']:.1f} s "
              f"(mean of {run['runs']} run(s), ok={run['ok']})")
        if run["during"]:
            print(f"   the operator's write during the push  {summary_ms(run['during'])}")
        print(f"   baseline: the same write, idle        {summary_ms(run['idle'])}")
    if latency:
        print("3. intake at HQ -> case committed in the replica")
    for label, values in latency.items():
        print(f"   {label:28s} {summary(values)}  mean {statistics.mean(values):6.2f} s")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
