"""A purged case is unreadable from the store's files, not only from SQL: the database file and the
WAL are decrypted page by page with the store's key (tests/integration/store/forensic.py) and
searched for every personal string of the revoked case, with the store still open and after a
SIGKILL right after the purge committed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

import core.store.store as store_module
from core.store import LocalStore, QueueFilter, StoreKey
from core.store.repositories import META_SCRUB_PENDING
from tests.integration.store import purge_writer as case
from tests.integration.store.forensic import find

WRITER = Path(__file__).with_name("purge_writer.py")


@pytest.fixture
def key() -> bytes:
    return StoreKey.ephemeral()


def test_the_decryptor_finds_what_is_in_the_files(tmp_path: Path, key: bytes) -> None:
    """Proves the reader works (so the tests below can fail): before the purge it finds every
    string, the trigram index's own entry included, in the WAL and, once checkpointed, in the file."""
    path = tmp_path / "rakshak.db"
    with LocalStore.open(path, key) as store:
        case.write_cases(store)
        in_wal = find(path, key, case.PERSONAL)
        assert set(in_wal) == set(case.PERSONAL), set(case.PERSONAL) - set(in_wal)
        assert all("-wal frame" in w for where in in_wal.values() for w in where)
        case.checkpoint(store)
        assert not Path(f"{path}-wal").stat().st_size
        in_file = find(path, key, case.PERSONAL)
        assert set(in_file) == set(case.PERSONAL), set(case.PERSONAL) - set(in_file)
    # and a wrong key finds nothing (the pages really are decrypted, not read as they are)
    assert find(path, bytes(32), [*case.PERSONAL, "SQLite format 3"]) == {}



@pytest.mark.parametrize("checkpointed", [False, True], ids=["case-only-in-wal", "case-in-database-file"])
def test_purged_strings_are_gone_from_the_files_with_the_store_open(
    tmp_path: Path, key: bytes, checkpointed: bool
) -> None:
    path = tmp_path / "rakshak.db"
    store = LocalStore.open(path, key)
    try:
        case.write_cases(store)
        if checkpointed:
            case.checkpoint(store)
            with store.unit_of_work() as uow:  # newer images of the case's pages in the WAL again
                uow.drafts.save(case.REVOKED_CASE, "note", {"text": case.DRAFT})
                uow.commit()
        with store.reader() as r:  # a pooled reader connection that has read the case
            assert r.cases.queue(QueueFilter(search="জিনাত"))[0].case_id == case.REVOKED_CASE
        case.purge(store)
        assert find(path, key, case.PERSONAL) == {}
        # the other case is still there, in the same files (the reader sees what is present)
        assert find(path, key, [case.KEPT_NAME]), "the kept case's name should be readable"
        with store.reader() as r:
            assert r.cases.queue(QueueFilter(search="জিনাত")) == []
            assert [c.case_id for c in r.cases.queue(QueueFilter(search="ravindra"))] == [case.KEPT_CASE]
            assert r.meta.get(META_SCRUB_PENDING) is None
    finally:
        store.close()


