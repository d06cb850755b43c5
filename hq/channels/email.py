"""E-mail notices over SMTP (smtplib): STARTTLS with certificate verification when configured, a
login when a user is set, a timeout, and retries with backoff on a connection or server failure.
A recipient the server refuses (5xx) is a refusal, not retried."""

from __future__ import annotations

import smtplib
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid

from hq.channels import Delivery, Recipient


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int = 587
    starttls: bool = True
    user: str | None = None
    password: str | None = None
    sender: str = "rakshak-hq@localhost"
    timeout_s: float = 15.0
    retries: int = 2
    backoff_s: float = 2.0


class EmailChannel:
    name = "email"

    def __init__(self, config: SmtpConfig, *, sleep: Callable[[float], None] = time.sleep):
        self.config = config
        self._sleep = sleep

    def target(self, recipient: Recipient) -> str | None:
        return recipient.email

    def send(self, text: str, subject: str, recipient: Recipient, callback_url: str | None) -> Delivery:
        if not recipient.email:
            return Delivery("no_address", "no e-mail address for this contact")
        msg = EmailMessage()
        msg["From"] = self.config.sender
        msg["To"] = recipient.email
        msg["Subject"] = subject
        msg_id = make_msgid(domain="rakshak.hq")
        msg["Message-ID"] = msg_id
        msg.set_content(text)  # UTF-8: the Hindi text travels as it is
        answer = ""
        for attempt in range(1, self.config.retries + 2):
            if attempt > 1:
                self._sleep(self.config.backoff_s * 2 ** (attempt - 2))
            try:
                with smtplib.SMTP(self.config.host, self.config.port, timeout=self.config.timeout_s) as smtp:
                    if self.config.starttls:
                        smtp.starttls(context=ssl.create_default_context())
                    if self.config.user:
                        smtp.login(self.config.user, self.config.password or "")
                    smtp.send_message(msg)
                return Delivery("sent", "250 accepted", attempt, msg_id)
            except smtplib.SMTPRecipientsRefused as exc:
                codes = ", ".join(f"{code}" for code, _ in exc.recipients.values())
                return Delivery("refused", f"recipient refused ({codes})", attempt)
            except smtplib.SMTPResponseException as exc:
                error = exc.smtp_error
                said = error.decode(errors="replace") if isinstance(error, bytes) else str(error)
                answer = f"{exc.smtp_code} {said[:200]}"
                if 500 <= exc.smtp_code < 600:
                    return Delivery("refused", answer, attempt)
            except (OSError, smtplib.SMTPException) as exc:
                answer = f"cannot reach the mail server: {type(exc).__name__}"
        return Delivery("failed", answer, self.config.retries + 1)


__all__ = ["EmailChannel", "SmtpConfig"]
