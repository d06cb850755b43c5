"""The HQ board's rules, written once for HQ (which sorts the board it serves) and the desktop (which
re-sorts it every second as the oldest unacknowledged case ages): the steps an open case can be
waiting at, the heartbeat alerts, and the severity order that puts the worst district on top.

Pure functions of their arguments: no clock is read here, the caller passes ``now``.

Severity, worst first (``Severity``, an ``IntEnum`` whose lower value is worse):

1. ``CRITICAL``: a case waits for the district's acknowledgement **and** the district has a heartbeat
   alert (no console beating, or none that can sound) or no console at all: nobody there can hear it.
2. ``OVERDUE``: a case has waited for the district's acknowledgement longer than the threshold
   (``unack_alert_min``, a setting of the console).
3. ``SILENT``: a heartbeat alert with nothing waiting: the district would not hear the next alert.
4. ``WAITING``: a case waits for acknowledgement, within the threshold.
5. ``NO_CONSOLES``: no console of the district has ever signed in to HQ.
6. ``OPEN``: open cases, all acknowledged by the district.
7. ``QUIET``: nothing open, consoles well.

Within one severity: the older oldest-unacknowledged case first, then more open cases, then the
district's name, so the order is total and stable between refreshes.
"""

from __future__ import annotations

import enum
from datetime import datetime

from core.settings import DEFAULTS

# The board's default threshold: a case unacknowledged by its district this long turns the district
# OVERDUE. It is the declared default of the console's ``board_unack_alert_min`` setting, which
# overrides it on a console.
UNACK_ALERT_MIN_DEFAULT = DEFAULTS.board_unack_alert_min


class Severity(enum.IntEnum):
    CRITICAL = 0
    OVERDUE = 1
    SILENT = 2
    WAITING = 3
    NO_CONSOLES = 4
    OPEN = 5
    QUIET = 6


class HeartbeatAlert(enum.StrEnum):
    """A district's own alert on the board, from its consoles' heartbeats (as alerta's HeartbeatFail)."""

    NO_HEARTBEAT = "no_heartbeat"  # every console of the district has stopped beating
    CANNOT_SOUND = "cannot_sound"  # consoles beat, but none reports an alarm that can sound


class BoardStep(enum.StrEnum):
    """Where an open case of a district waits, from its summary's stamps (the furthest reached)."""

    UNACKNOWLEDGED = "unacknowledged"  # routed to the district, not acknowledged there
    ACKNOWLEDGED = "acknowledged"  # acknowledged, nobody dispatched or forwarded yet
    DISPATCHED = "dispatched"  # dispatched or forwarded, not reached yet
    REACHED = "reached"  # reached, no outcome yet
    OUTCOME = "outcome"  # outcome recorded, not closed (counselling, follow-ups)


BOARD_STEPS: tuple[BoardStep, ...] = tuple(BoardStep)


def heartbeat_alert(consoles: int, online: int, can_sound: int) -> HeartbeatAlert | None:
    """The district's heartbeat alert, if any. ``consoles``: consoles that ever signed in for the
    district; ``online``: those beating within the presence timeout; ``can_sound``: online ones whose
    last heartbeat says the alarm can sound. A district with no console has no heartbeat to lose
    (it is ``NO_CONSOLES`` instead)."""
    if consoles == 0:
        return None
    if online == 0:
        return HeartbeatAlert.NO_HEARTBEAT
    if can_sound == 0:
        return HeartbeatAlert.CANNOT_SOUND
    return None


def severity(
    *,
    now: datetime,
    oldest_unack_at: datetime | None,
    alert: str | None,
    consoles: int,
    open_cases: int,
    unack_alert_min: float = UNACK_ALERT_MIN_DEFAULT,
) -> Severity:
    """The district's severity (module docstring) at ``now``."""
    cannot_hear = alert is not None or consoles == 0
    if oldest_unack_at is not None:
        if cannot_hear:
            return Severity.CRITICAL
        if (now - oldest_unack_at).total_seconds() >= unack_alert_min * 60:
            return Severity.OVERDUE
        return Severity.WAITING
    if alert is not None:
        return Severity.SILENT
    if consoles == 0:
        return Severity.NO_CONSOLES
    return Severity.OPEN if open_cases else Severity.QUIET


def sort_key(
    sev: Severity, oldest_unack_at: datetime | None, open_cases: int, name: str
) -> tuple[int, float, int, str]:
    """Worst first: severity, then the older waiting case, then more open cases, then the name."""
    since = oldest_unack_at.timestamp() if oldest_unack_at is not None else float("inf")
    return (int(sev), since, -open_cases, name.casefold())


__all__ = [
    "BOARD_STEPS",
    "UNACK_ALERT_MIN_DEFAULT",
    "BoardStep",
    "HeartbeatAlert",
    "Severity",
    "heartbeat_alert",
    "severity",
    "sort_key",
]
