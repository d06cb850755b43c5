"""The pieces behind held pulls, on a real event loop and a real SQLite database."""

from __future__ import annotations

import asyncio
import json
import threading
from pathlib import Path

from sqlalchemy import event

from hq.audit import audit_row
from hq.db import ChangeNotifier, Database, sqlite_url
from hq.demo import DEMO_INTAKE, seed_demo, synthetic_alert
from hq.intake import intake
from hq.longpoll import AuditBatcher, SharedReads
from hq.reads import count


def _db(tmp_path: Path) -> Database:
    db = Database(sqlite_url(tmp_path / "hq.sqlite3"))
    db.migrate()
    return db


def test_a_publish_from_another_thread_wakes_only_its_stream() -> None:
    async def scenario() -> tuple[bool, bool, bool]:
        notifier = ChangeNotifier()
        notifier.bind(asyncio.get_running_loop())
        lko_v, knp_v = notifier.version("LKO"), notifier.version("KNP")
        threading.Timer(0.05, notifier.publish, args=(["LKO", "*"],)).start()
        lko, knp = await asyncio.gather(notifier.wait("LKO", lko_v, 5), notifier.wait("KNP", knp_v, 0.3))
        # A publish that happened before the wait began is not missed: the version already moved.
        stale = await notifier.wait("LKO", lko_v, 0.01)
        return lko, knp, stale

    assert asyncio.run(scenario()) == (True, False, True)


def test_close_releases_every_held_wait() -> None:
    async def scenario() -> list[bool]:
        notifier = ChangeNotifier()
        notifier.bind(asyncio.get_running_loop())
        waits = [asyncio.create_task(notifier.wait(s, notifier.version(s), 30)) for s in ("LKO", "KNP", "*")]
        await asyncio.sleep(0.05)
        notifier.close()
        return list(await asyncio.wait_for(asyncio.gather(*waits), 5))

    assert asyncio.run(scenario()) == [False, False, False]


def test_shared_reads_serve_one_query_to_many_but_never_an_older_one(tmp_path: Path) -> None:
    db = _db(tmp_path)
    seed_demo(db)
    try:
        feed_queries: list[str] = []

        def count_feed_queries(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
            if "FROM feed" in statement:
                feed_queries.append(statement)

        event.listen(db.engine, "before_cursor_execute", count_feed_queries)

        async def scenario() -> tuple[list[int], int]:
            reads = SharedReads(db)
            same = await asyncio.gather(*[reads.read("LKO", 0, 100, version=1) for _ in range(20)])
            assert len(feed_queries) == 1
            case_id = intake(db, DEMO_INTAKE, synthetic_alert(district="LKO")).case_id
            # A caller whose version moved after the commit starts its own read and sees the case.
            newer = await reads.read("LKO", 0, 100, version=2)
            assert {i.case_id for i in newer.items} == {case_id}
            assert [json.loads(i.json)["event"]["case_id"] for i in newer.items] == [case_id, case_id]
            return [len(p.items) for p in same], len(newer.items)

        lengths, newer_len = asyncio.run(scenario())
        assert lengths == [0] * 20 and newer_len == 2
    finally:
        db.dispose()


def test_audit_batcher_commits_every_row_before_answering(tmp_path: Path) -> None:
    db = _db(tmp_path)
    try:

        async def scenario() -> None:
            batcher = AuditBatcher(db)
            rows = [audit_row(None, "pull", "ok", username=f"u{i}", detail={"i": i}) for i in range(50)]
            await asyncio.gather(*[batcher.record(r) for r in rows])

        asyncio.run(scenario())
        assert count(db, "audit") == 50
    finally:
        db.dispose()


def test_page_items_spliced_from_stored_json_equal_a_decode_and_encode(tmp_path: Path) -> None:
    """HQ serves each event by splicing ``hq_seq`` into the stored canonical JSON (no decode and
    re-encode): the result must be exactly the wire event, Hindi text and all, and parse as one."""
    from core.events import Event
    from hq.feed import wire_from_row as _wire_from_row
    from hq.reads import read_stream
    from hq.schema import events as events_table

    db = _db(tmp_path)
    seed_demo(db)
    try:
        alert = synthetic_alert(district="LKO")
        alert["summary"] = "आत्महत्या की आशंका — \"quoted\" \\ back-slash"
        case_id = intake(db, DEMO_INTAKE, alert).case_id
        page = read_stream(db, "LKO", 0, 100)
        with db.reader() as conn:
            stored = {r.seq: r.content for r in conn.execute(events_table.select())}
        assert [i.kind for i in page.items] == ["event", "event"]
        for item in page.items:
            wire = json.loads(item.json)["event"]
            assert wire == _wire_from_row(stored[wire["hq_seq"]], wire["hq_seq"])
            assert Event.from_wire(wire).case_id == case_id == item.case_id
        assert [i.created for i in page.items] == [True, False]
        assert json.loads(page.items_json) == [json.loads(i.json) for i in page.items]
    finally:
        db.dispose()
