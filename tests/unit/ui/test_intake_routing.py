"""Manual intake, routing and the chain at an HQ console, on a real SQLCipher store with no HQ (what
an offline console does): the intake form makes a case that rings at once, a known upstream reference
shows the existing case instead of a twin, routing records ``assigned`` with places chosen by name,
and the detail pane paints the case's chain."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt

from core.events import Author, EventType, Tier
from core.hlc import HybridClock
from core.settings import Settings
from core.store import service
from tests.e2e.kit import add_cases_from_hq, created_event, fill, wait_idle
from ui.operations.routing import ROUTING_META_KEY

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support")

HQ_AUTHOR = Author("hq-1", "HQ Rekha", Tier.HQ)
DISTRICTS = [
    {"code": "LKO", "name": "Lucknow", "stations": [{"code": "HAZ", "name": "Hazratganj"},
                                                    {"code": "GOM", "name": "Gomti Nagar"}]},
    {"code": "KNP", "name": "Kanpur Nagar", "stations": [{"code": "KLY", "name": "Kalyanpur"}]},
]  # fmt: skip
NAMES = {"LKO": "Lucknow", "HAZ": "Hazratganj", "GOM": "Gomti Nagar", "KNP": "Kanpur Nagar", "KLY": "Kalyanpur"}


def open_window(qtbot: Any, env: Any, *, hq: bool = True) -> Any:
    """A main window on ``env``'s store for an HQ operator (or a Lucknow district operator), with the
    districts as a console keeps them after fetching them from HQ once."""
    from ui.context import ApplicationContext, ConsoleUser, SyncBridge
    from ui.main_window import MainWindow
    from ui.operations import TaskManager

    with env.store.unit_of_work() as uow:
        uow.meta.set(ROUTING_META_KEY, json.dumps(DISTRICTS))
        uow.commit()
    with env.store.reader() as uow:
        last = uow.meta.hlc_last()
    taskman = TaskManager()
    user = (
        ConsoleUser(HQ_AUTHOR, "hq", "hq_operator", None)
        if hq
        else ConsoleUser(Author("op-1", "Operator Sunita"), "op1", "district_operator", "LKO")
    )
    ctx = ApplicationContext(
        data_dir=env.data_dir, settings=Settings.load(env.data_dir), store=env.store,
        clock=HybridClock(env.store.device_id, last=last), user=user, device_id=env.store.device_id,
        taskman=taskman, bridge=SyncBridge(taskman),
    )  # fmt: skip
    ctx.places.update(NAMES)
    win = MainWindow(ctx, with_sound=False)
    qtbot.addWidget(win)
    win.show()
    return win


@pytest.fixture
def hq_window(qtbot, ui_env) -> Iterator[Any]:
    win = open_window(qtbot, ui_env)
    try:
        yield win
    finally:
        win.close()
        wait_idle(qtbot, win.ctx)
        win.ctx.taskman.shutdown()


def history(win: Any, case_id: str) -> list[Any]:
    with win.ctx.store.reader() as uow:
        return list(uow.events.history(case_id))


def open_intake(qtbot: Any, win: Any) -> Any:
    win.form_actions["intake"].trigger()
    form = win.forms[("new-case", "intake")]
    qtbot.waitUntil(lambda: form.places_loaded and form.draft_found is not None, timeout=5000)
    return form


PHONE_ALERT = {
    "source": "facebook",
    "upstream_ref": "META-2026-11-29-0042",
    "subject.name": "Kavita Rawat",
    "subject.phones": "+91 98390 11111, 0522 2222222",
    "subject.profile_url": "https://facebook.example/kavita",
    "subject.picture_url": "https://facebook.example/kavita.jpg",
    "location.text": "Near Charbagh station, Lucknow",
}
POST_TEXT = "अब और नहीं। Sorry maa."  # set, not typed: QTest types ASCII only


def fill_alert(qtbot: Any, form: Any, **over: str) -> None:
    fill(qtbot, form, PHONE_ALERT | over)
    form.set_values({"subject.post_text": POST_TEXT})
    form._changed()


def test_intake_makes_a_routed_case_that_rings_at_this_console_at_once(qtbot, hq_window) -> None:
    win = hq_window
    form = open_intake(qtbot, win)
    fill_alert(qtbot, form)
    # the district by part of its name, the station offered only once the district is chosen
    district = form.widgets["district"]
    qtbot.keyClicks(district.lineEdit(), "luckn")
    assert form.editors["district"].value() == "luckn"  # not a name yet: submit would say so
    district.lineEdit().clear()
    qtbot.keyClicks(district.lineEdit(), "Lucknow")
    assert form.editors["district"].value() == "LKO"
    stations = form.widgets["police_station"]
    assert [stations.itemText(i) for i in range(stations.count())] == ["Gomti Nagar", "Hazratganj"]
    form.set_values({"police_station": "HAZ"})
    recorded: list[Any] = []
    form.recorded.connect(recorded.append)
    qtbot.mouseClick(form.submit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(recorded), timeout=5000)
    case_id = recorded[0].case_id
    stored = history(win, case_id)
    assert [str(s.event.type) for s in stored] == ["created", "assigned"]
    assert all(str(s.sync_state) == "pending" for s in stored)  # pushed when HQ is reachable
    created = stored[0].event.payload
    assert created["subject"]["phones"] == ["+91 98390 11111", "0522 2222222"]
    assert created["subject"]["picture_url"] == "https://facebook.example/kavita.jpg"
    assert created["subject"]["post_text"] == POST_TEXT
    assert (created["kind"], created["priority"], created["source"]) == ("suicide_risk", 1, "facebook")
    assert "district" not in created and stored[1].event.payload == {"district": "LKO", "police_station": "HAZ"}
    # it rings at this (HQ) console and is shown in the detail pane
    qtbot.waitUntil(lambda: any(r.case_id == case_id for r in win.alarm.ringing), timeout=5000)
    qtbot.waitUntil(lambda: win.detail.case_id == case_id and win.detail.state is not None, timeout=5000)
    assert "Lucknow / Hazratganj" in win.detail.meta.text()
    assert not form.isVisible()
    with win.ctx.store.reader() as uow:
        assert uow.drafts.load("new-case", "intake") is None


def test_a_known_reference_shows_the_existing_case_and_makes_no_twin(qtbot, hq_window, ui_env) -> None:
    win = hq_window
    existing = created_event(ui_env.hq_clock, name="Existing Person")
    add_cases_from_hq(win.ctx.store, [existing])
    ref = existing.payload["upstream_ref"]
    form = open_intake(qtbot, win)
    fill_alert(qtbot, form, upstream_ref=ref)
    form.look_up_reference()  # what leaving the field does
    qtbot.waitUntil(lambda: form.existing_box.isVisible(), timeout=5000)
    assert "Existing Person" in form.existing.text() and form.existing_id == existing.case_id
    # submitted anyway (the lookup raced, say): the submit looks again and records nothing
    qtbot.mouseClick(form.submit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: form.error.isVisible() and form.isEnabled(), timeout=5000)
    assert "already a case" in form.error.text()
    with win.ctx.store.reader() as uow:
        assert uow.events.history(existing.case_id) and uow.outbox.pending() == []
    qtbot.mouseClick(form.open_existing, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: win.detail.case_id == existing.case_id and win.detail.state is not None, timeout=5000)
    assert not form.isVisible()


def test_a_twin_hq_refused_opens_the_existing_case_from_the_refused_list(qtbot, hq_window, ui_env) -> None:
    win = hq_window
    existing = created_event(ui_env.hq_clock, name="First Taken")
    add_cases_from_hq(win.ctx.store, [existing])
    twin = created_event(ui_env.hq_clock, name="Taken Twice")
    ctx = win.ctx
    made = service.record(ctx.store, ctx.clock, ctx.author, twin.case_id, EventType.CREATED, dict(twin.payload))
    reason = f"duplicate of case {existing.case_id}: the alert 'X' is already a case at HQ"
    with ctx.store.unit_of_work() as uow:  # HQ's answer to the push
        uow.outbox.mark_rejected(made.id, reason, "duplicate")
        uow.commit()
    win.show_refused()
    qtbot.waitUntil(lambda: getattr(win, "refused_dialog", None) is not None, timeout=5000)
    dialog = win.refused_dialog
    assert dialog.list.count() == 1 and existing.case_id in dialog.list.item(0).text()
    dialog._open(dialog.list.item(0))
    qtbot.waitUntil(lambda: win.detail.case_id == existing.case_id and win.detail.state is not None, timeout=5000)


def test_routing_from_the_case_and_the_chain_with_durations(qtbot, hq_window, ui_env) -> None:
    win = hq_window
    ev = created_event(ui_env.hq_clock, name="Route Me", district="LKO", station="HAZ")
    add_cases_from_hq(win.ctx.store, [ev])
    win.open_case(ev.case_id)
    qtbot.waitUntil(lambda: win.detail.state is not None, timeout=5000)
    assert win.detail.buttons["assign"].isVisible() and win.detail.buttons["assign"].isEnabled()
    assert not win.detail.buttons["dispatch"].isEnabled()  # HQ has not acknowledged yet
    win.acknowledge(ev.case_id)
    qtbot.waitUntil(lambda: win.detail.buttons["forward"].isEnabled(), timeout=5000)
    qtbot.mouseClick(win.detail.buttons["assign"], Qt.MouseButton.LeftButton)
    form = win.forms[(ev.case_id, "assign")]
    qtbot.waitUntil(lambda: form.places_loaded, timeout=5000)
    # searchable: part of a name, anywhere in it, in any case
    completer = form.widgets["district"].completer()
    completer.setCompletionPrefix("nagar")
    assert [completer.completionModel().index(i, 0).data() for i in range(completer.completionCount())] == [
        "Kanpur Nagar"
    ]
    fill(qtbot, form, {"district": "Kanpur Nagar"})
    form.widgets["police_station"].lineEdit().setText("kalyanpur")
    fill(qtbot, form, {"note": "the caller is in Kanpur"})
    qtbot.mouseClick(form.submit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not form.isVisible(), timeout=5000)
    last = history(win, ev.case_id)[-1].event
    assert (last.type, last.payload) == (
        EventType.ASSIGNED, {"district": "KNP", "police_station": "KLY", "note": "the caller is in Kanpur"},
    )  # fmt: skip
    qtbot.waitUntil(lambda: "Kanpur Nagar / Kalyanpur" in win.detail.meta.text(), timeout=5000)
    # forward to 112 with their reference: the chain's hand-over step
    win.open_form("forward")
    fwd = win.forms[(ev.case_id, "forward")]
    fill(qtbot, fwd, {"to": "erss_112", "reference": "112-UP-778"})
    qtbot.mouseClick(fwd.submit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not fwd.isVisible(), timeout=5000)
    chain = win.detail.chain
    qtbot.waitUntil(lambda: chain.links and chain.links[4].at is not None, timeout=5000)
    table = chain.table
    rows = [[table.item(r, c).text() for c in range(3)] for r in range(table.rowCount())]
    assert [r[0] for r in rows] == [
        "Alert received", "HQ acknowledged", "Routed to the district", "District acknowledged", "Team dispatched",
        "Person reached", "Outcome recorded", "Counselled",
    ]  # fmt: skip
    assert rows[1][2].startswith("+") and rows[4][2].startswith("+")  # durations from the step before
    assert rows[3][1] == "not yet" and rows[3][2] == ""
    assert rows[2][1] != "not yet"  # routed by the alert's own entry


def test_a_district_console_offers_neither_intake_nor_routing(qtbot, ui_env) -> None:
    win = open_window(qtbot, ui_env, hq=False)
    try:
        ev = created_event(ui_env.hq_clock, name="District Case", district="LKO", station="HAZ")
        add_cases_from_hq(win.ctx.store, [ev])
        assert "intake" not in win.form_actions and "assign" not in win.form_actions
        assert "assign" not in win.detail.buttons
        titles = [a.text() for a in win.menuBar().actions()]
        assert "&HQ" not in titles
    finally:
        win.close()
        wait_idle(qtbot, win.ctx)
        win.ctx.taskman.shutdown()


def test_intake_is_on_ctrl_i_and_its_draft_survives_closing_the_form(qtbot, hq_window) -> None:
    win = hq_window
    assert win.form_actions["intake"].shortcut().toString() == "Ctrl+I"
    form = open_intake(qtbot, win)
    fill(qtbot, form, {"upstream_ref": "META-HALF-TYPED", "subject.name": "Half Typed"})
    form.set_values({"district": "KNP"})
    form._changed()
    saved: list[bool] = []
    form.draft_saved.connect(lambda: saved.append(True))
    form.reject()  # Esc, or "Cancel (draft kept)"
    qtbot.waitUntil(lambda: bool(saved), timeout=5000)
    again = open_intake(qtbot, win)
    assert again is not form and again.draft_found
    values = again.values()
    assert (values["upstream_ref"], values["subject.name"], values["district"]) == (
        "META-HALF-TYPED", "Half Typed", "KNP",
    )  # fmt: skip
    assert again.widgets["district"].currentText() == "Kanpur Nagar"
    again.reject()
