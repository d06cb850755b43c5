"""The connectors' settings, declared once and read from the service's environment when HQ starts.

Secrets (tokens, the Meta app secret) come from the environment or, when unset there and the
platform's account is configured, from the OS keyring (service ``rakshak-hq-connectors``, the
variable's name as the account). A platform whose
credentials are missing is simply not configured; nothing falls back to a file.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from core.events import ComplaintCategory
from core.sla import FIRST_RESPONSE_MIN, NEXT_RESPONSE_MIN, RESOLUTION_MIN, WARN_BEFORE_MIN, SlaPolicy, SlaPolicyError
from hq.secrets import keyring_secret

KEYRING_SERVICE = "rakshak-hq-connectors"

# (variable, default, description)
DECLARED: tuple[tuple[str, str, str], ...] = (
    ("RAKSHAK_META_APP_SECRET", "", "Meta app secret: the key of the webhook signature (secret)."),
    ("RAKSHAK_META_VERIFY_TOKEN", "", "Token Meta echoes when the webhook subscription is verified (secret)."),
    ("RAKSHAK_META_PAGE_TOKEN", "", "Page access token for replying on Facebook and Instagram (secret)."),
    ("RAKSHAK_META_PAGE_ID", "", "The Facebook Page's id (our own replies are recognised by it)."),
    ("RAKSHAK_META_IG_USER_ID", "", "The Instagram professional account's id."),
    ("RAKSHAK_META_GRAPH_URL", "https://graph.facebook.com/v21.0", "Graph API base URL."),
    ("RAKSHAK_X_TOKEN", "", "X API v2 user-context OAuth 2.0 token of the police account (secret)."),
    ("RAKSHAK_X_USER_ID", "", "The police account's X user id; unset: no X polling."),
    ("RAKSHAK_X_API_URL", "https://api.x.com", "X API base URL."),
    ("RAKSHAK_YT_TOKEN", "", "YouTube Data API OAuth token of the channel (secret)."),
    ("RAKSHAK_YT_CHANNEL_ID", "", "The police channel's id; unset: no YouTube polling."),
    ("RAKSHAK_YT_API_URL", "https://www.googleapis.com", "YouTube Data API base URL."),
    ("RAKSHAK_YT_DAILY_QUOTA", "10000", "The project's daily quota in units (YouTube's default is 10,000)."),
    ("RAKSHAK_YT_PUBLISH_RESERVE", "500", "Units polling leaves unspent each day for replies (50 each)."),
    ("RAKSHAK_COMPLAINTS_POLL_S", "60", "Seconds between polls, publication retries and SLA sweeps."),
    ("RAKSHAK_SLA_FIRST_RESPONSE_MIN", str(FIRST_RESPONSE_MIN), "First response due after the post (min)."),
    ("RAKSHAK_SLA_NEXT_RESPONSE_MIN", str(NEXT_RESPONSE_MIN), "Next response due after a citizen's reply (min)."),
    ("RAKSHAK_SLA_RESOLUTION_MIN", str(RESOLUTION_MIN), "Resolution due after the post (min)."),
    ("RAKSHAK_SLA_WARN_BEFORE_MIN", str(WARN_BEFORE_MIN), "Warning this long before a deadline (min)."),
    ("RAKSHAK_SLA_FIRST_RESPONSE_BY_CATEGORY", "", "Per category, e.g. 'womens_safety=30,cyber_fraud=60'."),
    ("RAKSHAK_SLA_RESOLUTION_BY_CATEGORY", "", "Per category, as above (min)."),
)
# Each secret, and the (non-secret) setting naming its account: the keyring is asked for a secret only
# when that account is configured, so an HQ without connectors never touches the keyring.
SECRETS: dict[str, str] = {
    "RAKSHAK_META_APP_SECRET": "RAKSHAK_META_PAGE_ID",
    "RAKSHAK_META_VERIFY_TOKEN": "RAKSHAK_META_PAGE_ID",
    "RAKSHAK_META_PAGE_TOKEN": "RAKSHAK_META_PAGE_ID",
    "RAKSHAK_X_TOKEN": "RAKSHAK_X_USER_ID",
    "RAKSHAK_YT_TOKEN": "RAKSHAK_YT_CHANNEL_ID",
}


class ConnectorSettingsError(Exception):
    """A connector is configured wrongly (said in words an operator can act on)."""


def _keyring(name: str) -> str | None:
    return keyring_secret(KEYRING_SERVICE, name)


@dataclass(frozen=True)
class ConnectorSettings:
    values: Mapping[str, str] = field(repr=False)

    def get(self, name: str) -> str:
        return self.values[name]

    def integer(self, name: str) -> int:
        try:
            return int(self.values[name])
        except ValueError:
            raise ConnectorSettingsError(f"{name}={self.values[name]!r} is not a whole number") from None

    @property
    def meta_webhook(self) -> bool:
        return bool(self.values["RAKSHAK_META_APP_SECRET"])

    @property
    def x(self) -> bool:
        return bool(self.values["RAKSHAK_X_USER_ID"] and self.values["RAKSHAK_X_TOKEN"])

    @property
    def youtube(self) -> bool:
        return bool(self.values["RAKSHAK_YT_CHANNEL_ID"] and self.values["RAKSHAK_YT_TOKEN"])

    @property
    def meta_publish(self) -> bool:
        return bool(self.values["RAKSHAK_META_PAGE_TOKEN"])

    @property
    def any_worker(self) -> bool:
        return self.x or self.youtube or self.meta_publish or self.meta_webhook

    def policy(self) -> SlaPolicy:
        """The clock's policy, checked as the consoles check it (``SlaPolicy.from_json``), so HQ never
        runs, or serves, a policy its consoles would refuse."""
        policy = SlaPolicy(
            first_response_min=self.integer("RAKSHAK_SLA_FIRST_RESPONSE_MIN"),
            next_response_min=self.integer("RAKSHAK_SLA_NEXT_RESPONSE_MIN"),
            resolution_min=self.integer("RAKSHAK_SLA_RESOLUTION_MIN"),
            warn_before_min=self.integer("RAKSHAK_SLA_WARN_BEFORE_MIN"),
            first_response_by_category=_by_category(self.values["RAKSHAK_SLA_FIRST_RESPONSE_BY_CATEGORY"]),
            resolution_by_category=_by_category(self.values["RAKSHAK_SLA_RESOLUTION_BY_CATEGORY"]),
        )
        try:
            return SlaPolicy.from_json(policy.to_json())
        except SlaPolicyError as exc:
            raise ConnectorSettingsError(f"RAKSHAK_SLA_*: {exc}") from None


def _by_category(raw: str) -> dict[str, int]:
    out: dict[str, int] = {}
    known = {str(c) for c in ComplaintCategory}
    for part in filter(None, (p.strip() for p in raw.split(","))):
        name, _, minutes = part.partition("=")
        if name.strip() not in known or not minutes.strip().isdigit():
            raise ConnectorSettingsError(f"{part!r}: expected category=minutes, category one of {sorted(known)}")
        out[name.strip()] = int(minutes)
    return out


def from_env(environ: Mapping[str, str] | None = None) -> ConnectorSettings:
    env = os.environ if environ is None else environ
    values = {}
    for name, default, _ in DECLARED:
        value = env.get(name) or ""
        if not value and name in SECRETS and env.get(SECRETS[name]):
            value = _keyring(name) or ""
        values[name] = value or default
    settings = ConnectorSettings(values)
    settings.policy()  # refuse a malformed clock at start, not at the first sweep
    return settings


__all__ = ["DECLARED", "KEYRING_SERVICE", "ConnectorSettings", "ConnectorSettingsError", "from_env"]
