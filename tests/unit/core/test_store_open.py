"""Opening the local store on real SQLCipher files: connection rules, the key in the OS keyring,
two stores on one file, the first run from two processes."""

from __future__ import annotations

import threading
import uuid
from pathlib import Path

import pytest

from core.errors import StoreUnavailable
from core.store import LocalStore, QueueFilter, StoreKey
from tests.unit.core.conftest import EventMaker, commit

# -- connection rules -------------------------------------------------------------------------------


def test_every_pooled_connection_is_durable_and_keyed(store: LocalStore) -> None:
    with store.reader() as r:
        conn = r.connection
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA secure_delete").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000
        assert conn.exec_driver_sql("PRAGMA cache_size").scalar() == -32 * 1024
        assert conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == 10_000
        assert conn.exec_driver_sql("PRAGMA cipher_version").scalar()


def test_device_id_is_made_once_and_kept(tmp_path, store_key) -> None:
    path = tmp_path / "s.db"
    with LocalStore.open(path, store_key) as first:
        device = first.device_id
    with LocalStore.open(path, store_key) as again:
        assert again.device_id == device
        with again.reader() as r:
            assert r.meta.device_id == device
    assert uuid.UUID(device)


def test_open_refuses_missing_file_when_not_creating(tmp_path, store_key) -> None:
    with pytest.raises(StoreUnavailable, match="no local store"):
        LocalStore.open(tmp_path / "absent.db", store_key, create=False)


def test_open_refuses_a_key_of_the_wrong_size(tmp_path) -> None:
    with pytest.raises(ValueError):
        LocalStore.open(tmp_path / "s.db", b"short")


# -- keys -------------------------------------------------------------------------------------------


def test_open_in_keeps_the_key_in_the_keyring(tmp_path, memory_keyring) -> None:
    with LocalStore.open_in(tmp_path) as s:
        device = s.device_id
    assert set(memory_keyring.secrets) == {("rakshak", "db-key:default")}
    assert len(bytes.fromhex(memory_keyring.secrets[("rakshak", "db-key:default")])) == 32
    with LocalStore.open_in(tmp_path) as s:
        assert s.device_id == device
    assert StoreKey.load_or_create() == StoreKey.load()


def test_open_in_refuses_when_the_keyring_lost_the_key(tmp_path, memory_keyring) -> None:
    LocalStore.open_in(tmp_path).close()
    memory_keyring.secrets.clear()
    with pytest.raises(StoreUnavailable, match="key is not in this user's OS keyring"):
        LocalStore.open_in(tmp_path)
    assert memory_keyring.secrets == {}  # no new key was made for a store it could never read


def test_profiles_have_distinct_keys(memory_keyring) -> None:
    assert StoreKey.load_or_create("a") != StoreKey.load_or_create("b")
    assert StoreKey.load_or_create("a") == StoreKey.load_or_create("a")
    assert StoreKey.ephemeral() != StoreKey.ephemeral()
    assert ("rakshak", "db-key:a") in memory_keyring.secrets


def test_malformed_key_in_keyring(memory_keyring) -> None:
    memory_keyring.secrets[("rakshak", "db-key:default")] = "not hex"
    with pytest.raises(StoreUnavailable, match="malformed"):
        StoreKey.load_or_create()


class _BrokenKeyring(__import__("keyring").backend.KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        raise RuntimeError("org.freedesktop.DBus.Error.ServiceUnknown")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise RuntimeError("org.freedesktop.DBus.Error.ServiceUnknown")

    def delete_password(self, service: str, username: str) -> None:
        raise RuntimeError("org.freedesktop.DBus.Error.ServiceUnknown")


@pytest.mark.parametrize("backend", ["fail", "broken"])
def test_no_usable_keyring_is_a_clear_error_never_a_plaintext_fallback(tmp_path, backend) -> None:
    import keyring
    from keyring.backends import fail

    from core.errors import KeyringUnavailable

    keyring.set_keyring(fail.Keyring() if backend == "fail" else _BrokenKeyring())
    with pytest.raises(KeyringUnavailable, match="gnome-keyring") as info:
        LocalStore.open_in(tmp_path)
    assert "Credential Manager" in str(info.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rakshak.lock"]  # no store, no key file
    assert (tmp_path / "rakshak.lock").read_bytes() == b""
    with pytest.raises(KeyringUnavailable):
        StoreKey.load_or_create("x")


def test_open_refuses_where_wal_cannot_be_used(store_key, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # an in-memory database cannot run in WAL mode (journal_mode stays "memory"): refused, not degraded
    monkeypatch.chdir(tmp_path)  # the store's files are made 0600 before SQLite opens them: not in the checkout
    with pytest.raises(StoreUnavailable, match="cannot run durably"):
        LocalStore.open(Path(":memory:"), store_key)


def test_two_stores_on_one_file_like_the_gui_and_the_sync_cli(store: LocalStore, store_key) -> None:
    other = LocalStore.open(store.path, store_key)
    try:
        errors: list[BaseException] = []

        def write(target: LocalStore, device: str) -> None:
            try:
                maker = EventMaker(device)
                for _ in range(15):
                    commit(target, maker.created())
            except BaseException as exc:
                errors.append(exc)

        threads = [threading.Thread(target=write, args=(s, d)) for s, d in ((store, "dev-a"), (other, "dev-b"))]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        assert errors == []
        with store.reader() as r1, other.reader() as r2:
            assert r1.events.count() == r2.events.count() == 30
            assert r1.cases.count(QueueFilter()) == r2.cases.count(QueueFilter()) == 30
        assert other.device_id == store.device_id  # the device id belongs to the file, not the process
    finally:
        other.close()


def test_a_pooled_connection_moves_between_threads(store: LocalStore) -> None:
    """QueuePool hands one keyed connection to whichever thread asks next (check_same_thread is off),
    so a thread pool does not make a connection, and pay the key check, per thread."""
    seen: list[int] = []

    def use() -> None:
        with store.reader() as r:
            seen.append(id(r.connection.connection.dbapi_connection))
            r.events.count()

    for _ in range(3):
        th = threading.Thread(target=use)
        th.start()
        th.join()
    assert len(seen) == 3 and len(set(seen)) == 1


def test_first_run_from_two_processes_at_once_makes_one_key(tmp_path, memory_keyring) -> None:
    """The GUI and the sync CLI starting together on a new workstation: without the data-folder
    lock each would write its own key and one would find the store unreadable."""
    import time

    class SlowKeyring(type(memory_keyring)):  # widens the race window of key creation
        def set_password(self, service: str, username: str, password: str) -> None:
            time.sleep(0.05)
            super().set_password(service, username, password)

    import keyring

    slow = SlowKeyring()
    keyring.set_keyring(slow)
    opened: list[str] = []
    errors: list[BaseException] = []

    def start() -> None:
        try:
            with LocalStore.open_in(tmp_path) as s:
                opened.append(s.device_id)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=start) for _ in range(3)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == []
    assert len(opened) == 3 and len(set(opened)) == 1
    assert list(slow.secrets) == [("rakshak", "db-key:default")]
