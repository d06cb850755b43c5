"""Meta's webhook signature: ``X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body, keyed
with the app secret>``. Checked over the raw bytes *before* anything parses the body; shared by the
complaint webhooks and the tip line (both Meta apps sign the same way)."""

from __future__ import annotations

import hashlib
import hmac

HEADER = "X-Hub-Signature-256"
PREFIX = "sha256="


def sign(app_secret: str, raw_body: bytes) -> str:
    """The header value Meta sends for ``raw_body`` (tests and simulators use it to sign)."""
    return PREFIX + hmac.new(app_secret.encode(), raw_body, hashlib.sha256).hexdigest()


def verify(app_secret: str, raw_body: bytes, header: str | None) -> bool:
    """True only for a well-formed header whose HMAC matches, compared in constant time. An empty
    secret verifies nothing (a misconfigured HQ refuses every delivery rather than trust them all)."""
    if not app_secret or not header or not header.startswith(PREFIX):
        return False
    return hmac.compare_digest(sign(app_secret, raw_body), header.strip())


__all__ = ["HEADER", "PREFIX", "sign", "verify"]
