"""Sign-in, lockout, token refresh and expiry against a real HQ."""

from __future__ import annotations

import time

import httpx
import pytest

from hq import admin, security
from hq.auth import AUTH_CACHE_S
from tests.fixtures.hq import API, HQServer


def _login(hq: HQServer, username: str, password: str, device_id: str = "dev-auth") -> httpx.Response:
    body = {"username": username, "password": password, "device_id": device_id, "device_name": "console"}
    return httpx.post(f"{hq.url}{API}/auth/login", json=body, timeout=30)


def test_login_returns_tokens_and_the_user(hq: HQServer) -> None:
    r = _login(hq, "demo", "demo-password")
    assert r.status_code == 200
    body = r.json()
    assert body["expires_in"] == security.ACCESS_TTL_S
    assert body["user"]["username"] == "demo"
    assert body["user"]["role"] == "district_operator" and body["user"]["district"] == "LKO"
    me = httpx.get(f"{hq.url}{API}/districts", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert [d["code"] for d in me.json()] == ["LKO"]


def test_wrong_password_and_unknown_user_get_the_same_answer(hq: HQServer) -> None:
    wrong = _login(hq, "demo", "not-the-password")
    unknown = _login(hq, "nobody", "not-the-password")
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json() == {"detail": "wrong username or password", "code": "unauthenticated"}


def test_five_failures_lock_the_account_until_an_admin_unlocks_it(hq: HQServer) -> None:
    codes = [_login(hq, "demo-knp", f"wrong-{i}").status_code for i in range(5)]
    assert codes == [401, 401, 401, 401, 423]
    locked = _login(hq, "demo-knp", "demo-password")
    assert locked.status_code == 423 and locked.json()["code"] == "locked"
    # Other accounts are unaffected.
    assert _login(hq, "demo", "demo-password").status_code == 200
    db = hq.database()
    try:
        admin.unlock_user(db, "demo-knp")
    finally:
        db.dispose()
    assert _login(hq, "demo-knp", "demo-password").status_code == 200


def test_a_successful_login_resets_the_failure_count(hq: HQServer) -> None:
    for i in range(4):
        assert _login(hq, "demo-vns", f"wrong-{i}").status_code == 401
    assert _login(hq, "demo-vns", "demo-password").status_code == 200
    assert [_login(hq, "demo-vns", f"again-{i}").status_code for i in range(4)] == [401] * 4


def test_refresh_rotates_and_is_bound_to_the_device(hq: HQServer) -> None:
    client = hq.login("demo", device_id="lko-console-1")
    first = client.session["refresh_token"]
    client.refresh()
    assert client.session["refresh_token"] != first
    assert client.http.get(f"{API}/districts").status_code == 200
    stolen = httpx.post(
        f"{hq.url}{API}/auth/refresh", json={"refresh_token": client.session["refresh_token"], "device_id": "other-pc"}
    )
    assert stolen.status_code == 401 and stolen.json()["code"] == "unauthenticated"


def test_reusing_a_rotated_refresh_token_ends_the_session(hq: HQServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(security, "REFRESH_REUSE_GRACE_S", 0)
    client = hq.login("demo", device_id="lko-console-2")
    old = client.session["refresh_token"]
    client.refresh()
    current = client.session["refresh_token"]
    replay = httpx.post(f"{hq.url}{API}/auth/refresh", json={"refresh_token": old, "device_id": "lko-console-2"})
    assert replay.status_code == 401
    # The whole family is revoked: the legitimate holder must sign in again too.
    after = httpx.post(f"{hq.url}{API}/auth/refresh", json={"refresh_token": current, "device_id": "lko-console-2"})
    assert after.status_code == 401


def test_a_retried_refresh_within_the_grace_period_still_works(hq: HQServer) -> None:
    """The reply to a refresh was lost on a bad link; the console retries with the old token."""
    client = hq.login("demo", device_id="lko-console-3")
    old = client.session["refresh_token"]
    client.refresh()
    retry = httpx.post(f"{hq.url}{API}/auth/refresh", json={"refresh_token": old, "device_id": "lko-console-3"})
    assert retry.status_code == 200


def test_expired_and_forged_access_tokens_are_refused(hq: HQServer) -> None:
    client = hq.login("demo")
    db = hq.database()
    try:
        secret = db.get_meta("jwt_secret")
    finally:
        db.dispose()
    assert secret
    expired = security.make_access_token(secret, client.user["id"], client.device_id, ttl_s=-10)
    r = httpx.get(f"{hq.url}{API}/districts", headers={"Authorization": f"Bearer {expired}"})
    assert r.status_code == 401 and r.json()["code"] == "token_expired"
    forged = security.make_access_token("not-the-secret-" * 4, client.user["id"], client.device_id)
    r = httpx.get(f"{hq.url}{API}/districts", headers={"Authorization": f"Bearer {forged}"})
    assert r.status_code == 401 and r.json()["code"] == "unauthenticated"
    r = httpx.get(f"{hq.url}{API}/districts")
    assert r.status_code == 401 and r.json()["code"] == "unauthenticated"


def test_a_disabled_account_is_cut_off_at_once(hq: HQServer) -> None:
    client = hq.login("demo-vns")
    db = hq.database()
    try:
        admin.set_active(db, "demo-vns", False)
    finally:
        db.dispose()
    # Sign-in and refresh read the account at once; a token already in use within AUTH_CACHE_S.
    assert _login(hq, "demo-vns", "demo-password").status_code == 403
    time.sleep(AUTH_CACHE_S + 0.2)
    assert client.http.get(f"{API}/districts").status_code == 401
    refresh = httpx.post(
        f"{hq.url}{API}/auth/refresh",
        json={"refresh_token": client.session["refresh_token"], "device_id": client.device_id},
    )
    assert refresh.status_code == 403


def test_revoked_integration_key_is_refused(hq: HQServer) -> None:
    db = hq.database()
    try:
        key = admin.create_key(db, "meta-feed-2")
        ok = httpx.post(f"{hq.url}{API}/intake", json=_alert(), headers={"X-Api-Key": key})
        assert ok.status_code == 201
        admin.revoke_key(db, "meta-feed-2")
    finally:
        db.dispose()
    refused = httpx.post(f"{hq.url}{API}/intake", json=_alert(), headers={"X-Api-Key": key})
    assert refused.status_code == 401


def _alert() -> dict:  # type: ignore[type-arg]
    from hq.demo import synthetic_alert

    return synthetic_alert(district="VNS")
