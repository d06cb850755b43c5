"""An HQ server whose OS keyring cannot be read (no D-Bus, no Secret Service) still starts: every
setting HQ may keep in the keyring reads as absent, and the environment is the other source."""

from __future__ import annotations

from collections.abc import Iterator

import keyring
import pytest
from keyring.backend import KeyringBackend

from hq.embedded import start_server
from hq.secrets import keyring_secret


class _DBusDown(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        raise RuntimeError("org.freedesktop.DBus.Error.ServiceUnknown")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise RuntimeError("org.freedesktop.DBus.Error.ServiceUnknown")

    def delete_password(self, service: str, username: str) -> None:
        raise RuntimeError("org.freedesktop.DBus.Error.ServiceUnknown")


@pytest.fixture
def dbus_down() -> Iterator[None]:
    previous = keyring.get_keyring()
    keyring.set_keyring(_DBusDown())
    yield
    keyring.set_keyring(previous)


def test_a_keyring_that_fails_reads_as_absent(dbus_down: None) -> None:
    assert keyring_secret("rakshak-hq", "gateway-password") is None


def test_hq_starts_when_the_keyring_cannot_be_read(dbus_down: None, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import httpx

    server = start_server(f"sqlite:///{tmp_path / 'hq.sqlite3'}")
    try:
        assert httpx.get(f"{server.url}/api/v1/health").status_code == 200
    finally:
        server.stop()
