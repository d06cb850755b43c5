"""Shared by the desktop-client tests in this folder (main window and alarm engineers: append only)."""

from __future__ import annotations

# --- main window: a real SQLCipher store per test (tests/e2e/kit.py) ---
from tests.e2e.kit import ui_env  # noqa: F401

# --- alarm: the private PulseAudio null sink is started for the whole run by the root conftest ---
