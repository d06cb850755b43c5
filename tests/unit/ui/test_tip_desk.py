"""The tip desks (SP office, range DIG): the queue-and-detail layout, the tip's work box by role, and
what the role never records refused before anything is stored."""

from __future__ import annotations

from typing import Any

from core.commands import ROLE_REFUSAL, role_refusal
from core.errors import CommandRefused
from core.events import EventType
from tests.e2e.kit import add_cases_from_hq, make_context, wait_idle
from tests.unit.ui.test_tips import tip_events
from ui.operations.record import record_event


def test_role_refusal_follows_role_writes() -> None:
    assert role_refusal("range_dig", EventType.ACKNOWLEDGED) == ROLE_REFUSAL
    assert role_refusal("range_dig", EventType.TIP_ACTION) is None
    assert role_refusal("sp_office", EventType.TIP_OFFICER_ASSIGNED) is None
    assert role_refusal("sp_office", EventType.DISPATCHED) == ROLE_REFUSAL
    assert role_refusal("district_operator", EventType.ACKNOWLEDGED) is None


def test_the_dig_desk_shows_the_tip_notes_actions_and_cannot_acknowledge(qtbot: Any, app: Any, ui_env: Any) -> None:
    from ui.main_window import MainWindow

    ctx = make_context(ui_env)
    ctx.user.switch({"id": "u-dig", "username": "dig-vns", "display_name": "DIG Varanasi", "role": "range_dig"})
    win = MainWindow(ctx, with_sound=False)
    qtbot.addWidget(win)
    win.show()
    try:
        assert win.hq is None  # the tip desk is the queue and detail, not HQ's board
        events = tip_events(ui_env)
        case_id = events[0].case_id
        add_cases_from_hq(ui_env.store, events)
        ctx.taskman.cases_changed.emit(frozenset({case_id}))
        qtbot.waitUntil(lambda: win.queue.model.rowCount() == 1, timeout=5000)
        win.queue.select_case(case_id)
        work = win.detail.tip_box.work
        qtbot.waitUntil(lambda: win.detail.tip_box.case_id == case_id, timeout=5000)
        assert not work.officer_button.isVisible() and not work.outcome_button.isVisible()
        assert work.action_button.isVisible() and work.action_button.isEnabled()
        enabled = {form for form, button in win.detail.buttons.items() if button.isEnabled()}
        assert enabled == {"raise_risk", "assign"}, enabled
        # only the entries this role records have buttons at all (no greyed-out siren workflow)
        assert set(win.detail.buttons) == enabled, set(win.detail.buttons)

        work.action_button.click()
        dialog = work.dialog
        assert dialog is not None
        dialog.text.setPlainText("SP asked to raid tonight")
        dialog.buttons.accepted.emit()
        qtbot.waitUntil(lambda: "SP asked to raid tonight" in work.summary.text(), timeout=5000)
        # the header reads the tip's own status (the tip-line report's), not the siren workflow's "New"
        qtbot.waitUntil(lambda: win.detail.header.text().endswith("Action taken"), timeout=5000)

        refused: list[BaseException] = []
        record_event(ctx, case_id, EventType.ACKNOWLEDGED, {}, failure=refused.append).run(ctx.taskman)
        qtbot.waitUntil(lambda: bool(refused), timeout=5000)
        assert isinstance(refused[0], CommandRefused) and str(refused[0]) == ROLE_REFUSAL
        with ui_env.store.reader() as uow:
            types = [s.event.type for s in uow.events.history(case_id)]
        assert EventType.ACKNOWLEDGED not in types and EventType.TIP_ACTION in types
    finally:
        win.close()
        wait_idle(qtbot, ctx)
        ctx.taskman.shutdown()
