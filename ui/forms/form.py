"""One action form: an editor per field (``ui.forms.editors``) built from a ``FormSpec``; its draft kept
as the operator types (``ui.forms.draft``); submit records.

Submitting never blocks the GUI: the form disables itself, the event is recorded on the DB worker
(``ui.operations.record``: so it works offline; the sync engine pushes later) and the draft is discarded
in the same transaction. A refusal (``CommandRefused``, ``InvalidEvent``) comes back as a message shown
in the form, in red, with the form still filled in. A failure of the local store is shown by its cause.
When the disk failed during the commit and the store cannot tell yet whether the entry is stored
(``OutcomeUnknown``), the form says exactly that, keeps everything typed, and the next submit settles
the earlier attempt first (it never records twice).

``AmendForm`` (the correction of an earlier entry) is a form of its own: the fields of the chosen
entry appear under the choice, filled with its current values, and only what changed is submitted.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from core.errors import OutcomeUnknown, StoreUnavailable
from core.events import EventType
from ui.context import ApplicationContext
from ui.forms.draft import UNDECIDED_KEY, DraftKeeper
from ui.forms.editors import FieldEditor, make_editor
from ui.forms.messages import not_saved_text
from ui.forms.specs import FORM_OF_TYPE, FieldSpec, FormSpec, specs_for
from ui.operations import alive, is_user_error, store_error_text
from ui.operations.record import record_event

__all__ = ["UNDECIDED_KEY", "ActionForm", "AmendForm", "form_class"]


# -- field values <-> payload (field names with a dot are nested objects) ------------------------------

def build_payload(spec_fields: tuple[FieldSpec, ...], values: dict[str, Any]) -> dict[str, Any]:
    """Field values -> event payload. Empty optional values are left out; hidden fields too."""
    payload: dict[str, Any] = {}
    for f in spec_fields:
        if f.visible_when is not None and values.get(f.visible_when[0]) != f.visible_when[1]:
            continue
        value = values.get(f.name)
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        if isinstance(value, str):
            value = value.strip()
        target = payload
        parts = f.name.split(".")
        for part in parts[:-1]:
            target = target.setdefault(part, {})
        target[parts[-1]] = value
    return payload


def missing_required(spec_fields: tuple[FieldSpec, ...], values: dict[str, Any]) -> list[str]:
    """Labels of required fields left empty (only fields currently shown)."""
    missing = []
    for f in spec_fields:
        if not f.required:
            continue
        if f.visible_when is not None and values.get(f.visible_when[0]) != f.visible_when[1]:
            continue
        value = values.get(f.name)
        if value is None or (isinstance(value, str) and not value.strip()):
            missing.append(f.label)
    return missing


def flatten(payload: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Payload -> field values (the inverse of ``build_payload``), for prefilling an amendment."""
    out: dict[str, Any] = {}
    for key, value in payload.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(flatten(value, f"{name}."))
        else:
            out[name] = value
    return out


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
        self._amend_targets = amend_targets or {}  # read by AmendForm only
        self._restoring = False
        self._submitted = False
        self._touched = False  # the operator has typed: a late-arriving draft must not overwrite that
        self.draft_found: bool | None = None  # None while the draft is being looked up
        self.editors: dict[str, FieldEditor] = {}
        self.widgets: dict[str, QWidget] = {}
        self._labels: dict[str, QLabel] = {}
        self.draft = DraftKeeper(ctx, case_id, spec.form_id, self.values, self)
        self.draft.loaded.connect(self._draft_loaded)
        self.draft.saved.connect(self._draft_saved)

        self.setWindowTitle(spec.title)
        self.setObjectName(f"form-{spec.form_id}")
        self.setAccessibleName(spec.title)
        self.setMinimumWidth(460)

        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for f in spec.fields:
            editor = self._add_field(f, self.form, self._labels)
            self.editors[f.name] = editor
            self.widgets[f.name] = editor.widget
        self.extra_box = QFormLayout()  # fields a subclass adds after the form's own

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
        layout.addLayout(self.extra_box)
        layout.addWidget(self.error)
        layout.addWidget(self.draft_note)
        layout.addWidget(self.buttons)

        self._update_visibility()
        self._built()
        self.draft.load()

    def _built(self) -> None:
        """Hook: the form's own fields are built (a subclass adds its own)."""

    # ---- fields ------------------------------------------------------------------------------------
    def _add_field(self, f: FieldSpec, box: QFormLayout, labels: dict[str, QLabel]) -> FieldEditor:
        editor = make_editor(f, self._choices.get(f.name, f.choices), self._changed)
        label = QLabel(f"{f.label} *" if f.required else f.label)
        label.setBuddy(editor.widget)
        labels[f.name] = label
        box.addRow(label, editor.widget)
        return editor

    def all_fields(self) -> tuple[FieldSpec, ...]:
        """Every field shown, for naming a refused one."""
        return self.spec.fields

    def values(self) -> dict[str, Any]:
        """Current field values (plain JSON: the draft format)."""
        return {name: editor.value() for name, editor in self.editors.items()}

    def set_values(self, values: dict[str, Any]) -> None:
        for name, value in values.items():
            editor = self.editors.get(name)
            if editor is not None:
                editor.set_value(value)
        self._update_visibility()

    def payload(self, values: dict[str, Any]) -> dict[str, Any] | str:
        """The event's payload from ``values``, or what is wrong with them."""
        return build_payload(self.spec.fields, values)

    def _changed(self, *_: Any) -> None:
        self._update_visibility()
        if self._restoring or self._submitted:
            return
        self._touched = True
        self.error.hide()
        self.draft.edited()

    def _update_visibility(self) -> None:
        values = {name: editor.value() for name, editor in self.editors.items()}
        for f in self.spec.fields:
            if f.visible_when is None:
                continue
            shown = values.get(f.visible_when[0]) == f.visible_when[1]
            self.widgets[f.name].setVisible(shown)
            self._labels[f.name].setVisible(shown)

    # ---- drafts ------------------------------------------------------------------------------------
    def _draft_loaded(self, draft: dict[str, Any] | None) -> None:
        if draft and not self._touched:
            self._restoring = True
            try:
                self.set_values(draft)
            finally:
                self._restoring = False
            self.draft_note.setText(self.tr("Draft restored: nothing you typed was lost."))
        self.draft_found = bool(draft)
        self.draft_restored.emit(bool(draft))

    def _draft_saved(self) -> None:
        self.draft_note.setText(self.tr("Draft saved on this workstation."))
        self.draft_saved.emit()

    def save_draft(self) -> None:
        """Queue a draft save on the DB worker (the newest save wins)."""
        self.draft.save()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.draft.flush()
        super().closeEvent(event)  # QDialog: calls reject(), which hides the form

    def reject(self) -> None:
        """Esc, "Cancel (draft kept)", the window's close button: save the draft, then hide."""
        self.draft.flush()
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
        payload = self.payload(values)
        if isinstance(payload, str):
            self.show_error(payload)
            return
        for editor in self.editors.values():
            problem = editor.problem()
            if problem is not None:
                self.show_error(problem)
                return
        self._submitted = True
        self.draft.stop()
        self.setEnabled(False)
        ctx = self._ctx
        undecided = self.draft.undecided

        def done(event: Any) -> None:
            if not alive(self):
                return
            self.draft.undecided = None
            self.recorded.emit(event)
            self.accept()

        def failed(exc: BaseException) -> None:
            if not alive(self):
                ctx.taskman.report(exc)
                return
            self._submitted = False
            self.draft.closed = False
            self.setEnabled(True)
            if isinstance(exc, OutcomeUnknown):
                # Neither "saved" nor "not saved": the form stays filled in, and the next submit
                # settles this attempt first (ui.operations.record), so nothing is recorded twice.
                self.draft.undecided = exc.event_id
                self.show_error(store_error_text(exc))
                self.draft.save_now()
                return
            self.draft.undecided = None
            if is_user_error(exc):
                self.show_error(not_saved_text(exc, self.all_fields()))
            else:
                text = store_error_text(exc) if isinstance(exc, StoreUnavailable) else str(exc)
                self.show_error(self.tr("Not saved: %1 Your draft is kept.").replace("%1", text))
                self.draft.save_now()
                ctx.taskman.report(exc)

        self.record(payload, undecided, done, failed)

    def record(
        self,
        payload: dict[str, Any],
        undecided: str | None,
        done: Callable[[Any], None],
        failed: Callable[[BaseException], None],
    ) -> None:
        """Record the form's entry on the DB worker; ``done`` gets the stored event, ``failed`` the error.
        ``undecided``: an earlier submit whose outcome the disk left unknown, settled first."""
        ctx = self._ctx
        record_event(
            ctx, self.case_id, self.spec.etype, payload, check_first=undecided, discard_draft=self.spec.form_id,
            success=done, failure=failed,
        ).run(ctx.taskman)  # fmt: skip


