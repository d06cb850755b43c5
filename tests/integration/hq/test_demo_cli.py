"""``python -m hq demo`` seeds what its help promises: districts, stations, users and a few alerts."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
from sqlalchemy import select

from hq.db import Database, sqlite_url
from hq.demo import DEMO_ALERTS_PER_DISTRICT, DEMO_DISTRICTS
from hq.embedded import start_server
from hq.schema import audit, cases
from tests.fixtures.hq import API, SEED_USERS
from tests.integration.hq.test_cli import hq_cli


def test_demo_seeds_routed_alerts_that_a_district_console_pulls(tmp_path: Path) -> None:
    done = hq_cli("demo", "--data-dir", str(tmp_path))
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["districts"] == sorted(DEMO_DISTRICTS)
    assert len(out["alerts"]) == DEMO_ALERTS_PER_DISTRICT * len(DEMO_DISTRICTS)
    url = sqlite_url(tmp_path / "hq.sqlite3")
    db = Database(url, pool_size=1)
    try:
        with db.reader() as conn:
            rows = conn.execute(select(cases.c.id, cases.c.district)).all()
            created = conn.execute(
                select(audit.c.case_id).where(audit.c.action == "intake", audit.c.outcome == "created")
            ).scalars()
            audited = set(created)
    finally:
        db.dispose()
    assert {r.id for r in rows} == set(out["alerts"]) == audited  # through intake: created and audited
    per_district = {code: sum(r.district == code for r in rows) for code in DEMO_DISTRICTS}
    assert per_district == dict.fromkeys(DEMO_DISTRICTS, DEMO_ALERTS_PER_DISTRICT)

    # Run again: users and districts are not duplicated, and fresh alerts are added; --alerts 0 adds none.
    again = json.loads(hq_cli("demo", "--data-dir", str(tmp_path), "--alerts", "1").stdout)
    assert len(again["alerts"]) == len(DEMO_DISTRICTS) and not set(again["alerts"]) & set(out["alerts"])
    assert json.loads(hq_cli("demo", "--data-dir", str(tmp_path), "--alerts", "0").stdout)["alerts"] == []
    refused = hq_cli("demo", "--data-dir", str(tmp_path), "--alerts", "-1")
    assert refused.returncode == 2 and "--alerts" in refused.stderr

    # The seeded database serves them: the Lucknow demo operator pulls Lucknow's cases, only those.
    server = start_server(url, migrate=False)
    try:
        login = {"username": "demo", "password": SEED_USERS["demo"], "device_id": "d-1", "device_name": "demo"}
        token = httpx.post(f"{server.url}{API}/auth/login", json=login).json()["access_token"]
        page = httpx.get(f"{server.url}{API}/sync/pull", headers={"Authorization": f"Bearer {token}"}).json()
    finally:
        server.stop()
    created_ids = {i["event"]["case_id"] for i in page["items"] if i["event"]["type"] == "created"}
    lko = {r.id for r in rows if r.district == "LKO"} | {c for c in again["alerts"] if c in created_ids}
    assert created_ids == lko and len(created_ids) == DEMO_ALERTS_PER_DISTRICT + 1
