"""The complaint queue on the HQ console: the real client signed in as an HQ operator, against HQ on
loopback with Meta's Graph API simulated.

A comment arrives through Meta's signed webhook -> the console's Complaints tab lists it with its
countdown; on the view's injected clock it warns at 90 minutes and is breached at 120 (in words, in
the soft signal bar and the tab's title, never the siren); a canned reply filled from the case is
sent and published once through the simulator; with HQ stopped a reply waits on the console, shown
as not yet sent, and is sent once HQ is back.
"""

from __future__ import annotations

import json
import time
from datetime import timedelta
from typing import Any

import httpx
import pytest

from core.events import parse_time, utcnow
from hq.connectors import signature
from tests.e2e.kit import start_client, stop_client
from tests.fixtures.hq import API, SEED_USERS, HQFactory, HQServer
from tests.fixtures.social_sims import GraphSim
from ui.complaints.model import ComplaintModel

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support")

SECRET = "app-secret-for-e2e"
COMMENT = "post7_c1"


def _signed_comment(created: int) -> bytes:
    value = {
        "item": "comment", "verb": "add", "comment_id": COMMENT, "post_id": "post7", "parent_id": "post7",
        "message": "Mera phone Patna Junction par chheen liya gaya, koi madad nahi", "created_time": created,
        "from": {"id": "4242", "name": "Ravi Ranjan"},
    }  # fmt: skip
    body = {"object": "page", "entry": [{"id": GraphSim.PAGE, "time": created, "changes": [
        {"field": "feed", "value": value}]}]}  # fmt: skip
    return json.dumps(body).encode()


@pytest.fixture
def hq(hq_factory: HQFactory, graph_sim: GraphSim, monkeypatch: pytest.MonkeyPatch) -> HQServer:
    for name, value in {
        "RAKSHAK_META_APP_SECRET": SECRET,
        "RAKSHAK_META_PAGE_TOKEN": "page-token",
        "RAKSHAK_META_PAGE_ID": GraphSim.PAGE,
        "RAKSHAK_META_GRAPH_URL": graph_sim.url,
        # The console's "send" publishes at once; HQ's worker is the backstop when that call is lost
        # (an answer that timed out on a loaded machine): either way, once.
        "RAKSHAK_COMPLAINTS_POLL_S": "5",
    }.items():
        monkeypatch.setenv(name, value)
    return hq_factory("sqlite")


def _hq_replies(hq: HQServer) -> list[dict[str, Any]]:
    [row] = hq.login("hq").http.get(f"{API}/complaints").json()
    return list(row["replies"])


