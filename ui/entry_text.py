"""The words of a case's entries: each event's fields as label/value pairs, its one-line summary and its
full text, with phone numbers masked. Pure functions of an event (translation context ``Timeline``);
the detail pane, the entry window and the forms' choice lists read them.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication

from core.events import EventType, parse_time
from ui.forms.specs import field_labels
from ui.labels import (
    clock_time,
    false_alarm_label,
    forward_label,
    kind_label,
    local_time,
    method_label,
    not_reached_label,
    officer_text,
    outcome_label,
    source_label,
    tip_category_label,
    tip_media_label,
    tip_outcome_label,
)

MAP_URL = "https://www.openstreetmap.org/?mlat={lat:.6f}&mlon={lon:.6f}#map=16/{lat:.6f}/{lon:.6f}"


def mask_phone(phone: str) -> str:
    digits = [c for c in phone if c.isdigit()]
    if len(digits) <= 4:
        return "•" * len(phone)
    keep_tail = 2
    shown = 0
    out = []
    total = len(digits)
    for c in phone:
        if c.isdigit():
            shown += 1
            out.append(c if shown > total - keep_tail else "•")
        else:
            out.append(c)
    return "".join(out)


def map_link(location: Any) -> str | None:
    if not isinstance(location, dict):
        return None
    lat, lon = location.get("latitude"), location.get("longitude")
    if isinstance(lat, int | float) and isinstance(lon, int | float):
        return MAP_URL.format(lat=lat, lon=lon)
    return None


def coords_text(location: Any) -> str:
    if not isinstance(location, dict):
        return ""
    lat, lon = location.get("latitude"), location.get("longitude")
    if isinstance(lat, int | float) and isinstance(lon, int | float):
        acc = location.get("accuracy_m")
        tail = f"  (±{acc:.0f} m)" if isinstance(acc, int | float) else ""
        return f"{lat:.6f}, {lon:.6f}{tail}"
    return ""


_Q = QCoreApplication  # pyside6-lupdate extracts the literal ``_Q.translate("Timeline", ...)`` calls


def _yes_no(value: Any) -> str:
    return _Q.translate("Timeline", "yes") if value else _Q.translate("Timeline", "no")


def _field_name(field: str) -> str:
    """A revealed field as the operator knows it: ``phones[0]`` -> "Phone number 1"."""
    if field.startswith("phones[") and field.endswith("]") and field[7:-1].isdigit():
        return _Q.translate("Timeline", "Phone number %1").replace("%1", str(int(field[7:-1]) + 1))
    return field


def event_fields(event: Any, place: Callable[[str | None], str] | None = None) -> list[tuple[str, str]]:
    """Every piece of an event's content as (label, value) in the UI language, codes turned into words.

    Phone numbers are masked (a reveal is its own audited action). ``place`` names a police station
    or district code (the code itself when not given). An event type or field this function does not
    know is still shown, as "field: value", so nothing entered is ever invisible.
    """
    p = dict(event.payload)
    name = place or (lambda code: code or "")
    t = event.type
    out: list[tuple[str, str]] = []

    def add(label: str, value: Any) -> None:
        if value is not None and value != "" and value != {}:
            out.append((label, str(value)))

    def loc(location: Any) -> None:
        if isinstance(location, dict):
            add(_Q.translate("Timeline", "Place"), location.get("text"))
            add(_Q.translate("Timeline", "Coordinates"), coords_text(location))

    def media(items: Any) -> None:
        if isinstance(items, list) and items:
            kinds = ", ".join(tip_media_label(str(m.get("kind"))) for m in items if isinstance(m, dict))
            add(_Q.translate("Timeline", "Media"), kinds)

    known: set[str] = {"note"}
    if t is EventType.CREATED:
        known |= {"kind", "source", "upstream_ref", "received_at", "priority", "subject", "location", "district",
                  "police_station", "summary"}
        add(_Q.translate("Timeline", "Kind"), kind_label(p.get("kind")))
        add(_Q.translate("Timeline", "Priority"), p.get("priority"))
        if isinstance(p.get("tip"), dict):
            # a tip's summary is the relay's English line and its reference the relay's own key: the
            # category (translated) and the tip box say the same in the operator's language
            add(_Q.translate("Timeline", "Source"), source_label(p.get("source")))
        else:
            add(_Q.translate("Timeline", "Summary"), p.get("summary"))
            origin = " ".join(str(x) for x in (p.get("source"), p.get("upstream_ref")) if x)
            add(_Q.translate("Timeline", "Source"), origin)
        add(_Q.translate("Timeline", "District"), name(p.get("district")))
        add(_Q.translate("Timeline", "Police station"), name(p.get("police_station")))
        loc(p.get("location"))
        if isinstance(p.get("tip"), dict):  # category and pseudonym; the tip box shows the rest
            known.add("tip")
            tip = p["tip"]
            add(_Q.translate("Timeline", "Tip"), f"{tip_category_label(tip.get('category'))} · {tip.get('pseudonym')}")
            media(tip.get("media"))
    elif t in (EventType.TIP_ADDED, EventType.TIP_QUESTION, EventType.TIP_ANSWER):
        known |= {"text", "media", "question_id"}  # question_id: internal; the question is its own entry
        add(_Q.translate("Timeline", "Text"), p.get("text"))
        media(p.get("media"))
    elif t is EventType.TIP_OFFICER_ASSIGNED:
        known |= {"officer_id", "name", "rank", "station", "note"}
        add(_Q.translate("Timeline", "Officer"), officer_text(p, name))
        add(_Q.translate("Timeline", "Note"), p.get("note"))
    elif t is EventType.TIP_ACTION:
        known.add("text")
        add(_Q.translate("Timeline", "Text"), p.get("text"))
    elif t is EventType.TIP_OUTCOME:
        known |= {"outcome", "detail"}
        add(_Q.translate("Timeline", "Outcome"), tip_outcome_label(p.get("outcome")))
        add(_Q.translate("Timeline", "Detail"), p.get("detail"))
    elif t is EventType.ASSIGNED:
        known |= {"district", "police_station"}
        add(_Q.translate("Timeline", "District"), name(p.get("district")))
        add(_Q.translate("Timeline", "Police station"), name(p.get("police_station")))
    elif t is EventType.LOCATED:
        known |= {"location", "method"}
        loc(p.get("location"))
        add(_Q.translate("Timeline", "How traced"), method_label(str(p.get("method") or "")))
    elif t is EventType.DISPATCHED:
        known |= {"officer", "phone", "team"}
        add(_Q.translate("Timeline", "Officer"), p.get("officer"))
        add(_Q.translate("Timeline", "Team"), p.get("team"))
        add(_Q.translate("Timeline", "Officer's phone"), mask_phone(str(p["phone"])) if p.get("phone") else None)
    elif t is EventType.FORWARDED:
        known |= {"to", "reference", "agency", "state"}
        add(_Q.translate("Timeline", "To"), forward_label(str(p.get("to") or "")))
        add(_Q.translate("Timeline", "Their reference"), p.get("reference"))
        add(_Q.translate("Timeline", "Agency"), p.get("agency"))
        add(_Q.translate("Timeline", "State"), p.get("state"))
    elif t is EventType.EN_ROUTE:
        known |= {"eta_min"}
        if p.get("eta_min") is not None:
            minutes = _Q.translate("Timeline", "%1 min").replace("%1", str(p["eta_min"]))
            add(_Q.translate("Timeline", "Expected in"), minutes)
    elif t is EventType.REACHED:
        known |= {"at", "place"}
        add(_Q.translate("Timeline", "Reached at"), local_time(p.get("at")))
        add(_Q.translate("Timeline", "Place"), p.get("place"))
    elif t is EventType.OUTCOME_RECORDED:
        known |= {"outcome", "not_reached_reason", "false_alarm_reason", "detail"}
        add(_Q.translate("Timeline", "Outcome"), outcome_label(p.get("outcome")))
        if p.get("not_reached_reason"):
            add(_Q.translate("Timeline", "Why not reached"), not_reached_label(str(p["not_reached_reason"])))
        if p.get("false_alarm_reason"):
            add(_Q.translate("Timeline", "Why a false alarm"), false_alarm_label(str(p["false_alarm_reason"])))
        add(_Q.translate("Timeline", "What happened"), p.get("detail"))
    elif t is EventType.COUNSELLING_NOTE:
        known |= {"officer_name", "officer_rank", "text", "family_contacted", "referral", "follow_up_date"}
        add(_Q.translate("Timeline", "Officer"), f"{p.get('officer_rank', '')} {p.get('officer_name', '')}".strip())
        add(_Q.translate("Timeline", "Note"), p.get("text"))
        if "family_contacted" in p:
            add(_Q.translate("Timeline", "Family contacted"), _yes_no(p["family_contacted"]))
        add(_Q.translate("Timeline", "Referral"), p.get("referral"))
        add(_Q.translate("Timeline", "Follow-up on"), local_time(p.get("follow_up_date")))
    elif t is EventType.FOLLOW_UP_SCHEDULED:
        known |= {"due"}
        add(_Q.translate("Timeline", "Due"), local_time(p.get("due")))
    elif t is EventType.ALARM_MUTED:
        known |= {"until", "reason"}
        until = p.get("until")
        try:
            add(_Q.translate("Timeline", "Until"), clock_time(parse_time(str(until))) if until else None)
        except ValueError:
            add(_Q.translate("Timeline", "Until"), until)
        add(_Q.translate("Timeline", "Reason"), p.get("reason"))
    elif t is EventType.CONTACT_REVEALED:
        known |= {"field"}
        add(_Q.translate("Timeline", "Revealed"), _field_name(str(p.get("field") or "")))
    elif t is EventType.AMENDED:
        known |= {"target_event_id", "fields", "reason"}
        add(_Q.translate("Timeline", "Reason"), p.get("reason"))
        fields = p.get("fields")
        if isinstance(fields, dict):
            labels = field_labels()
            names = flatten_keys(fields)
            add(_Q.translate("Timeline", "Changed"), ", ".join(labels.get(k, k.replace("_", " ")) for k in names))
    elif t is EventType.FOLLOW_UP_DONE:
        known |= {"follow_up_id"}  # an internal id; the follow-up itself is its own timeline entry
    elif t is EventType.ESCALATED:
        known |= {"to"}
        add(_Q.translate("Timeline", "To"), p.get("to"))
    if "reason" in p and t is not EventType.ALARM_MUTED and t is not EventType.AMENDED:
        known.add("reason")
        add(_Q.translate("Timeline", "Reason"), p.get("reason"))
    for key, value in p.items():
        if key not in known:
            add(key.replace("_", " "), value if not isinstance(value, dict | list) else json.dumps(value))
    note = p.get("note")
    if t is not EventType.FOLLOW_UP_SCHEDULED:
        add(_Q.translate("Timeline", "Note"), note)
    else:
        add(_Q.translate("Timeline", "What to check"), note)
    return out


def flatten_keys(payload: dict[str, Any], prefix: str = "") -> list[str]:
    """``{"location": {"latitude": 1}}`` -> ``["location.latitude"]`` (the forms' field names)."""
    out: list[str] = []
    for key, value in payload.items():
        if isinstance(value, dict):
            out += flatten_keys(value, f"{prefix}{key}.")
        else:
            out.append(f"{prefix}{key}")
    return out


def event_text(event: Any, place: Callable[[str | None], str] | None = None) -> str:
    """An event's whole content, one "label: value" line each, for the entry dialog and tooltips."""
    return "\n".join(f"{label}: {value}" for label, value in event_fields(event, place))


def _summary(event: Any, place: Callable[[str | None], str] | None = None) -> str:
    """One line of an event's content for the timeline (no phone numbers, line breaks folded)."""
    return " · ".join(" ".join(value.split()) for _label, value in event_fields(event, place))


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _safe_payload(event: Any) -> dict[str, Any]:
    """Payload for a tooltip with phone numbers masked."""
    p = json.loads(json.dumps(dict(event.payload)))
    subject = p.get("subject")
    if isinstance(subject, dict) and isinstance(subject.get("phones"), list):
        subject["phones"] = [mask_phone(str(x)) for x in subject["phones"]]
    if isinstance(p.get("phone"), str):
        p["phone"] = mask_phone(p["phone"])
    return p
