"""When HQ ends the login in use, the status says the session expired (and keeps saying it), not
merely "not logged in"; a console that was signed out says that instead."""

from __future__ import annotations

import time
from pathlib import Path

from sqlalchemy import delete

from hq.schema import refresh_tokens
from sync import ConnectionState
from sync.status import ErrorCause
from tests.fixtures.hq import HQServer
from tests.integration.sync.sync_harness import Workstation, wait_until


def test_an_expired_session_is_reported_as_expired_not_as_not_logged_in(hq_server: HQServer, tmp_path: Path) -> None:
    ws = Workstation.create(tmp_path / "a", hq_server.url, "demo")
    try:
        wait_until(lambda: ws.engine.status.state is ConnectionState.ONLINE, 15, "online")
        db = hq_server.database()
        try:
            with db.writer() as conn:
                conn.execute(delete(refresh_tokens))  # HQ no longer accepts this login
        finally:
            db.dispose()
        ws.session._access_expires_wall = 0.0  # the access token has run out: the next call refreshes
        ws.engine.sync_now()
        wait_until(lambda: ws.engine.status.state is ConnectionState.LOGIN_REQUIRED, 15, "login required")
        time.sleep(1.5)  # both loops keep finding "not logged in" meanwhile
        status = ws.engine.status
        assert status.error_cause is ErrorCause.LOGIN_EXPIRED, status
        assert status.last_error is not None and "expired or was revoked" in status.last_error
        assert status.last_error != "not logged in"
        assert len(ws.login_required) == 1 and "expired or was revoked" in ws.login_required[0]

        ws.session.login(hq_server.url, "demo", ws.password, ws.session.device_id, "console a")
        wait_until(lambda: ws.engine.status.state is ConnectionState.ONLINE, 15, "online again")
        assert ws.engine.status.error_cause is None

        ws.session.logout()  # signed out here: nothing expired
        wait_until(lambda: ws.engine.status.state is ConnectionState.LOGIN_REQUIRED, 15, "login required")
        assert ws.engine.status.error_cause is ErrorCause.LOGIN
    finally:
        ws.close()


def test_a_refusal_met_by_another_caller_is_still_reported_as_expired(hq_server: HQServer, tmp_path: Path) -> None:
    """The console's other HQ calls (complaint policy, canned replies, officers) share the session: when
    one of them meets HQ's refusal first, the engine's loops find no login, and still say expired."""
    from sync.errors import LoginRequired

    ws = Workstation.create(tmp_path / "a", hq_server.url, "demo")
    try:
        wait_until(lambda: ws.engine.status.state is ConnectionState.ONLINE, 15, "online")
        db = hq_server.database()
        try:
            with db.writer() as conn:
                conn.execute(delete(refresh_tokens))
        finally:
            db.dispose()
        ws.session._access_expires_wall = 0.0
        try:
            ws.session.call(lambda token: token)  # another caller, not the engine, refreshes first
        except LoginRequired as exc:
            assert "expired or was revoked" in str(exc)
        else:
            raise AssertionError("HQ accepted a login it no longer holds")
        assert not ws.session.logged_in and ws.session.refused is not None
        ws.engine.sync_now()
        wait_until(lambda: ws.engine.status.state is ConnectionState.LOGIN_REQUIRED, 15, "login required")
        status = ws.engine.status
        assert status.error_cause is ErrorCause.LOGIN_EXPIRED, status
        assert status.last_error is not None and "expired or was revoked" in status.last_error

        ws.session.login(hq_server.url, "demo", ws.password, ws.session.device_id, "console a")
        assert ws.session.refused is None
        wait_until(lambda: ws.engine.status.state is ConnectionState.ONLINE, 15, "online again")
    finally:
        ws.close()
