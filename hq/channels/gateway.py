"""SMS and voice calls through an HTTP gateway of the Exotel / MSG91 / Textlocal kind.

The gateway's contract (what ``tests/fixtures/gateway_sim.py`` plays): ``POST {base}/sms`` with JSON
``{"to", "from", "body", "status_callback"}`` and ``POST {base}/calls`` with ``{"to", "from", "say",
"status_callback"}``, HTTP basic auth with the account id and token. 200/201/202 with ``{"id": ...}``
means taken; later the gateway posts the delivery receipt to ``status_callback``
(``POST /api/v1/channels/receipts/{token}`` at HQ, ``hq.escalation.store.record_receipt``).

A timeout, a refused connection, 429 and 5xx are retried with exponential backoff; any other 4xx is
a refusal no retry can mend (bad number, bad credentials) and is answered at once.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import requests

from hq.channels import Delivery, Recipient

RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
ANSWER_CHARS = 300


@dataclass(frozen=True)
class GatewayConfig:
    base_url: str
    sid: str | None
    token: str | None
    sender: str = "RAKSHK"
    timeout_s: float = 10.0
    retries: int = 3
    backoff_s: float = 2.0


class Gateway:
    """One HTTP session to the gateway, shared by the SMS and voice channels. Thread-safe enough for
    the runner's one thread; ``sleep`` is injectable so tests need not wait out real backoff."""

    def __init__(self, config: GatewayConfig, *, sleep: Callable[[float], None] = time.sleep):
        self.config = config
        self._sleep = sleep
        self._session = requests.Session()
        if config.sid and config.token:
            self._session.auth = (config.sid, config.token)

    def close(self) -> None:
        self._session.close()

    def post(self, path: str, body: dict[str, Any]) -> Delivery:
        url = self.config.base_url.rstrip("/") + path
        answer = ""
        for attempt in range(1, self.config.retries + 2):
            if attempt > 1:
                self._sleep(self.config.backoff_s * 2 ** (attempt - 2))
            try:
                r = self._session.post(url, json=body, timeout=self.config.timeout_s)
            except requests.Timeout:
                answer = f"no answer within {self.config.timeout_s:g} s"
                continue
            except requests.RequestException as exc:
                answer = f"cannot reach the gateway: {type(exc).__name__}"
                continue
            text = r.text[:ANSWER_CHARS]
            if r.status_code in (200, 201, 202):
                provider_id = _provider_id(r)
                return Delivery("sent", f"{r.status_code} {text}".strip(), attempt, provider_id)
            answer = f"{r.status_code} {text}".strip()
            if r.status_code not in RETRY_STATUS:
                return Delivery("refused", answer, attempt)
        return Delivery("failed", answer, self.config.retries + 1)


def _provider_id(r: requests.Response) -> str | None:
    try:
        data = r.json()
    except ValueError:
        return None
    value = data.get("id") if isinstance(data, dict) else None
    return str(value)[:200] if value is not None else None


class SmsChannel:
    name = "sms"

    def __init__(self, gateway: Gateway):
        self.gateway = gateway

    def target(self, recipient: Recipient) -> str | None:
        return recipient.phone

    def send(self, text: str, subject: str, recipient: Recipient, callback_url: str | None) -> Delivery:
        if not recipient.phone:
            return Delivery("no_address", "no phone number for this contact")
        body = {"to": recipient.phone, "from": self.gateway.config.sender, "body": text}
        if callback_url:
            body["status_callback"] = callback_url
        return self.gateway.post("/sms", body)


class VoiceChannel:
    """A call that reads the notice out (the gateway's text-to-speech)."""

    name = "voice"

    def __init__(self, gateway: Gateway):
        self.gateway = gateway

    def target(self, recipient: Recipient) -> str | None:
        return recipient.phone

    def send(self, text: str, subject: str, recipient: Recipient, callback_url: str | None) -> Delivery:
        if not recipient.phone:
            return Delivery("no_address", "no phone number for this contact")
        body = {"to": recipient.phone, "from": self.gateway.config.sender, "say": text}
        if callback_url:
            body["status_callback"] = callback_url
        return self.gateway.post("/calls", body)


__all__ = ["Gateway", "GatewayConfig", "SmsChannel", "VoiceChannel"]
