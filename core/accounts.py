"""The suspicious-accounts register: why an account is in it, what was done, and how a handle is
written so that one account is one entry whatever form a post or an operator gives it in.

Knows neither Qt nor HTTP; HQ stores the register (``hq.claims.accounts``), the desktop shows it.
"""

from __future__ import annotations

import enum
import re


class Reason(enum.StrEnum):
    INCITEMENT = "incitement"
    COMMUNAL = "communal_content"
    FAKE_NEWS = "fake_news"
    IMPERSONATION = "impersonation"
    FRAUD = "fraud"


class ActionKind(enum.StrEnum):
    REPORTED = "reported_to_platform"
    NOTICE = "notice_served"
    FIR = "fir_registered"


class AccountStatus(enum.StrEnum):
    WATCHING = "watching"  # in the register, nothing done yet
    ACTIONED = "actioned"  # reported, noticed or an FIR registered
    REMOVED = "removed"  # the platform took the account down
    CLOSED = "closed"


class LinkKind(enum.StrEnum):
    POST = "post"
    CLAIM = "claim"
    CASE = "case"


# The platform each host belongs to, for handles given as a link.
_HOSTS = {
    "facebook.com": "facebook",
    "fb.com": "facebook",
    "m.facebook.com": "facebook",
    "instagram.com": "instagram",
    "x.com": "x",
    "twitter.com": "x",
    "mobile.twitter.com": "x",
    "youtube.com": "youtube",
    "m.youtube.com": "youtube",
}
# Path words that are not the account's name (x.com/i/..., facebook.com/people/Name/123...).
_NOT_NAMES = {"", "i", "intent", "home", "share", "sharer", "watch", "channel", "c", "user", "people", "pages", "pg"}
_HANDLE = re.compile(r"^[\w.\-]+$", re.UNICODE)
# Longer than any platform allows (X: 15, Instagram: 30, a Facebook page or YouTube handle: 100).
HANDLE_MAX = 200


def normalise_handle(platform: str, handle: str) -> tuple[str, str]:
    """``(platform, handle)`` in the register's form: case folded, no leading @, a profile link
    reduced to its account name (``https://www.x.com/Foo/status/1`` -> ``("x", "foo")``,
    ``youtube.com/@Foo``, ``youtube.com/channel/UC..``, ``facebook.com/profile.php?id=1``).

    A link's host decides the platform when it names one. Raises ``ValueError`` for an empty
    handle or a link with no account in it.
    """
    platform = platform.strip().casefold()
    text = handle.strip()
    if "/" in text or text.casefold().startswith(("http:", "https:", "www.")):
        host, path, query = _split_link(text)
        platform = _HOSTS.get(host, platform)
        segments = [s for s in path.split("/") if s]
        if host.endswith("facebook.com") and segments[:1] == ["profile.php"]:
            text = query.get("id", "")
        elif segments[:1] in (["channel"], ["c"], ["user"]) and len(segments) > 1:
            text = segments[1]
        elif segments[:1] == ["people"] and len(segments) > 2:
            text = segments[2]  # facebook.com/people/Name/<id>
        else:
            text = next((s for s in segments if s.casefold() not in _NOT_NAMES), "")
    text = text.strip().lstrip("@").casefold()
    if not text or not _HANDLE.match(text):
        raise ValueError(f"not an account handle: {handle[:100]!r}")
    if len(text) > HANDLE_MAX:
        raise ValueError(f"a handle is at most {HANDLE_MAX} characters")
    return platform, text


def _split_link(link: str) -> tuple[str, str, dict[str, str]]:
    """(host without www., path, query parameters) of a profile link. Written here because ``core``
    imports nothing of HTTP (tests/unit/test_layers.py); a profile link needs no more than this."""
    rest = link.split("://", 1)[1] if "://" in link else link
    rest = rest.split("#", 1)[0]
    rest, _, query_text = rest.partition("?")
    host, _, path = rest.partition("/")
    host = host.rsplit("@", 1)[-1].split(":", 1)[0].casefold().removeprefix("www.")
    query = {}
    for pair in query_text.split("&"):
        key, _, value = pair.partition("=")
        if key and key not in query:
            query[key] = value
    return host, path, query


__all__ = ["HANDLE_MAX", "AccountStatus", "ActionKind", "LinkKind", "Reason", "normalise_handle"]
