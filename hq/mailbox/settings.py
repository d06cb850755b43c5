"""The mailbox settings, declared once (type, default, description, environment variable) and read
from the service's environment when the worker starts, never at import.

The password is never a setting in a file: it comes from ``RAKSHAK_HQ_MAILBOX_PASSWORD`` in the
service's environment or, when that is unset, from the OS keyring (service ``rakshak-hq-mailbox``,
the mailbox user as the account name). With neither, the worker does not start and says why.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from core.settings import Setting
from hq.secrets import keyring_secret

KEYRING_SERVICE = "rakshak-hq-mailbox"
ENV_PASSWORD = "RAKSHAK_HQ_MAILBOX_PASSWORD"

MAILBOX_DECLARED: tuple[Setting, ...] = (
    Setting("host", str, "", "IMAP server of the monitoring centre's mailbox; unset: no mailbox intake.",
            env="RAKSHAK_HQ_MAILBOX_HOST"),
    Setting("port", int, 993, "IMAP port (993: IMAPS).", env="RAKSHAK_HQ_MAILBOX_PORT"),
    Setting("user", str, "", "IMAP user name.", env="RAKSHAK_HQ_MAILBOX_USER"),
    Setting("folder", str, "INBOX", "Folder Meta's alerts arrive in.", env="RAKSHAK_HQ_MAILBOX_FOLDER"),
    Setting("ca_file", str, "", "PEM file of the CA the server's certificate must chain to (a private CA); "
            "unset: the system's CAs.", env="RAKSHAK_HQ_MAILBOX_CA_FILE"),
    Setting("allow_plain", bool, False, "Plain IMAP without TLS: refused unless the host is loopback (tests).",
            env="RAKSHAK_HQ_MAILBOX_ALLOW_PLAIN"),
    Setting("max_mail_bytes", int, 25_000_000, "A larger mail (RFC822.SIZE) is refused without downloading it, "
            "and a case tells HQ about it.", env="RAKSHAK_HQ_MAILBOX_MAX_MAIL_BYTES"),
    Setting("max_per_run", int, 50, "Mails taken per run at most; the rest wait for the next run, which "
            "follows at once.", env="RAKSHAK_HQ_MAILBOX_MAX_PER_RUN"),
    Setting("poll_s", float, 15.0, "Pause between runs when the server does not offer IDLE.",
            env="RAKSHAK_HQ_MAILBOX_POLL_S"),
    Setting("idle_renew_s", float, 600.0, "An IDLE is ended and restarted after this long (servers drop "
            "an IDLE after 30 minutes; a run after each renewal also catches anything missed).",
            env="RAKSHAK_HQ_MAILBOX_IDLE_RENEW_S"),
    Setting("timeout_s", float, 30.0, "Socket timeout for the IMAP connection.", env="RAKSHAK_HQ_MAILBOX_TIMEOUT_S"),
    Setting("retry_cap_s", float, 60.0, "Longest wait before reconnecting after an error (the wait doubles "
            "from 1 s).", env="RAKSHAK_HQ_MAILBOX_RETRY_CAP_S"),
)  # fmt: skip
_BY_NAME = {s.name: s for s in MAILBOX_DECLARED}


class MailboxSettingsError(Exception):
    """The mailbox is configured wrongly (said in words an operator can act on)."""


@dataclass(frozen=True)
class MailboxSettings:
    host: str
    port: int
    user: str
    password: str
    folder: str = "INBOX"
    ca_file: str = ""
    allow_plain: bool = False
    max_mail_bytes: int = 25_000_000
    max_per_run: int = 50
    poll_s: float = 15.0
    idle_renew_s: float = 600.0
    timeout_s: float = 30.0
    retry_cap_s: float = 60.0

    @property
    def name(self) -> str:
        """The mailbox's name in health rows and case authors: user@host/folder (no password)."""
        return f"{self.user}@{self.host}/{self.folder}"

    @property
    def use_tls(self) -> bool:
        return not self.allow_plain

    def __repr__(self) -> str:  # never print the password
        return f"MailboxSettings({self.name}, port={self.port}, tls={self.use_tls})"


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _value(setting: Setting, environ: Mapping[str, str]) -> Any:
    assert setting.env is not None
    raw = environ.get(setting.env)
    if raw is None or raw == "":
        return setting.default
    try:
        if setting.type is bool:
            if raw.lower() not in ("1", "0", "true", "false", "yes", "no"):
                raise ValueError(raw)
            return raw.lower() in ("1", "true", "yes")
        return setting.type(raw)
    except ValueError:
        raise MailboxSettingsError(f"{setting.env}={raw!r} is not a {setting.type.__name__}") from None


def _keyring_password(user: str) -> str | None:
    return keyring_secret(KEYRING_SERVICE, user)


def from_env(environ: Mapping[str, str] | None = None) -> MailboxSettings | None:
    """The mailbox settings, or None when no mailbox is configured (``RAKSHAK_HQ_MAILBOX_HOST`` unset)."""
    env = os.environ if environ is None else environ
    values = {s.name: _value(s, env) for s in MAILBOX_DECLARED}
    if not values["host"]:
        return None
    if not values["user"]:
        raise MailboxSettingsError("RAKSHAK_HQ_MAILBOX_USER is not set")
    if values["allow_plain"] and not _is_loopback(values["host"]):
        raise MailboxSettingsError("plain IMAP is allowed only to a loopback host; use IMAPS (port 993)")
    if values["ca_file"] and not os.path.isfile(values["ca_file"]):
        raise MailboxSettingsError(f"RAKSHAK_HQ_MAILBOX_CA_FILE: no such file {values['ca_file']!r}")
    if values["max_per_run"] < 1 or values["max_mail_bytes"] < 1:
        raise MailboxSettingsError("RAKSHAK_HQ_MAILBOX_MAX_PER_RUN and _MAX_MAIL_BYTES must be positive")
    password = env.get(ENV_PASSWORD) or _keyring_password(values["user"])
    if not password:
        raise MailboxSettingsError(
            f"no mailbox password: set {ENV_PASSWORD} in the service's environment or store it in the keyring "
            f"(service {KEYRING_SERVICE!r}, account {values['user']!r})"
        )
    return MailboxSettings(password=password, **values)


__all__ = ["ENV_PASSWORD", "KEYRING_SERVICE", "MAILBOX_DECLARED", "MailboxSettings", "MailboxSettingsError",
           "from_env"]  # fmt: skip
