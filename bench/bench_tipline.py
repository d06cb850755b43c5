"""The tip line under load: 1,000 tipster conversations at once against HQ on PostgreSQL.

    .venv/bin/python bench/bench_tipline.py [--quick] [--conversations N] [--think S] [--start-s S] [--workers N]
                                            [--relay-process [--relay-nice N]] [--drain-s S]
    .venv/bin/python bench/bench_tipline.py --burst          (the opening burst alone: first messages, no relay)
    .venv/bin/python bench/bench_tipline.py --probe-accept   (the webhook's database work alone)

Starts a throwaway PostgreSQL cluster (fsync off, as in the tests), the WhatsApp Cloud API simulator
(tests/fixtures/whatsapp_sim.py) in its own process, and HQ as a subprocess with ``--workers N``
(each worker runs a relay). Then N conversations run at once, each a tipster sending the whole
English flow (8 messages: greeting, language, category, what, where, when, no media, confirm) with
a random think time of 0 to 2 x ``--think`` seconds between messages, all started within the first
``--start-s`` seconds (default 1: the 1,000 first messages in one second). Every delivery is signed
as Meta signs it. Cloud API carries up to 80 messages a second per business number by default (1,000
after Meta's automatic upgrade), inbound and outbound together: ``--start-s 12.5`` is the default
tier's ceiling for 1,000 first messages (its replies not counted).

Measured from the client (asyncio with a minimal HTTP/1.1 client, ``LightClient``, open loop): the
webhook's latency per delivery (p50, p99, max) and, interleaved at the same moments, two baselines
from the same run: ``GET /health`` (HQ's floor for any request) and a signed ``statuses``
notification (signature check and parse, no database write); the webhook by send time, first
messages against the rest; the client's own event-loop lag; PostgreSQL sampled during the run
(``PgSampler``). Then how long the relay takes to file every tip and send every reply. Prints
figures only; no asserts on speed. The load average is printed at start and end: this 2-core
machine is shared.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import hmac
import json
import multiprocessing
import os
import random
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select  # noqa: E402

from hq.db import Database  # noqa: E402
from hq.schema import tip_inbox, tip_outbox, tips  # noqa: E402
from tests.fixtures.hq import HQServer, seed_database  # noqa: E402
from tests.fixtures.postgres import PgCluster  # noqa: E402
from tests.fixtures.whatsapp_sim import WhatsAppSim  # noqa: E402

API = "/api/v1"
FLOW = ["Hi", "2", "4", "Card games for money every night", "Near the ghat, Varanasi", "Every night", "0", "yes"]


def _serve_sim(secret: str, token: str, ports: Any, stop: Any) -> None:
    sim = WhatsAppSim(app_secret=secret, access_token=token)
    sim.start()
    ports.put(sim.base)
    stop.wait()
    sim.stop()


def pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(q * len(s)))] if s else float("nan")


class LightClient:
    """HTTP/1.1 over asyncio streams, for the load only: a request costs the client a few tens of
    microseconds. With httpx (about a millisecond of client CPU per request, plus its pool) the
    opening burst of 1,000 requests kept the bench's own process at 100 % of a core for seconds
    while HQ's workers idled (py-spy), so the bench measured its client. Connections are kept alive
    and, as httpx does, dropped after ``KEEPALIVE_S`` idle, so most tipsters' messages still open a
    new one, as a delivery from Meta may."""

    KEEPALIVE_S = 5.0

    def __init__(self, url: str):
        host, _, port = url.split("://", 1)[1].rstrip("/").partition(":")
        self.host, self.port = host, int(port or 80)
        self._idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter, float]] = []

    async def request(self, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None) -> int:
        conn = None
        while self._idle and conn is None:
            reader, writer, since = self._idle.pop()
            if time.monotonic() - since < self.KEEPALIVE_S:
                conn = reader, writer
            else:
                writer.close()
        if conn is None:
            conn = await asyncio.open_connection(self.host, self.port)
        reader, writer = conn
        extra = "".join(f"{k}: {v}\r\n" for k, v in (headers or {}).items())
        head = f"{method} {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
        head += f"Content-Length: {len(body)}\r\n{extra}\r\n"
        try:
            writer.write(head.encode() + body)
            status = int((await reader.readline()).split()[1])
            length, close = 0, False
            while (line := await reader.readline()) not in (b"\r\n", b""):
                name, _, value = line.partition(b":")
                name = name.strip().lower()
                if name == b"content-length":
                    length = int(value)
                elif name == b"connection":
                    close = value.strip().lower() == b"close"
            if length:
                await reader.readexactly(length)
        except BaseException:
            writer.close()
            raise
        if close:
            writer.close()
        else:
            self._idle.append((reader, writer, time.monotonic()))
        return status

    def close(self) -> None:
        for _, writer, _ in self._idle:
            writer.close()
        self._idle.clear()


async def run_load(
    url: str, sim: WhatsAppSim, conversations: int, think: float, flow: list[str] = FLOW, start_s: float = 1.0
) -> dict[str, list[Any]]:
    lat: dict[str, list[Any]] = {"webhook": [], "health": [], "status_only": [], "errors": [], "detail": [], "lag": []}
    start = time.perf_counter()
    per_pool = 50  # tipsters sharing one client's kept-alive connections
    clients = [LightClient(url) for _ in range(max(1, -(-conversations // per_pool)) + 1)]
    try:

        async def signed(payload: dict[str, Any], client: LightClient) -> float:
            raw = json.dumps(payload).encode()
            sig = "sha256=" + hmac.new(sim.app_secret.encode(), raw, hashlib.sha256).hexdigest()
            headers = {"X-Hub-Signature-256": sig, "Content-Type": "application/json"}
            t0 = time.perf_counter()
            try:
                status = await asyncio.wait_for(client.request("POST", f"{API}/tipline/webhook", raw, headers), 60)
                if status != 200:
                    lat["errors"].append(status)
            except (OSError, ValueError, IndexError, asyncio.IncompleteReadError, TimeoutError) as exc:
                lat["errors"].append(type(exc).__name__)  # counted, not hidden: Meta would redeliver it
            return time.perf_counter() - t0
        async def tipster(i: int) -> None:
            number = f"9199{i:08d}"
            client = clients[i // per_pool]
            await asyncio.sleep(random.uniform(0, start_s))
            for n, text in enumerate(flow):
                if n:
                    await asyncio.sleep(random.uniform(0, 2 * think))
                at = time.perf_counter() - start
                took = await signed(sim.text(number, text), client)
                lat["webhook"].append(took)
                lat["detail"].append((at, n, took))

        async def baseline() -> None:
            client = clients[-1]
            while True:
                t0 = time.perf_counter()
                try:
                    await asyncio.wait_for(client.request("GET", f"{API}/health"), 60)
                except (OSError, ValueError, IndexError, asyncio.IncompleteReadError, TimeoutError) as exc:
                    lat["errors"].append(f"health {type(exc).__name__}")
                lat["health"].append(time.perf_counter() - t0)
                lat["status_only"].append(await signed(sim.status("919000000000"), client))
                await asyncio.sleep(0.05)

        async def loop_lag() -> None:
            """The client's own delay (its event loop busy): part of every latency it measures."""
            while True:
                t0 = time.perf_counter()
                await asyncio.sleep(0.05)
                lat["lag"].append((t0 - start, time.perf_counter() - t0 - 0.05))

        base, lag = asyncio.create_task(baseline()), asyncio.create_task(loop_lag())
        await asyncio.gather(*(tipster(i) for i in range(conversations)))
        base.cancel()
        lag.cancel()
    finally:
        for c in clients:
            c.close()
    return lat


