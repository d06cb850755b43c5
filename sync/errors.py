"""Sync errors by cause: the link, HQ's answer, the login, a bug on the far side.

The engine treats them differently: ``HQUnreachable`` is retried forever with backoff; a
``ProtocolError`` is retried too but shown as an error (HQ or something between us sent garbage, and
the store was not touched); ``HQRefused`` is HQ saying no to a whole request; ``LoginRequired`` stops
authenticated work until someone logs in again, while pending events wait safely in the outbox.
"""

from __future__ import annotations

from core.errors import RakshakError


class SyncError(RakshakError):
    """Base of every error the sync layer raises on purpose."""


class InsecureURL(SyncError):
    """HQ's address is plain http to a host that is not loopback, or not an http(s) URL at all."""


class HQUnreachable(SyncError):
    """The link or HQ failed: connection refused/reset, timeout, TLS failure, 5xx, 429. Retry later."""


class ProtocolError(SyncError):
    """HQ's reply is not what docs/PROTOCOL.md promises. Nothing from it was applied to the store."""


class HQRefused(SyncError):
    """HQ answered a whole request with a 4xx (other than an expired login). ``code`` is HQ's machine code."""

    def __init__(self, status: int, code: str | None, detail: str):
        super().__init__(f"HQ refused the request ({status} {code or 'no code'}): {detail}")
        self.status = status
        self.code = code
        self.detail = detail


class Unauthenticated(HQRefused):
    """401: the access token is missing, wrong or expired. ``Session`` refreshes and retries once."""


class LoginRequired(SyncError):
    """No usable login: no stored refresh token, or HQ refused the refresh. A person must log in again."""
