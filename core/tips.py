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


class TipOutcome(enum.StrEnum):
    """What came of a tip, as the SP's office records it (``tip_outcome``); a later outcome supersedes
    an earlier one (an action taken that later led to an FIR), and both stay in the tip's history."""

    ACTION_TAKEN = "action_taken"
    FIR_REGISTERED = "fir_registered"
    NO_OFFENCE = "no_offence"  # no offence found
    FALSE_INFORMATION = "false_information"
    DUPLICATE = "duplicate"  # the same matter as an earlier tip


class TipLanguage(enum.StrEnum):
    HINDI = "hi"
    ENGLISH = "en"


# The pseudonym police see: this prefix and a few letters of a keyed HMAC ("Tipster K7F3").
PSEUDONYM_PREFIX = "Tipster "

__all__ = ["PSEUDONYM_PREFIX", "TipCategory", "TipLanguage", "TipMediaKind", "TipOutcome"]
