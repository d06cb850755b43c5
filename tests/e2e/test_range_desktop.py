"""A tip at the SP's office and the range DIG's desks: the real client twice (an SP office of
Varanasi and the DIG of Varanasi range, each in its own layout), HQ on loopback (SQLite), the tip
line driven by the WhatsApp Cloud API simulator.

A Hindi conversation with a photo and a voice note becomes a tip at both consoles at once; the SP's
office passes it to an officer of the district's list (read from HQ) and the DIG's console shows
that officer after its next pull; the DIG of another range gets nothing.
"""

from __future__ import annotations

from typing import Any

import pytest

from hq import admin
from tests.e2e.kit import start_client, stop_client
from tests.e2e.test_tip_desktop import deliver, hindi_tip
from tests.fixtures.hq import API
from tests.fixtures.whatsapp_sim import whatsapp_sim

__all__ = ["whatsapp_sim"]

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support")

PASSWORD = "range-password"


def _accounts(hq: Any) -> None:
    db = hq.database()
    try:
        admin.create_district(db, "JNP", "Jaunpur", ["9000000401"], range_="Varanasi")
        admin.create_user(db, "sp-vns", PASSWORD, "sp_office", "SP Office Varanasi", "VNS")
        admin.create_user(db, "dig-vns", PASSWORD, "range_dig", "DIG Varanasi Range", range_="Varanasi")
        admin.create_user(db, "dig-lko", PASSWORD, "range_dig", "DIG Lucknow Range", range_="Lucknow")
    finally:
        db.dispose()


def _tip_rows(window: Any) -> list[str]:
    model = window.queue.model
    return [model.case_row(r).case_id for r in range(model.rowCount()) if model.case_row(r).kind == "tip"]


def _subject(window: Any) -> str:
    model = window.queue.model
    return str(model.index(0, model.COL_SUBJECT).data() or "")


def test_a_tip_reaches_the_sp_and_the_dig_and_the_dig_sees_the_officer(  # type: ignore[no-untyped-def]
    qtbot, whatsapp_sim, hq_factory, tmp_path
):
    sim = whatsapp_sim
    hq = hq_factory("sqlite")
    _accounts(hq)
    hq.intake("VNS")  # a suicide alert of the same district: neither desk holds it
    sp_api = hq.login("sp-vns", password=PASSWORD)
    r = sp_api.http.post(f"{API}/tips/officers", json={"district": "VNS", "name": "Ravi Kumar", "rank": "SI"})
    assert r.status_code == 201, r.text
    sp = start_client(qtbot, tmp_path / "sp", hq.url, username="sp-vns", password=PASSWORD)
    dig = start_client(qtbot, tmp_path / "dig", hq.url, username="dig-vns", password=PASSWORD)
    try:
        for client in (sp, dig):
            w = client.window
            qtbot.waitUntil(lambda w=w: str(getattr(w.status.status, "state", "")) == "online", timeout=15_000)
            assert w.hq is None  # the tip desk: queue and detail, not HQ's board
        deliver(sim, hq.url, hindi_tip(sim))
        sim.wait_sent(10)
        for client in (sp, dig):
            qtbot.waitUntil(lambda c=client: len(_tip_rows(c.window)) == 1, timeout=20_000)
        case_id = _tip_rows(sp.window)[0]
        assert _tip_rows(dig.window) == [case_id]
        assert sp.window.queue.model.rowCount() == 1 and dig.window.queue.model.rowCount() == 1  # no alert
        assert "DIG" in dig.window.status.user.text() or "रेंज" in dig.window.status.user.text()

        # The SP's office: the tip with its media, passed to the district's officer.
        sp.window.queue.select_case(case_id)
        box = sp.window.detail.tip_box
        qtbot.waitUntil(lambda: box.isVisible() and box.case_id == case_id, timeout=5_000)
        assert [m["kind"] for m in box.media] == ["image", "audio"]
        work = box.work
        assert work.officer_button.isVisible() and work.officer_button.isEnabled()
        assert "not yet passed" in work.summary.text()
        work.officer_button.click()
        dialog = work.dialog
        assert dialog is not None
        qtbot.waitUntil(lambda: dialog.combo.count() == 1, timeout=10_000)
        assert "Ravi Kumar" in dialog.combo.itemText(0)
        dialog.buttons.accepted.emit()
        qtbot.waitUntil(lambda: "SI Ravi Kumar" in work.summary.text(), timeout=10_000)
        qtbot.waitUntil(lambda: "SI Ravi Kumar" in _subject(sp.window), timeout=10_000)  # the queue's officer

        # The DIG: the same tip, and the officer once the SP's push reaches it.
        dig.window.queue.select_case(case_id)
        dbox = dig.window.detail.tip_box
        qtbot.waitUntil(lambda: dbox.isVisible() and dbox.case_id == case_id, timeout=5_000)
        assert not dbox.work.officer_button.isVisible() and dbox.work.action_button.isVisible()
        qtbot.waitUntil(lambda: "SI Ravi Kumar" in dbox.work.summary.text(), timeout=30_000)
        qtbot.waitUntil(lambda: "SI Ravi Kumar" in _subject(dig.window), timeout=10_000)

        # Another range's DIG gets nothing.
        other = hq.login("dig-lko", password=PASSWORD)
        items, _ = other.pull_all()
        assert not [i for i in items if i.get("kind") == "event"]
        assert other.http.get(f"{API}/cases/{case_id}").status_code == 403
    finally:
        stop_client(qtbot, dig)
        stop_client(qtbot, sp)
