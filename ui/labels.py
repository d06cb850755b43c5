"""Operator-facing words for the domain's codes (status, kind, outcome...), translated at call time.

Each label is a literal ``QCoreApplication.translate("Labels", ...)`` call so ``pyside6-lupdate``
extracts it; an unknown code (a kind added at HQ later) is shown as-is rather than hidden.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, QDateTime, QLocale

from core.events import CaseKind, parse_time
from core.fold import Status


def status_label(code: str | None) -> str:
    labels = {
        "new": QCoreApplication.translate("Labels", "New"),
        "acknowledged": QCoreApplication.translate("Labels", "Acknowledged"),
        "dispatched": QCoreApplication.translate("Labels", "Dispatched"),
        "forwarded": QCoreApplication.translate("Labels", "Forwarded"),
        "en_route": QCoreApplication.translate("Labels", "En route"),
        "reached": QCoreApplication.translate("Labels", "Reached"),
        "outcome_recorded": QCoreApplication.translate("Labels", "Outcome recorded"),
        "closed": QCoreApplication.translate("Labels", "Closed"),
    }
    return labels.get(code or "", code or "")


def tip_status_label(code: str | None) -> str:
    """A tip's status as its desk reads it (``core.reports.tip_status``: the tip-line report's too)."""
    labels = {
        "open": QCoreApplication.translate("Labels", "Not yet taken up"),
        "assigned": QCoreApplication.translate("Labels", "Passed to an officer"),
        "actioned": QCoreApplication.translate("Labels", "Action taken"),
        "closed": QCoreApplication.translate("Labels", "Closed"),
    }
    return labels.get(code or "", code or "")


STATUS_CODES = tuple(str(s) for s in Status)
KIND_CODES = tuple(str(k) for k in CaseKind)


def kind_label(code: str | None) -> str:
    labels = {
        "suicide_risk": QCoreApplication.translate("Labels", "Suicide risk"),
        "tip": QCoreApplication.translate("Labels", "Tip"),
        "complaint": QCoreApplication.translate("Labels", "Complaint"),
    }
    return labels.get(code or "", code or "")


def outcome_label(code: str | None) -> str:
    labels = {
        "safe_counselled": QCoreApplication.translate("Labels", "Safe, counselled"),
        "handed_to_family": QCoreApplication.translate("Labels", "Handed to family"),
        "hospitalised": QCoreApplication.translate("Labels", "Hospitalised"),
        "not_reached": QCoreApplication.translate("Labels", "Not reached"),
        "false_alarm": QCoreApplication.translate("Labels", "False alarm"),
        "deceased": QCoreApplication.translate("Labels", "Deceased"),
        "other": QCoreApplication.translate("Labels", "Other"),
    }
    return labels.get(code or "", code or "")


def not_reached_label(code: str) -> str:
    labels = {
        "location_not_traced": QCoreApplication.translate("Labels", "Location could not be traced"),
        "phone_switched_off": QCoreApplication.translate("Labels", "Phone switched off"),
        "other_state": QCoreApplication.translate("Labels", "Person is in another state"),
        "other": QCoreApplication.translate("Labels", "Other"),
    }
    return labels.get(code, code)


def false_alarm_label(code: str) -> str:
    labels = {
        "old_post": QCoreApplication.translate("Labels", "Old post"),
        "prank": QCoreApplication.translate("Labels", "Prank"),
        "wrong_person": QCoreApplication.translate("Labels", "Wrong person"),
        "other": QCoreApplication.translate("Labels", "Other"),
    }
    return labels.get(code, code)


def forward_label(code: str) -> str:
    labels = {
        "erss_112": QCoreApplication.translate("Labels", "112 emergency response (ERSS)"),
        "other_state_police": QCoreApplication.translate("Labels", "Another state's police"),
        "counselling_service": QCoreApplication.translate("Labels", "Counselling service"),
    }
    return labels.get(code, code)


def method_label(code: str) -> str:
    labels = {
        "cdr_tower": QCoreApplication.translate("Labels", "Phone tower (CDR)"),
        "phone_call": QCoreApplication.translate("Labels", "Phone call"),
        "platform_data": QCoreApplication.translate("Labels", "Platform data"),
        "field": QCoreApplication.translate("Labels", "Field team"),
        "other": QCoreApplication.translate("Labels", "Other"),
    }
    return labels.get(code, code)


def event_label(code: str, kind: str | None = None) -> str:
    """An entry's name in the timeline; ``kind`` (the case's) names a tip's ``created`` entry."""
    if code == "created" and kind == "tip":
        return QCoreApplication.translate("Labels", "Tip received")
    labels = {
        "created": QCoreApplication.translate("Labels", "Alert received"),
        "assigned": QCoreApplication.translate("Labels", "Assigned"),
        "acknowledged": QCoreApplication.translate("Labels", "Acknowledged"),
        "located": QCoreApplication.translate("Labels", "Location traced"),
        "dispatched": QCoreApplication.translate("Labels", "Team dispatched"),
        "forwarded": QCoreApplication.translate("Labels", "Forwarded"),
        "en_route": QCoreApplication.translate("Labels", "En route"),
        "reached": QCoreApplication.translate("Labels", "Reached"),
        "outcome_recorded": QCoreApplication.translate("Labels", "Outcome"),
        "counselling_note": QCoreApplication.translate("Labels", "Counselling note"),
        "follow_up_scheduled": QCoreApplication.translate("Labels", "Follow-up scheduled"),
        "follow_up_done": QCoreApplication.translate("Labels", "Follow-up done"),
        "escalated": QCoreApplication.translate("Labels", "Escalated"),
        "alarm_muted": QCoreApplication.translate("Labels", "Alarm muted"),
        "contact_revealed": QCoreApplication.translate("Labels", "Contact revealed"),
        "closed": QCoreApplication.translate("Labels", "Closed"),
        "reopened": QCoreApplication.translate("Labels", "Reopened"),
        "amended": QCoreApplication.translate("Labels", "Correction"),
        "risk_raised": QCoreApplication.translate("Labels", "Raised to suicide risk"),
        "tip_added": QCoreApplication.translate("Labels", "Tipster added to the tip"),
        "tip_question": QCoreApplication.translate("Labels", "Question to the tipster"),
        "tip_answer": QCoreApplication.translate("Labels", "Tipster's answer"),
        "tip_officer_assigned": QCoreApplication.translate("Labels", "Passed to an officer"),
        "tip_action": QCoreApplication.translate("Labels", "Action taken"),
        "tip_outcome": QCoreApplication.translate("Labels", "Tip outcome"),
        "categorised": QCoreApplication.translate("Labels", "Complaint categorised"),
        "duplicate_linked": QCoreApplication.translate("Labels", "Linked as a duplicate"),
        "reply_drafted": QCoreApplication.translate("Labels", "Reply drafted"),
        "reply_approved": QCoreApplication.translate("Labels", "Reply approved"),
        "reply_published": QCoreApplication.translate("Labels", "Reply published"),
        "reply_publish_failed": QCoreApplication.translate("Labels", "Reply not published"),
        "citizen_replied": QCoreApplication.translate("Labels", "Citizen replied"),
        "sla_warned": QCoreApplication.translate("Labels", "Response due soon"),
        "sla_breached": QCoreApplication.translate("Labels", "Response deadline missed"),
    }
    return labels.get(code, code)


