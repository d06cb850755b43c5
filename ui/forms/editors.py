"""One editor per field kind: the widget a ``FieldSpec`` gets, how its value is read and restored.

Values are plain JSON (the draft format): text, a choice's data, a bool, an ISO time or None, an int
or None, a float (or the text as typed when it is not a number, so submit can say so). Each editor
calls ``on_change`` when the operator edits it. Adding a field kind means adding one class here and
naming it in ``EDITORS``; nothing else changes. Texts use the translation context ``ActionForm``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, ClassVar

from PySide6.QtCore import QCoreApplication, QDateTime, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateTimeEdit,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from core.events import iso, parse_time
from ui.forms.messages import rule_text
from ui.forms.specs import FieldSpec

_Q = QCoreApplication  # pyside6-lupdate extracts the literal ``_Q.translate("ActionForm", ...)`` calls
DATETIME_FORMAT = "dd MMM yyyy HH:mm"
Choices = tuple[tuple[str, str], ...]


def _qdt_to_iso(value: QDateTime) -> str:
    return iso(datetime.fromtimestamp(value.toSecsSinceEpoch(), UTC))


def _iso_to_qdt(value: str) -> QDateTime:
    return QDateTime.fromSecsSinceEpoch(int(parse_time(value).timestamp()))


class FieldEditor:
    """The widget of one field and its value. Subclasses build ``widget`` and read/write it."""

    kinds: ClassVar[tuple[str, ...]] = ()

    def __init__(self, spec: FieldSpec, choices: Choices, on_change: Callable[..., None]) -> None:
        self.spec = spec
        self.widget = self.build(spec, choices, on_change)
        self.widget.setObjectName(f"field-{spec.name}")
        self.widget.setAccessibleName(spec.label)

    def build(self, spec: FieldSpec, choices: Choices, on_change: Callable[..., None]) -> QWidget:
        raise NotImplementedError

    def value(self) -> Any:
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        raise NotImplementedError

    def problem(self) -> str | None:
        """What is wrong with the value as entered (shown on submit), or None."""
        return None


class TextEditor(FieldEditor):
    kinds = ("text",)
    widget: QLineEdit

    def build(self, spec: FieldSpec, choices: Choices, on_change: Callable[..., None]) -> QWidget:
        line = QLineEdit()
        line.setPlaceholderText(spec.placeholder)
        line.textChanged.connect(on_change)
        return line

    def value(self) -> Any:
        return self.widget.text()

    def set_value(self, value: Any) -> None:
        self.widget.setText("" if value is None else str(value))


class FloatEditor(TextEditor):
    kinds = ("float",)

    def build(self, spec: FieldSpec, choices: Choices, on_change: Callable[..., None]) -> QWidget:
        line = QLineEdit()
        line.setPlaceholderText(spec.placeholder or _Q.translate("ActionForm", "decimal number"))
        line.textChanged.connect(on_change)
        return line

    def value(self) -> Any:
        text = self.widget.text().strip().replace(",", ".")
        if not text:
            return None
        try:
            return float(text)
        except ValueError:
            return text  # kept as typed; submit reports it

    def problem(self) -> str | None:
        value, f = self.value(), self.spec
        if isinstance(value, str):
            return _Q.translate("ActionForm", "%1 must be a number.").replace("%1", f.label)
        if isinstance(value, float) and not f.lo <= value <= f.hi:
            return rule_text(f.label, f"must be between {f.lo} and {f.hi}") or ""
        return None


class MultilineEditor(FieldEditor):
    kinds = ("multiline",)
    widget: QPlainTextEdit

    def build(self, spec: FieldSpec, choices: Choices, on_change: Callable[..., None]) -> QWidget:
        edit = QPlainTextEdit()
        edit.setTabChangesFocus(True)
        edit.setFixedHeight(90)
        edit.textChanged.connect(on_change)
        return edit

    def value(self) -> Any:
        return self.widget.toPlainText()

    def set_value(self, value: Any) -> None:
        self.widget.setPlainText(str(value or ""))


class ChoiceEditor(FieldEditor):
    """A fixed list; the first entry ("— choose —") means nothing chosen."""

    kinds = ("choice",)
    widget: QComboBox

    def build(self, spec: FieldSpec, choices: Choices, on_change: Callable[..., None]) -> QWidget:
        combo = QComboBox()
        combo.addItem(_Q.translate("ActionForm", "— choose —"), None)
        for value, text in choices:
            combo.addItem(text, value)
        combo.currentIndexChanged.connect(on_change)
        return combo

    def value(self) -> Any:
        return self.widget.currentData()

    def set_value(self, value: Any) -> None:
        self.widget.setCurrentIndex(max(0, self.widget.findData(value)))


class EditableChoiceEditor(FieldEditor):
    """A list to pick from or type into (a police station not yet known, say)."""

    kinds = ("editable_choice",)
    widget: QComboBox

    def build(self, spec: FieldSpec, choices: Choices, on_change: Callable[..., None]) -> QWidget:
        combo = QComboBox()
        combo.setEditable(True)
        for value, text in choices:
            combo.addItem(text, value)
        combo.setCurrentIndex(-1)
        line_edit = combo.lineEdit()
        if line_edit is not None:
            line_edit.setPlaceholderText(spec.placeholder)
        combo.editTextChanged.connect(on_change)
        combo.currentIndexChanged.connect(on_change)
        return combo

    def value(self) -> Any:
        return self.widget.currentText()

    def set_value(self, value: Any) -> None:
        self.widget.setEditText(str(value or ""))


class PlaceEditor(FieldEditor):
    """A district or police station, found by typing part of its name (any script); the value is its
    code. The choices arrive after the form opens (``set_choices``, from the stored or fetched list):
    a value set before that (a restored draft) is applied when they come. A name that is in no list
    is kept as typed, and submit names the field."""

    kinds = ("place",)
    widget: QComboBox

    def build(self, spec: FieldSpec, choices: Choices, on_change: Callable[..., None]) -> QWidget:
        combo = QComboBox()
        combo.setEditable(True)
        combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        completer = QCompleter(combo.model(), combo)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        combo.setCompleter(completer)
        line_edit = combo.lineEdit()
        if line_edit is not None:
            line_edit.setPlaceholderText(spec.placeholder)
        self._pending: Any = None
        self._fill(combo, choices)
        combo.editTextChanged.connect(on_change)
        combo.currentIndexChanged.connect(on_change)
        return combo

    @staticmethod
    def _fill(combo: QComboBox, choices: Choices) -> None:
        combo.clear()
        for value, text in choices:
            combo.addItem(text, value)
        combo.setCurrentIndex(-1)

    def set_choices(self, choices: Choices) -> None:
        """Replace the list, keeping the chosen place if it is still in it (else the pending value)."""
        keep = self.value() if self.widget.currentText().strip() else self._pending
        blocked = self.widget.blockSignals(True)
        try:
            self._fill(self.widget, choices)
        finally:
            self.widget.blockSignals(blocked)
        if keep is not None:
            self.set_value(keep)

    def value(self) -> Any:
        text = self.widget.currentText().strip()
        if not text:
            return None
        for i in range(self.widget.count()):
            if text.casefold() in (self.widget.itemText(i).casefold(), str(self.widget.itemData(i)).casefold()):
                return self.widget.itemData(i)
        return text  # kept as typed; submit reports it

    def set_value(self, value: Any) -> None:
        if value is None or value == "":
            self.widget.setCurrentIndex(-1)
            self.widget.setEditText("")
            return
        i = self.widget.findData(value)
        if i >= 0:
            self.widget.setCurrentIndex(i)
            self._pending = None
        else:
            self._pending = value  # the list has not arrived yet, or no longer holds it
            self.widget.setEditText(str(value))

    def problem(self) -> str | None:
        value = self.value()
        if value is None or self.widget.findData(value) >= 0:
            return None
        return _Q.translate("ActionForm", "%1: \"%2\" is not in the list; choose one of its names.").replace(
            "%1", self.spec.label
        ).replace("%2", str(value))


class BoolEditor(FieldEditor):
    kinds = ("bool",)
    widget: QCheckBox

    def build(self, spec: FieldSpec, choices: Choices, on_change: Callable[..., None]) -> QWidget:
        box = QCheckBox()
        box.toggled.connect(on_change)
        return box

    def value(self) -> Any:
        return self.widget.isChecked()

    def set_value(self, value: Any) -> None:
        self.widget.setChecked(bool(value))


class DateTimeEditor(FieldEditor):
    kinds = ("datetime",)
    widget: QDateTimeEdit

    def build(self, spec: FieldSpec, choices: Choices, on_change: Callable[..., None]) -> QWidget:
        dt = QDateTimeEdit(QDateTime.currentDateTime())
        dt.setCalendarPopup(True)
        dt.setDisplayFormat(DATETIME_FORMAT)
        dt.dateTimeChanged.connect(on_change)
        return dt

    def value(self) -> Any:
        return _qdt_to_iso(self.widget.dateTime())

    def set_value(self, value: Any) -> None:
        if value:
            self.widget.setDateTime(_iso_to_qdt(str(value)))


class _OptionalDateTime(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.enabled = QCheckBox()
        self.edit = QDateTimeEdit(QDateTime.currentDateTime().addDays(1))
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat(DATETIME_FORMAT)
        self.edit.setEnabled(False)
        self.enabled.toggled.connect(self.edit.setEnabled)
        self.enabled.toggled.connect(lambda _b: self.changed.emit())
        self.edit.dateTimeChanged.connect(lambda _d: self.changed.emit())
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.enabled)
        layout.addWidget(self.edit, 1)


class OptionalDateTimeEditor(FieldEditor):
    """A time that may be left out: a tick box enables it (None while unticked)."""

    kinds = ("optional_datetime",)
    widget: _OptionalDateTime

    def build(self, spec: FieldSpec, choices: Choices, on_change: Callable[..., None]) -> QWidget:
        opt = _OptionalDateTime()
        opt.changed.connect(on_change)
        return opt

    def value(self) -> Any:
        return _qdt_to_iso(self.widget.edit.dateTime()) if self.widget.enabled.isChecked() else None

    def set_value(self, value: Any) -> None:
        self.widget.enabled.setChecked(value is not None)
        if value:
            self.widget.edit.setDateTime(_iso_to_qdt(str(value)))


class IntEditor(FieldEditor):
    """A whole number in ``lo..hi``; one below ``lo`` shows "not given" and reads as None."""

    kinds = ("int",)
    widget: QSpinBox

    def build(self, spec: FieldSpec, choices: Choices, on_change: Callable[..., None]) -> QWidget:
        spin = QSpinBox()
        spin.setRange(int(spec.lo) - 1, int(spec.hi))
        spin.setSpecialValueText(_Q.translate("ActionForm", "not given"))
        spin.setValue(int(spec.lo) - 1)
        spin.valueChanged.connect(on_change)
        return spin

    def value(self) -> Any:
        return None if self.widget.value() < self.widget.minimum() + 1 else self.widget.value()

    def set_value(self, value: Any) -> None:
        self.widget.setValue(int(value) if value is not None else self.widget.minimum())


EDITORS: dict[str, type[FieldEditor]] = {
    kind: cls
    for cls in (TextEditor, FloatEditor, MultilineEditor, ChoiceEditor, EditableChoiceEditor, PlaceEditor,
                BoolEditor, DateTimeEditor, OptionalDateTimeEditor, IntEditor)
    for kind in cls.kinds
}


def make_editor(spec: FieldSpec, choices: Choices, on_change: Callable[..., None]) -> FieldEditor:
    """The editor for ``spec``'s kind (a kind not listed is plain text)."""
    return EDITORS.get(spec.kind, TextEditor)(spec, choices, on_change)
