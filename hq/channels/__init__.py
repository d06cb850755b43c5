"""Notification channels behind one interface: SMS and voice calls through an HTTP gateway, e-mail
over SMTP (docs/HQ.md, "Escalation"). No Qt, no database: a channel takes a ``Notice`` and a
``Recipient`` and answers with a ``Delivery``; it never raises for a failure of the far end, so a
dead gateway is recorded on the case and the escalation's later steps still run.

Sending blocks (HTTP, SMTP, retries with backoff): call it from the escalation runner's thread,
never from a request handler.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Recipient:
    name: str
    phone: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class Delivery:
    """What a channel answered. ``result``: ``sent`` (the gateway or mail server took it), ``refused``
    (it said no and retrying will not help), ``failed`` (no answer after every retry), ``no_address``
    (the recipient has no phone/e-mail for this channel), ``not_configured`` (the channel has no
    settings on this HQ)."""

    result: str
    answer: str
    attempts: int = 0
    provider_id: str | None = None

    @property
    def ok(self) -> bool:
        return self.result == "sent"


class Channel(Protocol):
    name: str

    def target(self, recipient: Recipient) -> str | None:
        """The address this channel uses for ``recipient`` (phone or e-mail), or None."""
        ...

    def send(self, text: str, subject: str, recipient: Recipient, callback_url: str | None) -> Delivery: ...


__all__ = ["Channel", "Delivery", "Recipient"]
