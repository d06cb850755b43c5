"""Escalation at HQ (docs/HQ.md, "Escalation"): policies (``policy``), their storage and the duty
contacts (``store``), the runner that takes the steps (``runner``, ``steps``) and its set-up from
the environment (``runner_from_env``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hq.db import Database
    from hq.escalation.runner import EscalationRunner

RECEIPTS_PATH = "/api/v1/channels/receipts"


def runner_from_env(db: Database) -> EscalationRunner:
    """A runner with the channels the environment (and keyring) configures (``hq.channels.settings``).
    A channel without settings is left out: its deliveries are recorded as ``not_configured``."""
    # imported here: importing any module of this package (the policy model, the store) loads this
    # file, and must not load the runner and every channel with it
    from hq.channels import Channel
    from hq.channels.email import EmailChannel, SmtpConfig
    from hq.channels.gateway import Gateway, GatewayConfig, SmsChannel, VoiceChannel
    from hq.channels.settings import read
    from hq.escalation.runner import EscalationRunner

    s = read()
    channels: dict[str, Channel] = {}
    if s["RAKSHAK_GATEWAY_URL"]:
        gateway = Gateway(
            GatewayConfig(
                base_url=s["RAKSHAK_GATEWAY_URL"],
                sid=s["RAKSHAK_GATEWAY_SID"],
                token=s["RAKSHAK_GATEWAY_TOKEN"],
                sender=s["RAKSHAK_GATEWAY_SENDER"],
                timeout_s=s["RAKSHAK_GATEWAY_TIMEOUT_S"],
                retries=s["RAKSHAK_GATEWAY_RETRIES"],
                backoff_s=s["RAKSHAK_GATEWAY_BACKOFF_S"],
            )
        )
        channels["sms"] = SmsChannel(gateway)
        channels["voice"] = VoiceChannel(gateway)
    if s["RAKSHAK_SMTP_HOST"]:
        channels["email"] = EmailChannel(
            SmtpConfig(
                host=s["RAKSHAK_SMTP_HOST"],
                port=s["RAKSHAK_SMTP_PORT"],
                starttls=s["RAKSHAK_SMTP_STARTTLS"],
                user=s["RAKSHAK_SMTP_USER"],
                password=s["RAKSHAK_SMTP_PASSWORD"],
                sender=s["RAKSHAK_SMTP_FROM"],
                timeout_s=s["RAKSHAK_SMTP_TIMEOUT_S"],
                retries=s["RAKSHAK_SMTP_RETRIES"],
            )
        )
    receipt_url = None
    if s["RAKSHAK_RECEIPT_BASE_URL"] and s["RAKSHAK_RECEIPT_TOKEN"]:
        receipt_url = f"{s['RAKSHAK_RECEIPT_BASE_URL'].rstrip('/')}{RECEIPTS_PATH}/{s['RAKSHAK_RECEIPT_TOKEN']}"
    return EscalationRunner(db, channels, tick_s=s["RAKSHAK_ESCALATION_TICK_S"], receipt_url=receipt_url)


def receipt_token() -> str | None:
    """HQ's receipt token (``RAKSHAK_RECEIPT_TOKEN``, environment or keyring), or None: no receipts."""
    from hq.channels.settings import read

    token = read()["RAKSHAK_RECEIPT_TOKEN"]
    return str(token) if token else None


__all__ = ["RECEIPTS_PATH", "receipt_token", "runner_from_env"]
