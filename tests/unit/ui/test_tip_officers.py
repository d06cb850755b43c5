"""The SP office's officer list at the console against HQ on loopback (SQLite): officers added and
retired through HQ's routes from the list screen, the active list kept in the console's store, a tip
passed offline to an officer of that copy, and HQ's refusal of an officer it retired meanwhile shown
among the changes HQ refused (the tip's queue row then shows no officer)."""

from __future__ import annotations

import dataclasses
import uuid
from typing import Any

from core.events import EventType
from core.fold import fold
from core.settings import Settings
from hq import admin
from hq.demo import synthetic_alert
from hq.intake import intake
from hq.tipline.relay import RELAY
from sync import SyncEngine
from sync.session import Session
from tests.e2e.kit import make_context, wait_idle
from tests.fixtures.hq import API, HQServer
from ui.operations.cases import refused_entries
from ui.operations.tip_officers import read_cached
from ui.operations.tips import tip_summaries
from ui.tips.officers import OfficerListDialog
from ui.tips.work import OfficerDialog, TipWorkBox

PASSWORD = "sp-password"
FAST = {"retry_cap_s": 0.5, "long_poll_wait_s": 1, "http_timeout_s": 5.0, "heartbeat_interval_s": 60}


def _file_tip(hq: HQServer) -> str:
    tip = {"category": "gambling", "pseudonym": "Tipster TEST", "prior_tips": 0, "place": "Lanka"}
    body = synthetic_alert(district="VNS") | {
        "kind": "tip", "source": "whatsapp_tipline", "upstream_ref": f"tipline:{uuid.uuid4().hex}", "tip": tip,
    }  # fmt: skip
    body.pop("police_station")
    db = hq.database()  # as the relay files a tip
    try:
        admin.create_user(db, "sp-vns", PASSWORD, "sp_office", "SP Office Varanasi", "VNS")
        return intake(db, RELAY, body).case_id
    finally:
        db.dispose()


def _rows(dialog: OfficerListDialog) -> list[tuple[str, str]]:
    t = dialog.table
    return [(t.item(r, dialog.COL_NAME).text(), t.item(r, dialog.COL_ACTIVE).text()) for r in range(t.rowCount())]


def test_officers_kept_through_hq_assigned_offline_and_a_refusal_stays_visible(
    qtbot: Any, app: Any, ui_env: Any, hq_server: HQServer
) -> None:
    tip_id = _file_tip(hq_server)
    store = ui_env.store
    session = Session(hq_server.url, store.device_id, timeout_s=5.0)
    session.login(hq_server.url, "sp-vns", PASSWORD, store.device_id, "sp console")
    base = make_context(ui_env)
    base.user.switch({"id": session.user.id, "username": "sp-vns", "display_name": "SP Office Varanasi",
                      "role": "sp_office"})  # fmt: skip
    base.user.district = "VNS"
    online = dataclasses.replace(base, session=session)
    engine = SyncEngine(store, session, base.clock, settings=Settings(FAST))
    try:
        assert engine.run_once().last_error is None
        # -- the list screen: add two officers, retire one, all through HQ ------------------------
        dialog = OfficerListDialog(online, "VNS")
        qtbot.addWidget(dialog)
        dialog.show()
        dialog.refresh()
        qtbot.waitUntil(lambda: dialog.online, timeout=5000)
        assert _rows(dialog) == [] and not dialog.add_button.isEnabled()
        for name, rank, station in (("Ravi Kumar", "SI", "LNK"), ("Sita Verma", "Inspector", "")):
            dialog.name.setText(name)
            dialog.rank.setText(rank)
            dialog.station.setText(station)
            assert dialog.add_button.isEnabled()
            dialog.add_button.click()
            qtbot.waitUntil(lambda n=name: n in [r[0] for r in _rows(dialog)], timeout=5000)
        assert dialog.name.text() == ""  # the form is emptied once HQ took the officer
        sita = next(r for r, o in enumerate(dialog.officers) if o["name"] == "Sita Verma")
        dialog.table.selectRow(sita)
        assert dialog.retire_button.isEnabled()
        dialog.retire_button.click()
        qtbot.waitUntil(lambda: ("Sita Verma", "Retired") in _rows(dialog), timeout=5000)
        assert _rows(dialog) == [("Ravi Kumar", "Active"), ("Sita Verma", "Retired")]
        sp_http = hq_server.login("sp-vns", password=PASSWORD).http
        listed = sp_http.get(f"{API}/tips/officers", params={"district": "VNS"}).json()["officers"]
        assert [(o["name"], o["station"]) for o in listed] == [("Ravi Kumar", "LNK")]
        wait_idle(qtbot, online)
        with store.reader() as uow:
            cache = read_cached(uow, "VNS")
        assert [o["name"] for o in cache.officers] == ["Ravi Kumar"] and cache.fetched_at

        # -- HQ retires Ravi behind this console's back; offline, the tip goes to Ravi from the copy --
        assert sp_http.post(f"{API}/tips/officers/{listed[0]['id']}/retire").status_code == 200
        offline = dataclasses.replace(base, session=None)
        box = TipWorkBox(offline)
        qtbot.addWidget(box)
        box.show_state(box_state(store, tip_id))
        assert box.officer_button.isEnabled()
        box.open_officer()
        picker = box.dialog
        assert isinstance(picker, OfficerDialog)
        qtbot.waitUntil(lambda: picker.combo.count() == 1, timeout=5000)
        assert "Ravi Kumar" in picker.combo.currentText()
        assert "not signed in" in picker.status.text() and "HQ checks the officer" in picker.status.text()
        picker.accept()
        wait_idle(qtbot, offline)
        with store.reader() as uow:
            mine = [s for s in uow.events.history(tip_id) if s.event.type is EventType.TIP_OFFICER_ASSIGNED]
        assert len(mine) == 1 and str(mine[0].sync_state.value) == "pending"
        assert mine[0].event.payload["name"] == "Ravi Kumar"

        # -- pushed: HQ refuses it, and the refusal stays where the operator can act on it ---------
        engine.run_once()
        refused: list[Any] = []
        refused_entries(offline, success=refused.extend).run(offline.taskman)
        qtbot.waitUntil(lambda: bool(refused), timeout=5000)
        assert [s.event.id for s in refused] == [mine[0].event.id]
        assert "officer list" in str(refused[0].reject_reason)
        facts: dict[str, Any] = {}
        tip_summaries(offline, [tip_id], success=facts.update).run(offline.taskman)
        qtbot.waitUntil(lambda: tip_id in facts, timeout=5000)
        assert "officer" not in facts[tip_id] and facts[tip_id]["status"] == "open"
        box.show_state(box_state(store, tip_id))
        assert box.officer_button.isEnabled()  # the tip can be passed to another officer
    finally:
        wait_idle(qtbot, base)
        engine.stop()
        session.close()
        base.taskman.shutdown()


