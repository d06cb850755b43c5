"""One action form: widgets built from a ``FormSpec``; drafts saved as the operator types; submit records.

Drafts: every edit restarts a short timer; when it fires, the field values go to ``Drafts.save`` on the
DB worker (a ``QueryOp`` stamped per case and form, so only the newest save matters). Closing the form
saves at once. Reopening the form for the same case restores the draft. A successful submit discards it
in the same DB-worker job that recorded the event, after the event is committed.

Submitting never blocks the GUI: the form disables itself, ``core.store.service.record`` runs on the DB
worker (so it works offline; the sync engine pushes later), and a refusal (``CommandRefused``,
``InvalidEvent``) comes back as a message shown in the form, in red, with the form still filled in.
A failure of the local store is shown by its cause. When the disk failed during the commit and the
store cannot tell yet whether the entry is stored (``OutcomeUnknown``), the form says exactly that,
keeps everything typed, and the next submit settles the earlier attempt first (it never records twice).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QDateTime, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from core.errors import OutcomeUnknown, StoreUnavailable
from core.events import EventType, iso
from ui.context import ApplicationContext
from ui.forms.messages import not_saved_text, rule_text
from ui.forms.specs import FieldSpec, FormSpec, build_payload, flatten, missing_required, specs_for
from ui.operations import alive, is_user_error, store_error_text
from ui.operations.drafts import load_draft, save_draft
from ui.operations.record import record_event

DRAFT_DEBOUNCE_MS = 400
# Draft key holding the id of a submit whose outcome the disk left unknown (see ``submit``).
UNDECIDED_KEY = "__undecided_event__"


class _OptionalDateTime(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.enabled = QCheckBox()
        self.edit = QDateTimeEdit(QDateTime.currentDateTime().addDays(1))
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat("dd MMM yyyy HH:mm")
        self.edit.setEnabled(False)
        self.enabled.toggled.connect(self.edit.setEnabled)
        self.enabled.toggled.connect(lambda _b: self.changed.emit())
        self.edit.dateTimeChanged.connect(lambda _d: self.changed.emit())
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.enabled)
        layout.addWidget(self.edit, 1)


def _qdt_to_iso(value: QDateTime) -> str:
    return iso(datetime.fromtimestamp(value.toSecsSinceEpoch(), UTC))


def _iso_to_qdt(value: str) -> QDateTime:
    from core.events import parse_time

    return QDateTime.fromSecsSinceEpoch(int(parse_time(value).timestamp()))


class ActionForm(QDialog):
    """A form for one action on one case. ``recorded`` carries the new event after it is stored."""

    recorded = Signal(object)  # core.events.Event
    draft_restored = Signal(bool)  # True if a draft was found and applied
    draft_saved = Signal()

    def __init__(
        self,
        ctx: ApplicationContext,
        spec: FormSpec,
        case_id: str,
        parent: QWidget | None = None,
        *,
        choices: dict[str, tuple[tuple[str, str], ...]] | None = None,
        amend_targets: dict[str, tuple[EventType, dict[str, Any]]] | None = None,
        case_label: str = "",
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.spec = spec
        self.case_id = case_id
        self._choices = choices or {}
        self._amend_targets = amend_targets or {}
        self._restoring = False
        self._submitted = False
        self._undecided: str | None = None  # id of an earlier submit whose outcome the disk left unknown
        self._dirty = False  # edits not yet handed to a draft save
        self._touched = False  # the operator has typed: a late-arriving draft must not overwrite that
        self.draft_found: bool | None = None  # None while the draft is being looked up
        self.widgets: dict[str, QWidget] = {}
        self._labels: dict[str, QLabel] = {}
        self._amend_fields: tuple[FieldSpec, ...] = ()
        self._amend_widgets: dict[str, QWidget] = {}

        self.setWindowTitle(spec.title)
        self.setObjectName(f"form-{spec.form_id}")
        self.setAccessibleName(spec.title)
        self.setMinimumWidth(460)

        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for f in spec.fields:
            self._add_field(f, self.widgets, self._labels)
        self.amend_box = QFormLayout()

        self.error = QLabel()
        self.error.setObjectName("form-error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #a00000; font-weight: bold;")
        self.error.setAccessibleName(self.tr("Form message"))
        self.error.hide()

        self.draft_note = QLabel()
        self.draft_note.setStyleSheet("color: #555;")

        self.buttons = QDialogButtonBox()
        self.submit_button = self.buttons.addButton(spec.submit, QDialogButtonBox.ButtonRole.AcceptRole)
        self.submit_button.setAccessibleName(spec.submit)
        self.submit_button.setDefault(True)
        # Not "Close": the close-case form's own action is "Close case", and the two must not read alike.
        cancel = self.buttons.addButton(self.tr("Cancel (draft kept)"), QDialogButtonBox.ButtonRole.RejectRole)
        cancel.setObjectName("form-cancel")
        cancel.setAccessibleName(self.tr("Close the form and keep the draft"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        submit_key = QShortcut(QKeySequence("Ctrl+Return"), self)
        submit_key.activated.connect(self.submit)

        layout = QVBoxLayout(self)
        self.case_label = QLabel(case_label)
        self.case_label.setObjectName("form-case")
        self.case_label.setStyleSheet("font-weight: bold;")
        self.case_label.setWordWrap(True)
        self.case_label.setVisible(bool(case_label))
        layout.addWidget(self.case_label)
        layout.addLayout(self.form)
        layout.addLayout(self.amend_box)
        layout.addWidget(self.error)
        layout.addWidget(self.draft_note)
        layout.addWidget(self.buttons)

        self._draft_timer = QTimer(self)
        self._draft_timer.setSingleShot(True)
        self._draft_timer.setInterval(DRAFT_DEBOUNCE_MS)
        self._draft_timer.timeout.connect(self.save_draft)
        self._update_visibility()
        if spec.form_id == "amend":
            self._rebuild_amend_fields()
        self._load_draft()

    # ---- widgets -----------------------------------------------------------------------------------
    def _add_field(self, f: FieldSpec, into: dict[str, QWidget], labels: dict[str, QLabel]) -> None:
        label_text = f"{f.label} *" if f.required else f.label
        widget: QWidget
        if f.kind == "multiline":
            edit = QPlainTextEdit()
            edit.setTabChangesFocus(True)
            edit.setFixedHeight(90)
            edit.textChanged.connect(self._changed)
            widget = edit
        elif f.kind in ("choice", "editable_choice"):
            combo = QComboBox()
            combo.setEditable(f.kind == "editable_choice")
            if f.kind == "choice":
                combo.addItem(self.tr("— choose —"), None)
            for value, text in self._choices.get(f.name, f.choices):
                combo.addItem(text, value)
            if f.kind == "editable_choice":
                combo.setCurrentIndex(-1)
                line_edit = combo.lineEdit()
                if line_edit is not None:
                    line_edit.setPlaceholderText(f.placeholder)
                combo.editTextChanged.connect(self._changed)
            combo.currentIndexChanged.connect(self._changed)
            widget = combo
        elif f.kind == "bool":
            box = QCheckBox()
            box.toggled.connect(self._changed)
            widget = box
        elif f.kind == "datetime":
            dt = QDateTimeEdit(QDateTime.currentDateTime())
            dt.setCalendarPopup(True)
            dt.setDisplayFormat("dd MMM yyyy HH:mm")
            dt.dateTimeChanged.connect(self._changed)
            widget = dt
        elif f.kind == "optional_datetime":
            opt = _OptionalDateTime()
            opt.changed.connect(self._changed)
            widget = opt
        elif f.kind == "int":
            spin = QSpinBox()
            spin.setRange(int(f.lo) - 1, int(f.hi))
            spin.setSpecialValueText(self.tr("not given"))
            spin.setValue(int(f.lo) - 1)
            spin.valueChanged.connect(self._changed)
            widget = spin
        elif f.kind == "float":
            line = QLineEdit()
            line.setPlaceholderText(f.placeholder or self.tr("decimal number"))
            line.textChanged.connect(self._changed)
            widget = line
        else:
            line = QLineEdit()
            line.setPlaceholderText(f.placeholder)
            line.textChanged.connect(self._changed)
            widget = line
        widget.setObjectName(f"field-{f.name}")
        widget.setAccessibleName(f.label)
        label = QLabel(label_text)
        label.setBuddy(widget)
        labels[f.name] = label
        into[f.name] = widget
        (self.amend_box if into is self._amend_widgets else self.form).addRow(label, widget)

    def values(self) -> dict[str, Any]:
        """Current field values (plain JSON: the draft format)."""
        out = {name: self._value(w) for name, w in self.widgets.items()}
        if self._amend_widgets:
            out["__amend__"] = {name: self._value(w) for name, w in self._amend_widgets.items()}
        return out

    def _spec_of(self, name: str) -> FieldSpec | None:
        for f in (*self.spec.fields, *self._amend_fields):
            if f.name == name:
                return f
        return None

    def _value(self, w: QWidget) -> Any:
        if isinstance(w, QPlainTextEdit):
            return w.toPlainText()
        if isinstance(w, QComboBox):
            if w.isEditable():
                return w.currentText()
            return w.currentData()
        if isinstance(w, QCheckBox):
            return w.isChecked()
        if isinstance(w, _OptionalDateTime):
            return _qdt_to_iso(w.edit.dateTime()) if w.enabled.isChecked() else None
        if isinstance(w, QDateTimeEdit):
            return _qdt_to_iso(w.dateTime())
        if isinstance(w, QSpinBox):
            return None if w.value() < w.minimum() + 1 else w.value()
        if isinstance(w, QLineEdit):
            name = w.objectName().removeprefix("field-")
            f = self._spec_of(name)
            if f is not None and f.kind == "float":
                text = w.text().strip().replace(",", ".")
                if not text:
                    return None
                try:
                    return float(text)
                except ValueError:
                    return text  # kept as typed; submit reports it
            return w.text()
        return None

    def set_values(self, values: dict[str, Any], widgets: dict[str, QWidget] | None = None) -> None:
        for name, value in values.items():
            if name == "__amend__":
                continue
            w = (widgets or self.widgets).get(name)
            if w is None:
                continue
            if isinstance(w, QPlainTextEdit):
                w.setPlainText(str(value or ""))
            elif isinstance(w, QComboBox):
                if w.isEditable():
                    w.setEditText(str(value or ""))
                else:
                    w.setCurrentIndex(max(0, w.findData(value)))
            elif isinstance(w, QCheckBox):
                w.setChecked(bool(value))
            elif isinstance(w, _OptionalDateTime):
                w.enabled.setChecked(value is not None)
                if value:
                    w.edit.setDateTime(_iso_to_qdt(str(value)))
            elif isinstance(w, QDateTimeEdit):
                if value:
                    w.setDateTime(_iso_to_qdt(str(value)))
            elif isinstance(w, QSpinBox):
                w.setValue(int(value) if value is not None else w.minimum())
            elif isinstance(w, QLineEdit):
                w.setText("" if value is None else str(value))
        if "__amend__" in values and widgets is None:
            self._rebuild_amend_fields()
            self.set_values(values["__amend__"] or {}, self._amend_widgets)
        self._update_visibility()

    def _changed(self, *_: Any) -> None:
        self._update_visibility()
        if self.spec.form_id == "amend" and self.sender() is self.widgets.get("target_event_id"):
            self._rebuild_amend_fields()
        if self._restoring or self._submitted:
            return
        self._dirty = True
        self._touched = True
        self.error.hide()
        self._draft_timer.start()

    def _update_visibility(self) -> None:
        values = {name: self._value(w) for name, w in self.widgets.items()}
        for f in self.spec.fields:
            if f.visible_when is None:
                continue
            shown = values.get(f.visible_when[0]) == f.visible_when[1]
            self.widgets[f.name].setVisible(shown)
            self._labels[f.name].setVisible(shown)

    # ---- amendment ---------------------------------------------------------------------------------
    def _rebuild_amend_fields(self) -> None:
        while self.amend_box.rowCount():
            self.amend_box.removeRow(0)
        self._amend_widgets = {}
        self._amend_fields = ()
        target = self.widgets["target_event_id"]
        assert isinstance(target, QComboBox)
        chosen = target.currentData()
        if not chosen or chosen not in self._amend_targets:
            return
        from ui.forms.specs import FORM_OF_TYPE

        etype, payload = self._amend_targets[chosen]
        target_spec = specs_for().get(FORM_OF_TYPE.get(etype, ""))
        if target_spec is None:
            return
        self._amend_fields = target_spec.fields
        labels: dict[str, QLabel] = {}
        for f in self._amend_fields:
            self._add_field(f, self._amend_widgets, labels)
        was = self._restoring
        self._restoring = True
        self.set_values(flatten(dict(payload)), self._amend_widgets)
        self._restoring = was

    def _amend_payload(self, values: dict[str, Any]) -> dict[str, Any] | str:
        chosen = values.get("target_event_id")
        if not chosen or chosen not in self._amend_targets:
            return self.tr("Choose the entry to correct.")
        _etype, current = self._amend_targets[chosen]
        new = build_payload(self._amend_fields, values.get("__amend__") or {})
        fields = {k: v for k, v in new.items() if current.get(k) != v}
        if not fields:
            return self.tr("Change at least one field of the entry.")
        return {"target_event_id": chosen, "fields": fields, "reason": str(values.get("reason") or "").strip()}

    # ---- drafts ------------------------------------------------------------------------------------
    def _load_draft(self) -> None:
        def apply(draft: dict[str, Any] | None) -> None:
            if not alive(self):
                return
            if draft and UNDECIDED_KEY in draft:
                self._undecided = draft.pop(UNDECIDED_KEY) or self._undecided
            if draft and not self._touched:
                self._restoring = True
                try:
                    self.set_values(draft)
                finally:
                    self._restoring = False
                self.draft_note.setText(self.tr("Draft restored: nothing you typed was lost."))
            self.draft_found = bool(draft)
            self.draft_restored.emit(bool(draft))

        load_draft(self._ctx, self.case_id, self.spec.form_id, success=apply).run(self._ctx.taskman)

    def save_draft(self) -> None:
        """Queue a draft save on the DB worker (the newest save wins)."""
        self._draft_timer.stop()
        if self._submitted or not self._dirty:
            return
        values = self.values()
        if self._undecided is not None:
            values[UNDECIDED_KEY] = self._undecided  # survives a restart: the next submit still checks it

        def saved(_: None) -> None:
            if not alive(self):
                return
            self.draft_note.setText(self.tr("Draft saved on this workstation."))
            self.draft_saved.emit()

        self._dirty = False
        save_draft(self._ctx, self.case_id, self.spec.form_id, values, success=saved).run(self._ctx.taskman)

    def _flush_draft(self) -> None:
        if self._draft_timer.isActive() or (self._dirty and not self._submitted):
            self.save_draft()

    def closeEvent(self, event: QCloseEvent) -> None:
        self._flush_draft()
        super().closeEvent(event)  # QDialog: calls reject(), which hides the form

    def reject(self) -> None:
        """Esc, "Cancel (draft kept)", the window's close button: save the draft, then hide."""
        self._flush_draft()
        super().reject()

    # ---- submit ------------------------------------------------------------------------------------
    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    def submit(self) -> None:
        if self._submitted:
            return
        values = self.values()
        missing = missing_required(self.spec.fields, values)
        if missing:
            self.show_error(self.tr("Please fill in: %1").replace("%1", ", ".join(missing)))
            return
        payload: dict[str, Any] | str
        if self.spec.form_id == "amend":
            payload = self._amend_payload(values)
        else:
            payload = build_payload(self.spec.fields, values)
        if isinstance(payload, str):
            self.show_error(payload)
            return
        for name, value in values.items():
            f = self._spec_of(name)
            if f is not None and f.kind == "float" and isinstance(value, str) and value.strip():
                self.show_error(self.tr("%1 must be a number.").replace("%1", f.label))
                return
            if f is not None and f.kind == "float" and isinstance(value, float) and not f.lo <= value <= f.hi:
                self.show_error(rule_text(f.label, f"must be between {f.lo} and {f.hi}") or "")
                return
        self._submitted = True
        self._draft_timer.stop()
        self.setEnabled(False)
        ctx, case_id, form_id, etype = self._ctx, self.case_id, self.spec.form_id, self.spec.etype
        undecided = self._undecided

        def done(event: Any) -> None:
            ctx.notify_local_change()
            if not alive(self):
                return
            self._undecided = None
            self.recorded.emit(event)
            self.accept()

        def failed(exc: BaseException) -> None:
            if not alive(self):
                ctx.taskman.report(exc)
                return
            self._submitted = False
            self.setEnabled(True)
            if isinstance(exc, OutcomeUnknown):
                # Neither "saved" nor "not saved": the form stays filled in, and the next submit
                # settles this attempt first (ui.operations.record), so nothing is recorded twice.
                self._undecided = exc.event_id
                self.show_error(store_error_text(exc))
                self._dirty = True
                self.save_draft()
                return
            self._undecided = None
            if is_user_error(exc):
                self.show_error(not_saved_text(exc, (*self.spec.fields, *self._amend_fields)))
            else:
                text = store_error_text(exc) if isinstance(exc, StoreUnavailable) else str(exc)
                self.show_error(self.tr("Not saved: %1 Your draft is kept.").replace("%1", text))
                self._dirty = True
                self.save_draft()
                ctx.taskman.report(exc)

        record_event(
            ctx, case_id, etype, payload, check_first=undecided, discard_draft=form_id, success=done, failure=failed
        ).run(ctx.taskman)