def tip_category_label(code: str | None) -> str:
    """A tip's category (``core.tips.TipCategory``) in the operator's words."""
    labels = {
        "cattle_smuggling": QCoreApplication.translate("Labels", "Cattle smuggling, cow slaughter"),
        "drugs_liquor": QCoreApplication.translate("Labels", "Illegal drugs, liquor"),
        "arms": QCoreApplication.translate("Labels", "Making or smuggling arms"),
        "gambling": QCoreApplication.translate("Labels", "Gambling"),
        "prostitution": QCoreApplication.translate("Labels", "Prostitution"),
        "trafficking": QCoreApplication.translate("Labels", "Trafficking of women and children"),
        "illegal_mining": QCoreApplication.translate("Labels", "Illegal mining"),
        "extortion": QCoreApplication.translate("Labels", "Extortion"),
        "police_corruption": QCoreApplication.translate("Labels", "Police corruption"),
        "forced_conversion": QCoreApplication.translate("Labels", "Forced conversion"),
        "serious_crime_evidence": QCoreApplication.translate("Labels", "CCTV or evidence of a serious crime"),
        "other": QCoreApplication.translate("Labels", "Other"),
    }
    return labels.get(code or "", code or "")


def tip_outcome_label(code: str | None) -> str:
    """What came of a tip (``core.tips.TipOutcome``)."""
    labels = {
        "action_taken": QCoreApplication.translate("Labels", "Action taken"),
        "fir_registered": QCoreApplication.translate("Labels", "FIR registered"),
        "no_offence": QCoreApplication.translate("Labels", "No offence found"),
        "false_information": QCoreApplication.translate("Labels", "False information"),
        "duplicate": QCoreApplication.translate("Labels", "Duplicate of an earlier tip"),
    }
    return labels.get(code or "", code or "")


