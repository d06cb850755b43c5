"""Login session against the real HQ: keyring storage, refresh under concurrency, refusals, presence."""

from __future__ import annotations

import threading
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail
from sqlalchemy import func, select

from core.errors import KeyringUnavailable
from hq.schema import refresh_tokens
from sync import HQRefused, InsecureURL, LoginRequired
from sync.session import KEYRING_SERVICE, Session, keyring_username
from tests.fixtures.hq import API, HQServer
from tests.integration.sync.sync_harness import Workstation, wait_until


def _refresh_rows(server: HQServer) -> int:
    db = server.database()
    try:
        with db.reader() as conn:
            return int(conn.execute(select(func.count()).select_from(refresh_tokens)).scalar_one())
    finally:
        db.dispose()


def test_tokens_live_in_the_keyring_and_survive_a_restart(hq_server: HQServer) -> None:
    session = Session(hq_server.url, "dev-keyring-1")
    user = session.login(hq_server.url, "demo", "demo-password", "dev-keyring-1", "console")
    assert user.username == "demo" and user.district == "LKO"
    stored = keyring.get_password(KEYRING_SERVICE, keyring_username(hq_server.url, "dev-keyring-1"))
    assert stored and "refresh_token" in stored
    again = Session.restore(hq_server.url, "dev-keyring-1")
    assert again.user == user and again.logged_in
    reply = again.call(lambda token: again.client.pull(token, 0))
    assert reply.epoch == hq_server.epoch
    with pytest.raises(LoginRequired):
        Session.restore(hq_server.url, "another-device")


def test_concurrent_calls_with_an_expired_token_refresh_once(hq_server: HQServer) -> None:
    session = Session(hq_server.url, "dev-refresh-1")
    session.login(hq_server.url, "demo", "demo-password", "dev-refresh-1", "console")
    rows = _refresh_rows(hq_server)
    session._access_expires_wall = 0.0
    errors: list[BaseException] = []

    def call() -> None:
        try:
            session.call(lambda token: session.client.pull(token, 0))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=call) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert _refresh_rows(hq_server) == rows + 1  # one rotation, not eight
    restored = Session.restore(hq_server.url, "dev-refresh-1")  # the rotated token reached the keyring
    restored._access_expires_wall = 0.0
    restored.call(lambda token: restored.client.pull(token, 0))
    assert _refresh_rows(hq_server) == rows + 2


def test_refusals(hq_server: HQServer) -> None:
    with pytest.raises(InsecureURL):
        Session("http://hq.example.org", "dev-x")
    session = Session(hq_server.url, "dev-refuse-1")
    with pytest.raises(HQRefused) as info:
        session.login(hq_server.url, "demo", "wrong password", "dev-refuse-1", "console")
    assert info.value.status == 401 and not session.logged_in
    with pytest.raises(LoginRequired):
        session.call(lambda token: session.client.pull(token, 0))


def test_no_keyring_means_no_login_and_no_plaintext(hq_server: HQServer, tmp_path: Path) -> None:
    keyring.set_keyring(fail.Keyring())
    session = Session(hq_server.url, "dev-nokeyring")
    with pytest.raises(KeyringUnavailable, match="keyring"):
        session.login(hq_server.url, "demo", "demo-password", "dev-nokeyring", "console")
    assert not session.logged_in


def test_heartbeat_reports_pending_and_audio(hq_server: HQServer, tmp_path: Path) -> None:
    ws = Workstation.create(tmp_path / "a", hq_server.url, "demo", start=False, heartbeat_interval_s=5)
    hq_op = hq_server.login("hq")
    try:
        ws.engine.set_audio_status(False, "no audio output device")
        ws.engine.start()

        def seen() -> dict | None:  # type: ignore[type-arg]
            rows = hq_op.http.get(f"{API}/presence").json()
            return next((r for r in rows if r["device_id"] == ws.store.device_id and r.get("audio")), None)

        wait_until(lambda: seen() is not None, 15, "the heartbeat at HQ")
        row = seen()
        assert row is not None and row["online"] and row["audio"]["ok"] is False
        assert row["audio"]["detail"] == "no audio output device" and row["pending"] == 0
        assert isinstance(row["disk_free_bytes"], int) and row["disk_free_bytes"] > 0  # the data folder's
    finally:
        ws.close()
