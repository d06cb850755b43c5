"""Which district a tip goes to: the district the tipster named, else its range's triage, else HQ's.

A place matches a district when it contains the district's name or code from the ``districts``
table, or one of the other names in ``resources/tipline/district_aliases.json`` (Hindi spellings,
old names: "बनारस" is Varanasi), as a whole word. A place naming no district, or more than one, is
unclear: the tip is left unassigned for triage rather than guessed. Whose triage: the range's DIG
when the place names the range as a whole ("Varanasi range", a name under ``_ranges`` in the same
file) and no one district, or names several districts all of one range; else HQ's.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

from sqlalchemy import Connection, select

from hq.schema import districts

# Spaces and punctuation (the danda too); not ``\W``, which would split Devanagari at its vowel signs.
_SEPARATORS = re.compile(r"[\s,.;:!?/()\[\]{}\-–—।॥|'\"_]+")
ALIASES_FILE = Path(__file__).resolve().parents[2] / "resources" / "tipline" / "district_aliases.json"


@cache
def _aliases() -> dict[str, tuple[str, ...]]:
    data = json.loads(ALIASES_FILE.read_text(encoding="utf-8"))
    return {code: tuple(names) for code, names in data.items() if not code.startswith("_")}


@cache
def _range_aliases() -> dict[str, tuple[str, ...]]:
    data = json.loads(ALIASES_FILE.read_text(encoding="utf-8"))
    return {name: tuple(names) for name, names in data.get("_ranges", {}).items()}


def _words(text: str) -> str:
    return " " + " ".join(w for w in _SEPARATORS.split(text.casefold()) if w) + " "


def resolve_district(conn: Connection, place: str) -> str | None:
    return resolve_place(conn, place)[0]


def resolve_place(conn: Connection, place: str) -> tuple[str | None, str | None]:
    """``(district, None)`` for a place naming one district; ``(None, range)`` for a place that is
    the range's triage; ``(None, None)`` for HQ's triage."""
    if not place.strip():
        return None, None
    said = _words(place)
    rows = conn.execute(select(districts.c.code, districts.c.name, districts.c.range)).all()
    named_ranges: set[str] = set()
    for range_name in sorted({r.range for r in rows if r.range}, key=len, reverse=True):
        for phrase in (f"{range_name} range", *_range_aliases().get(range_name, ())):
            words = _words(phrase)
            if words.strip() and words in said:
                named_ranges.add(range_name)
                said = said.replace(words, " ")  # "Varanasi range" names no district
    found: set[str] = set()
    for code, name, _range in rows:
        names = {code, name, *_aliases().get(code, ())}
        if any(_words(n).strip() and _words(n) in said for n in names):
            found.add(code)
    if len(found) == 1:
        return found.pop(), None
    ranges_found = {r.range for r in rows if r.code in found}
    if found and len(ranges_found) == 1 and None not in ranges_found:
        return None, ranges_found.pop()
    if not found and len(named_ranges) == 1:
        return None, named_ranges.pop()
    return None, None


__all__ = ["resolve_district", "resolve_place"]
