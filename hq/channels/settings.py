"""The channels' settings, each declared once with its type, default and description, read from the
environment; secrets from the environment or, failing that, the system keyring (service
``rakshak-hq``). A secret is never read from a file in the repository or a plaintext fallback.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from hq.secrets import keyring_secret

KEYRING_SERVICE = "rakshak-hq"


@dataclass(frozen=True)
class Setting:
    env: str
    kind: type
    default: Any
    description: str
    secret: bool = False


SETTINGS: dict[str, Setting] = {
    s.env: s
    for s in (
        Setting(
            "RAKSHAK_GATEWAY_URL",
            str,
            None,
            "base URL of the SMS/voice gateway (…/sms and …/calls); unset: no SMS or calls",
        ),
        Setting("RAKSHAK_GATEWAY_SID", str, None, "the gateway account id (HTTP basic user)", secret=True),
        Setting("RAKSHAK_GATEWAY_TOKEN", str, None, "the gateway API token (HTTP basic password)", secret=True),
        Setting("RAKSHAK_GATEWAY_SENDER", str, "RAKSHK", "the SMS sender id / caller id the gateway sends from"),
        Setting("RAKSHAK_GATEWAY_TIMEOUT_S", float, 10.0, "seconds to wait for the gateway's answer to one request"),
        Setting(
            "RAKSHAK_GATEWAY_RETRIES", int, 3, "further attempts after a timeout, a refused connection, 429 or 5xx"
        ),
        Setting("RAKSHAK_GATEWAY_BACKOFF_S", float, 2.0, "wait before the first retry; doubled before each next one"),
        Setting("RAKSHAK_RECEIPT_BASE_URL", str, None, "HQ's URL as the gateway reaches it, for delivery receipts"),
        Setting(
            "RAKSHAK_RECEIPT_TOKEN", str, None, "the secret in the receipt URL the gateway calls back", secret=True
        ),
        Setting("RAKSHAK_SMTP_HOST", str, None, "SMTP server for e-mail notices; unset: no e-mail"),
        Setting("RAKSHAK_SMTP_PORT", int, 587, "SMTP port"),
        Setting("RAKSHAK_SMTP_STARTTLS", bool, True, "upgrade the SMTP connection with STARTTLS (verified)"),
        Setting("RAKSHAK_SMTP_USER", str, None, "SMTP login user (unset: no login)", secret=True),
        Setting("RAKSHAK_SMTP_PASSWORD", str, None, "SMTP login password", secret=True),
        Setting("RAKSHAK_SMTP_FROM", str, "rakshak-hq@localhost", "the From address of e-mail notices"),
        Setting("RAKSHAK_SMTP_TIMEOUT_S", float, 15.0, "seconds to wait for the SMTP server"),
        Setting("RAKSHAK_SMTP_RETRIES", int, 2, "further attempts after a failed SMTP delivery"),
        Setting("RAKSHAK_ESCALATION_TICK_S", float, 5.0, "how often the escalation runner looks for due steps"),
    )
}


def _keyring_secret(name: str) -> str | None:
    return keyring_secret(KEYRING_SERVICE, name)


def _parse(setting: Setting, raw: str) -> Any:
    if setting.kind is bool:
        if raw.lower() in ("1", "true", "yes", "on"):
            return True
        if raw.lower() in ("0", "false", "no", "off"):
            return False
        raise ValueError(f"{setting.env}: must be true or false, not {raw!r}")
    try:
        return setting.kind(raw)
    except ValueError:
        raise ValueError(f"{setting.env}: must be {setting.kind.__name__}, not {raw!r}") from None


def read(env: Mapping[str, str] | None = None, secret: Callable[[str], str | None] = _keyring_secret) -> dict[str, Any]:
    """Every setting's value: the environment, then (secrets only) the keyring, then the default."""
    env = os.environ if env is None else env
    out: dict[str, Any] = {}
    for name, setting in SETTINGS.items():
        raw = env.get(name)
        if raw not in (None, ""):
            out[name] = _parse(setting, str(raw))
        elif setting.secret:
            found = secret(name.removeprefix("RAKSHAK_").lower().replace("_", "-"))
            out[name] = found if found else setting.default
        else:
            out[name] = setting.default
    return out


__all__ = ["KEYRING_SERVICE", "SETTINGS", "Setting", "read"]
