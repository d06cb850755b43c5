"""Names of districts and police stations, so operators read "Gomti Nagar", not "GOM".

Cases carry codes (``district``, ``police_station``); HQ's ``GET /districts`` names them. The names
are kept in the encrypted store's meta table (``PLACES_META_KEY``, JSON) so an offline console shows
them too, and refreshed from HQ on the network pool when the window starts. A code with no known
name is shown as the code: never hidden.

Plain Python, no Qt: read on the GUI thread (``name``), replaced whole by ``update`` on the GUI thread.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

PLACES_META_KEY = "place_names"


class PlaceNames:
    def __init__(self) -> None:
        self._names: dict[str, str] = {}

    def name(self, code: str | None) -> str:
        """The place's name, or the code itself when no name is known ("" for None)."""
        if not code:
            return ""
        return self._names.get(code, code)

    def known(self, code: str | None) -> bool:
        return bool(code) and code in self._names

    def update(self, names: Mapping[str, str]) -> bool:
        """Replace the names; True if anything changed."""
        new = {str(k): str(v) for k, v in names.items() if k and v}
        changed = new != self._names
        self._names = new
        return changed

    def to_json(self) -> str:
        return json.dumps(self._names, ensure_ascii=False, sort_keys=True)

    @staticmethod
    def from_json(text: str | None) -> dict[str, str]:
        try:
            data = json.loads(text or "{}")
        except ValueError:
            return {}
        return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}

    @staticmethod
    def from_districts(districts: Iterable[Mapping[str, Any]]) -> dict[str, str]:
        """HQ's ``GET /districts`` reply -> code: name for districts and their police stations."""
        out: dict[str, str] = {}
        for d in districts:
            if d.get("code") and d.get("name"):
                out[str(d["code"])] = str(d["name"])
            for st in d.get("stations") or ():
                if st.get("code") and st.get("name"):
                    out[str(st["code"])] = str(st["name"])
        return out


__all__ = ["PLACES_META_KEY", "PlaceNames"]
