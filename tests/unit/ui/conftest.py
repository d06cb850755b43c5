"""Shared by the desktop-client tests in this folder (main window and alarm engineers: append only)."""

from __future__ import annotations

# --- alarm: the private PulseAudio null sink is started for the whole run by the root conftest ---
# --- language: the QApplication, back in English after each test that switched it ---
from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication

# --- main window: a real SQLCipher store per test (tests/e2e/kit.py) ---
from tests.e2e.kit import ui_env  # noqa: F401


@pytest.fixture
def app(qtbot: object) -> Iterator[QApplication]:
    from ui.i18n import install_translator

    instance = QApplication.instance()
    assert isinstance(instance, QApplication)
    yield instance
    install_translator(instance, "en")  # whatever a test switched to, the next one starts in English
