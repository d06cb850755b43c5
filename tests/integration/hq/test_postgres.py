"""PostgreSQL specifics: several uvicorn workers behind one port, and commit order = feed order."""

from __future__ import annotations

import threading
import time
import uuid

import httpx
import pytest

from core.events import EventType
from hq import db as hq_db
from tests.fixtures.hq import HQClient, HQServer
from tests.integration.hq.helpers import ack, event, events_of

pytestmark = pytest.mark.postgres


@pytest.mark.slow
def test_long_poll_wakes_across_worker_processes(hq_factory) -> None:  # type: ignore[no-untyped-def]
    """Pulls held by any of several workers return as soon as an intake commits on any worker.

    The safety re-query is set far beyond the wait, so only LISTEN/NOTIFY can deliver the case in
    time: a pull held by a worker that missed the notification would come back empty.
    """
    hq = hq_factory("postgres", mode="process", workers=2, env={"RAKSHAK_HQ_SAFETY_REQUERY_S": "600"})
    lko = hq.login("demo")
    _, cursor = lko.pull_all()
    # Separate connections, so the kernel spreads them over the workers.
    clients = [httpx.Client(base_url=hq.url, timeout=90, headers=lko._auth()) for _ in range(8)]
    results: dict[int, dict] = {}  # type: ignore[type-arg]

    def hold(i: int) -> None:
        r = clients[i].get("/api/v1/sync/pull", params={"cursor": cursor, "wait": 40})
        results[i] = r.json()

    threads = [threading.Thread(target=hold, args=(i,)) for i in range(len(clients))]
    for t in threads:
        t.start()
    time.sleep(1.0)  # let every pull reach its worker and be held
    case_id = hq.intake("LKO")
    for t in threads:
        t.join(60)
    for c in clients:
        c.close()
    got = [{e["case_id"] for e in events_of(results[i]["items"])} for i in range(len(clients))]
    assert got == [{case_id}] * len(clients)


def test_concurrent_pushes_never_let_a_pull_skip_a_position(hq_server_pg: HQServer) -> None:
    """Writers race; a reader pulls continuously with its cursor. If a later position could commit
    before an earlier one, the reader would step over the earlier one and never see it."""
    hq = hq_server_pg
    cases = [hq.intake("LKO") for _ in range(4)]
    writers = [hq.login("demo", device_id=f"lko-w{i}") for i in range(4)]
    reader = hq.login("supervisor")
    _, start = reader.pull_all()
    stop = threading.Event()
    seen: list[dict] = []  # type: ignore[type-arg]

    def read() -> None:
        cursor = start
        while True:
            finished = stop.is_set()
            page = reader.pull(cursor, limit=50)
            seen.extend(page["items"])
            cursor = page["cursor"]
            if finished and not page["has_more"] and not page["items"]:
                return

    def write(client: HQClient, k: int) -> None:
        for b in range(8):
            batch = [
                event(client, cases[(k + j) % 4], EventType.COUNSELLING_NOTE,
                      {"officer_name": "SI", "officer_rank": "SI", "text": f"w{k} b{b} n{j} {uuid.uuid4()}"})
                for j in range(15)
            ]  # fmt: skip
            assert all(r["status"] == "accepted" for r in client.push(batch)["results"])

    reader_thread = threading.Thread(target=read)
    reader_thread.start()
    writer_threads = [threading.Thread(target=write, args=(w, k)) for k, w in enumerate(writers)]
    for t in writer_threads:
        t.start()
    for t in writer_threads:
        t.join(120)
    stop.set()
    reader_thread.join(120)
    everything, _ = reader.pull_all(start)
    assert len(everything) == 4 * 8 * 15
    assert [i["event"]["id"] for i in seen] == [i["event"]["id"] for i in everything]
    seqs = [i["event"]["hq_seq"] for i in everything]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)


def test_listener_reconnects_after_its_connection_is_killed(
    hq_server_pg: HQServer,
    pg_cluster,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    """Terminate HQ's LISTEN connection from the database side: held pulls must still be woken."""
    monkeypatch.setattr(hq_db, "SAFETY_REQUERY_S", 600.0)
    hq = hq_server_pg
    lko = hq.login("demo")
    _, cursor = lko.pull_all()
    dbname = hq.db_url.rsplit("/", 1)[1]
    killed = pg_cluster.psql(
        f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{dbname}' AND query LIKE 'LISTEN%'"
    )
    assert killed, "HQ's LISTEN connection was not found"
    import time

    time.sleep(1.5)  # the listener notices, and reconnects after LISTENER_RETRY_S
    case_id = hq.intake("LKO")
    page = lko.pull(cursor, wait=20)
    assert {e["case_id"] for e in events_of(page["items"])} == {case_id}
    lko.push([ack(lko, case_id)])
