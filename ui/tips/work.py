"""A tip's follow-up work in the tip box: the officer it is passed to, the actions taken, its
outcome, and the SP office's buttons to record them.

What is shown comes from the case's fold (``CaseState.tip_officer``, ``tip_actions``,
``tip_outcome``). Recording goes through the one command path (``ui.operations.record``): the event
is checked by ``core.commands`` and stored in the replica at once, offline too, and pushed like any
case work; HQ checks the officer against the district's list. The officer list comes from HQ (the
network pool) when the assignment dialog opens; until it arrives, or when HQ cannot be reached, the
dialog offers the last list HQ gave this console (kept in the store: ``ui.operations.tip_officers``).
An officer retired at HQ meanwhile makes HQ refuse the entry at push; it then shows among the
changes HQ refused, and the tip can be passed to another officer.

Threading: GUI thread only.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.commands import allowed_for
from core.events import EventType
from core.fold import CaseState
from core.tips import TipOutcome
from ui.context import ApplicationContext
from ui.forms.messages import not_saved_text
from ui.labels import local_time, officer_text, tip_outcome_label
from ui.operations import alive
from ui.operations.base import is_user_error
from ui.operations.record import record_event
from ui.operations.tip_officers import CachedOfficers, cached_officers, fetch_officers
from ui.operations.tips import tip_error_text

# Who records what on a tip (hq/scope.py ``TIP_ROLE_WRITES`` for the tip roles; HQ and district
# operators may too). A DIG supervises: it notes actions, the SP's office does the rest.
OFFICER_ROLES = frozenset({"sp_office", "hq_operator", "district_operator"})
ACTION_ROLES = frozenset({"sp_office", "range_dig", "hq_operator", "district_operator"})
NOTE_MAX_CHARS = 4000


def _ok_cancel(dialog: QDialog, ok_text: str) -> QDialogButtonBox:
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
    cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel)
    if ok is not None:
        ok.setText(ok_text)
    if cancel is not None:
        cancel.setText(dialog.tr("Cancel"))
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


class OfficerDialog(QDialog):
    """Pick an officer of the district's list (loaded from HQ by the caller) and add a note."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tip-officer-dialog")
        self.setWindowTitle(self.tr("Pass the tip to an officer"))
        self.officers: list[dict[str, Any]] = []
        self.combo = QComboBox()
        self.combo.setObjectName("tip-officer-choice")
        self.combo.setAccessibleName(self.tr("Officer"))
        self.status = QLabel(self.tr("Loading the district's officers from HQ…"))
        self.status.setWordWrap(True)
        self.note = QLineEdit()
        self.note.setAccessibleName(self.tr("Note"))
        self.buttons = _ok_cancel(self, self.tr("Pass to officer"))
        form = QFormLayout()
        form.addRow(self.tr("Officer"), self.combo)
        form.addRow(self.tr("Note"), self.note)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self._set_ok()

    def set_officers(self, officers: list[dict[str, Any]], current: str | None, *, status: str | None = None) -> None:
        """Offer ``officers`` (less the current one); ``status`` says where the list came from (HQ's
        own list when None)."""
        self.officers = [o for o in officers if o.get("id") != current and o.get("active", True)]
        self.combo.clear()
        for o in self.officers:
            self.combo.addItem(officer_text(o), o.get("id"))
        if status is not None:
            self.status.setText(status)
        else:
            self.status.setText(
                self.tr("Choose one of the district's officers.")
                if self.officers
                else self.tr("HQ lists no other officer for this district; the SP office adds them.")
            )
        self._set_ok()

    def set_error(self, text: str) -> None:
        self.status.setText(text)

    def _set_ok(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        if ok is not None:
            ok.setEnabled(bool(self.officers))

    def payload(self) -> dict[str, Any]:
        o = self.officers[max(0, self.combo.currentIndex())]
        out: dict[str, Any] = {"officer_id": o["id"], "name": o["name"], "rank": o["rank"]}
        if o.get("station"):
            out["station"] = o["station"]
        if self.note.text().strip():
            out["note"] = self.note.text().strip()
        return out


class ActionDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tip-action-dialog")
        self.setWindowTitle(self.tr("Action taken on the tip"))
        self.text = QPlainTextEdit()
        self.text.setAccessibleName(self.tr("Action taken"))
        self.buttons = _ok_cancel(self, self.tr("Record"))
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("What was done (a raid, an inquiry, a visit)?")))
        layout.addWidget(self.text, 1)
        layout.addWidget(self.buttons)
        self.text.textChanged.connect(self._check)
        self._check()

    def note(self) -> str:
        return self.text.toPlainText().strip()

    def _check(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        if ok is not None:
            ok.setEnabled(0 < len(self.note()) <= NOTE_MAX_CHARS)


class OutcomeDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tip-outcome-dialog")
        self.setWindowTitle(self.tr("Outcome of the tip"))
        self.choice = QComboBox()
        self.choice.setAccessibleName(self.tr("Outcome"))
        for o in TipOutcome:
            self.choice.addItem(tip_outcome_label(o), str(o))
        self.detail = QLineEdit()
        self.detail.setAccessibleName(self.tr("Detail"))
        self.close_tip = QCheckBox(self.tr("Close the tip"))
        self.close_tip.setChecked(True)
        self.buttons = _ok_cancel(self, self.tr("Record"))
        form = QFormLayout()
        form.addRow(self.tr("Outcome"), self.choice)
        form.addRow(self.tr("Detail (FIR number, reason)"), self.detail)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.close_tip)
        layout.addWidget(self.buttons)

    def payload(self) -> dict[str, Any]:
        out: dict[str, Any] = {"outcome": self.choice.currentData()}
        if self.detail.text().strip():
            out["detail"] = self.detail.text().strip()
        return out


