"""Shared by the desktop-client tests in this folder: the QApplication back in English after each
test, a real SQLCipher store per test (``ui_env``, tests/e2e/kit.py) and a main window on it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from tests.e2e.kit import add_cases_from_hq, created_event, make_context, ui_env, wait_idle  # noqa: F401


@pytest.fixture
def app(qtbot: object) -> Iterator[QApplication]:
    from ui.i18n import install_translator

    instance = QApplication.instance()
    assert isinstance(instance, QApplication)
    yield instance
    install_translator(instance, "en")  # whatever a test switched to, the next one starts in English


@contextmanager
def main_window(qtbot: Any, env: Any, name: str, *, shown: bool = False, **fields: Any) -> Iterator[Any]:
    """A main window (no sound) on ``env``'s store holding one new suicide-risk case for ``name``, as HQ
    sent it; ``win.case_id`` is that case. ``shown``: wait for its alarm and open it in the detail pane.
    Closed, with its background work drained, afterwards."""
    from ui.main_window import MainWindow

    ev = created_event(env.hq_clock, name=name, **fields)
    add_cases_from_hq(env.store, [ev])
    ctx = make_context(env)
    win = MainWindow(ctx, with_sound=False)
    qtbot.addWidget(win)
    win.show()
    if shown:
        qtbot.waitUntil(lambda: win.alarm.is_ringing, timeout=5000)
    win.case_id = ev.case_id
    if shown:
        win.open_case(ev.case_id)
        qtbot.waitUntil(lambda: win.detail.state is not None, timeout=5000)
    try:
        yield win
    finally:
        win.close()
        wait_idle(qtbot, ctx)
        ctx.taskman.shutdown()
