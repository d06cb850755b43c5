"""What the operator is told when the disk fails: never "not saved" for a stored entry.

The disk failure itself (an I/O error during COMMIT) is made for real only on a small filesystem
(tests/integration/store/test_disk_full.py); here the commit of an operator action
(``ui.operations.record.commit_action``) raises the errors the store raises then, against a real
SQLCipher store, and the window and form are real.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from core.errors import OutcomeUnknown, StoreCause, StoreUnavailable
from core.store import LocalStore
from tests.e2e.kit import fill, make_context, wait_idle
from tests.unit.ui.conftest import main_window
from ui.forms.form import UNDECIDED_KEY
from ui.operations import record as ops_record
from ui.status_bar import SyncStatusBar

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support")

NOTE = {"officer_name": "SI Verma", "officer_rank": "SI", "text": "Spoke with the family"}


@pytest.fixture
def window(qtbot, ui_env) -> Iterator[Any]:
    with main_window(qtbot, ui_env, "Ravi Disktest", shown=True) as win:
        yield win


def notes(win: Any) -> list[str]:
    with win.ctx.store.reader() as uow:
        return [s.event.payload["text"] for s in uow.events.history(win.case_id) if s.event.type == "counselling_note"]


def open_note(qtbot: Any, win: Any) -> Any:
    form = win.open_form("note")
    qtbot.waitUntil(lambda: form.draft_found is not None, timeout=5000)
    fill(qtbot, form, NOTE)
    return form


def submit(qtbot: Any, form: Any) -> None:
    qtbot.mouseClick(form.submit_button, Qt.MouseButton.LeftButton)


def test_an_unknown_outcome_that_was_stored_is_reported_saved_once(qtbot, window, monkeypatch) -> None:
    real = ops_record.commit_action

    def stored_then_io_error(uow: Any, event: Any) -> Any:
        real(uow, event)
        raise OutcomeUnknown("disk I/O error during COMMIT", event_id=event.id)

    monkeypatch.setattr(ops_record, "commit_action", stored_then_io_error)
    form = open_note(qtbot, window)
    with qtbot.waitSignal(form.recorded, timeout=10_000):
        submit(qtbot, form)
    assert notes(window) == [NOTE["text"]]
    assert not form.isVisible()


def test_an_unknown_outcome_not_stored_is_said_plainly_and_the_next_submit_checks_first(
    qtbot, window, monkeypatch
) -> None:
    calls: list[str] = []

    def io_error_not_stored(*_args: Any, **_kw: Any) -> Any:
        calls.append("record")
        raise OutcomeUnknown("disk I/O error during COMMIT", event_id="ev-undecided")

    monkeypatch.setattr(ops_record, "commit_action", io_error_not_stored)
    monkeypatch.setattr(LocalStore, "commit_outcome", lambda _self, _id: None)  # the disk is still full
    form = open_note(qtbot, window)
    submit(qtbot, form)
    qtbot.waitUntil(lambda: form.error.isVisible(), timeout=10_000)
    assert "not known whether this was saved" in form.error.text()
    assert "Not saved" not in form.error.text()
    assert form.isEnabled() and form.values()["text"] == NOTE["text"]  # what was typed is kept
    assert window.alarm.is_ringing

    monkeypatch.undo()  # space is freed: the next submit settles "ev-undecided" (absent), then records
    with qtbot.waitSignal(form.recorded, timeout=10_000):
        submit(qtbot, form)
    assert notes(window) == [NOTE["text"]] and calls == ["record"]


def test_an_unknown_outcome_settled_as_not_stored_says_not_saved_with_the_cause(qtbot, window, monkeypatch) -> None:
    monkeypatch.setattr(
        ops_record, "commit_action", lambda *_a, **_k: (_ for _ in ()).throw(OutcomeUnknown("I/O", event_id="ev-gone"))
    )
    form = open_note(qtbot, window)
    submit(qtbot, form)
    qtbot.waitUntil(lambda: form.error.isVisible(), timeout=10_000)
    assert form.error.text().startswith("Not saved:") and "could not be written" in form.error.text()
    assert notes(window) == []


def test_a_full_disk_is_named_and_the_alarm_keeps_ringing(qtbot, window, monkeypatch) -> None:
    def disk_full(*_args: Any, **_kw: Any) -> Any:
        raise StoreUnavailable("database or disk is full", StoreCause.DISK_FULL)

    monkeypatch.setattr(ops_record, "commit_action", disk_full)
    window.acknowledge(window.case_id)
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "notice") is not None, timeout=5000)
    box = window.findChild(QMessageBox, "notice")
    assert "The disk is full: nothing new can be saved. Free space or call the IT cell." in box.text()
    wait_idle(qtbot, window.ctx)
    assert window.alarm.is_ringing  # the case is still unacknowledged: the siren goes on
    form = open_note(qtbot, window)
    submit(qtbot, form)
    qtbot.waitUntil(lambda: form.error.isVisible(), timeout=10_000)
    assert "The disk is full" in form.error.text()
    qtbot.wait(300)
    assert window.alarm.is_ringing


def test_the_status_bar_warns_while_free_space_is_under_the_threshold(qtbot, ui_env, tmp_path) -> None:
    ctx = make_context(ui_env)
    bar = SyncStatusBar()
    qtbot.addWidget(bar)
    bar.show()
    bar.set_disk_free(100 * 2**20, 500 * 2**20)
    assert bar.disk.isVisible() and "100 MB free" in bar.disk.text()
    bar.set_disk_free(900 * 2**20, 500 * 2**20)
    assert not bar.disk.isVisible()
    bar.watch_disk(ctx.taskman, tmp_path, 2**62)  # every real disk is "low" against this threshold
    qtbot.waitUntil(bar.disk.isVisible, timeout=5000)
    wait_idle(qtbot, ctx)
    ctx.taskman.shutdown()


def test_an_undecided_entry_is_checked_first_even_from_a_new_form_and_never_saved_twice(
    qtbot, window, monkeypatch
) -> None:
    real = ops_record.commit_action

    def stored_then_io_error(uow: Any, event: Any) -> Any:
        real(uow, event)  # on disk (as after a crash and WAL recovery) but reported as an I/O error
        raise OutcomeUnknown("disk I/O error during COMMIT", event_id=event.id)

    monkeypatch.setattr(ops_record, "commit_action", stored_then_io_error)
    monkeypatch.setattr(LocalStore, "commit_outcome", lambda _self, _id: None)
    form = open_note(qtbot, window)
    submit(qtbot, form)
    qtbot.waitUntil(lambda: form.error.isVisible(), timeout=10_000)

    def undecided_in_draft() -> bool:
        with window.ctx.store.reader() as r:
            return UNDECIDED_KEY in (r.drafts.load(window.case_id, "note") or {})

    qtbot.waitUntil(undecided_in_draft, timeout=5000)
    form.reject()  # the operator closes the form (or the workstation restarts): the draft remembers
    wait_idle(qtbot, window.ctx)
    monkeypatch.undo()
    form.deleteLater()
    window.forms.clear()
    again = window.open_form("note")
    qtbot.waitUntil(lambda: again.draft_found is not None, timeout=5000)
    assert again.values()["text"] == NOTE["text"]
    with qtbot.waitSignal(again.recorded, timeout=10_000):
        submit(qtbot, again)
    assert notes(window) == [NOTE["text"]]  # settled as stored: not recorded a second time
