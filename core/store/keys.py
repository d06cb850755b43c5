"""The store's encryption key: 256 random bits, kept hex-encoded in the OS keyring, never on disk.

SQLCipher is given the raw key (``PRAGMA key = "x'HEX'"``), so opening the store skips the
passphrase key derivation (PBKDF2, ~150 ms per connection) and costs milliseconds. The key's
strength comes from ``secrets.token_bytes``, not from a password, so derivation would add nothing.

There is no plaintext fallback: if no OS keyring can hold the key, ``KeyringUnavailable`` is raised
with a way forward, and the store is not opened.
"""

from __future__ import annotations

import secrets
from typing import Any

from core.errors import KeyringUnavailable, StoreCause, StoreUnavailable

KEYRING_SERVICE = "rakshak"
KEY_BYTES = 32

NO_KEYRING_HELP = (
    "No usable OS keyring to hold the database key. On Linux, install and unlock a Secret Service "
    "such as gnome-keyring; on Windows the Credential Manager is used automatically."
)


def keyring_username(profile: str) -> str:
    return f"db-key:{profile}"


def check_key(key: bytes) -> bytes:
    if not isinstance(key, bytes) or len(key) != KEY_BYTES:
        raise ValueError(f"a store key is {KEY_BYTES} raw bytes")
    return key


def key_pragma(key: bytes) -> str:
    """The ``PRAGMA key`` statement for a raw key (no key derivation)."""
    return f"PRAGMA key = \"x'{check_key(key).hex()}'\""


class StoreKey:
    """Where the raw 256-bit SQLCipher key comes from. Keys are plain ``bytes``; never log them."""

    @staticmethod
    def load(profile: str = "default") -> bytes | None:
        """The key kept in the keyring for ``profile``, or None if there is none yet."""
        backend = _backend()
        try:
            text = backend.get_password(KEYRING_SERVICE, keyring_username(profile))
        except Exception as exc:  # any backend failure (D-Bus down, locked collection): no usable key store
            raise KeyringUnavailable(f"{NO_KEYRING_HELP} ({type(exc).__name__}: {exc})") from exc
        return None if text is None else _from_hex(text)

    @staticmethod
    def load_or_create(profile: str = "default") -> bytes:
        """The key for ``profile``; on first run a fresh random one, saved to the keyring and read back."""
        existing = StoreKey.load(profile)
        if existing is not None:
            return existing
        key = secrets.token_bytes(KEY_BYTES)
        backend = _backend()
        try:
            backend.set_password(KEYRING_SERVICE, keyring_username(profile), key.hex())
            stored = backend.get_password(KEYRING_SERVICE, keyring_username(profile))
        except Exception as exc:
            raise KeyringUnavailable(f"{NO_KEYRING_HELP} ({type(exc).__name__}: {exc})") from exc
        if stored is None or _from_hex(stored) != key:
            raise KeyringUnavailable(f"{NO_KEYRING_HELP} (the keyring did not keep the key)")
        return key

    @staticmethod
    def ephemeral() -> bytes:
        """A random key that is never stored: for tests and the demo only (the data dies with it)."""
        return secrets.token_bytes(KEY_BYTES)

    @staticmethod
    def delete(profile: str = "default") -> None:
        """Forget the key: the store becomes unreadable for good (decommissioning a workstation)."""
        backend = _backend()
        try:
            backend.delete_password(KEYRING_SERVICE, keyring_username(profile))
        except Exception as exc:
            if type(exc).__name__ == "PasswordDeleteError":  # nothing to delete
                return
            raise KeyringUnavailable(f"{NO_KEYRING_HELP} ({type(exc).__name__}: {exc})") from exc


def _from_hex(text: str) -> bytes:
    try:
        raw = bytes.fromhex(text.strip())
    except ValueError:
        raise StoreUnavailable("the store key held in the OS keyring is malformed", StoreCause.KEY) from None
    if len(raw) != KEY_BYTES:
        raise StoreUnavailable("the store key held in the OS keyring has the wrong length", StoreCause.KEY)
    return raw


def _backend() -> Any:
    # Imported here: keyring scans its backends at import (~70 ms), which a process that is handed
    # its key (tests, the crash-test writer) need not pay.
    try:
        import keyring
        from keyring.backends import fail

        backend = keyring.get_keyring()
    except Exception as exc:
        raise KeyringUnavailable(f"{NO_KEYRING_HELP} ({type(exc).__name__}: {exc})") from exc
    if isinstance(backend, fail.Keyring):
        raise KeyringUnavailable(NO_KEYRING_HELP)
    return backend
