"""The complaint clock's policy over HTTP (SQLite): HQ serves the ``RAKSHAK_SLA_*`` policy its queue
uses to HQ's roles and district operators (nobody else), the console's client reads back the same
policy, and under it a women's safety complaint posted 31 minutes ago is breached in HQ's queue
while a traffic one posted with it is on time."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from core.events import ItemKind, Source
from core.sla import SlaPolicy
from hq import admin
from hq.complaints.take import IncomingItem, take_item
from sync import client as sync_client
from tests.fixtures.hq import API, SEED_USERS, HQFactory, HQServer

POLICY = f"{API}/complaints/policy"
EXPECTED = SlaPolicy(warn_before_min=10, first_response_by_category={"womens_safety": 30})


@pytest.fixture
def hq(hq_factory: HQFactory, monkeypatch: pytest.MonkeyPatch) -> HQServer:
    monkeypatch.setenv("RAKSHAK_SLA_FIRST_RESPONSE_BY_CATEGORY", "womens_safety=30")
    monkeypatch.setenv("RAKSHAK_SLA_WARN_BEFORE_MIN", "10")
    return hq_factory("sqlite")


def _complaint(hq: HQServer, posted: datetime, text: str) -> str:
    db = hq.database()
    try:
        item = IncomingItem(Source.X, ItemKind.MENTION, uuid.uuid4().hex, posted, text,
                            author_id=uuid.uuid4().hex, author_handle=f"citizen_{uuid.uuid4().hex[:6]}")  # fmt: skip
        return take_item(db, item).case_id
    finally:
        db.dispose()


def test_the_policy_in_force_is_served_to_whoever_sees_complaints(hq: HQServer) -> None:
    for user in ("hq", "supervisor", "admin", "demo"):  # "demo": a district operator
        r = hq.login(user).http.get(POLICY)
        assert r.status_code == 200, (user, r.text)
        assert r.json() == EXPECTED.to_json()
    db = hq.database()
    try:
        admin.create_user(db, "sp-lko", "range-password", "sp_office", "SP-LKO", "LKO")
    finally:
        db.dispose()
    assert hq.login("sp-lko", password="range-password").http.get(POLICY).status_code == 403
    for headers in ({"X-Api-Key": hq.intake_key}, {}):  # the intake key signs nobody in
        assert httpx.get(f"{hq.url}{POLICY}", headers=headers, timeout=10).status_code == 401


def test_the_console_reads_the_policy_hq_queues_with(hq: HQServer) -> None:
    client = sync_client.HQClient(hq.url)
    tokens = client.login("hq", SEED_USERS["hq"], "dev-policy", "test console")
    assert client.complaint_policy(tokens.access_token) == EXPECTED

    posted = datetime.now(UTC) - timedelta(minutes=31)
    womens = _complaint(hq, posted, "@police men follow me home from the bus stand every evening")
    traffic = _complaint(hq, posted, "@police the signal at Hazratganj is dead since morning")
    op = hq.login("hq")
    for case_id, category in ((womens, "womens_safety"), (traffic, "traffic")):
        op.http.post(f"{API}/complaints/{case_id}/triage", json={"category": category}).raise_for_status()
    rows = {r["case_id"]: r for r in op.http.get(f"{API}/complaints").json()}
    assert rows[womens]["signal"] == "complaint_sla_breach"
    assert rows[traffic]["signal"] is None and rows[traffic]["due"]["remaining_s"] > 80 * 60
