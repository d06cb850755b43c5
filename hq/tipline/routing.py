"""Which district a tip goes to: the district the tipster named, or none (the range's triage).

A place matches a district when it contains the district's name or code from the ``districts``
table, or one of the other names in ``resources/tipline/district_aliases.json`` (Hindi spellings,
old names: "बनारस" is Varanasi), as a whole word. A place naming no district, or more than one, is
unclear: the tip is left unassigned for triage rather than guessed.
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


def _words(text: str) -> str:
    return " " + " ".join(w for w in _SEPARATORS.split(text.casefold()) if w) + " "


def resolve_district(conn: Connection, place: str) -> str | None:
    if not place.strip():
        return None
    said = _words(place)
    found: set[str] = set()
    for code, name in conn.execute(select(districts.c.code, districts.c.name)):
        names = {code, name, *_aliases().get(code, ())}
        if any(_words(n).strip() and _words(n) in said for n in names):
            found.add(code)
    return found.pop() if len(found) == 1 else None


__all__ = ["resolve_district"]