def test_complaint_queue_countdown_canned_reply_and_offline_send(qtbot, hq, graph_sim, tmp_path):  # type: ignore[no-untyped-def]
    raw = _signed_comment(int(time.time()) - 60)
    headers = {"Content-Type": "application/json", signature.HEADER: signature.sign(SECRET, raw)}
    r = httpx.post(f"{hq.url}{API}/webhooks/meta", content=raw, headers=headers)
    assert r.json() == {"taken": 1}
    case_id = hq.login("hq").http.get(f"{API}/complaints").json()[0]["case_id"]
    hq.login("hq").http.post(f"{API}/complaints/{case_id}/triage", json={"district": "LKO"}).raise_for_status()

    client = start_client(qtbot, tmp_path, hq.url, username="hq", password=SEED_USERS["hq"])
    window = client.window
    try:
        view = window.hq.open_complaints()
        model = view.model
        qtbot.waitUntil(lambda: model.rowCount() == 1, timeout=20_000)
        row = model.row_at(0)
        assert row.case_id == case_id and row.platform == "facebook" and row.author_handle == "Ravi Ranjan"
        posted = parse_time(row.posted_at)
        cell = lambda col: model.index(0, col).data()  # noqa: E731
        assert cell(ComplaintModel.COL_STATE) == "On time" and cell(ComplaintModel.COL_DUE).endswith(" left")
        assert cell(ComplaintModel.COL_PLATFORM) == "Facebook" and "Patna Junction" in cell(ComplaintModel.COL_TEXT)
        assert not view.signal.isVisible()

        # The view's clock, injected: warning at 90 minutes, breach at 120, repainted by the timer alone.
        fake = [posted + timedelta(minutes=90, seconds=5)]
        view.now = lambda: fake[0]
        view.tick()
        assert cell(ComplaintModel.COL_STATE) == "Warning" and cell(ComplaintModel.COL_DUE) == "0:29:55 left"
        assert view.signal.isVisible() and "last 30 minutes" in view.signal.text()
        assert window.hq.tabText(3) == "Complaints (1 warning)"
        fake[0] = posted + timedelta(minutes=120, seconds=14)
        view.tick()
        assert cell(ComplaintModel.COL_STATE) == "Breached" and cell(ComplaintModel.COL_DUE) == "breached 0:00:14 ago"
        assert "past the deadline" in view.signal.text() and window.hq.tabText(3) == "Complaints (1 breached)"
        assert not window.alarm.is_ringing and not window.banner.isVisible()  # a soft signal, never the siren
        view.state.setCurrentIndex(view.state.findData("warning"))
        assert model.rowCount() == 0
        view.state.setCurrentIndex(view.state.findData("breached"))
        assert model.rowCount() == 1
        view.now = utcnow
        view.state.setCurrentIndex(0)

        # A canned reply, filled from the case, sent and published once.
        assert view.open_case(case_id)
        composer = view.composer
        qtbot.waitUntil(lambda: composer.canned.count() == 3, timeout=10_000)
        composer.canned.setCurrentIndex(composer.canned.findData("forwarded"))
        composer.language.setCurrentIndex(composer.language.findData("en"))
        composer.insert_button.click()
        text = composer.text.toPlainText()
        assert text.startswith("Ravi Ranjan, your complaint has been forwarded to ") and "{" not in text
        assert "Lucknow" in text or "LKO" in text
        assert composer.count.text() == f"{len(text)} / 5000 characters" and composer.send_button.isEnabled()
        composer.send_button.click()
        qtbot.waitUntil(lambda: graph_sim.count("POST", f"/{COMMENT}/comments") == 1, timeout=15_000)
        qtbot.waitUntil(lambda: not view.outbox.pending, timeout=5_000)
        [reply] = _hq_replies(hq)
        assert reply["text"] == text and reply["status"] == "published"
        qtbot.waitUntil(lambda: model.row_at(0).reply_state == "published", timeout=20_000)  # through the feed

        # HQ out of reach: the reply waits on this console, shown as not yet sent, and goes when HQ returns.
        hq.stop()
        composer.text.setPlainText("Ravi Ranjan, an officer of Kotwali will call you today.")
        composer.send_button.click()
        qtbot.waitUntil(lambda: len(view.outbox.pending) == 1 and view.outbox.pending[0].tried, timeout=20_000)
        assert cell(ComplaintModel.COL_REPLY) == "Not yet sent to HQ"
        assert view.pane.message.text().startswith("HQ cannot be reached: the reply is kept on this console")
        replies = view.pane.replies
        assert replies.item(0, 1).text() == "Not yet sent to HQ" and "Kotwali" in replies.item(0, 0).text()
        hq.start()
        view.outbox.retry_all()
        qtbot.waitUntil(lambda: not view.outbox.pending, timeout=20_000)
        view.outbox.retry_all()  # nothing left to send twice
        texts = [r["text"] for r in _hq_replies(hq)]
        assert texts.count("Ravi Ranjan, an officer of Kotwali will call you today.") == 1 and len(texts) == 2
        qtbot.waitUntil(lambda: graph_sim.count("POST", f"/{COMMENT}/comments") == 2, timeout=20_000)
        assert sorted(r["status"] for r in _hq_replies(hq)) == ["published", "published"]
    finally:
        stop_client(qtbot, client)


def test_a_supervisor_approves_a_reply_from_the_pane_and_sees_hq_refusals(qtbot, hq, graph_sim, tmp_path):  # type: ignore[no-untyped-def]
    raw = _signed_comment(int(time.time()) - 300)
    headers = {"Content-Type": "application/json", signature.HEADER: signature.sign(SECRET, raw)}
    assert httpx.post(f"{hq.url}{API}/webhooks/meta", content=raw, headers=headers).json() == {"taken": 1}
    op = hq.login("hq")
    case_id = op.http.get(f"{API}/complaints").json()[0]["case_id"]
    body = {"text": "FIR darj ho gayi hai, Kotwali thana", "needs_approval": True}
    reply = op.http.post(f"{API}/complaints/{case_id}/replies", json=body).json()

    client = start_client(qtbot, tmp_path, hq.url, username="supervisor", password=SEED_USERS["supervisor"])
    try:
        view = client.window.hq.open_complaints()
        qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=20_000)
        assert view.model.index(0, ComplaintModel.COL_REPLY).data() == "Awaiting approval"
        assert not view.composer.send_button.isEnabled()  # a supervisor approves; HQ operators write
        assert view.open_case(case_id)
        pane = view.pane
        pane.replies.selectRow(0)
        assert pane.approve_button.isVisible() and pane.approve_button.isEnabled()
        pane.approve_button.click()
        qtbot.waitUntil(lambda: pane.message.text() == "Approved: HQ publishes the reply.", timeout=10_000)
        [row] = op.http.get(f"{API}/complaints").json()
        assert row["replies"][0]["status"] in ("ready", "published")
        view._approve(case_id, reply["reply_id"])  # approved already: HQ refuses, and says why
        qtbot.waitUntil(lambda: pane.message.text().startswith("HQ refused: the reply is "), timeout=10_000)
        assert "not awaiting approval" in pane.message.text()
    finally:
        stop_client(qtbot, client)
