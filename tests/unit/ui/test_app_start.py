"""Start-up safety: no OS keyring means a clear dialog naming what to install, and no store at all."""

from __future__ import annotations

import argparse

import keyring
import pytest
from keyring.backends import fail
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from ui.app import EXIT_NO_KEYRING, run_gui

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support")


def test_no_keyring_stops_with_dialog_and_writes_nothing(qtbot, tmp_path, memory_keyring):
    keyring.set_keyring(fail.Keyring())
    seen: dict[str, str] = {}

    def close_dialog() -> None:
        for w in QApplication.topLevelWidgets():
            if isinstance(w, QMessageBox) and w.objectName() == "fatal-dialog" and w.isVisible():
                seen["title"] = w.windowTitle()
                seen["text"] = w.text()
                w.done(0)
                return
        QTimer.singleShot(20, close_dialog)

    QTimer.singleShot(20, close_dialog)
    args = argparse.Namespace(data_dir=tmp_path, lang="en", demo=False, demo_interval_s=60.0)
    assert run_gui(args) == EXIT_NO_KEYRING
    assert "keyring" in seen["title"].lower()
    assert "gnome-keyring" in seen["text"]
    # no store, no plaintext key: only the (empty) first-run lock file that serialises key creation
    left = list(tmp_path.iterdir())
    assert [p.name for p in left] in ([], ["rakshak.lock"])
    assert all(p.stat().st_size == 0 for p in left)


@pytest.mark.parametrize("lang", ["en", "hi"])
def test_language_is_switchable_and_rebuilds_the_window(qtbot, ui_env, lang):
    from tests.e2e.kit import make_context, wait_idle
    from ui.main_window import MainWindow

    ctx = make_context(ui_env).with_language(lang)
    win = MainWindow(ctx, with_sound=False)
    qtbot.addWidget(win)
    requested: list[str] = []
    win.language_change_requested.connect(requested.append)
    other = "hi" if lang == "en" else "en"
    win.choose_language(other)
    assert requested == [other]
    win.close()
    wait_idle(qtbot, ctx)
    ctx.taskman.shutdown()