def officer_text(officer: Mapping[str, Any], place_name: Callable[[str | None], str] | None = None) -> str:
    """"SI Ravi Kumar (Lanka)": an officer of a tip, with their police station when known."""
    who = " ".join(str(officer.get(k) or "") for k in ("rank", "name")).strip()
    station = officer.get("station")
    if station:
        who += f" ({place_name(str(station)) if place_name else station})"
    return who


def source_label(code: str | None) -> str:
    """Where a case came from, in words; unknown codes as they are."""
    labels = {
        "facebook": "Facebook",
        "instagram": "Instagram",
        "x": "X",
        "youtube": "YouTube",
        "whatsapp_tipline": QCoreApplication.translate("Labels", "WhatsApp tip line"),
        "manual": QCoreApplication.translate("Labels", "Entered by hand"),
    }
    return labels.get(code or "", code or "")


def author_label(author_id: str | None, author_name: str | None) -> str:
    """Who made an entry: the tip line's relay reads as "Tip line"; anyone else by name."""
    if author_id == "tipline-relay":
        return QCoreApplication.translate("Labels", "Tip line")
    return author_name or ""


def tip_media_label(code: str | None) -> str:
    labels = {
        "image": QCoreApplication.translate("Labels", "Photo"),
        "audio": QCoreApplication.translate("Labels", "Voice note / audio"),
        "video": QCoreApplication.translate("Labels", "Video"),
    }
    return labels.get(code or "", code or "")


def role_label(code: str | None) -> str:
    labels = {
        "district_operator": QCoreApplication.translate("Labels", "District operator"),
        "hq_operator": QCoreApplication.translate("Labels", "HQ operator"),
        "supervisor": QCoreApplication.translate("Labels", "Supervisor"),
        "admin": QCoreApplication.translate("Labels", "Administrator"),
        "sp_office": QCoreApplication.translate("Labels", "SP office"),
        "range_dig": QCoreApplication.translate("Labels", "Range DIG"),
    }
    return labels.get(code or "", code or "")


def sync_label(state: str, reason: str | None = None) -> str:
    if state == "pending":
        return QCoreApplication.translate("Labels", "pending")
    if state == "rejected":
        refused = QCoreApplication.translate("Labels", "refused")
        return f"{refused}: {reason}" if reason else refused
    return QCoreApplication.translate("Labels", "synced")


