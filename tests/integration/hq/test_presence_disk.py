"""The heartbeat's optional free-space field: stored by HQ and returned in GET /presence."""

from __future__ import annotations

from tests.fixtures.hq import API, HQServer

BODY = {"app_version": "0.1.0", "pending": 0, "audio": {"ok": True, "checked_at": None, "detail": "ok"}}


def test_presence_keeps_the_consoles_free_disk_space_and_older_consoles_may_omit_it(hq: HQServer) -> None:
    low = hq.login("demo", device_id="lko-low-disk")
    old = hq.login("demo-knp", device_id="knp-old-version")
    assert low.http.post(f"{API}/presence", json=BODY | {"device_id": "lko-low-disk",
                                                          "disk_free_bytes": 150 * 2**20}).status_code == 200
    assert old.http.post(f"{API}/presence", json=BODY | {"device_id": "knp-old-version"}).status_code == 200
    bad = low.http.post(f"{API}/presence", json=BODY | {"device_id": "lko-low-disk", "disk_free_bytes": -1})
    assert bad.status_code == 422
    listed = {p["device_id"]: p for p in hq.login("supervisor").http.get(f"{API}/presence").json()}
    assert listed["lko-low-disk"]["disk_free_bytes"] == 150 * 2**20
    assert listed["knp-old-version"]["disk_free_bytes"] is None
