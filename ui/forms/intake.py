"""Manual intake at an HQ console: an alert taken by phone becomes a case, offline too.

The form records the case's ``created`` entry (and, with a district chosen, the ``assigned`` that
routes it) through ``ui.operations.record.record_intake``, the same way every action is recorded:
on the DB worker, into the local store, pushed by the sync engine later. The case is in the queue
and rings on this console as soon as it is stored.

No twins: when the upstream reference is typed, the replica (an HQ console holds every case) is
searched for it and the case that holds it is shown, with a button to open it; the submit looks it
up again in its own transaction and records nothing if it is found. A twin made on two offline
consoles is refused by HQ, naming the existing case; it stays in this console's refused list.

The draft is kept under ``INTAKE_DRAFT_KEY`` (there is no case yet). Texts use the translation
context ``ActionForm``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from core.ids import new_id
from ui.context import ApplicationContext
from ui.forms.routing import RoutingForm
from ui.forms.specs import FormSpec
from ui.labels import kind_label, local_time
from ui.operations import alive
from ui.operations.cases import find_upstream_ref
from ui.operations.record import IntakeRecorded, record_intake

INTAKE_DRAFT_KEY = "new-case"  # the draft's key in place of a case id
_PHONE_SPLIT = re.compile(r"[,;/\n]+")
_Q = QCoreApplication


class IntakeForm(RoutingForm):
    """``open_case(case_id)``: the operator asked to see a case (the one made, or the existing one)."""

    open_case = Signal(str)
    twin_found = Signal(str)  # the existing case's id, when the reference is already a case's

    def __init__(self, ctx: ApplicationContext, spec: FormSpec, case_id: str = INTAKE_DRAFT_KEY,
                 parent: QWidget | None = None, **kw: Any) -> None:  # fmt: skip
        self.existing_id: str | None = None
        super().__init__(ctx, spec, INTAKE_DRAFT_KEY, parent, **kw)

    def _built(self) -> None:
        super()._built()
        self._restoring = True  # defaults are not the operator's edits
        try:
            self.set_values({"kind": "suicide_risk", "priority": "1"})
        finally:
            self._restoring = False
        self.existing = QLabel()
        self.existing.setObjectName("intake-existing")
        self.existing.setWordWrap(True)
        self.existing.setStyleSheet("color: #7a4a00; font-weight: bold;")
        self.open_existing = QPushButton(self.tr("Open the existing case"))
        self.open_existing.setObjectName("intake-open-existing")
        self.open_existing.setAccessibleName(self.tr("Open the existing case"))
        self.open_existing.clicked.connect(self._open_existing)
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.existing, 1)
        row.addWidget(self.open_existing)
        self.existing_box = box
        self.extra_box.addRow(box)
        box.hide()
        ref = self.widgets["upstream_ref"]
        assert isinstance(ref, QLineEdit)
        ref.editingFinished.connect(self.look_up_reference)

    # ---- the twin ----------------------------------------------------------------------------------
    def look_up_reference(self) -> None:
        """Search the replica for the typed upstream reference (reader pool); show the case holding it."""
        ref = str(self.editors["upstream_ref"].value() or "").strip()
        if not ref:
            self._show_existing(None)
            return

        def found(result: tuple[str, Any] | None) -> None:
            if alive(self):
                self._show_existing(result)

        find_upstream_ref(self._ctx, ref, success=found).run(self._ctx.taskman)

    def _show_existing(self, result: tuple[str, Any] | None) -> None:
        if result is None:
            self.existing_id = None
            self.existing_box.hide()
            return
        case_id, state = result
        self.existing_id = case_id
        parts = [str((state.subject or {}).get("name") or "") if state is not None else ""]
        if state is not None:
            parts += [kind_label(state.kind), self.tr("received %1").replace("%1", local_time(state.received_at))]
            parts += [self._ctx.places.name(x) for x in (state.district, state.police_station) if x]
        text = self.tr("This alert is already a case: %1. Open it instead of entering it again.")
        self.existing.setText(text.replace("%1", " — ".join(p for p in parts if p)))
        self.existing_box.show()
        self.twin_found.emit(case_id)

    def _open_existing(self) -> None:
        if self.existing_id:
            self.open_case.emit(self.existing_id)
            self.reject()  # the draft is kept, should the operator want it after all

    # ---- submit ------------------------------------------------------------------------------------
    def payload(self, values: dict[str, Any]) -> dict[str, Any] | str:
        built = super().payload(values)
        if isinstance(built, str):
            return built
        route = {k: built.pop(k) for k in ("district", "police_station") if k in built}
        built["priority"] = int(built["priority"])
        subject = dict(built.get("subject") or {})
        if "phones" in subject:
            # one or several, as said on the phone; each is checked as a phone number by core
            subject["phones"] = [p.strip() for p in _PHONE_SPLIT.split(str(subject["phones"])) if p.strip()]
        built["subject"] = subject
        built.setdefault("location", {"text": ""})
        return {"created": built, "assigned": route or None}

    def record(
        self,
        payload: dict[str, Any],
        undecided: str | None,
        done: Callable[[Any], None],
        failed: Callable[[BaseException], None],
    ) -> None:
        case_id = new_id()

        def recorded(result: IntakeRecorded) -> None:
            if not alive(self):
                return
            if result.existing is not None:
                self._twin_refused(result.existing)
                return
            done(result.event)
            self.open_case.emit(case_id)

        record_intake(
            self._ctx, case_id, payload["created"], payload["assigned"],
            discard_draft=(INTAKE_DRAFT_KEY, self.spec.form_id), success=recorded, failure=failed,
        ).run(self._ctx.taskman)  # fmt: skip

    def _twin_refused(self, existing_id: str) -> None:
        """The submit found the reference already a case's: nothing was recorded; show that case."""
        self._submitted = False
        self.draft.closed = False
        self.setEnabled(True)
        self.look_up_reference()
        self.existing_id = existing_id
        self.show_error(self.tr("Not saved: this alert is already a case on this workstation. Open it instead."))


__all__ = ["INTAKE_DRAFT_KEY", "IntakeForm"]
