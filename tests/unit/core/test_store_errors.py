"""Store errors carry a typed cause from SQLite's result code; a commit's unknown outcome is settled."""

from __future__ import annotations

import pickle
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa
import sqlcipher3.dbapi2 as sqlcipher

from core.errors import OutcomeUnknown, StoreCause, StoreUnavailable
from core.events import Author, EventType
from core.hlc import HybridClock
from core.store import LocalStore, StoreKey
from core.store.engine import cause_of, translate
from core.store.service import record
from tests.unit.core.conftest import EventMaker


def _error_of(fn) -> BaseException:  # type: ignore[no-untyped-def]
    with pytest.raises(Exception) as info:
        fn()
    return info.value


def test_a_full_database_is_disk_full_by_its_result_code_not_its_text(tmp_path: Path) -> None:
    conn = sqlcipher.connect(str(tmp_path / "full.db"), isolation_level=None)
    conn.execute("CREATE TABLE t (x TEXT)")
    conn.execute("PRAGMA max_page_count = 3")  # SQLite's own limit: SQLITE_FULL without filling a disk
    err = _error_of(lambda: [conn.execute("INSERT INTO t VALUES (?)", ("x" * 4000,)) for _ in range(10)])
    assert cause_of(err) is StoreCause.DISK_FULL
    mapped = translate(err)
    assert isinstance(mapped, StoreUnavailable) and mapped.cause is StoreCause.DISK_FULL
    conn.close()


def test_a_lock_held_past_the_timeout_is_locked(tmp_path: Path) -> None:
    path = str(tmp_path / "locked.db")
    holder = sqlcipher.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN IMMEDIATE")
    other = sqlcipher.connect(path, isolation_level=None, timeout=0)
    err = _error_of(lambda: other.execute("BEGIN IMMEDIATE"))
    assert cause_of(err) is StoreCause.LOCKED
    holder.rollback()
    holder.close()
    other.close()


def test_a_wrong_key_is_key(tmp_path: Path) -> None:
    LocalStore.open(tmp_path / "s.db", StoreKey.ephemeral()).close()
    with pytest.raises(StoreUnavailable) as info:
        LocalStore.open(tmp_path / "s.db", StoreKey.ephemeral())
    assert info.value.cause is StoreCause.KEY


def test_a_store_that_is_not_there_is_access(tmp_path: Path) -> None:
    with pytest.raises(StoreUnavailable) as info:
        LocalStore.open(tmp_path / "none.db", StoreKey.ephemeral(), create=False)
    assert info.value.cause is StoreCause.ACCESS


def test_the_cause_and_event_id_survive_pickling() -> None:
    err = pickle.loads(pickle.dumps(OutcomeUnknown("commit failed", event_id="e-1")))
    assert isinstance(err, OutcomeUnknown) and err.cause is StoreCause.IO_ERROR and err.event_id == "e-1"
    plain = pickle.loads(pickle.dumps(StoreUnavailable("full", StoreCause.DISK_FULL)))
    assert plain.cause is StoreCause.DISK_FULL


def test_commit_outcome_says_stored_for_a_committed_event(store: LocalStore, maker: EventMaker) -> None:
    created = maker.created()
    with store.unit_of_work() as uow:
        uow.events.append_local(created)
        uow.commit()
    assert store.commit_outcome(created.id) is True


def test_commit_outcome_settles_an_absent_event_as_not_stored_by_emptying_the_wal(
    store: LocalStore, maker: EventMaker
) -> None:
    created = maker.created()
    with store.unit_of_work() as uow:
        uow.events.append_local(created)
        uow.commit()
    wal = Path(f"{store.path}-wal")
    assert wal.stat().st_size > 0
    assert store.commit_outcome("never-committed") is False
    assert wal.stat().st_size == 0  # frames past the WAL index's end, if any, are gone for good
    assert store.commit_outcome(created.id) is True


def test_commit_outcome_cannot_tell_while_a_reader_holds_the_wal(store: LocalStore, maker: EventMaker) -> None:
    with store.unit_of_work() as uow:
        uow.events.append_local(maker.created())
        uow.commit()
    held, release = threading.Event(), threading.Event()

    def reader() -> None:
        with store.reader() as r:
            r.connection.exec_driver_sql("SELECT count(*) FROM events").scalar()
            held.set()
            release.wait(30)

    t = threading.Thread(target=reader)
    t.start()
    held.wait(10)
    with store.unit_of_work() as uow:  # a newer commit the reader's snapshot does not have
        uow.events.append_local(maker.created())
        uow.commit()
    def short_wait(dbapi_conn, _record, _proxy) -> None:  # type: ignore[no-untyped-def]
        dbapi_conn.execute("PRAGMA busy_timeout = 50")  # this test need not wait 10 s on the reader

    sa.event.listen(store._engine, "checkout", short_wait)
    try:
        assert store.commit_outcome("never-committed") is None
    finally:
        sa.event.remove(store._engine, "checkout", short_wait)
        release.set()
        t.join()
    assert store.commit_outcome("never-committed") is False


def test_record_names_the_event_in_an_unknown_outcome(store: LocalStore, maker: EventMaker, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    created = maker.created()
    with store.unit_of_work() as uow:
        uow.events.append_local(created)
        uow.commit()
    from core.store.store import UnitOfWork

    def failing_commit(self: UnitOfWork) -> None:
        raise OutcomeUnknown("disk I/O error during COMMIT")  # the disk fault only a small filesystem makes

    monkeypatch.setattr(UnitOfWork, "commit", failing_commit)
    with pytest.raises(OutcomeUnknown) as info:
        record(store, HybridClock(store.device_id), Author("u-1", "Op"), created.case_id, EventType.ACKNOWLEDGED, {})
    assert info.value.event_id is not None


def test_commit_outcome_cannot_tell_while_the_store_fails(store: LocalStore, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def failing_reader(_self: LocalStore) -> None:
        raise StoreUnavailable("disk I/O error", StoreCause.IO_ERROR)

    monkeypatch.setattr(LocalStore, "reader", failing_reader)
    assert store.commit_outcome("any") is None