def age_text(received_at: str | None, now: datetime | None = None) -> str:
    """'4 min', '2 h 5 min', '3 d' — short enough for a queue column."""
    if not received_at:
        return ""
    try:
        then = parse_time(received_at)
    except ValueError:
        return ""
    seconds = max(0, int(((now or datetime.now(UTC)) - then).total_seconds()))
    minutes = seconds // 60
    if minutes < 1:
        return QCoreApplication.translate("Labels", "just now")
    if minutes < 60:
        # "%1", not a numerus "%n": lupdate's Python parser does not see the count argument of
        # QCoreApplication.translate, and Hindi has one form here anyway
        return QCoreApplication.translate("Labels", "%1 min").replace("%1", str(minutes))
    hours = minutes // 60
    if hours < 24:
        return QCoreApplication.translate("Labels", "%1 h %2 min").replace("%1", str(hours)).replace(
            "%2", str(minutes % 60)
        )
    return QCoreApplication.translate("Labels", "%1 d").replace("%1", str(hours // 24))


def _qlocal(moment: datetime) -> QDateTime:
    """A UTC-aware ``datetime`` as a ``QDateTime`` in this PC's local time zone."""
    return QDateTime.fromMSecsSinceEpoch(int(moment.timestamp() * 1000)).toLocalTime()


def local_time(iso_text: str | None) -> str:
    """An event time as the operator reads it: local time zone, to the second, month in the UI language.

    The month name comes from ``QLocale()`` (the default locale, set with the UI language by
    ``ui.i18n.install_translator``), never from the C library's locale.
    """
    if not iso_text:
        return ""
    try:
        moment = parse_time(iso_text)
    except ValueError:
        return iso_text
    return QLocale().toString(_qlocal(moment), "dd MMM HH:mm:ss")


def clock_time(moment: datetime | None) -> str:
    """Hours and minutes in this PC's local time ("21:07"), for "until 21:07" and "last check 21:07"."""
    if moment is None:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return QLocale().toString(_qlocal(moment), "HH:mm")


def wait_text(seconds: int) -> str:
    """A waiting time as "45 s", "3 min", "1 h 05 min", with units in the UI language."""
    seconds = max(0, seconds)
    if seconds < 60:
        return QCoreApplication.translate("Labels", "%1 s").replace("%1", str(seconds))
    minutes = seconds // 60
    if minutes < 60:
        return QCoreApplication.translate("Labels", "%1 min").replace("%1", str(minutes))
    return QCoreApplication.translate("Labels", "%1 h %2 min").replace("%1", str(minutes // 60)).replace(
        "%2", f"{minutes % 60:02d}"
    )


__all__ = [
    "KIND_CODES",
    "STATUS_CODES",
    "age_text",
    "author_label",
    "clock_time",
    "event_label",
    "kind_label",
    "local_time",
    "officer_text",
    "outcome_label",
    "role_label",
    "source_label",
    "status_label",
    "sync_label",
    "tip_category_label",
    "tip_media_label",
    "tip_outcome_label",
    "tip_status_label",
    "wait_text",
]


def complaint_category_label(code: str | None) -> str:
    """A complaint's category (``core.events.ComplaintCategory``); none yet: "Not triaged"."""
    labels = {
        "crime_report": QCoreApplication.translate("Labels", "Crime report"),
        "traffic": QCoreApplication.translate("Labels", "Traffic"),
        "cyber_fraud": QCoreApplication.translate("Labels", "Cyber fraud"),
        "womens_safety": QCoreApplication.translate("Labels", "Women's safety"),
        "police_conduct": QCoreApplication.translate("Labels", "Police conduct"),
        "information_request": QCoreApplication.translate("Labels", "Information request"),
        "not_actionable": QCoreApplication.translate("Labels", "Not actionable"),
    }
    if not code:
        return QCoreApplication.translate("Labels", "Not triaged")
    return labels.get(code, code)


def platform_label(code: str | None) -> str:
    """A social platform's own name (not translated: the platforms' names are the same in Hindi)."""
    names = {"facebook": "Facebook", "instagram": "Instagram", "x": "X", "youtube": "YouTube"}
    return names.get(code or "", code or "")


def reply_status_label(code: str | None) -> str:
    """A complaint reply's publication state (``core.complaints.ReplyStatus``), and the console's own
    "not yet sent" for a reply waiting on this PC for HQ."""
    labels = {
        "awaiting_approval": QCoreApplication.translate("Labels", "Awaiting approval"),
        "ready": QCoreApplication.translate("Labels", "Being published"),
        "failed": QCoreApplication.translate("Labels", "Publication failed, will retry"),
        "published": QCoreApplication.translate("Labels", "Published"),
        "not_sent": QCoreApplication.translate("Labels", "Not yet sent to HQ"),
        "none": QCoreApplication.translate("Labels", "No reply yet"),
    }
    return labels.get(code or "none", code or "")


def deadline_label(code: str | None) -> str:
    """Which deadline of the two-hour clock (``core.events.DeadlineKind``)."""
    labels = {
        "first_response": QCoreApplication.translate("Labels", "First response"),
        "next_response": QCoreApplication.translate("Labels", "Next response"),
        "resolution": QCoreApplication.translate("Labels", "Resolution"),
    }
    return labels.get(code or "", code or "")


def sla_state_label(code: str | None) -> str:
    """A deadline's or a row's state (``core.sla.DeadlineState``) in words, never colour alone."""
    labels = {
        "breached": QCoreApplication.translate("Labels", "Breached"),
        "warning": QCoreApplication.translate("Labels", "Warning"),
        "running": QCoreApplication.translate("Labels", "On time"),
        "met": QCoreApplication.translate("Labels", "Met"),
        "missed": QCoreApplication.translate("Labels", "Missed"),
    }
    if not code:
        return QCoreApplication.translate("Labels", "No clock")
    return labels.get(code, code)
