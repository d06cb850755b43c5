"""The routing form: a case to a district and police station, chosen by name.

The lists come from ``ui.operations.routing``: the copy kept in the store at once (offline too), then
HQ's fresh list when it arrives. The police stations offered are the chosen district's. Texts use the
translation context ``ActionForm``.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication

from ui.forms.editors import PlaceEditor
from ui.forms.form import ActionForm
from ui.operations import alive
from ui.operations.routing import District, fetch_districts, stored_districts


class RoutingForm(ActionForm):
    """An action form with ``district`` and ``police_station`` place fields (the routing form itself,
    and manual intake, which may route the new case at once)."""

    districts: list[District]

    def _built(self) -> None:
        self.districts = []
        self.places_loaded = False  # the first list (stored or fetched) is in the fields
        ctx = self._ctx

        def stored(districts: list[District]) -> None:
            if alive(self) and districts and not self.places_loaded:
                self.set_districts(districts)

        def fetched(districts: list[District]) -> None:
            if alive(self) and districts:
                self.set_districts(districts)

        def not_fetched(_exc: BaseException) -> None:
            pass  # offline: the stored list stays; an empty one is said in the form

        stored_districts(ctx, success=stored).run(ctx.taskman)
        op = fetch_districts(ctx, success=fetched, failure=not_fetched)
        if op is not None:
            op.run(ctx.taskman)

    def _place(self, name: str) -> PlaceEditor:
        editor = self.editors[name]
        assert isinstance(editor, PlaceEditor)
        return editor

    def set_districts(self, districts: list[District]) -> None:
        """Offer these districts (and the chosen one's stations)."""
        self.districts = districts
        self.places_loaded = True
        was = self._restoring
        self._restoring = True  # a new list is not the operator's edit
        try:
            self._place("district").set_choices(tuple((d.code, d.name) for d in districts))
            self._refresh_stations()
        finally:
            self._restoring = was

    def _refresh_stations(self) -> None:
        code = self._place("district").value()
        chosen = next((d for d in self.districts if d.code == code), None)
        station = self._place("police_station")
        station.set_choices(chosen.stations if chosen else ())
        if station.value() is not None and station.problem() is not None:
            station.set_value(None)  # a station of the district chosen before

    def _changed(self, *_: Any) -> None:
        if self.sender() is self.widgets.get("district") and self.districts:
            was = self._restoring
            self._restoring = True
            try:
                self._refresh_stations()
            finally:
                self._restoring = was
        super()._changed()

    def payload(self, values: dict[str, Any]) -> dict[str, Any] | str:
        if values.get("police_station") and not values.get("district"):
            return QCoreApplication.translate("ActionForm", "Choose the district of the police station.")
        return super().payload(values)


__all__ = ["RoutingForm"]
