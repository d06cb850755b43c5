"""The store's unit of work on real SQLCipher files: commit or roll back, readers that refuse writes,
many threads at once, a full disk, and the writer gate."""

from __future__ import annotations

import threading
import uuid
from pathlib import Path

import pytest

from core.errors import StoreUnavailable
from core.events import Author, EventType
from core.hlc import HybridClock
from core.store import LocalStore, QueueFilter, StoreKey, record
from tests.unit.core.conftest import EventMaker, commit, created_payload

# -- unit of work -----------------------------------------------------------------------------------


def test_nothing_is_kept_without_commit(store: LocalStore, maker: EventMaker) -> None:
    created = maker.created()
    with store.unit_of_work() as uow:
        uow.events.append_local(created)
        uow.drafts.save(created.case_id, "dispatch", {"officer": "x"})
        uow.meta.cursor = 42
        assert uow.cases.state(created.case_id) is not None  # visible inside the unit of work
    with store.reader() as r:
        assert r.events.get(created.id) is None
        assert r.cases.get(created.case_id) is None
        assert r.drafts.load(created.case_id, "dispatch") is None
        assert r.meta.cursor == 0


def test_an_exception_rolls_back_and_propagates(store: LocalStore, maker: EventMaker) -> None:
    created = maker.created()
    with pytest.raises(ZeroDivisionError), store.unit_of_work() as uow:
        uow.events.append_local(created)
        1 / 0  # noqa: B018
    with store.reader() as r:
        assert r.events.count() == 0


def test_explicit_rollback_then_more_work(store: LocalStore, maker: EventMaker) -> None:
    a, b = maker.created(), maker.created()
    with store.unit_of_work() as uow:
        uow.events.append_local(a)
        uow.rollback()
        uow.events.append_local(b)
        uow.commit()
    with store.reader() as r:
        assert r.events.get(a.id) is None
        assert r.events.get(b.id) is not None
        assert r.cases.get(a.case_id) is None


def test_reader_refuses_writes(store: LocalStore, maker: EventMaker) -> None:
    with store.reader() as r:
        with pytest.raises(RuntimeError, match="reader"):
            r.events.append_local(maker.created())
        with pytest.raises(RuntimeError):
            r.commit()


def test_unit_of_work_outside_with_block_is_a_bug(store: LocalStore) -> None:
    uow = store.unit_of_work()
    with pytest.raises(RuntimeError, match="outside"):
        uow.events.count()


def test_commit_then_continue_in_the_same_unit_of_work(store: LocalStore, maker: EventMaker) -> None:
    a, b = maker.created(), maker.created()
    with store.unit_of_work() as uow:
        uow.events.append_local(a)
        uow.commit()
        uow.events.append_local(b)
        # not committed: b is rolled back on exit, a stays
    with store.reader() as r:
        assert r.events.get(a.id) is not None
        assert r.events.get(b.id) is None


# -- threads ----------------------------------------------------------------------------------------


def test_concurrent_writers_and_readers_from_many_threads(store: LocalStore) -> None:
    errors: list[BaseException] = []
    author = Author("u", "Op")
    clock = HybridClock(store.device_id)

    def writer() -> None:
        try:
            for _ in range(10):
                case_id = str(uuid.uuid4())
                record(store, clock, author, case_id, EventType.CREATED, created_payload())
                record(store, clock, author, case_id, EventType.ACKNOWLEDGED, {})
        except BaseException as exc:
            errors.append(exc)

    def reader() -> None:
        try:
            for _ in range(30):
                with store.reader() as r:
                    rows = r.cases.queue(QueueFilter(include_closed=True))
                    assert len(rows) == r.cases.count(QueueFilter(include_closed=True))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=writer) for _ in range(4)] + [threading.Thread(target=reader) for _ in range(2)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == []
    with store.reader() as r:
        assert r.events.count() == 80
        assert r.cases.count(QueueFilter(statuses=frozenset({"acknowledged"}))) == 40
        seqs = [e.local_seq for e in (r.events.get(x.id) for x in r.outbox.pending(limit=1000)) if e]
        assert sorted(seqs) == seqs and len(set(seqs)) == 80


def test_disk_full_is_store_unavailable_and_leaves_nothing_half_written(store: LocalStore, maker: EventMaker) -> None:
    created = maker.created()
    commit(store, created)
    note = {"officer_name": "SI", "officer_rank": "SI", "text": "x" * 10_000}
    with pytest.raises(StoreUnavailable, match="full"), store.unit_of_work() as uow:
        pages = uow.connection.exec_driver_sql("PRAGMA page_count").scalar()
        uow.connection.exec_driver_sql(f"PRAGMA max_page_count = {pages + 2}")  # a disk with 8 KB left
        for _ in range(50):
            uow.events.append_local(maker.event(created.case_id, EventType.COUNSELLING_NOTE, note))
        uow.commit()
    store.close()  # drop the pooled connection that carries the artificial limit
    with store.reader() as r:
        assert r.events.count() == 1
        state = r.cases.state(created.case_id)
        assert state is not None and state.counselling_notes == ()
    commit(store, maker.event(created.case_id, EventType.COUNSELLING_NOTE, note))  # usable again


def test_writer_gate_counts_open_interactive_writers_only(tmp_path: Path) -> None:
    """``LocalStore.writers`` sees an operator's unit of work from enter to exit (also when it fails),
    never a background one or a reader; ``wait_idle`` returns when the last one closes."""

    store = LocalStore.open(tmp_path / "gate.db", StoreKey.ephemeral())
    try:
        gate = store.writers
        assert not gate.waiting()
        with store.reader(), store.unit_of_work(background=True):
            assert not gate.waiting()
        with pytest.raises(ZeroDivisionError), store.unit_of_work():
            assert gate.waiting()
            1 / 0  # noqa: B018
        assert not gate.waiting()
        assert gate.wait_idle(0.01)

        opened, release = threading.Event(), threading.Event()

        def operator() -> None:
            with store.unit_of_work():
                opened.set()
                release.wait(5)

        t = threading.Thread(target=operator)
        t.start()
        assert opened.wait(5) and gate.waiting()
        assert not gate.wait_idle(0.05)  # still open: times out
        threading.Timer(0.1, release.set).start()
        assert gate.wait_idle(5)
        t.join(5)
        assert not gate.waiting()
    finally:
        store.close()