def _accept_read_then_write(relay: Any, items: list[Any]) -> int:
    """The webhook's former database work, kept as this probe's same-run baseline: read the sender's
    row, then update it (``last_seen``) or seal and insert it, then insert the inbox row."""
    from sqlalchemy.dialects.postgresql import insert as pg_insert

    from hq.tipline.identity import remember_sender

    new = 0
    with relay.db.transaction() as conn:
        for item in items:
            sender = remember_sender(conn, relay.sealer, item.sender)
            values = {
                "message_ref": relay.message_ref(item.wa_message_id), "sender_ref": sender.ref,
                "received_at": item.timestamp, "kind": item.kind, "body": json.dumps(item.body), "status": "new",
            }  # fmt: skip
            stmt = pg_insert(tip_inbox).values(**values).on_conflict_do_nothing(index_elements=["message_ref"])
            new += conn.execute(stmt).rowcount
    return new


def probe_accept(cluster: PgCluster, n: int = 300, threads: int = 20) -> None:
    """The webhook's database work alone, called directly: one at a time, then from ``threads``
    threads of one process (as uvicorn's pool does); ``accept`` against the former read-then-write
    (same senders: each sends a first message, then a second one, as in a conversation)."""
    import threading

    from hq.tipline.relay import Relay
    from hq.tipline.settings import TiplineSettings
    from hq.tipline.webhook import accept, parse_notification

    for label, fn in (("read-then-write (baseline)", _accept_read_then_write), ("accept()", accept)):
        db = Database(cluster.url(cluster.create_database(f"probe_{uuid.uuid4().hex[:8]}")))
        try:
            db.migrate()
            sim = WhatsAppSim()
            settings = TiplineSettings.from_env(sim.env(GRAPH_URL="http://127.0.0.1:9/v21.0"))
            assert settings is not None
            relay = Relay(db, settings)  # not started: only its keys are used
            items = [parse_notification(sim.text(f"9198{i % n:08d}", "Hi")) for i in range(2 * n)]
            items += [parse_notification(sim.text(f"9197{i % n:08d}", "Hi")) for i in range(2 * n)]
            one: list[float] = []
            for item in items[: 2 * n]:
                t0 = time.perf_counter()
                fn(relay, item)
                one.append(time.perf_counter() - t0)
            many: list[float] = []
            lock = threading.Lock()

            def work(
                chunk: list[Any], fn: Any = fn, relay: Any = relay, many: list[float] = many, lock: Any = lock
            ) -> None:
                for item in chunk:
                    t0 = time.perf_counter()
                    fn(relay, item)
                    with lock:
                        many.append(time.perf_counter() - t0)

            rest = items[2 * n :]
            pool = [threading.Thread(target=work, args=(rest[i::threads],)) for i in range(threads)]
            for t in pool:
                t.start()
            for t in pool:
                t.join()
            for how, v in (("one at a time", one), (f"{threads} threads", many)):
                name = f"{label}, {how}"
                print(f"{name:44} {len(v):>6} {1000 * statistics.median(v):>8.1f} {1000 * pct(v, 0.99):>8.1f} "
                      f"{1000 * max(v):>8.1f}", flush=True)  # fmt: skip
        finally:
            db.dispose()


