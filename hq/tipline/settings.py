"""The tip line's settings, each declared once with its type, default and meaning.

Secrets (Meta's app secret, the webhook verify token, the Cloud API access token and the relay's
three keys) come from the environment or, when the variable is unset, from the OS keyring (service
``rakshak-tipline``, the variable's name as the user name). A secret found in neither place leaves
the tip line off; a key that is present but malformed is refused (``TiplineConfigError``): there is
no plaintext or default-key fallback.

Who holds which key is in docs/TIPLINE.md: the seal and pseudonym keys are given to the HQ process
that runs the relay and to nobody else; they are never stored in the database.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from hq.secrets import keyring_secret

ENV_PREFIX = "RAKSHAK_TIPLINE_"
KEYRING_SERVICE = "rakshak-tipline"
KEY_BYTES = 32


class TiplineConfigError(ValueError):
    """A tip-line setting is present but unusable (a malformed key, a non-number)."""


@dataclass(frozen=True)
class Setting:
    name: str
    kind: type
    default: Any
    secret: bool
    description: str


SETTINGS: tuple[Setting, ...] = (
    Setting("APP_SECRET", str, None, True, "Meta app secret: the key of every webhook's X-Hub-Signature-256"),
    Setting("VERIFY_TOKEN", str, None, True, "the token Meta echoes in the webhook's GET verification"),
    Setting("ACCESS_TOKEN", str, None, True, "the Cloud API bearer token (send messages, fetch media)"),
    Setting("PHONE_NUMBER_ID", str, None, False, "the business phone number id replies are sent from"),
    Setting("GRAPH_URL", str, "https://graph.facebook.com/v21.0", False, "the Cloud API's base URL"),
    Setting("SEAL_KEY", str, None, True, "64 hex digits: AES-256-GCM key sealing numbers and original media"),
    Setting("PSEUDONYM_KEY", str, None, True, "64 hex digits: HMAC key of sender refs, pseudonyms, receipts"),
    Setting("MEDIA_KEY", str, None, True, "64 hex digits: AES-256-GCM key of the police copies of media"),
    Setting("BUNDLE_MIN", float, 5.0, False, "messages this soon after filing are added to the same tip"),
    Setting("IDLE_TIMEOUT_MIN", float, 30.0, False, "idle this long: filed (if it says anything) and reset"),
    Setting("RETENTION_DAYS", float, 90.0, False, "days after the last tip closed until the sealed number goes"),
    Setting("TEMPLATE", str, "tipline_followup", False, "approved template used outside the 24-hour window"),
    Setting("WORKER_POLL_S", float, 0.5, False, "how often the relay looks for work when not woken"),
    Setting("RUN_RELAY", str, "1", False, "0: `serve` only takes webhooks; `hq tipline-relay` runs the bot"),
)  # fmt: skip


def _lookup(name: str, secret: bool, env: dict[str, str]) -> str | None:
    value = env.get(ENV_PREFIX + name)
    if value:
        return value
    if secret:
        return keyring_secret(KEYRING_SERVICE, ENV_PREFIX + name)
    return None


def _key(name: str, value: str) -> bytes:
    try:
        raw = bytes.fromhex(value)
    except ValueError:
        raise TiplineConfigError(f"{ENV_PREFIX}{name} must be {KEY_BYTES * 2} hex digits") from None
    if len(raw) != KEY_BYTES:
        raise TiplineConfigError(f"{ENV_PREFIX}{name} must be {KEY_BYTES * 2} hex digits")
    return raw


@dataclass(frozen=True)
class TiplineSettings:
    app_secret: bytes = field(repr=False)
    verify_token: str = field(repr=False)
    access_token: str = field(repr=False)
    phone_number_id: str
    graph_url: str
    seal_key: bytes = field(repr=False)
    pseudonym_key: bytes = field(repr=False)
    media_key: bytes = field(repr=False)
    bundle_min: float
    idle_timeout_min: float
    retention_days: float
    template: str
    worker_poll_s: float
    run_relay: bool = True

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> TiplineSettings | None:
        """The settings, or None when the tip line is not configured (no app secret anywhere)."""
        source = dict(os.environ if env is None else env)
        values: dict[str, Any] = {}
        for s in SETTINGS:
            raw = _lookup(s.name, s.secret, source)
            if raw is None:
                values[s.name] = s.default
            elif s.kind is float:
                try:
                    values[s.name] = float(raw)
                except ValueError:
                    raise TiplineConfigError(f"{ENV_PREFIX}{s.name} must be a number") from None
            else:
                values[s.name] = raw
        if values["APP_SECRET"] is None:
            return None
        missing = [s.name for s in SETTINGS if values[s.name] is None]
        if missing:
            raise TiplineConfigError("the tip line needs " + ", ".join(ENV_PREFIX + m for m in missing))
        return cls(
            app_secret=values["APP_SECRET"].encode(),
            verify_token=values["VERIFY_TOKEN"],
            access_token=values["ACCESS_TOKEN"],
            phone_number_id=values["PHONE_NUMBER_ID"],
            graph_url=values["GRAPH_URL"].rstrip("/"),
            seal_key=_key("SEAL_KEY", values["SEAL_KEY"]),
            pseudonym_key=_key("PSEUDONYM_KEY", values["PSEUDONYM_KEY"]),
            media_key=_key("MEDIA_KEY", values["MEDIA_KEY"]),
            bundle_min=values["BUNDLE_MIN"],
            idle_timeout_min=values["IDLE_TIMEOUT_MIN"],
            retention_days=values["RETENTION_DAYS"],
            template=values["TEMPLATE"],
            worker_poll_s=values["WORKER_POLL_S"],
            run_relay=values["RUN_RELAY"].strip() not in ("0", "false", "no"),
        )


__all__ = ["ENV_PREFIX", "SETTINGS", "TiplineConfigError", "TiplineSettings"]