class TipWorkBox(QWidget):
    """The officer, actions and outcome of the shown tip, with the buttons to record them."""

    message = Signal(str)

    def __init__(self, ctx: ApplicationContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tip-work")
        self._ctx = ctx
        self.case_id = ""
        self.district: str | None = None
        self.current_officer: str | None = None
        self.dialog: QDialog | None = None
        self.summary = QLabel()
        self.summary.setObjectName("tip-work-summary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.officer_button = QPushButton(self.tr("Pass to an officer…"))
        self.officer_button.setObjectName("tip-assign-officer")
        self.officer_button.clicked.connect(self.open_officer)
        self.action_button = QPushButton(self.tr("Action taken…"))
        self.action_button.setObjectName("tip-record-action")
        self.action_button.clicked.connect(self.open_action)
        self.outcome_button = QPushButton(self.tr("Outcome…"))
        self.outcome_button.setObjectName("tip-record-outcome")
        self.outcome_button.clicked.connect(self.open_outcome)
        row = QHBoxLayout()
        for b in (self.officer_button, self.action_button, self.outcome_button):
            row.addWidget(b)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addLayout(row)

    def show_state(self, state: CaseState) -> None:
        self.case_id = state.case_id
        self.district = state.district
        officer = state.tip_officer
        self.current_officer = str(officer.get("officer_id")) if officer else None
        lines = [
            self.tr("Officer: %1").replace("%1", officer_text(officer, self._ctx.places.name))
            if officer
            else self.tr("Officer: not yet passed to an officer")
        ]
        for a in state.tip_actions[-3:]:
            lines.append(self.tr("Action %1 (%2): %3").replace("%1", local_time(a.get("at"))).replace(
                "%2", str(a.get("author") or "")).replace("%3", str(a.get("text") or "")))
        if state.tip_outcome:
            outcome = tip_outcome_label(state.tip_outcome)
            if state.tip_outcome_detail:
                outcome += f" — {state.tip_outcome_detail}"
            lines.append(self.tr("Outcome: %1").replace("%1", outcome))
        self.summary.setText("\n".join(lines))
        role = self._ctx.role
        may = allowed_for(state, self._ctx.author.tier, role)
        self.officer_button.setVisible(role in OFFICER_ROLES)
        self.officer_button.setEnabled(EventType.TIP_OFFICER_ASSIGNED in may and bool(state.district))
        self.action_button.setVisible(role in ACTION_ROLES)
        self.action_button.setEnabled(EventType.TIP_ACTION in may)
        self.outcome_button.setVisible(role in OFFICER_ROLES)
        self.outcome_button.setEnabled(EventType.TIP_OUTCOME in may)

    def close_dialog(self) -> None:
        if self.dialog is not None and alive(self.dialog):
            self.dialog.reject()
        self.dialog = None

    # ---- recording ---------------------------------------------------------------------------------
    def _record(self, case_id: str, etype: EventType, payload: dict[str, Any], then: Any = None) -> None:
        def failed(exc: BaseException) -> None:
            if not is_user_error(exc):
                self._ctx.taskman.report(exc)  # the disk or a bug: the window's own handling
            elif alive(self):
                self.message.emit(not_saved_text(exc))

        def done(_event: Any) -> None:
            if then is not None:
                then()

        record_event(self._ctx, case_id, etype, payload, success=done, failure=failed).run(self._ctx.taskman)

    def open_officer(self) -> None:
        dialog = OfficerDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        case_id, current = self.case_id, self.current_officer
        dialog.accepted.connect(lambda: self._record(case_id, EventType.TIP_OFFICER_ASSIGNED, dialog.payload()))
        self.dialog = dialog
        dialog.open()

        district = self.district or ""
        from_hq = False

        def loaded(officers: list[dict[str, Any]]) -> None:
            nonlocal from_hq
            from_hq = True
            if alive(dialog):
                dialog.set_officers(officers, current)

        def offline(why: str) -> None:
            def cached(cache: CachedOfficers) -> None:
                if from_hq or not alive(dialog):
                    return  # HQ's own list came first
                if cache.fetched_at:
                    text = self.tr("HQ's list could not be read: %1 Choose from the officers HQ listed at %2; "
                                   "HQ checks the officer when this entry reaches it.")  # fmt: skip
                    text = text.replace("%1", why).replace("%2", local_time(cache.fetched_at))
                else:
                    text = self.tr("HQ's list could not be read: %1 This console has no copy of it yet.")
                    text = text.replace("%1", why)
                dialog.set_officers(cache.officers, current, status=text)

            cached_officers(self._ctx, district, success=cached).run(self._ctx.taskman)

        def failed(exc: BaseException) -> None:
            if alive(dialog):
                offline(tip_error_text(exc))

        op = fetch_officers(self._ctx, district, success=loaded, failure=failed)
        if op is None:
            offline(self.tr("this console is not signed in to HQ."))
            return
        op.run(self._ctx.taskman)

    def open_action(self) -> None:
        dialog = ActionDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        case_id = self.case_id
        dialog.accepted.connect(lambda: self._record(case_id, EventType.TIP_ACTION, {"text": dialog.note()}))
        self.dialog = dialog
        dialog.open()

    def open_outcome(self) -> None:
        dialog = OutcomeDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        case_id = self.case_id

        def record() -> None:
            payload, close = dialog.payload(), dialog.close_tip.isChecked()

            def close_tip() -> None:
                self._record(case_id, EventType.CLOSED, {"reason": tip_outcome_label(payload["outcome"])})

            self._record(case_id, EventType.TIP_OUTCOME, payload, close_tip if close else None)

        dialog.accepted.connect(record)
        self.dialog = dialog
        dialog.open()


__all__ = ["ACTION_ROLES", "OFFICER_ROLES", "ActionDialog", "OfficerDialog", "OutcomeDialog", "TipWorkBox"]