class PgSampler:
    """Samples PostgreSQL while the load runs (every ``every`` s, from its own connection): what HQ's
    backends are doing (``pg_stat_activity``: state, wait event) and the locks they wait for
    (``pg_locks`` not granted). Counts, so a wait behind a lock or a held transaction shows up."""

    def __init__(self, db: Database, every: float = 0.25):
        import collections
        import threading

        self.db, self.every = db, every
        self.samples = 0
        self.waits: collections.Counter[str] = collections.Counter()
        self.locks: collections.Counter[str] = collections.Counter()
        self.max_busy = 0  # backends active or idle in a transaction at one moment
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="pg-sampler", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        from sqlalchemy import text

        with self.db.engine.connect() as conn:
            conn = conn.execution_options(isolation_level="AUTOCOMMIT")
            while not self._stop.wait(self.every):
                rows = conn.execute(text(
                    "SELECT state, wait_event_type, wait_event FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
                )).all()  # fmt: skip
                busy = 0
                for state, wtype, wevent in rows:
                    if state in ("active", "idle in transaction"):
                        busy += 1
                        self.waits[f"{state}: {wtype or '-'}/{wevent or '-'}"] += 1
                self.max_busy = max(self.max_busy, busy)
                for (locktype,) in conn.execute(text("SELECT locktype FROM pg_locks WHERE NOT granted")).all():
                    self.locks[locktype] += 1
                self.samples += 1

    def report(self) -> None:
        print(f"\nPostgreSQL, {self.samples} samples every {self.every} s: at most {self.max_busy} HQ backends busy "
              "at once; busy backends by state and wait event (backend-samples):")  # fmt: skip
        for what, n in self.waits.most_common(12):
            print(f"  {n:>7}  {what}")
        print("  locks waited for (lock-samples): " + (", ".join(f"{k} {v}" for k, v in self.locks.items()) or "none"))


