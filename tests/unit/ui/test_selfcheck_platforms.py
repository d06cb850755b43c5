"""Which Qt platform selfcheck expects the user to get, from the environment a desktop session sets."""

from __future__ import annotations

import pytest

from ui.selfcheck import expected_platforms

CASES = [
    ({"QT_QPA_PLATFORM": "offscreen", "DISPLAY": ":0"}, ("offscreen",)),
    ({"QT_QPA_PLATFORM": "xcb:dpi=96"}, ("xcb",)),
    ({"QT_QPA_PLATFORM": "wayland;xcb", "WAYLAND_DISPLAY": "wayland-0"}, ("wayland",)),
    ({"DISPLAY": ":0"}, ("xcb",)),
    ({"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0"}, ("wayland", "xcb")),
    ({}, None),
]


@pytest.mark.parametrize(("env", "expected"), CASES)
def test_expected_platforms_follow_the_session(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], expected: tuple[str, ...] | None
) -> None:
    for name in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr("sys.platform", "linux")
    assert expected_platforms() == expected


def test_any_platform_is_right_off_linux(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.setattr("sys.platform", "win32")
    assert expected_platforms() == ()
