"""HQ signs the events it writes (Ed25519), so it can trust them when consoles hand them back.

An HQ restored from an older backup has lost the ``created`` and ``assigned`` events it wrote after
that backup; the consoles still hold them. HQ reinstates such an event only if its signature
verifies with a key HQ trusts (``hq.repair``). The private key therefore lives outside the database
and its backups: a file named by ``RAKSHAK_HQ_SIGNING_KEY`` (``hq serve --signing-key``), made by
``hq admin signing-key new FILE``. Public keys of earlier signing keys stay trusted for verification
when listed, one per line, in the file named by ``RAKSHAK_HQ_TRUSTED_KEYS`` (``hq serve
--trusted-keys``); docs/DEPLOY.md has the rotation procedure.

A signature is the text ``ed25519:<key id>:<base64 signature>`` over ``SIGNED_PREFIX`` + the
event's ``content_key()``. It is an envelope field (``core.events.Event.signature``), not part of
the content: the idempotency comparison of events is unchanged, and an event signed again by a new
key is still the same event. The key id is the first 16 hex digits of the SHA-256 of the raw public
key.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import threading
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from core.events import Event

ENV_SIGNING_KEY = "RAKSHAK_HQ_SIGNING_KEY"
ENV_TRUSTED_KEYS = "RAKSHAK_HQ_TRUSTED_KEYS"
SIGNED_PREFIX = b"rakshak-hq-event-v1\n"
SCHEME = "ed25519"


class SigningKeyError(Exception):
    """A key file is missing, unreadable or not an Ed25519 key."""


def key_id(public: Ed25519PublicKey) -> str:
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def public_text(public: Ed25519PublicKey) -> str:
    """The public key as one line of a trusted-keys file: base64 of the raw 32 bytes."""
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode()


def _message(event: Event) -> bytes:
    return SIGNED_PREFIX + event.content_key().encode()


@dataclass(frozen=True)
class Keys:
    """The signing key (None: HQ signs nothing) and every public key trusted for verification."""

    private: Ed25519PrivateKey | None
    trusted: dict[str, Ed25519PublicKey]

    def sign(self, event: Event) -> str | None:
        if self.private is None:
            return None
        sig = self.private.sign(_message(event))
        return f"{SCHEME}:{key_id(self.private.public_key())}:{base64.b64encode(sig).decode()}"

    def verify(self, event: Event) -> bool:
        """True when ``event.signature`` is a signature of this event by a trusted key."""
        parts = (event.signature or "").split(":")
        if len(parts) != 3 or parts[0] != SCHEME:
            return False
        public = self.trusted.get(parts[1])
        if public is None:
            return False
        try:
            public.verify(base64.b64decode(parts[2], validate=True), _message(event))
        except (InvalidSignature, binascii.Error, ValueError):
            return False
        return True


def generate(path: Path) -> str:
    """Write a new private key to ``path`` (readable by its owner only; never overwrites) and return
    its public key line."""
    private = Ed25519PrivateKey.generate()
    pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(pem)
    return public_text(private.public_key())


def load_private(path: Path) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as exc:
        raise SigningKeyError(f"cannot read the signing key {path}: {exc}") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningKeyError(f"{path} is not an Ed25519 private key")
    return key


def load_trusted(path: Path) -> list[Ed25519PublicKey]:
    """Public keys, one base64 line each; blank lines and ``#`` comments are skipped."""
    try:
        lines = path.read_text().splitlines()
    except OSError as exc:
        raise SigningKeyError(f"cannot read the trusted keys {path}: {exc}") from None
    out = []
    for n, line in enumerate(lines, start=1):
        text = line.split("#", 1)[0].strip()
        if not text:
            continue
        try:
            out.append(Ed25519PublicKey.from_public_bytes(base64.b64decode(text, validate=True)))
        except (binascii.Error, ValueError):
            raise SigningKeyError(f"{path}, line {n}: not a base64 Ed25519 public key") from None
    return out


def load(signing_key: Path | None, trusted_keys: Path | None) -> Keys:
    private = load_private(signing_key) if signing_key is not None else None
    publics = load_trusted(trusted_keys) if trusted_keys is not None else []
    if private is not None:
        publics.append(private.public_key())
    return Keys(private, {key_id(k): k for k in publics})


_lock = threading.Lock()
_cache: tuple[tuple[str, str], Keys] | None = None


def current() -> Keys:
    """The keys named by the environment (read once per distinct setting)."""
    global _cache
    setting = (os.environ.get(ENV_SIGNING_KEY, ""), os.environ.get(ENV_TRUSTED_KEYS, ""))
    with _lock:
        if _cache is None or _cache[0] != setting:
            keys = load(Path(setting[0]) if setting[0] else None, Path(setting[1]) if setting[1] else None)
            _cache = (setting, keys)
        return _cache[1]


def sign(event: Event) -> str | None:
    """HQ's signature of an event HQ wrote, or None when HQ has no signing key."""
    return current().sign(event)