def report_by_time(detail: list[tuple[float, int, float]], width: float = 10.0) -> None:
    """The webhook's latency by when the delivery was sent, and first messages against the rest."""
    print(f"\nwebhook by send time ({width:.0f} s windows):")
    print(f"{'sent at s':>10} {'n':>6} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    windows: dict[int, list[float]] = {}
    for at, _n, took in detail:
        windows.setdefault(int(at // width), []).append(took)
    for w in sorted(windows):
        v = windows[w]
        print(f"{w * width:>10.0f} {len(v):>6} {1000 * statistics.median(v):>8.1f} {1000 * pct(v, 0.99):>8.1f} "
              f"{1000 * max(v):>8.1f}")  # fmt: skip
    for label, keep in (("first message of each conversation", lambda n: n == 0), ("the other messages", bool)):
        v = [took for _at, n, took in detail if keep(n)]
        if v:
            print(f"{label:38} {len(v):>6} p50 {1000 * statistics.median(v):.1f} ms, p99 "
                  f"{1000 * pct(v, 0.99):.1f} ms, max {1000 * max(v):.1f} ms")  # fmt: skip


def count(db: Database, table: Any, *where: Any) -> int:
    with db.reader() as conn:
        return int(conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="100 conversations (a smoke run)")
    parser.add_argument("--conversations", type=int, default=None)
    parser.add_argument("--think", type=float, default=10.0, help="mean seconds between a tipster's messages")
    parser.add_argument(
        "--start-s", type=float, default=1.0,
        help="the window (s) over which the tipsters' first messages arrive (1.0: all within the first second)",
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--drain-s", type=float, default=600, help="how long to wait for the relay to finish")
    parser.add_argument("--probe-accept", action="store_true", help="only time the webhook's database work")
    parser.add_argument(
        "--burst", action="store_true", help="only the opening burst: each tipster's first message, no relay"
    )
    parser.add_argument(
        "--relay-process", action="store_true", help="run the relay as `python -m hq tipline-relay`, not in serve"
    )
    parser.add_argument(
        "--relay-nice", type=int, default=10, help="the relay process's nice value (as its systemd unit sets it)"
    )
    args = parser.parse_args(argv)
    conversations = args.conversations or (100 if args.quick else 1000)
    print(f"load average at start: {os.getloadavg()[0]:.2f} (2-core machine shared with other work)", flush=True)
    if args.probe_accept:
        cluster = PgCluster.start()
        try:
            print(f"{'call':44} {'n':>6} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}")
            probe_accept(cluster)
        finally:
            cluster.stop()
        return 0

    secret, token = secrets.token_hex(16), secrets.token_hex(24)
    ports: Any = multiprocessing.Queue()
    stop = multiprocessing.Event()
    sim_proc = multiprocessing.Process(target=_serve_sim, args=(secret, token, ports, stop), daemon=True)
    sim_proc.start()
    sim = WhatsAppSim(app_secret=secret, access_token=token)
    sim_base = ports.get(timeout=30)
    cluster = PgCluster.start()
    code = 0
    try:
        url = cluster.url(cluster.create_database(f"bench_{uuid.uuid4().hex[:8]}"))
        db = Database(url, pool_size=2)
        key = seed_database(db)
        env = {f"RAKSHAK_TIPLINE_{k}": v for k, v in {
            "APP_SECRET": secret, "VERIFY_TOKEN": "bench", "ACCESS_TOKEN": token, "PHONE_NUMBER_ID": "106540352242922",
            "GRAPH_URL": f"{sim_base}/v21.0", "SEAL_KEY": secrets.token_hex(32), "PSEUDONYM_KEY": secrets.token_hex(32),
            "MEDIA_KEY": secrets.token_hex(32), "WORKER_POLL_S": "0.2",
        }.items()}  # fmt: skip
        relay_proc = None
        flow = FLOW[:1] if args.burst else FLOW
        if args.burst:
            env["RAKSHAK_TIPLINE_RUN_RELAY"] = "0"  # the webhook alone: the inbox is what is counted
        elif args.relay_process:
            env["RAKSHAK_TIPLINE_RUN_RELAY"] = "0"
            relay_cmd = ["nice", "-n", str(args.relay_nice), sys.executable, "-m", "hq", "tipline-relay", "--db", url]
            relay_proc = subprocess.Popen(relay_cmd, cwd=ROOT,
                                          env={**os.environ, **env} | {"RAKSHAK_TIPLINE_RUN_RELAY": "1"})  # fmt: skip
        workdir = Path(tempfile.mkdtemp(prefix="rakshak-bench-"))
        server = HQServer(backend="postgres", db_url=url, intake_key=key, mode="process", workers=args.workers,
                          cluster=cluster, workdir=workdir, env=env)  # fmt: skip
        server.start()
        try:
            where = f"in its own process (nice {args.relay_nice})" if args.relay_process else "in each serve worker"
            where = "not running (--burst)" if args.burst else where
            print(f"-- {conversations} conversations x {len(flow)} messages, think ~{args.think} s, "
                  f"first messages over {args.start_s:g} s, "
                  f"HQ on PostgreSQL with {args.workers} workers, the relay {where}", flush=True)  # fmt: skip
            sampler = PgSampler(db)
            sampler.start()
            t0 = time.perf_counter()
            try:
                lat = asyncio.run(run_load(server.url, sim, conversations, args.think, flow, args.start_s))
            finally:
                sampler.stop()
            sent_s = time.perf_counter() - t0
            deadline = time.monotonic() + (0 if args.burst else args.drain_s)
            while time.monotonic() < deadline:
                pending = count(db, tip_inbox, tip_inbox.c.status == "new") + count(
                    db, tip_outbox, tip_outbox.c.status == "pending"
                )
                if pending == 0 and count(db, tips) >= conversations:
                    break
                time.sleep(0.5)
            drained_s = time.perf_counter() - t0
            filed = count(db, tips)
            replies = count(db, tip_outbox, tip_outbox.c.status == "sent")
            stored = count(db, tip_inbox)
        finally:
            server.close()
            db.dispose()
            if relay_proc is not None:
                relay_proc.terminate()
                relay_proc.wait(timeout=30)
    finally:
        cluster.stop()
        stop.set()
        sim_proc.join(timeout=10)

    print()
    print(f"{'request':34} {'n':>6} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    for name, label in (("health", "GET /health (baseline)"), ("status_only", "signed status-only POST (baseline)"),
                        ("webhook", "webhook, a tipster's message")):  # fmt: skip
        v = lat[name]
        print(f"{label:34} {len(v):>6} {1000 * statistics.median(v):>8.1f} {1000 * pct(v, 0.99):>8.1f} "
              f"{1000 * max(v):>8.1f}")  # fmt: skip
    report_by_time(lat["detail"])
    lags = [v for _at, v in lat["lag"]]
    first = [v for at, v in lat["lag"] if at < 10] or [0.0]
    print(f"the bench client's own event-loop lag: p99 {1000 * pct(lags, 0.99):.1f} ms, max {1000 * max(lags):.1f} ms; "
          f"max in the first 10 s {1000 * max(first):.1f} ms")  # fmt: skip
    sampler.report()
    msgs = conversations * len(flow)
    print(f"\nmessages sent in {sent_s:.1f} s ({msgs / sent_s:.0f}/s), {stored} stored; every tip filed and reply "
          f"sent after {drained_s:.1f} s: {filed} tips, {replies} replies; errors: {len(lat['errors'])}")  # fmt: skip
    if lat["errors"] or stored != msgs or (filed < conversations and not args.burst):
        code = 1
    return code


if __name__ == "__main__":
    code = main()
    print(f"load average at end: {os.getloadavg()[0]:.2f}")
    sys.exit(code)
