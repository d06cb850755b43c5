"""The Claims and Register views against a real HQ on loopback, signed in with a real session: the
lists and details come from HQ through the network pool, an HQ operator confirms a suggested post,
a district operator sees only their district and no verdict buttons, and the filters narrow the
register."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from sync.session import Session
from tests.fixtures.hq import API, SEED_USERS, HQServer
from ui.accounts.view import RegisterView
from ui.claims.view import ClaimsView
from ui.operations.base import TaskManager
from ui.operations.claims import HQClaimsSource

RUMOUR = "पटना में कल कर्फ्यू लगेगा, सभी दुकानें बंद रहेंगी!"


@pytest.fixture
def taskman(qtbot: Any) -> Iterator[TaskManager]:
    tm = TaskManager()
    yield tm
    tm.shutdown()


def _source(hq: HQServer, username: str) -> HQClaimsSource:
    device = f"dev-claims-{username}"
    session = Session(hq.url, device)
    session.login(hq.url, username, SEED_USERS[username], device, "console")
    return HQClaimsSource(session)


def _seed(hq: HQServer) -> dict[str, str]:
    op = hq.login("hq")
    lko = op.http.post(f"{API}/claims", json={"text": RUMOUR, "districts": ["LKO"], "platforms": ["facebook"]}).json()
    op.http.post(f"{API}/claims", json={"text": "Ganga bridge cracked, closed from Monday", "districts": ["KNP"]})
    op.http.post(f"{API}/claims/suggest", json={"post_ref": "fb:1", "text": "पटना मे कल कर्फ़्यू लगेगा सभी दुकाने बंद"})
    a = op.http.post(
        f"{API}/accounts", json={"platform": "x", "handle": "@Rumour_Mill", "reasons": ["fake_news"], "district": "LKO"}
    ).json()
    op.http.post(
        f"{API}/accounts/{a['id']}/actions",
        json={"kind": "fir_registered", "reference": "FIR 9/2026", "on_date": "2026-11-28"},
    )
    op.http.post(f"{API}/accounts", json={"platform": "facebook", "handle": "cheap.loans", "reasons": ["fraud"]})
    return {"claim": lko["id"], "account": a["id"]}


def test_claims_view_lists_shows_and_confirms(qtbot: Any, hq_server: HQServer, taskman: TaskManager) -> None:
    ids = _seed(hq_server)
    view = ClaimsView(_source(hq_server, "hq"), taskman, can_decide=True)
    qtbot.addWidget(view)
    view.show()
    view.refresh()
    qtbot.waitUntil(lambda: view.list.rowCount() == 2, timeout=10000)
    view.list.selectRow([view.list.item(r, 1).text() for r in range(2)].index(" ".join(RUMOUR.split())))
    qtbot.waitUntil(lambda: view.text.text() == RUMOUR, timeout=10000)
    assert view.suggestions.rowCount() == 1 and view.suggestions.item(0, 3).text() == "To decide"
    assert not view.confirm_button.isEnabled()  # nothing selected yet
    view.suggestions.selectRow(0)
    assert view.confirm_button.isEnabled() and view.dismiss_button.isEnabled()
    view.confirm_button.click()
    qtbot.waitUntil(lambda: view.suggestions.item(0, 3).text() == "Confirmed", timeout=10000)
    claim = hq_server.login("supervisor").http.get(f"{API}/claims/{ids['claim']}").json()
    assert [s["status"] for s in claim["suggestions"]] == ["confirmed"]
    assert view.history.rowCount() == 2 and "hq:" in view.history.item(0, 1).text()
    view.status_filter.setCurrentIndex(view.status_filter.findData("rebutted"))
    qtbot.waitUntil(lambda: view.list.rowCount() == 0, timeout=10000)


def test_district_operator_reads_only_their_district(qtbot: Any, hq_server: HQServer, taskman: TaskManager) -> None:
    _seed(hq_server)
    view = ClaimsView(_source(hq_server, "demo"), taskman, can_decide=False)
    qtbot.addWidget(view)
    view.show()
    view.refresh()
    qtbot.waitUntil(lambda: view.text.text() == RUMOUR, timeout=10000)
    assert view.list.rowCount() == 1
    assert not view.confirm_button.isVisible() and not view.dismiss_button.isVisible()
    register = RegisterView(_source(hq_server, "demo"), taskman)
    qtbot.addWidget(register)
    register.refresh()
    qtbot.waitUntil(lambda: register.list.rowCount() == 1, timeout=10000)
    assert register.list.item(0, 1).text() == "rumour_mill"


def test_register_filters_and_detail(qtbot: Any, hq_server: HQServer, taskman: TaskManager) -> None:
    _seed(hq_server)
    view = RegisterView(_source(hq_server, "supervisor"), taskman)
    qtbot.addWidget(view)
    view.show()
    view.refresh()
    qtbot.waitUntil(lambda: view.list.rowCount() == 2, timeout=10000)
    combo = view.filters["action"]
    combo.setCurrentIndex(combo.findData("fir_registered"))
    qtbot.waitUntil(lambda: view.list.rowCount() == 1, timeout=10000)
    assert view.list.item(0, 4).text() == "FIR registered"
    qtbot.waitUntil(lambda: view.action_table.rowCount() == 1, timeout=10000)
    assert view.action_table.item(0, 1).text() == "FIR 9/2026"
    assert "@rumour_mill" in view.handle.text()
    combo.setCurrentIndex(0)
    reason = view.filters["reason"]
    reason.setCurrentIndex(reason.findData("fraud"))
    qtbot.waitUntil(lambda: view.list.rowCount() == 1 and view.list.item(0, 1).text() == "cheap.loans", timeout=10000)


def test_hq_unreachable_is_said(qtbot: Any, hq_server: HQServer, taskman: TaskManager) -> None:
    source = _source(hq_server, "hq")
    hq_server.stop()
    view = ClaimsView(source, taskman, can_decide=True)
    qtbot.addWidget(view)
    view.refresh()
    qtbot.waitUntil(lambda: "cannot be reached" in view.message.text(), timeout=30000)
