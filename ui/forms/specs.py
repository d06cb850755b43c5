"""What each action form asks for: fields declared once, mapped onto ``core.events.PAYLOADS``.

A spec is data, not widgets, so the same declaration drives the form, the draft (field name to value)
and the amendment form (which reuses the target event's spec, prefilled). Field names with a dot
build nested payload objects (``location.latitude`` -> ``{"location": {"latitude": ...}}``).

Labels are translated when a spec is built (``specs_for``), never at import.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QCoreApplication

from core.events import EventType, FalseAlarmReason, ForwardTarget, LocationMethod, NotReachedReason, Outcome
from ui.labels import false_alarm_label, forward_label, method_label, not_reached_label, outcome_label


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    kind: str  # text | multiline | choice | editable_choice | bool | datetime | optional_datetime | int | float
    required: bool = False
    choices: tuple[tuple[str, str], ...] = ()  # (value, label)
    placeholder: str = ""
    default_now: bool = False
    visible_when: tuple[str, str] | None = None  # (other field, value) that shows this field
    lo: float = 0
    hi: float = 0


@dataclass(frozen=True)
class FormSpec:
    form_id: str
    etype: EventType
    title: str
    fields: tuple[FieldSpec, ...]
    submit: str
    shortcut: str = ""
    extra_check: Callable[[dict[str, Any]], str | None] | None = field(default=None)


def _tr(text: str) -> str:
    return QCoreApplication.translate("Forms", text)


REFERRALS = ("Tele-MANAS 14416", "KIRAN 1800-599-0019", "District hospital", "Psychiatrist (private)")


def _choices(enum_type: Any, label: Callable[[str], str]) -> tuple[tuple[str, str], ...]:
    return tuple((str(m.value), label(str(m.value))) for m in enum_type)


def specs_for() -> dict[str, FormSpec]:
    """Every action form, keyed by form id. Built at call time so labels follow the current language."""
    t = QCoreApplication.translate
    note = FieldSpec("note", t("Forms", "Note"), "multiline")
    specs = [
        FormSpec(
            "acknowledge",
            EventType.ACKNOWLEDGED,
            t("Forms", "Acknowledge case"),
            (note,),
            t("Forms", "Acknowledge"),
            "Ctrl+K",
        ),
        FormSpec(
            "locate",
            EventType.LOCATED,
            t("Forms", "Record traced location"),
            (
                FieldSpec("location.text", t("Forms", "Place / address"), "text", required=True),
                FieldSpec("location.latitude", t("Forms", "Latitude"), "float", lo=-90, hi=90),
                FieldSpec("location.longitude", t("Forms", "Longitude"), "float", lo=-180, hi=180),
                FieldSpec("location.accuracy_m", t("Forms", "Accuracy (metres)"), "float", lo=0, hi=1_000_000),
                FieldSpec(
                    "method", t("Forms", "How it was traced"), "choice", True, _choices(LocationMethod, method_label)
                ),
                note,
            ),
            t("Forms", "Save location"),
        ),
        FormSpec(
            "dispatch",
            EventType.DISPATCHED,
            t("Forms", "Dispatch a team"),
            (
                FieldSpec("officer", t("Forms", "Officer in charge"), "text", required=True),
                FieldSpec("phone", t("Forms", "Officer's phone"), "text", required=True),
                FieldSpec("team", t("Forms", "Team / vehicle"), "text"),
                note,
            ),
            t("Forms", "Dispatch"),
            "Ctrl+D",
        ),
        FormSpec(
            "forward",
            EventType.FORWARDED,
            t("Forms", "Forward the case"),
            (
                FieldSpec("to", t("Forms", "Forward to"), "choice", True, _choices(ForwardTarget, forward_label)),
                FieldSpec("reference", t("Forms", "Their reference number"), "text", required=True),
                FieldSpec("agency", t("Forms", "Agency / service name"), "text"),
                FieldSpec("state", t("Forms", "State"), "text", visible_when=("to", "other_state_police")),
                note,
            ),
            t("Forms", "Forward"),
        ),
        FormSpec(
            "en_route",
            EventType.EN_ROUTE,
            t("Forms", "Team en route"),
            (FieldSpec("eta_min", t("Forms", "Expected in (minutes)"), "int", lo=0, hi=24 * 60), note),
            t("Forms", "Save"),
        ),
        FormSpec(
            "reached",
            EventType.REACHED,
            t("Forms", "Team reached the person"),
            (
                FieldSpec("at", t("Forms", "Time reached"), "datetime", required=True, default_now=True),
                FieldSpec("place", t("Forms", "Place"), "text"),
                note,
            ),
            t("Forms", "Save"),
        ),
        FormSpec(
            "outcome",
            EventType.OUTCOME_RECORDED,
            t("Forms", "Field outcome"),
            (
                FieldSpec("outcome", t("Forms", "Outcome"), "choice", True, _choices(Outcome, outcome_label)),
                FieldSpec(
                    "not_reached_reason",
                    t("Forms", "Why not reached"),
                    "choice",
                    True,
                    _choices(NotReachedReason, not_reached_label),
                    visible_when=("outcome", "not_reached"),
                ),
                FieldSpec(
                    "false_alarm_reason",
                    t("Forms", "Why a false alarm"),
                    "choice",
                    True,
                    _choices(FalseAlarmReason, false_alarm_label),
                    visible_when=("outcome", "false_alarm"),
                ),
                FieldSpec("detail", t("Forms", "What happened"), "multiline"),
            ),
            t("Forms", "Record outcome"),
            "Ctrl+O",
        ),
        FormSpec(
            "note",
            EventType.COUNSELLING_NOTE,
            t("Forms", "Counselling note"),
            (
                FieldSpec("officer_name", t("Forms", "Gazetted officer's name"), "text", required=True),
                FieldSpec("officer_rank", t("Forms", "Rank"), "text", required=True, placeholder="DSP / ASP / SP"),
                FieldSpec("text", t("Forms", "Counselling note"), "multiline", required=True),
                FieldSpec("family_contacted", t("Forms", "Family contacted"), "bool"),
                FieldSpec(
                    "referral",
                    t("Forms", "Referral"),
                    "editable_choice",
                    choices=tuple((r, r) for r in REFERRALS),
                    placeholder="Tele-MANAS 14416",
                ),
                FieldSpec("follow_up_date", t("Forms", "Follow-up on"), "optional_datetime"),
            ),
            t("Forms", "Save note"),
            "Ctrl+N",
        ),
        FormSpec(
            "follow_up",
            EventType.FOLLOW_UP_SCHEDULED,
            t("Forms", "Schedule a follow-up"),
            (
                FieldSpec("due", t("Forms", "Due"), "datetime", required=True, default_now=True),
                FieldSpec("note", t("Forms", "What to check"), "multiline"),
            ),
            t("Forms", "Schedule"),
        ),
        FormSpec(
            "follow_up_done",
            EventType.FOLLOW_UP_DONE,
            t("Forms", "Complete a follow-up"),
            (
                FieldSpec("follow_up_id", t("Forms", "Follow-up"), "choice", required=True),
                FieldSpec("note", t("Forms", "What was found"), "multiline"),
            ),
            t("Forms", "Mark done"),
        ),
        FormSpec(
            "close",
            EventType.CLOSED,
            t("Forms", "Close the case"),
            (FieldSpec("reason", t("Forms", "Reason"), "text"),),
            t("Forms", "Close case"),
        ),
        FormSpec(
            "reopen",
            EventType.REOPENED,
            t("Forms", "Reopen the case"),
            (FieldSpec("reason", t("Forms", "Reason"), "text", required=True),),
            t("Forms", "Reopen"),
        ),
        FormSpec(
            "amend",
            EventType.AMENDED,
            t("Forms", "Correct an earlier entry"),
            (
                FieldSpec("target_event_id", t("Forms", "Entry to correct"), "choice", required=True),
                FieldSpec("reason", t("Forms", "Why the correction"), "text", required=True),
            ),
            t("Forms", "Save correction"),
        ),
    ]
    return {s.form_id: s for s in specs}


# Which form records which event type (for the amendment form, which reuses the target's fields).
FORM_OF_TYPE = {
    EventType.LOCATED: "locate",
    EventType.DISPATCHED: "dispatch",
    EventType.FORWARDED: "forward",
    EventType.REACHED: "reached",
    EventType.OUTCOME_RECORDED: "outcome",
    EventType.COUNSELLING_NOTE: "note",
    EventType.FOLLOW_UP_SCHEDULED: "follow_up",
}


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