def test_without_the_wal_scrub_the_purged_strings_stay_in_the_files(
    tmp_path: Path, key: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the scrub is for: with only secure_delete, the WAL keeps older images of the pages."""
    monkeypatch.setattr(store_module, "scrub_wal", lambda _conn: False)
    path = tmp_path / "rakshak.db"
    with LocalStore.open(path, key) as store:
        case.write_cases(store)
        case.purge(store)
        left = find(path, key, case.PERSONAL)
        assert {case.NAME, case.PHONE_1, case.NOTE, case.DRAFT} <= set(left), left
        assert all("-wal frame" in w for where in left.values() for w in where), left
        assert store.scrub.pending
        with store.reader() as r:
            assert r.meta.get(META_SCRUB_PENDING) == "1"


def test_without_fts_secure_delete_the_name_index_keeps_the_name(tmp_path: Path, key: bytes) -> None:
    """What FTS5's secure-delete is for: without it a deleted row's trigrams stay in the index's
    pages (a delete marker is added beside them) even after the WAL is scrubbed."""
    path = tmp_path / "rakshak.db"
    with LocalStore.open(path, key) as store:
        with store.unit_of_work() as uow:
            uow.connection.exec_driver_sql("INSERT INTO cases_fts (cases_fts, rank) VALUES ('secure-delete', 0)")
            uow.commit()
        case.write_cases(store)
        case.purge(store)
        left = find(path, key, case.PERSONAL)
        assert set(left) == {case.INDEX_TERM}, left


@pytest.mark.parametrize("checkpointed", [False, True], ids=["case-only-in-wal", "case-in-database-file"])
def test_a_purge_killed_before_its_scrub_is_scrubbed_at_the_next_open(
    tmp_path: Path, key: bytes, checkpointed: bool
) -> None:
    path = tmp_path / "rakshak.db"
    args = [sys.executable, str(WRITER), str(path), *(["--checkpoint"] if checkpointed else [])]
    writer = subprocess.Popen(
        args, stdout=subprocess.PIPE, text=True, env=os.environ | {"RAKSHAK_TEST_KEY": key.hex()}
    )
    try:
        assert writer.stdout is not None
        assert writer.stdout.readline().strip() == "purged"
    finally:
        writer.send_signal(signal.SIGKILL)
        writer.communicate(timeout=30)
    assert writer.returncode == -signal.SIGKILL
    # the purge committed, the scrub did not run: the files still hold the case (the point of the test)
    left = find(path, key, case.PERSONAL)
    assert {case.NAME, case.PHONE_2, case.NOTE} <= set(left), left
    store = LocalStore.open(path, key)
    try:
        assert find(path, key, case.PERSONAL) == {}
        with store.reader() as r:
            assert r.meta.get(META_SCRUB_PENDING) is None
            row = r.cases.get(case.REVOKED_CASE)
            assert row is not None and row.purged
            assert r.connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        assert find(path, key, [case.KEPT_NAME])
    finally:
        store.close()


def test_a_scrub_that_readers_kept_waiting_is_retried_by_the_next_background_commit(
    tmp_path: Path, key: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    import core.store.engine as engine_module

    monkeypatch.setattr(engine_module, "SCRUB_ATTEMPTS", 2)
    monkeypatch.setattr(engine_module, "SCRUB_BUSY_MS", 20)
    path = tmp_path / "rakshak.db"
    with LocalStore.open(path, key) as store:
        case.write_cases(store)
        with store.reader() as r:  # a long read on a snapshot from before the purge
            assert r.cases.count(QueueFilter()) == 2
            case.purge(store)  # commits; its scrub gives up after the bound
            assert store.scrub.pending
            assert case.NAME in find(path, key, case.PERSONAL)
        with store.unit_of_work() as uow:  # an operator's commit does not wait for the scrub
            uow.drafts.save(case.KEPT_CASE, "outcome", {"detail": "x"})
            uow.commit()
        assert store.scrub.pending
        with store.unit_of_work(background=True) as uow:  # the sync thread's next commit does
            uow.meta.cursor = 5
            uow.commit()
        assert not store.scrub.pending
        assert find(path, key, case.PERSONAL) == {}
        with store.reader() as r:
            assert r.meta.get(META_SCRUB_PENDING) is None


def test_every_connection_bounds_the_wal_file(tmp_path: Path, key: bytes) -> None:
    from core.store.engine import JOURNAL_SIZE_LIMIT_BYTES

    with LocalStore.open(tmp_path / "rakshak.db", key) as store, store.reader() as r, store.unit_of_work() as w:
        for uow in (r, w):
            limit = uow.connection.exec_driver_sql("PRAGMA journal_size_limit").scalar()
            assert limit == JOURNAL_SIZE_LIMIT_BYTES > 0
