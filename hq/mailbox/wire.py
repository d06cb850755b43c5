"""The response model of ``GET /api/v1/mailbox/health`` (``hq.mailbox.health.MailboxHealth`` on the wire)."""

from __future__ import annotations

from pydantic import BaseModel


class MailboxHealthOut(BaseModel):
    mailbox: str  # user@host/folder
    last_contact_at: str | None  # the server last answered
    last_fetch_at: str | None  # a whole run last ended without an error
    last_error: str | None
    last_error_at: str | None
    failing: bool  # the last error is newer than the last good run
    taken: int  # mails taken in all
    refused: int  # oversized mails refused in all


__all__ = ["MailboxHealthOut"]
