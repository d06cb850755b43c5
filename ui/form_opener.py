"""Opening an action form for a case: one form per (case, form), raised if open, with its choices.

The choices a form offers come from the case shown in the detail pane (open follow-ups; for the
amend form, the entries that may be corrected and their current values). GUI thread only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt

from core.commands import amend_targets as console_amend_targets
from core.events import EventType, Tier
from ui.entry_text import _summary
from ui.forms import ActionForm, specs_for
from ui.forms.form import form_class
from ui.forms.intake import INTAKE_DRAFT_KEY
from ui.labels import event_label, local_time
from ui.operations import alive
from ui.operations.routing import fetch_districts

if TYPE_CHECKING:
    from ui.context import ApplicationContext
    from ui.detail import DetailPane


Targets = dict[str, tuple[EventType, dict[str, Any]]]


def amend_targets(history: list[Any]) -> tuple[Targets, tuple[tuple[str, str], ...]]:
    """The entries of a case's ``history`` that may be corrected (``core.commands.amend_targets`` of
    the events HQ has not refused), with their current (amended) values, and the choice list the
    amend form shows for them."""
    good = [s.event for s in history if str(s.sync_state) != "rejected"]
    targets: Targets = {}
    options = []
    for target in console_amend_targets(good):
        e = target.event
        targets[e.id] = (e.type, target.current)
        options.append((e.id, f"{local_time(e.wall_time)} — {event_label(str(e.type))} — {_summary(e)}"))
    return targets, tuple(options)


class FormOpener:
    def __init__(self, ctx: ApplicationContext, detail: DetailPane) -> None:
        self._ctx = ctx
        self._detail = detail
        self.forms: dict[tuple[str, str], ActionForm] = {}
        if ctx.author.tier is Tier.HQ:
            self.refresh_districts()

    def refresh_districts(self) -> None:
        """Fetch and keep HQ's districts (network pool) while HQ is reachable, so an HQ console that
        goes offline later can still route by name. A failure keeps the stored list; nothing is shown."""
        op = fetch_districts(self._ctx, success=lambda _d: None, failure=lambda _e: None)
        if op is not None:
            op.run(self._ctx.taskman)

    def open(self, form_id: str, case_id: str, parent: Any) -> ActionForm:
        key = (case_id, form_id)
        existing = self.forms.get(key)
        if existing is not None and alive(existing):
            if existing.isVisible():
                existing.raise_()
                existing.activateWindow()
                return existing
            existing.deleteLater()  # closed earlier: its draft is in the store; a fresh form restores it
        spec = specs_for()[form_id]
        detail = self._detail
        choices: dict[str, tuple[tuple[str, str], ...]] = {}
        targets: Targets = {}
        state = detail.state if detail.case_id == case_id else None
        label = ""
        if state is not None:
            if form_id == "follow_up_done":
                choices["follow_up_id"] = tuple(
                    (f.id, f"{local_time(f.due)} — {f.note or ''}") for f in state.open_follow_ups()
                )
            if form_id == "amend":
                targets, choices["target_event_id"] = amend_targets(detail.history)
            station = self._ctx.places.name(state.police_station)
            label = " — ".join(x for x in ((state.subject or {}).get("name"), station) if x)
        cls = form_class(form_id)
        form = cls(self._ctx, spec, case_id, parent, choices=choices, amend_targets=targets, case_label=label)
        form.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        self.forms[key] = form
        form.show()
        return form

    def open_intake(self, window: Any) -> ActionForm:
        """The manual intake form (one per console), raised if open. ``window.open_case`` shows the
        case the form made, or the one that already holds the alert."""
        key = (INTAKE_DRAFT_KEY, "intake")
        existing = self.forms.get(key)
        if existing is not None and alive(existing):
            if existing.isVisible():
                existing.raise_()
                existing.activateWindow()
                return existing
            existing.deleteLater()
        form = form_class("intake")(self._ctx, specs_for()["intake"], INTAKE_DRAFT_KEY, window)
        form.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        open_case = getattr(window, "open_case", None)
        if open_case is not None:
            form.open_case.connect(open_case)  # type: ignore[attr-defined]
        self.forms[key] = form
        form.show()
        return form

    def any_open(self) -> bool:
        return any(alive(f) and f.isVisible() for f in self.forms.values())

    def close_all(self) -> None:
        """Close every open form (each saves its draft)."""
        for form in list(self.forms.values()):
            if alive(form) and form.isVisible():
                form.close()
