"""Presence: each console's heartbeat (version, pending events, audio health, the last test alarm a
human answered, free disk) and the board that lists them. Every heartbeat is also kept in
``presence_log`` (console, district, whether its alarm could sound, a test alarm newly answered heard
or not) for the console-health report (``hq.reports``)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from sqlalchemy import select, update

from core.events import iso, parse_time, utcnow
from hq.db import Database
from hq.principals import Action, Principal, require, require_own_device
from hq.schema import devices, presence_log, users

# A console heard from within this many seconds is shown online.
PRESENCE_ONLINE_S = 180


def heartbeat(
    db: Database,
    p: Principal,
    device_id: str,
    app_version: str,
    pending: int,
    audio: Mapping[str, Any],
    *,
    disk_free_bytes: int | None = None,
) -> None:
    """Record a console's heartbeat. ``disk_free_bytes`` (optional: older consoles omit it) is the
    free space in its data folder, so the board can warn before a console's disk fills.

    ``audio`` is the console's last verdict (``ok``, ``checked_at``, ``detail``, stored as sent) and,
    when a human has answered a test alarm there, ``test_alarm`` (``heard``, ``at``, ``by``), stored
    in its own columns. A heartbeat without one (an older console, or one restarted since) leaves
    the stored answer as it is; one that carries an answer replaces it."""
    require(p, Action.PRESENCE_POST)
    require_own_device(p, device_id)
    now = iso(utcnow())
    verdict = {k: v for k, v in audio.items() if k != "test_alarm"}
    values: dict[str, Any] = {
        "last_seen": now,
        "app_version": app_version,
        "pending": pending,
        "user_id": p.actor,
        "audio": json.dumps(verdict, ensure_ascii=False),
        "disk_free_bytes": disk_free_bytes,
    }
    answer = audio.get("test_alarm")
    if isinstance(answer, Mapping):
        values.update(test_heard=bool(answer["heard"]), test_confirmed_at=iso(parse_time(str(answer["at"]))),
                      test_confirmed_by=str(answer["by"]))
    with db.transaction() as conn:
        before = conn.execute(
            select(devices.c.audio, devices.c.test_confirmed_at).where(devices.c.id == device_id)
        ).first()
        conn.execute(
            presence_log.insert().values(
                device_id=device_id,
                district=p.district,
                at=now,
                online=True,
                can_sound=audio.get("ok") is True,
                test_heard=_new_test_result(audio, before),
            )
        )
        conn.execute(update(devices).where(devices.c.id == device_id).values(**values))


def _new_test_result(audio: Mapping[str, Any], before: Any) -> bool | None:
    """Whether an operator heard a test alarm, if this heartbeat is the first to carry that answer
    (``audio.test_alarm`` answered at a time the device row does not hold yet); else None."""
    answer = audio.get("test_alarm")
    if not isinstance(answer, Mapping) or not isinstance(answer.get("heard"), bool):
        return None
    answered_at = iso(parse_time(str(answer["at"])))
    if before is not None and before.test_confirmed_at == answered_at:
        return None
    return bool(answer["heard"])


def list_presence(db: Database, p: Principal) -> list[dict[str, Any]]:
    """Every console with its last heartbeat, and whether it is online now."""
    require(p, Action.PRESENCE_LIST)
    cutoff = iso(utcnow() - timedelta(seconds=PRESENCE_ONLINE_S))
    with db.reader() as conn:
        rows = conn.execute(
            select(devices, users.c.username, users.c.district)
            .select_from(devices.outerjoin(users, users.c.id == devices.c.user_id))
            .order_by(devices.c.id)
        ).all()
    return [
        {
            "device_id": r.id,
            "device_name": r.name,
            "user": r.username,
            "district": r.district,
            "last_seen": r.last_seen,
            "online": r.last_seen >= cutoff,
            "app_version": r.app_version,
            "pending": r.pending,
            "audio": json.loads(r.audio) if r.audio else None,
            "disk_free_bytes": r.disk_free_bytes,
        }
        for r in rows
    ]


__all__ = ["PRESENCE_ONLINE_S", "heartbeat", "list_presence"]
