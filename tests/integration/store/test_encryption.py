"""The store file is encrypted: unreadable without the key, with a wrong key, or by plain SQLite."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest

from core.errors import StoreUnavailable
from core.events import Author, EventType, iso, new_event, utcnow
from core.hlc import HybridClock
from core.store import LocalStore, StoreKey

SECRET_NAME = "Shabnam Khatoon"
SECRET_PHONE = "+919812345678"


def _write_case(store: LocalStore) -> None:
    clock = HybridClock(store.device_id)
    created = new_event(
        case_id="8b0c5b5e-4f0e-4a43-9a3f-0a5f6f8f1c11",
        type=EventType.CREATED,
        payload={
            "kind": "suicide_risk",
            "source": "instagram",
            "upstream_ref": "ig-1",
            "received_at": iso(utcnow()),
            "priority": 1,
            "subject": {"name": SECRET_NAME, "phones": [SECRET_PHONE]},
            "location": {"text": "Phulwari Sharif"},
        },
        author=Author("u", "Op"),
        device_id=clock.node,
        hlc=clock.now(),
    )
    with store.unit_of_work() as uow:
        uow.events.append_local(created)
        uow.drafts.save(created.case_id, "note", {"text": SECRET_NAME})
        uow.commit()


@pytest.fixture
def written(tmp_path: Path) -> tuple[Path, bytes]:
    key = StoreKey.ephemeral()
    path = tmp_path / "rakshak.db"
    with LocalStore.open(path, key) as store:
        _write_case(store)
        # while open, the newest pages are in the WAL file: it must be encrypted too
        wal = Path(f"{path}-wal")
        assert wal.exists() and wal.stat().st_size > 0
        raw = wal.read_bytes()
        assert SECRET_NAME.encode() not in raw and SECRET_PHONE.encode() not in raw
    return path, key


def test_header_is_not_sqlites_and_no_plaintext_on_disk(written: tuple[Path, bytes]) -> None:
    path, key = written
    data = path.read_bytes()
    assert not data.startswith(b"SQLite format 3")
    for secret in (SECRET_NAME, SECRET_PHONE, "Phulwari", "suicide_risk", "CREATE TABLE"):
        assert secret.encode() not in data
    with LocalStore.open(path, key) as store, store.reader() as r:  # the right key reads it back
        assert r.cases.queue()[0].subject_name == SECRET_NAME


def test_stdlib_sqlite_cannot_read_it(written: tuple[Path, bytes]) -> None:
    path, _ = written
    conn = sqlite3.connect(path)
    try:
        with pytest.raises(sqlite3.DatabaseError, match="file is not a database"):
            conn.execute("SELECT * FROM sqlite_master").fetchall()
    finally:
        conn.close()


def test_wrong_key_is_store_unavailable(written: tuple[Path, bytes]) -> None:
    path, key = written
    before = path.read_bytes()
    wrong = bytes([key[0] ^ 1]) + key[1:]
    with pytest.raises(StoreUnavailable, match="wrong key or not a Rakshak database"):
        LocalStore.open(path, wrong)
    assert path.read_bytes() == before  # a failed open writes nothing


def test_a_plain_sqlite_file_is_not_taken_for_a_store(tmp_path: Path) -> None:
    path = tmp_path / "plain.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE x (a)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreUnavailable, match="wrong key"):
        LocalStore.open(path, StoreKey.ephemeral())


def test_tampering_with_the_file_is_detected(written: tuple[Path, bytes]) -> None:
    path, key = written
    data = bytearray(path.read_bytes())
    page = 4096
    assert len(data) % page == 0 and len(data) // page > 2
    for n in range(1, len(data) // page):  # one flipped byte in every page but the header page
        data[n * page + 200] ^= 0x01
    path.write_bytes(bytes(data))
    with pytest.raises(StoreUnavailable), LocalStore.open(path, key) as store, store.reader() as r:
        r.connection.exec_driver_sql("SELECT * FROM events").fetchall()


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_a_new_store_and_its_wal_are_the_users_alone(tmp_path: Path) -> None:
    old = os.umask(0o022)  # a usual desktop umask: files 0644, folders 0755 unless made otherwise
    try:
        data = tmp_path / "data"
        path = data / "rakshak.db"
        with LocalStore.open(path, StoreKey.ephemeral()) as store:
            _write_case(store)
            files = [path, Path(f"{path}-wal"), Path(f"{path}-shm")]
            assert all(f.exists() for f in files)
            assert {f.name: stat.S_IMODE(f.stat().st_mode) for f in files} == {f.name: 0o600 for f in files}
        assert stat.S_IMODE(data.stat().st_mode) == 0o700
    finally:
        os.umask(old)


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_an_existing_store_left_readable_by_others_is_tightened_on_open(written: tuple[Path, bytes]) -> None:
    path, key = written
    os.chmod(path, 0o644)
    with LocalStore.open(path, key) as store, store.reader() as r:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert r.cases.queue()[0].subject_name == SECRET_NAME  # opened whole, nothing lost
