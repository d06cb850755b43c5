"""The sentences the escalation policy editor shows: each step, action, contact role and channel,
translatable (context ``PolicyEditor``)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication

from core.escalation import ChannelName, ContactRole, StepAction


def action_label(action: str) -> str:
    labels: dict[str, str] = {
        StepAction.WAIT: QCoreApplication.translate("PolicyEditor", "Wait"),
        StepAction.REALARM_DISTRICT: QCoreApplication.translate("PolicyEditor", "Re-alarm the district's consoles"),
        StepAction.ALARM_HQ: QCoreApplication.translate("PolicyEditor", "Alarm HQ"),
        StepAction.NOTIFY: QCoreApplication.translate("PolicyEditor", "Notify"),
        StepAction.REPEAT: QCoreApplication.translate("PolicyEditor", "Repeat the chain"),
    }
    return labels.get(action, action)


def role_label(role: str) -> str:
    labels: dict[str, str] = {
        ContactRole.SP_CONTROL_ROOM: QCoreApplication.translate("PolicyEditor", "SP control room"),
        ContactRole.SHO: QCoreApplication.translate("PolicyEditor", "SHO of the station"),
        ContactRole.RANGE_DIG: QCoreApplication.translate("PolicyEditor", "Range DIG"),
        ContactRole.HQ_DUTY: QCoreApplication.translate("PolicyEditor", "HQ duty officer"),
    }
    return labels.get(role, role)


def channel_label(channel: str) -> str:
    labels: dict[str, str] = {
        ChannelName.SMS: QCoreApplication.translate("PolicyEditor", "SMS"),
        ChannelName.VOICE: QCoreApplication.translate("PolicyEditor", "voice call"),
        ChannelName.EMAIL: QCoreApplication.translate("PolicyEditor", "e-mail"),
    }
    return labels.get(channel, channel)


def step_text(step: dict[str, Any]) -> str:
    """One step as the list shows it, e.g. "Wait 5 min" or "Notify SP control room by SMS, voice call"."""
    action = str(step.get("action", ""))
    if action == StepAction.WAIT:
        return QCoreApplication.translate("PolicyEditor", "Wait %1 min").replace(
            "%1", f"{float(step.get('minutes') or 0):g}"
        )
    if action == StepAction.REPEAT:
        return QCoreApplication.translate("PolicyEditor", "Repeat the chain %1 more times").replace(
            "%1", str(step.get("times") or 0)
        )
    if action == StepAction.NOTIFY:
        roles = ", ".join(role_label(r) for r in step.get("roles") or ()) or "—"
        channels = ", ".join(channel_label(c) for c in step.get("channels") or ()) or "—"
        return (
            QCoreApplication.translate("PolicyEditor", "Notify %1 by %2").replace("%1", roles).replace("%2", channels)
        )
    return action_label(action)


__all__ = ["action_label", "channel_label", "role_label", "step_text"]
