"""Canned replies filled from the case: pure text work, no Qt (tests/unit/ui/complaints).

A canned reply's text holds fields in braces: ``{handle}`` (the author's public handle),
``{district}`` (the district's name, in the reply's language where the console knows it) and
``{reference}`` (the case's short reference). ``fill`` puts in what the case knows and leaves every
other field visible as written, braces included, so the operator sees what is still to be typed:
a blank where a name should be would go out unnoticed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

FIELDS = ("handle", "district", "reference")
_FIELD = re.compile(r"\{([a-z_]+)\}")

# What each platform takes in one reply (characters). X counts 280; the others are far longer than
# HQ's own cap on a reply (``hq.complaints.replies.MAX_REPLY_CHARS``), which then applies.
HQ_MAX_REPLY_CHARS = 5000
PLATFORM_LIMITS = {"x": 280, "instagram": 2200, "facebook": HQ_MAX_REPLY_CHARS, "youtube": HQ_MAX_REPLY_CHARS}


def reference(case_id: str) -> str:
    """The short reference a citizen is given: the case id's first eight characters, upper case."""
    return case_id.replace("-", "")[:8].upper()


def fill(text: str, values: Mapping[str, str | None]) -> str:
    """``text`` with each ``{field}`` that ``values`` holds (non-empty) replaced; any other field,
    unknown or without a value, stays as written."""

    def one(m: re.Match[str]) -> str:
        value = values.get(m.group(1))
        return value if value else m.group(0)

    return _FIELD.sub(one, text)


def unfilled(text: str) -> list[str]:
    """The fields still in braces, in order, once each (the composer names them to the operator)."""
    return list(dict.fromkeys(_FIELD.findall(text)))


AT_HANDLES = frozenset({"x", "instagram"})  # platforms whose handles are written with an ``@``


def case_values(
    case_id: str, handle: str | None, district_name: str | None, platform: str | None = None
) -> dict[str, str | None]:
    """The fields a complaint case can fill. On X and Instagram the handle gets its ``@`` as the
    platform writes it; a Facebook or YouTube name is used as the platform shows it."""
    shown = handle or None
    if shown and platform in AT_HANDLES and not shown.startswith("@"):
        shown = f"@{shown}"
    return {"handle": shown, "district": district_name or None, "reference": reference(case_id)}


def limit_for(platform: str | None) -> int:
    return PLATFORM_LIMITS.get(platform or "", HQ_MAX_REPLY_CHARS)


__all__ = ["FIELDS", "PLATFORM_LIMITS", "case_values", "fill", "limit_for", "reference", "unfilled"]
