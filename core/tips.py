"""Tips from the anonymous tip line: their categories and media kinds, shared by HQ and the console.

Only names live here (no Qt, no HTTP, no SQL, no imports from the rest of ``core``), so both
``core.events`` (the payload schemas of tip events) and the HQ relay (``hq.tipline``) can use them.

What a tip case carries about its tipster is deliberately small: a pseudonym ("Tipster K7F3", a keyed
HMAC of the number, computed by the relay) and how many tips that pseudonym sent before. The number
itself, and anything derived from it without the relay's key, never reaches an event
(docs/TIPLINE.md).
"""

from __future__ import annotations

import enum


class TipCategory(enum.StrEnum):
    """What a tip is about, in the order the bot offers them (its menu numbers are this order + 1)."""

    CATTLE_SMUGGLING = "cattle_smuggling"  # cattle smuggling and cow slaughter
    DRUGS_LIQUOR = "drugs_liquor"  # illegal drugs and liquor
    ARMS = "arms"  # making and smuggling arms
    GAMBLING = "gambling"
    PROSTITUTION = "prostitution"
    TRAFFICKING = "trafficking"  # trafficking of women and children
    ILLEGAL_MINING = "illegal_mining"
    EXTORTION = "extortion"
    POLICE_CORRUPTION = "police_corruption"
    FORCED_CONVERSION = "forced_conversion"
    SERIOUS_CRIME_EVIDENCE = "serious_crime_evidence"  # CCTV footage or evidence of murder, robbery, chain snatching
    OTHER = "other"


class TipMediaKind(enum.StrEnum):
    IMAGE = "image"
    AUDIO = "audio"  # voice notes included
    VIDEO = "video"


class TipLanguage(enum.StrEnum):
    HINDI = "hi"
    ENGLISH = "en"


# The pseudonym police see: this prefix and a few letters of a keyed HMAC ("Tipster K7F3").
PSEUDONYM_PREFIX = "Tipster "

__all__ = ["PSEUDONYM_PREFIX", "TipCategory", "TipLanguage", "TipMediaKind"]
