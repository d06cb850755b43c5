"""The store's encryption key: 256 random bits, kept hex-encoded in the OS keyring, never on disk.

SQLCipher is given the raw key (``PRAGMA key = "x'HEX'"``), so opening the store skips the
passphrase key derivation (PBKDF2, ~150 ms per connection) and costs milliseconds. The key's
strength comes from ``secrets.token_bytes``, not from a password, so derivation adds nothing.

There is no plaintext fallback: if no OS keyring can hold the key, ``KeyringUnavailable`` is raised
with a way forward, and the application does not start its store.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

import keyring
import keyring.errors
from keyring.backends import fail

from core.errors import KeyringUnavailable, StoreUnavailable

KEYRING_SERVICE = "rakshak"
DEFAULT_ACCOUNT = "local-store"
KEY_BYTES = 32

NO_KEYRING_HELP = (
    "No usable OS keyring to hold the database key. On Linux, install and unlock a Secret Service "
    "such as gnome-keyring; on Windows the Credential Manager is used automatically."
)


@dataclass(frozen=True)
class StoreKey:
    """A raw 256-bit SQLCipher key. ``repr`` never shows it."""

    raw: bytes = field(repr=False)

    def __post_init__(self) -> None:
        if len(self.raw) != KEY_BYTES:
            raise ValueError(f"a store key is {KEY_BYTES} bytes, not {len(self.raw)}")

    @property
    def hex(self) -> str:
        return self.raw.hex()

    def pragma(self) -> str:
        """The ``PRAGMA key`` statement for this key (raw key: no key derivation)."""
        return f"PRAGMA key = \"x'{self.hex}'\""

    @classmethod
    def generate(cls) -> StoreKey:
        return cls(secrets.token_bytes(KEY_BYTES))

    @classmethod
    def from_hex(cls, text: str) -> StoreKey:
        try:
            raw = bytes.fromhex(text.strip())
        except ValueError:
            raise StoreUnavailable("the store key held in the OS keyring is malformed") from None
        if len(raw) != KEY_BYTES:
            raise StoreUnavailable("the store key held in the OS keyring has the wrong length")
        return cls(raw)

    @classmethod
    def load(cls, account: str = DEFAULT_ACCOUNT) -> StoreKey | None:
        """The key kept in the keyring under ``account``, or None if there is none yet."""
        backend = _backend()
        try:
            text = backend.get_password(KEYRING_SERVICE, account)
        except Exception as exc:  # any backend failure (D-Bus, locked collection) means no key store
            raise KeyringUnavailable(f"{NO_KEYRING_HELP} ({type(exc).__name__}: {exc})") from exc
        return None if text is None else cls.from_hex(text)

    @classmethod
    def load_or_create(cls, account: str = DEFAULT_ACCOUNT) -> StoreKey:
        """The key under ``account``; on first use a fresh one, saved to the keyring and read back."""
        existing = cls.load(account)
        if existing is not None:
            return existing
        key = cls.generate()
        backend = _backend()
        try:
            backend.set_password(KEYRING_SERVICE, account, key.hex)
            stored = backend.get_password(KEYRING_SERVICE, account)
        except Exception as exc:
            raise KeyringUnavailable(f"{NO_KEYRING_HELP} ({type(exc).__name__}: {exc})") from exc
        if stored is None or cls.from_hex(stored) != key:
            raise KeyringUnavailable(f"{NO_KEYRING_HELP} (the keyring did not keep the key)")
        return key

    @classmethod
    def delete(cls, account: str = DEFAULT_ACCOUNT) -> None:
        """Forget the key (the store becomes unreadable for good). For decommissioning a workstation."""
        backend = _backend()
        try:
            backend.delete_password(KEYRING_SERVICE, account)
        except keyring.errors.PasswordDeleteError:
            pass
        except Exception as exc:
            raise KeyringUnavailable(f"{NO_KEYRING_HELP} ({type(exc).__name__}: {exc})") from exc


def _backend() -> keyring.backend.KeyringBackend:
    try:
        backend = keyring.get_keyring()
    except Exception as exc:
        raise KeyringUnavailable(f"{NO_KEYRING_HELP} ({type(exc).__name__}: {exc})") from exc
    if isinstance(backend, fail.Keyring):
        raise KeyringUnavailable(NO_KEYRING_HELP)
    return backend