class AmendForm(ActionForm):
    """Correct an earlier entry: choose it, change its fields; only the changed fields are submitted.

    ``amend_targets`` maps each entry that may be corrected to its type and current (amended) values.
    """

    _amend_fields: tuple[FieldSpec, ...] = ()
    _amend_editors: dict[str, FieldEditor] = {}

    def _built(self) -> None:
        self._rebuild_amend_fields()

    @property
    def amend_widgets(self) -> dict[str, QWidget]:
        """The chosen entry's field widgets, by field name."""
        return {name: editor.widget for name, editor in self._amend_editors.items()}

    def all_fields(self) -> tuple[FieldSpec, ...]:
        return (*self.spec.fields, *self._amend_fields)

    def values(self) -> dict[str, Any]:
        out = super().values()
        if self._amend_editors:
            out["__amend__"] = {name: editor.value() for name, editor in self._amend_editors.items()}
        return out

    def set_values(self, values: dict[str, Any]) -> None:
        super().set_values({k: v for k, v in values.items() if k != "__amend__"})
        if "__amend__" in values:
            self._rebuild_amend_fields()
            for name, value in (values["__amend__"] or {}).items():
                editor = self._amend_editors.get(name)
                if editor is not None:
                    editor.set_value(value)

    def _changed(self, *_: Any) -> None:
        if self.sender() is self.widgets.get("target_event_id"):
            self._rebuild_amend_fields()
        super()._changed()

    def _rebuild_amend_fields(self) -> None:
        while self.extra_box.rowCount():
            self.extra_box.removeRow(0)
        self._amend_editors = {}
        self._amend_fields = ()
        target = self.widgets["target_event_id"]
        assert isinstance(target, QComboBox)
        chosen = target.currentData()
        if not chosen or chosen not in self._amend_targets:
            return
        etype, payload = self._amend_targets[chosen]
        target_spec = specs_for().get(FORM_OF_TYPE.get(etype, ""))
        if target_spec is None:
            return
        self._amend_fields = target_spec.fields
        labels: dict[str, QLabel] = {}
        editors = {f.name: self._add_field(f, self.extra_box, labels) for f in self._amend_fields}
        was = self._restoring
        self._restoring = True
        for name, value in flatten(dict(payload)).items():
            if name in editors:
                editors[name].set_value(value)
        self._restoring = was
        self._amend_editors = editors

    def payload(self, values: dict[str, Any]) -> dict[str, Any] | str:
        chosen = values.get("target_event_id")
        if not chosen or chosen not in self._amend_targets:
            return QCoreApplication.translate("ActionForm", "Choose the entry to correct.")
        _etype, current = self._amend_targets[chosen]
        new = build_payload(self._amend_fields, values.get("__amend__") or {})
        fields = {k: v for k, v in new.items() if current.get(k) != v}
        if not fields:
            return QCoreApplication.translate("ActionForm", "Change at least one field of the entry.")
        return {"target_event_id": chosen, "fields": fields, "reason": str(values.get("reason") or "").strip()}


def form_class(form_id: str) -> type[ActionForm]:
    """The form class for ``form_id``: correcting, routing and manual intake have their own; every
    other action is an ActionForm."""
    # imported here, not at the top: both subclass ActionForm, so they import this module
    from ui.forms.intake import IntakeForm
    from ui.forms.routing import RoutingForm

    return {"amend": AmendForm, "assign": RoutingForm, "intake": IntakeForm}.get(form_id, ActionForm)
