"""First-run login against HQ on loopback, and switching the language of a running client."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.e2e.kit import start_client, stop_client
from tests.fixtures.hq import SEED_USERS
from ui.login import LoginDialog
from ui.operations import TaskManager

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support")


def login_with(qtbot, dialog: LoginDialog, url: str, username: str, password: str) -> None:
    dialog.hq_url.setText(url)
    dialog.username.setText(username)
    qtbot.keyClicks(dialog.password, password)
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)


def test_first_run_login_registers_device_and_keeps_tokens_in_keyring(qtbot, hq_server, memory_keyring):
    taskman = TaskManager()
    dialog = LoginDialog(taskman, "device-first-run", lang="en")
    qtbot.addWidget(dialog)
    try:
        login_with(qtbot, dialog, hq_server.url, "demo", "not-the-password")
        qtbot.waitUntil(lambda: "Wrong username or password" in dialog.error.text(), timeout=10_000)
        assert dialog.password.text() == ""  # never left in the box

        login_with(qtbot, dialog, "http://127.0.0.1:9", "demo", SEED_USERS["demo"])  # nothing listens there
        qtbot.waitUntil(lambda: "cannot be reached" in dialog.error.text(), timeout=15_000)

        with qtbot.waitSignal(dialog.logged_in, timeout=10_000) as signed_in:
            login_with(qtbot, dialog, hq_server.url, "demo", SEED_USERS["demo"])
        session, user, _password = signed_in.args
        assert user.username == "demo" and user.district == "LKO"
        assert session.logged_in
        stored = [v for (service, name), v in memory_keyring.secrets.items() if name.startswith("session:")]
        assert stored and SEED_USERS["demo"] not in stored[0]  # tokens, never the password
    finally:
        taskman.shutdown()


def test_language_switch_rebuilds_window_in_hindi(qtbot, hq_server, tmp_path):
    client = start_client(qtbot, tmp_path, hq_server.url)
    try:
        assert client.window.windowTitle().startswith("Rakshak")
        client.change_language("hi")
        qtbot.addWidget(client.window)
        assert client.window.windowTitle().startswith("रक्षक")
        assert client.window.queue.status_filter.itemText(0) == "खुले केस"
        assert client.settings.get("language") == "hi"
        client.change_language("en")
        qtbot.addWidget(client.window)
        assert client.window.windowTitle().startswith("Rakshak")
    finally:
        stop_client(qtbot, client)
