"""Which cases ring the alarm: the rule lives in ``core.alarm`` (no Qt); re-exported for the console."""

from __future__ import annotations

from core.alarm import (
    ACKNOWLEDGED_STATUS,
    CLOSED_STATUS,
    MUTE_CLOCK_SLACK_S,
    AlarmRow,
    RefusedSilence,
    Ringing,
    RingReason,
    dispatch_overdue,
    mute_in_force,
    needs_alarm,
    next_change_at,
    reason_for,
    refused_silence_at,
    refused_silences,
    ringing_cases,
)

__all__ = [
    "ACKNOWLEDGED_STATUS",
    "CLOSED_STATUS",
    "MUTE_CLOCK_SLACK_S",
    "AlarmRow",
    "RefusedSilence",
    "RingReason",
    "Ringing",
    "dispatch_overdue",
    "mute_in_force",
    "needs_alarm",
    "next_change_at",
    "reason_for",
    "refused_silence_at",
    "refused_silences",
    "ringing_cases",
]
