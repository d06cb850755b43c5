"""What each action form asks for: fields declared once, mapped onto ``core.events.PAYLOADS``.

A spec is data, not widgets, so the same declaration drives the form, the draft (field name to value)
and the amendment form (which reuses the target event's spec, prefilled). Field names with a dot
name nested payload objects (``location.latitude`` -> ``{"location": {"latitude": ...}}``); the form
builds the payload from them (``ui.forms.form.build_payload``).

Labels are translated when a spec is built (``specs_for``), never at import.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QCoreApplication

from core.events import (
    CaseKind,
    EventType,
    FalseAlarmReason,
    ForwardTarget,
    LocationMethod,
    NotReachedReason,
    Outcome,
    Source,
)
from ui.labels import false_alarm_label, forward_label, kind_label, method_label, not_reached_label, outcome_label


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    kind: str  # text | multiline | choice | editable_choice | place | bool | datetime | optional_datetime | int | float
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


_Q = QCoreApplication  # short name; pyside6-lupdate still extracts ``_Q.translate("Forms", ...)``

REFERRALS = ("Tele-MANAS 14416", "KIRAN 1800-599-0019", "District hospital", "Psychiatrist (private)")

# Forms that open a case rather than act on one: not in the Case menu, not among a case's buttons.
NEW_CASE_FORMS = frozenset({"intake"})


def source_label(code: str) -> str:
    return {
        "facebook": _Q.translate("Forms", "Facebook"),
        "instagram": _Q.translate("Forms", "Instagram"),
        "x": _Q.translate("Forms", "X (Twitter)"),
        "whatsapp_tipline": _Q.translate("Forms", "WhatsApp tip line"),
        "manual": _Q.translate("Forms", "Phone call / by hand"),
        "other": _Q.translate("Forms", "Other"),
    }.get(code, code)


def priority_choices() -> tuple[tuple[str, str], ...]:
    return (
        ("1", _Q.translate("Forms", "1 — immediate danger")),
        ("2", _Q.translate("Forms", "2 — high")),
        ("3", _Q.translate("Forms", "3 — normal")),
        ("4", _Q.translate("Forms", "4 — low")),
    )


def _routing_fields(required: bool) -> tuple[FieldSpec, ...]:
    return (
        FieldSpec(
            "district", _Q.translate("Forms", "District"), "place", required,
            placeholder=_Q.translate("Forms", "type part of the name"),
        ),
        FieldSpec(
            "police_station", _Q.translate("Forms", "Police station"), "place",
            placeholder=_Q.translate("Forms", "type part of the name (optional)"),
        ),
    )  # fmt: skip


def _intake_spec() -> FormSpec:
    return FormSpec(
        "intake",
        EventType.CREATED,
        _Q.translate("Forms", "New alert (manual intake)"),
        (
            FieldSpec("source", _Q.translate("Forms", "Source"), "choice", True, _choices(Source, source_label)),
            FieldSpec(
                "upstream_ref", _Q.translate("Forms", "Upstream reference"), "text", required=True,
                placeholder=_Q.translate("Forms", "Meta's case number, or the caller's reference"),
            ),
            FieldSpec("kind", _Q.translate("Forms", "Kind"), "choice", True, _choices(CaseKind, kind_label)),
            FieldSpec("priority", _Q.translate("Forms", "Priority"), "choice", True, priority_choices()),
            FieldSpec(
                "received_at", _Q.translate("Forms", "Alert received"), "datetime", required=True, default_now=True
            ),
            FieldSpec("subject.name", _Q.translate("Forms", "Person's name"), "text"),
            FieldSpec(
                "subject.phones", _Q.translate("Forms", "Phone numbers"), "text",
                placeholder=_Q.translate("Forms", "separate several with commas"),
            ),
            FieldSpec("subject.profile_url", _Q.translate("Forms", "Profile link"), "text"),
            FieldSpec("subject.post_url", _Q.translate("Forms", "Post link"), "text"),
            FieldSpec("subject.picture_url", _Q.translate("Forms", "Picture link"), "text"),
            FieldSpec("subject.post_text", _Q.translate("Forms", "Post text (any script)"), "multiline"),
            FieldSpec("location.text", _Q.translate("Forms", "Probable location"), "text", required=True),
            FieldSpec("summary", _Q.translate("Forms", "Summary"), "text"),
            *_routing_fields(False),
        ),
        _Q.translate("Forms", "Save and sound the alarm"),
        "Ctrl+I",
    )  # fmt: skip


def _choices(enum_type: Any, label: Callable[[str], str]) -> tuple[tuple[str, str], ...]:
    return tuple((str(m.value), label(str(m.value))) for m in enum_type)


def specs_for() -> dict[str, FormSpec]:
    """Every action form, keyed by form id. Built at call time so labels follow the current language."""
    note = FieldSpec("note", _Q.translate("Forms", "Note"), "multiline")
    specs = [
        FormSpec(
            "acknowledge",
            EventType.ACKNOWLEDGED,
            _Q.translate("Forms", "Acknowledge case"),
            (note,),
            _Q.translate("Forms", "Acknowledge"),
            "Ctrl+K",
        ),
        FormSpec(
            "assign",
            EventType.ASSIGNED,
            _Q.translate("Forms", "Route to a district / police station"),
            (*_routing_fields(True), FieldSpec("note", _Q.translate("Forms", "Note"), "text")),
            _Q.translate("Forms", "Route"),
        ),
        FormSpec(
            "locate",
            EventType.LOCATED,
            _Q.translate("Forms", "Record traced location"),
            (
                FieldSpec("location.text", _Q.translate("Forms", "Place / address"), "text", required=True),
                FieldSpec(
                    "location.latitude", _Q.translate("Forms", "Latitude"), "float", lo=-90, hi=90,
                    placeholder=_Q.translate("Forms", "decimal degrees, e.g. 26.8467"),
                ),
                FieldSpec(
                    "location.longitude", _Q.translate("Forms", "Longitude"), "float", lo=-180, hi=180,
                    placeholder=_Q.translate("Forms", "decimal degrees, e.g. 80.9462"),
                ),
                FieldSpec(
                    "location.accuracy_m", _Q.translate("Forms", "Accuracy (metres)"), "float", lo=0, hi=1_000_000,
                    placeholder=_Q.translate("Forms", "metres, e.g. 500"),
                ),
                FieldSpec(
                    "method",
                    _Q.translate("Forms", "How it was traced"),
                    "choice",
                    True,
                    _choices(LocationMethod, method_label),
                ),
                note,
            ),
            _Q.translate("Forms", "Save location"),
        ),
        FormSpec(
            "dispatch",
            EventType.DISPATCHED,
            _Q.translate("Forms", "Dispatch a team"),
            (
                FieldSpec("officer", _Q.translate("Forms", "Officer in charge"), "text", required=True),
                FieldSpec("phone", _Q.translate("Forms", "Officer's phone"), "text", required=True),
                FieldSpec("team", _Q.translate("Forms", "Team / vehicle"), "text"),
                note,
            ),
            _Q.translate("Forms", "Dispatch"),
            "Ctrl+D",
        ),
        FormSpec(
            "forward",
            EventType.FORWARDED,
            _Q.translate("Forms", "Forward the case"),
            (
                FieldSpec(
                    "to", _Q.translate("Forms", "Forward to"), "choice", True, _choices(ForwardTarget, forward_label)
                ),
                FieldSpec("reference", _Q.translate("Forms", "Their reference number"), "text", required=True),
                FieldSpec("agency", _Q.translate("Forms", "Agency / service name"), "text"),
                FieldSpec("state", _Q.translate("Forms", "State"), "text", visible_when=("to", "other_state_police")),
                note,
            ),
            _Q.translate("Forms", "Forward"),
        ),
        FormSpec(
            "en_route",
            EventType.EN_ROUTE,
            _Q.translate("Forms", "Team en route"),
            (FieldSpec("eta_min", _Q.translate("Forms", "Expected in (minutes)"), "int", lo=0, hi=24 * 60), note),
            _Q.translate("Forms", "Save"),
        ),
        FormSpec(
            "reached",
            EventType.REACHED,
            _Q.translate("Forms", "Team reached the person"),
            (
                FieldSpec("at", _Q.translate("Forms", "Time reached"), "datetime", required=True, default_now=True),
                FieldSpec("place", _Q.translate("Forms", "Place"), "text"),
                note,
            ),
            _Q.translate("Forms", "Save"),
        ),
        FormSpec(
            "outcome",
            EventType.OUTCOME_RECORDED,
            _Q.translate("Forms", "Field outcome"),
            (
                FieldSpec(
                    "outcome", _Q.translate("Forms", "Outcome"), "choice", True, _choices(Outcome, outcome_label)
                ),
                FieldSpec(
                    "not_reached_reason",
                    _Q.translate("Forms", "Why not reached"),
                    "choice",
                    True,
                    _choices(NotReachedReason, not_reached_label),
                    visible_when=("outcome", "not_reached"),
                ),
                FieldSpec(
                    "false_alarm_reason",
                    _Q.translate("Forms", "Why a false alarm"),
                    "choice",
                    True,
                    _choices(FalseAlarmReason, false_alarm_label),
                    visible_when=("outcome", "false_alarm"),
                ),
                FieldSpec("detail", _Q.translate("Forms", "What happened"), "multiline"),
            ),
            _Q.translate("Forms", "Record outcome"),
            "Ctrl+O",
        ),
        FormSpec(
            "note",
            EventType.COUNSELLING_NOTE,
            _Q.translate("Forms", "Counselling note"),
            (
                FieldSpec("officer_name", _Q.translate("Forms", "Gazetted officer's name"), "text", required=True),
                FieldSpec(
                    "officer_rank", _Q.translate("Forms", "Rank"), "text", required=True, placeholder="DSP / ASP / SP"
                ),
                FieldSpec("text", _Q.translate("Forms", "Counselling note"), "multiline", required=True),
                FieldSpec("family_contacted", _Q.translate("Forms", "Family contacted"), "bool"),
                FieldSpec(
                    "referral",
                    _Q.translate("Forms", "Referral"),
                    "editable_choice",
                    choices=tuple((r, r) for r in REFERRALS),
                    # A hint, not a value: a referral name here would read as already chosen.
                    placeholder=_Q.translate("Forms", "none — choose or type (optional)"),
                ),
                FieldSpec("follow_up_date", _Q.translate("Forms", "Follow-up on"), "optional_datetime"),
            ),
            _Q.translate("Forms", "Save note"),
            "Ctrl+N",
        ),
        FormSpec(
            "follow_up",
            EventType.FOLLOW_UP_SCHEDULED,
            _Q.translate("Forms", "Schedule a follow-up"),
            (
                FieldSpec("due", _Q.translate("Forms", "Due"), "datetime", required=True, default_now=True),
                FieldSpec("note", _Q.translate("Forms", "What to check"), "multiline"),
            ),
            _Q.translate("Forms", "Schedule"),
        ),
        FormSpec(
            "follow_up_done",
            EventType.FOLLOW_UP_DONE,
            _Q.translate("Forms", "Complete a follow-up"),
            (
                FieldSpec("follow_up_id", _Q.translate("Forms", "Follow-up"), "choice", required=True),
                FieldSpec("note", _Q.translate("Forms", "What was found"), "multiline"),
            ),
            _Q.translate("Forms", "Mark done"),
        ),
        FormSpec(
            "raise_risk",
            EventType.RISK_RAISED,
            _Q.translate("Forms", "Raise to suicide risk"),
            (
                FieldSpec(
                    "reason",
                    _Q.translate("Forms", "Why: what in the text or the call shows a risk to life"),
                    "multiline",
                    required=True,
                ),
            ),
            _Q.translate("Forms", "Raise and sound the alarm"),
        ),
        FormSpec(
            "close",
            EventType.CLOSED,
            _Q.translate("Forms", "Close the case"),
            (FieldSpec("reason", _Q.translate("Forms", "Reason"), "text"),),
            _Q.translate("Forms", "Close case"),
        ),
        FormSpec(
            "reopen",
            EventType.REOPENED,
            _Q.translate("Forms", "Reopen the case"),
            (FieldSpec("reason", _Q.translate("Forms", "Reason"), "text", required=True),),
            _Q.translate("Forms", "Reopen"),
        ),
        FormSpec(
            "amend",
            EventType.AMENDED,
            _Q.translate("Forms", "Correct an earlier entry"),
            (
                FieldSpec("target_event_id", _Q.translate("Forms", "Entry to correct"), "choice", required=True),
                FieldSpec("reason", _Q.translate("Forms", "Why the correction"), "text", required=True),
            ),
            _Q.translate("Forms", "Save correction"),
        ),
        _intake_spec(),
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


def field_labels() -> dict[str, str]:
    """Field name -> its label in the current language, over every form (for "what a correction changed")."""
    return {f.name: f.label for spec in specs_for().values() for f in spec.fields}
