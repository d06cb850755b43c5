"""Why an entry was not saved, as one sentence in the operator's language naming the field as the form labels it.

``core`` (no Qt) explains a refusal in English for programmers and the log: ``InvalidEvent`` as
``<path>: <rule>`` (``event.payload.location.latitude: must be between -90 and 90``) and
``CommandRefused`` as a short English reason. The form turns the path back into the label of its own
field (``Latitude``) and the rule into a translated sentence. A rule or reason this module does not
know is shown in English after a translated lead-in rather than hidden: a new rule in ``core`` must
never make a refusal silent.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from PySide6.QtCore import QCoreApplication

from core.errors import CommandRefused, InvalidEvent
from ui.forms.specs import FieldSpec

_PATH = re.compile(r"^(?:the correction is not valid: )?(?P<path>[\w.\[\]]+): (?P<rule>.+)$")
_BETWEEN = re.compile(r"^must be between (?P<lo>\S+) and (?P<hi>\S+)$")
_WHOLE = re.compile(r"^must be a whole number from (?P<lo>\S+) to (?P<hi>\S+)$")
_LONGER = re.compile(r"^longer than (?P<n>\d+) characters$")
_ACKED_BY = re.compile(r"^already acknowledged by (?P<who>.*)$")


_Q = QCoreApplication  # pyside6-lupdate extracts the literal ``_Q.translate("FormMessages", ...)`` calls


def _number(text: str) -> str:
    """``-90.0`` -> ``-90``: the bound as an operator writes it."""
    try:
        value = float(text)
    except ValueError:
        return text
    return str(int(value)) if value.is_integer() else text


def field_label(path: str, fields: Iterable[FieldSpec]) -> str:
    """The form's label for a payload path (``event.payload.location.latitude`` -> ``Latitude``)."""
    name = re.sub(r"^(event\.payload\.|fields\.|event\.)", "", path)
    for f in fields:
        if f.name == name:
            return f.label
    return ""


def rule_text(label: str, rule: str) -> str | None:
    """A payload rule as a translated sentence about ``label``; None if the rule is not known here."""
    if m := _BETWEEN.match(rule):
        return _Q.translate("FormMessages", "%1 must be between %2 and %3.").replace("%1", label).replace(
            "%2", _number(m["lo"])).replace("%3", _number(m["hi"]))
    if m := _WHOLE.match(rule):
        return _Q.translate("FormMessages", "%1 must be a whole number from %2 to %3.").replace("%1", label).replace(
            "%2", m["lo"]).replace("%3", m["hi"])
    if m := _LONGER.match(rule):
        text = _Q.translate("FormMessages", "%1 is too long: at most %2 characters.")
        return text.replace("%1", label).replace("%2", m["n"])
    if rule in ("is required", "must not be empty"):
        return _Q.translate("FormMessages", "Please fill in: %1").replace("%1", label)
    if rule == "must be a number":
        return _Q.translate("FormMessages", "%1 must be a number.").replace("%1", label)
    if rule.startswith("must be one of"):
        return _Q.translate("FormMessages", "%1: choose one of the values offered.").replace("%1", label)
    if rule in ("must be an ISO 8601 time", "must carry a time zone"):
        return _Q.translate("FormMessages", "%1 is not a valid date and time.").replace("%1", label)
    return None


def refusal_text(reason: str) -> str:
    """A ``CommandRefused`` reason in the UI language (the English text if it is not known here)."""
    known = {
        "this case already exists": _Q.translate("FormMessages", "this case already exists."),
        "unknown case: its creation has not reached this workstation": _Q.translate("FormMessages",
            "this case has not fully reached this workstation yet; try again after the next sync."),
        "the case is closed; reopen it first": _Q.translate("FormMessages", "the case is closed; reopen it first."),
        "acknowledge the case first": _Q.translate("FormMessages", "acknowledge the case first."),
        "record the dispatch first": _Q.translate("FormMessages", "record the dispatch first."),
        "the case is not closed": _Q.translate("FormMessages", "the case is not closed."),
        "record the outcome before closing": _Q.translate("FormMessages", "record the outcome before closing."),
        "say why the person was not reached": _Q.translate("FormMessages", "say why the person was not reached."),
        "say why this was a false alarm": _Q.translate("FormMessages", "say why this was a false alarm."),
        "no open follow-up with that id": _Q.translate("FormMessages", "that follow-up is no longer open."),
        "this case is not alarming": _Q.translate("FormMessages", "this case is not ringing any more."),
        "a mute must end in the future": _Q.translate("FormMessages", "a mute must end in the future."),
        "the case is already assigned there": _Q.translate("FormMessages", "the case is already assigned there."),
        "the entry to correct is not in this case": _Q.translate(
            "FormMessages", "the entry to correct is not in this case."),
        "this account does not record this; HQ's operators do": _Q.translate(
            "FormMessages", "this account does not record this; HQ's operators do."),
        "only a tip takes an officer, action notes and a tip outcome": _Q.translate(
            "FormMessages", "only a tip takes an officer, action notes and a tip outcome."),
        "the tip is already with this officer": _Q.translate("FormMessages", "the tip is already with this officer."),
    }
    if reason in known:
        return known[reason]
    if m := _ACKED_BY.match(reason):
        return _Q.translate("FormMessages", "already acknowledged by %1.").replace("%1", m["who"])
    return reason


def not_saved_text(exc: BaseException, fields: Iterable[FieldSpec] = ()) -> str:
    """The whole "Not saved: …" sentence for a refusal from ``core`` (``InvalidEvent``/``CommandRefused``)."""
    fields = tuple(fields)
    message = str(exc)
    m = _PATH.match(message)
    if isinstance(exc, InvalidEvent | CommandRefused) and m is not None:
        label = field_label(m["path"], fields)
        sentence = rule_text(label, m["rule"]) if label else None
        if sentence is not None:
            return _Q.translate("FormMessages", "Not saved: %1").replace("%1", sentence)
        if label:
            text = _Q.translate("FormMessages", "Not saved: %1 is not accepted (%2).")
            return text.replace("%1", label).replace("%2", m["rule"])
    if isinstance(exc, CommandRefused):
        return _Q.translate("FormMessages", "Not saved: %1").replace("%1", refusal_text(message))
    return _Q.translate("FormMessages", "Not saved: %1").replace("%1", message)


__all__ = ["field_label", "not_saved_text", "refusal_text", "rule_text"]