def box_state(store: Any, case_id: str) -> Any:
    """The tip's fold as the tip box folds it: entries HQ refused left out."""
    with store.reader() as uow:
        return fold(case_id, [s.event for s in uow.events.history(case_id) if str(s.sync_state.value) != "rejected"])


def test_the_sp_office_opens_its_list_from_the_menu_and_sees_the_kept_copy_offline(
    qtbot: Any, app: Any, ui_env: Any
) -> None:
    from PySide6.QtGui import QAction

    from ui.main_window import MainWindow
    from ui.operations.tip_officers import write_cached

    officer = {"id": str(uuid.uuid4()), "name": "Ravi Kumar", "rank": "SI", "station": "LNK", "active": True}
    with ui_env.store.unit_of_work() as uow:
        write_cached(uow, "VNS", [officer, officer | {"id": str(uuid.uuid4()), "name": "Old", "active": False}])
        uow.commit()
    ctx = make_context(ui_env)
    ctx.user.switch({"id": "u-sp", "username": "sp-vns", "display_name": "SP Office Varanasi", "role": "sp_office"})
    ctx.user.district = "VNS"
    win = MainWindow(ctx, with_sound=False)
    qtbot.addWidget(win)
    try:
        action = win.findChild(QAction, "officers")
        assert action is not None
        action.trigger()
        dialog = win.findChild(OfficerListDialog)
        assert dialog is not None and dialog.isVisible()
        qtbot.waitUntil(lambda: dialog.table.rowCount() == 1, timeout=5000)  # the active ones only
        assert _rows(dialog) == [("Ravi Kumar", "Active")]
        assert "not signed in" in dialog.status.text() and "need HQ" in dialog.status.text()
        dialog.name.setText("Sita Verma")
        dialog.rank.setText("SI")
        assert not dialog.add_button.isEnabled() and not dialog.retire_button.isEnabled()
    finally:
        win.close()
        wait_idle(qtbot, ctx)
        ctx.taskman.shutdown()


def test_a_district_console_has_no_officer_list(qtbot: Any, app: Any, ui_env: Any) -> None:
    from PySide6.QtGui import QAction

    from ui.main_window import MainWindow

    ctx = make_context(ui_env)  # a district operator's console
    win = MainWindow(ctx, with_sound=False)
    qtbot.addWidget(win)
    try:
        assert win.findChild(QAction, "officers") is None
    finally:
        win.close()
        wait_idle(qtbot, ctx)
        ctx.taskman.shutdown()
