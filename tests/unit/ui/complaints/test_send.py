"""Replies and canned replies through ``HQComplaints`` against a real HQ on loopback: a reply whose
first attempt reached HQ (its answer lost) is found and not sent twice; the canned list is cached
for offline use, and so is HQ's clock policy."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from pathlib import Path

from core.events import ItemKind, Source
from core.sla import SlaPolicy
from hq.complaints.take import IncomingItem, take_item
from sync.session import Session
from tests.fixtures.hq import API, SEED_USERS, HQServer
from ui.operations.complaints import (
    CANNED_CACHE_FILE,
    POLICY_CACHE_FILE,
    HQComplaints,
    new_pending,
    read_cache,
    read_policy_cache,
)


def _complaint(hq: HQServer) -> str:
    db = hq.database()
    try:
        posted = datetime.now(UTC) - timedelta(minutes=5)
        text = "@police my bike was stolen near Kotwali"
        item = IncomingItem(Source.X, ItemKind.MENTION, "1777", posted, text, author_id="42", author_handle="ravi_k")
        return take_item(db, item).case_id
    finally:
        db.dispose()


def test_a_reply_that_reached_hq_is_found_not_sent_twice(hq_server: HQServer, tmp_path: Path) -> None:
    case_id = _complaint(hq_server)
    session = Session(hq_server.url, "dev-send-1")
    user = session.login(hq_server.url, "hq", SEED_USERS["hq"], "dev-send-1", "test")
    source = HQComplaints(session, tmp_path)
    reply = new_pending(case_id, "@ravi_k we have registered your complaint", False)
    first = source.send(reply, user.id)
    assert first["reply_id"] and first["case_id"] == case_id  # drafted (no connector: publication fails, kept)
    again = source.send(dataclasses.replace(reply, tried=True), user.id)  # its answer was lost: try again
    assert again == {"reply_id": first["reply_id"], "status": "sent"}
    other = source.send(dataclasses.replace(reply, tried=True, text="@ravi_k an officer will call"), user.id)
    assert other["reply_id"] != first["reply_id"]
    [row] = hq_server.login("hq").http.get(f"{API}/complaints").json()
    assert sorted(r["text"] for r in row["replies"]) == ["@ravi_k an officer will call",
                                                         "@ravi_k we have registered your complaint"]  # fmt: skip


def test_canned_replies_are_cached_for_offline_use(hq_server: HQServer, tmp_path: Path) -> None:
    session = Session(hq_server.url, "dev-send-2")
    session.login(hq_server.url, "hq", SEED_USERS["hq"], "dev-send-2", "test")
    assert read_cache(tmp_path / CANNED_CACHE_FILE) == []
    items = HQComplaints(session, tmp_path).canned()
    assert {c["id"] for c in items} == {"acknowledge", "helplines", "forwarded"}
    assert read_cache(tmp_path / CANNED_CACHE_FILE) == items
    (tmp_path / CANNED_CACHE_FILE).write_text("{not json")
    assert read_cache(tmp_path / CANNED_CACHE_FILE) == []  # a damaged cache reads as empty, never raises


def test_hqs_clock_policy_is_cached_for_offline_starts(hq_server: HQServer, tmp_path: Path) -> None:
    session = Session(hq_server.url, "dev-send-3")
    session.login(hq_server.url, "hq", SEED_USERS["hq"], "dev-send-3", "test")
    assert read_policy_cache(tmp_path / POLICY_CACHE_FILE) is None
    policy = HQComplaints(session, tmp_path).policy()
    assert policy == SlaPolicy()  # the test HQ sets no RAKSHAK_SLA_*
    assert read_policy_cache(tmp_path / POLICY_CACHE_FILE) == policy
