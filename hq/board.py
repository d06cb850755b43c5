"""The HQ board: every district at a glance, worst first (``GET /api/v1/board``).

Per district: its open cases by step (``core.board.BoardStep``), the received time of the oldest case
its district has not acknowledged (the desktop ticks its age), its consoles (online, last heartbeat,
can sound, pending outbox), the escalations of its open cases, and its **heartbeat alert**: all its
consoles stopped beating, or none of them can sound (``core.board.heartbeat_alert``). The severity
order is ``core.board``'s, written once for HQ and the desktop.

Cost: one query per table (districts, the open rows of ``case_summary`` grouped by district and
step, devices with their user's district), never one per district, so 75 districts and 200
consoles stay a few milliseconds (bench/bench_board.py). The board also carries each mailbox's
health (``hq.mailbox.health``: last contact, last good fetch, last error and when), so the wall shows
a mailbox that stopped bringing Meta's alerts. The board carries no personal details (no
subject, no phone), so reading it is not audited; heartbeat alerts are: each is recorded once when it
is raised and once when it clears (``heartbeat_alert`` rows in the audit log), detected at read time
against the alerts HQ last recorded (the ``meta`` row ``board_heartbeat_alerts``, changed by a
compare-and-set so two HQ workers reading at once record a change once).

"Can sound" is the console's own verdict sent with every heartbeat (``devices.audio``: ``ok``,
``checked_at``, ``detail``): the software check, overridden on the console by a human's "the test
alarm was NOT heard" until a test is confirmed heard. The human's last answer (heard or not, when,
by whom) comes as fields of the heartbeat (``audio.test_alarm``), kept on the device row
(``devices.test_heard``, ``test_confirmed_at``, ``test_confirmed_by``), so a later software check
does not erase it. For an older console that does not send them, the answer is read from the start
of the verdict's ``detail`` (``TEST_HEARD_PREFIX``/``TEST_NOT_HEARD_PREFIX``) while it lasts.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from pydantic import BaseModel
from sqlalchemy import Connection, String, case, cast, func, literal, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from core.board import (
    UNACK_ALERT_MIN_DEFAULT,
    BoardStep,
    HeartbeatAlert,
    Severity,
    heartbeat_alert,
    severity,
    sort_key,
)
from core.events import iso, parse_time, utcnow
from core.fold import Status
from hq.audit import write_audit
from hq.db import Database
from hq.errors import Forbidden
from hq.mailbox.health import mailbox_health
from hq.presence import PRESENCE_ONLINE_S
from hq.principals import HQ_ROLES, Principal
from hq.schema import case_summary, devices, districts, meta, users

ALERTS_META_KEY = "board_heartbeat_alerts"
OPEN_STATUSES = tuple(str(s) for s in Status if s is not Status.CLOSED)
# The texts a console's heartbeat detail starts with after a human answered "did you hear the test
# alarm?" (ui.alarm.audio_check.confirmation_detail).
TEST_HEARD_PREFIX = "test alarm heard"
TEST_NOT_HEARD_PREFIX = "test alarm NOT heard"


# ---- the reply's shape (the route's response model) ----------------------------------------------
class BoardConsoleOut(BaseModel):
    device_id: str
    device_name: str
    user: str | None
    online: bool
    last_seen: str
    can_sound: bool  # online, and its last heartbeat says the alarm can sound
    audio_ok: bool | None  # the console's verdict in its last heartbeat (None: never reported)
    audio_checked_at: str | None
    audio_detail: str | None
    test_heard: bool | None  # a human's answer to the last test alarm (None: none known)
    pending: int | None  # events waiting in its outbox
    app_version: str | None
    test_confirmed_at: str | None = None  # when that answer was given (None: an older console's detail)
    test_confirmed_by: str | None = None  # who gave it, on that console


class BoardAlertOut(BaseModel):
    kind: str  # core.board.HeartbeatAlert
    since: str


class BoardEscalationOut(BaseModel):
    count: int  # escalation steps taken on the district's open cases
    cases: int  # open cases with at least one
    last_step: str | None
    last_at: str | None


class BoardDistrictOut(BaseModel):
    code: str
    name: str
    range: str | None
    severity: str  # core.board.Severity name, at HQ's default threshold
    open_cases: int
    by_step: dict[str, int]  # core.board.BoardStep -> open cases waiting there (steps with none left out)
    oldest_unack_at: str | None  # received time of the oldest case not acknowledged by the district
    consoles: list[BoardConsoleOut]
    consoles_online: int
    consoles_can_sound: int
    alert: BoardAlertOut | None
    escalation: BoardEscalationOut


class BoardMailboxOut(BaseModel):
    mailbox: str
    last_contact_at: str | None  # the IMAP server last answered
    last_fetch_at: str | None  # a whole run last ended well
    last_error: str | None
    last_error_at: str | None
    failing: bool  # the last error is newer than the last good fetch


class BoardOut(BaseModel):
    as_of: str
    presence_timeout_s: int
    unack_alert_min: float
    range: str | None
    ranges: list[str]  # every range with a district, for the filter
    unrouted: int  # open cases not yet routed to any district (they wait at HQ)
    districts: list[BoardDistrictOut]  # worst first
    mailboxes: list[BoardMailboxOut]  # the health of each mailbox HQ reads Meta's alerts from


# ---- reading it ----------------------------------------------------------------------------------
@dataclass
class _Cases:
    by_step: dict[str, int]
    oldest_unack_at: str | None = None
    escalations: int = 0
    escalated_cases: int = 0
    last_escalation: str | None = None  # "at|step"


def _step_expr() -> Any:
    cs = case_summary.c
    return case(
        (cs.outcome_at.is_not(None), literal(str(BoardStep.OUTCOME))),
        (cs.reached_at.is_not(None), literal(str(BoardStep.REACHED))),
        ((cs.dispatched_at.is_not(None)) | (cs.forwarded_at.is_not(None)), literal(str(BoardStep.DISPATCHED))),
        (cs.district_acknowledged_at.is_not(None), literal(str(BoardStep.ACKNOWLEDGED))),
        else_=literal(str(BoardStep.UNACKNOWLEDGED)),
    )


def _open_cases(conn: Connection) -> tuple[dict[str, _Cases], int]:
    """Open cases per district and step in one grouped query; and how many wait unrouted at HQ."""
    cs = case_summary.c
    step = _step_expr().label("step")
    last = func.max(cs.last_escalation_at + literal("|") + cast(cs.last_escalation_step, String))
    rows = conn.execute(
        select(
            cs.district,
            step,
            func.count().label("n"),
            func.min(cs.received_at).label("oldest"),
            func.coalesce(func.sum(cs.escalations), 0).label("escalations"),
            func.count(cs.last_escalation_at).label("escalated"),
            last.label("last"),
        )
        .where(cs.status.in_(OPEN_STATUSES))
        .group_by(cs.district, step)
    ).all()
    out: dict[str, _Cases] = {}
    unrouted = 0
    for r in rows:
        if r.district is None:
            unrouted += int(r.n)
            continue
        c = out.setdefault(r.district, _Cases(by_step={}))
        c.by_step[str(r.step)] = c.by_step.get(str(r.step), 0) + int(r.n)
        if r.step == BoardStep.UNACKNOWLEDGED and r.oldest is not None:
            c.oldest_unack_at = min(filter(None, (c.oldest_unack_at, r.oldest)))
        c.escalations += int(r.escalations or 0)
        c.escalated_cases += int(r.escalated or 0)
        if r.last is not None and (c.last_escalation is None or r.last > c.last_escalation):
            c.last_escalation = str(r.last)
    return out, unrouted


def _test_heard(detail: str | None) -> bool | None:
    if not detail:
        return None
    if detail.startswith(TEST_NOT_HEARD_PREFIX):
        return False
    if detail.startswith(TEST_HEARD_PREFIX):
        return True
    return None


def _consoles(conn: Connection, cutoff: str) -> dict[str, list[dict[str, Any]]]:
    """Every console of a district (its last user's district), in one query."""
    rows = conn.execute(
        select(devices, users.c.username, users.c.district)
        .select_from(devices.join(users, users.c.id == devices.c.user_id))
        .where(users.c.district.is_not(None))
        .order_by(devices.c.name, devices.c.id)
    ).all()
    out: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        audio = _audio(r.audio)
        online = r.last_seen >= cutoff
        detail = audio.get("detail") if isinstance(audio.get("detail"), str) else None
        ok = audio.get("ok") if isinstance(audio.get("ok"), bool) else None
        out.setdefault(r.district, []).append(
            {
                "device_id": r.id,
                "device_name": r.name,
                "user": r.username,
                "online": online,
                "last_seen": r.last_seen,
                "can_sound": online and ok is True,
                "audio_ok": ok,
                "audio_checked_at": audio.get("checked_at") if isinstance(audio.get("checked_at"), str) else None,
                "audio_detail": detail,
                "test_heard": r.test_heard if r.test_heard is not None else _test_heard(detail),
                "pending": r.pending,
                "app_version": r.app_version,
                "test_confirmed_at": r.test_confirmed_at,
                "test_confirmed_by": r.test_confirmed_by,
            }
        )
    return out


def _audio(text: str | None) -> dict[str, Any]:
    if not text:
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _record_alerts(db: Database, p: Principal, current: dict[str, dict[str, str]], known_text: str | None) -> None:
    """Record in the audit log each heartbeat alert raised or cleared since HQ last recorded them.

    A compare-and-set on the ``meta`` row: of two readers that see the same change, only the one
    whose update finds the old value writes the audit rows, in the same transaction."""
    known = _alerts_json(known_text)
    if known == current:
        return
    new_text = json.dumps(current, sort_keys=True)
    with db.transaction() as conn:
        if known_text is None:  # the first alert ever: the row, empty, then the same update as always
            insert = pg_insert if db.is_postgres else sqlite_insert
            conn.execute(insert(meta).values(key=ALERTS_META_KEY, value="{}").on_conflict_do_nothing())
            known_text = "{}"
        changed = conn.execute(
            update(meta).where(meta.c.key == ALERTS_META_KEY, meta.c.value == known_text).values(value=new_text)
        )
        if changed.rowcount != 1:
            return  # another reader recorded this change first
        for code in sorted(set(known) | set(current)):
            before, now = known.get(code), current.get(code)
            if before is not None and (now is None or now["kind"] != before["kind"]):
                write_audit(conn, p, "heartbeat_alert", "cleared", detail={"district": code, **before})
            if now is not None and (before is None or now["kind"] != before["kind"]):
                write_audit(conn, p, "heartbeat_alert", "raised", detail={"district": code, **now})


def _alerts_json(text: str | None) -> dict[str, dict[str, str]]:
    if not text:
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def read_board(
    db: Database,
    p: Principal,
    *,
    range_name: str | None = None,
    unack_alert_min: float = UNACK_ALERT_MIN_DEFAULT,
) -> dict[str, Any]:
    """The board (``BoardOut``), worst district first. HQ roles only: a district operator, a key or
    anyone else is refused (``Forbidden``). ``range_name`` keeps the districts of one range."""
    if p.is_key or p.role not in HQ_ROLES:
        raise Forbidden("only HQ accounts may read the board of every district")
    now = utcnow()
    cutoff = iso(now - timedelta(seconds=PRESENCE_ONLINE_S))
    with db.reader() as conn:
        district_rows = conn.execute(
            select(districts.c.code, districts.c.name, districts.c.range).order_by(districts.c.name)
        ).all()
        cases, unrouted = _open_cases(conn)
        consoles = _consoles(conn, cutoff)
        known_text = conn.execute(select(meta.c.value).where(meta.c.key == ALERTS_META_KEY)).scalar_one_or_none()

    known = _alerts_json(known_text)
    alerts: dict[str, dict[str, str]] = {}
    out: list[tuple[tuple[Any, ...], dict[str, Any]]] = []
    for d in district_rows:
        mine = consoles.get(d.code, [])
        online = sum(1 for c in mine if c["online"])
        sounding = sum(1 for c in mine if c["can_sound"])
        kind = heartbeat_alert(len(mine), online, sounding)
        alert: dict[str, str] | None = None
        if kind is not None:
            before = known.get(d.code)
            if kind is HeartbeatAlert.NO_HEARTBEAT:
                since = max(c["last_seen"] for c in mine)  # the last beat heard from any of them
            elif before is not None and before.get("kind") == kind:
                since = before["since"]
            else:
                since = iso(now)
            alert = {"kind": str(kind), "since": since}
            alerts[d.code] = alert
        c = cases.get(d.code) or _Cases(by_step={})
        open_cases = sum(c.by_step.values())
        oldest = parse_time(c.oldest_unack_at) if c.oldest_unack_at else None
        sev = severity(
            now=now, oldest_unack_at=oldest, alert=alert["kind"] if alert else None, consoles=len(mine),
            open_cases=open_cases, unack_alert_min=unack_alert_min,
        )
        last_at, _, last_step = (c.last_escalation or "").partition("|")
        row = {
            "code": d.code,
            "name": d.name,
            "range": d.range,
            "severity": Severity(sev).name,
            "open_cases": open_cases,
            "by_step": c.by_step,
            "oldest_unack_at": c.oldest_unack_at,
            "consoles": mine,
            "consoles_online": online,
            "consoles_can_sound": sounding,
            "alert": alert,
            "escalation": {
                "count": c.escalations,
                "cases": c.escalated_cases,
                "last_step": last_step or None,
                "last_at": last_at or None,
            },
        }
        out.append((sort_key(sev, oldest, open_cases, d.name), row))

    _record_alerts(db, p, alerts, known_text)
    out.sort(key=lambda item: item[0])
    ranges = sorted({d.range for d in district_rows if d.range})
    rows = [row for _, row in out if range_name is None or row["range"] == range_name]
    return {
        "as_of": iso(now),
        "presence_timeout_s": PRESENCE_ONLINE_S,
        "unack_alert_min": unack_alert_min,
        "range": range_name,
        "ranges": ranges,
        "unrouted": unrouted,
        "districts": rows,
        "mailboxes": [
            {k: v for k, v in h.to_wire().items() if k in BoardMailboxOut.model_fields} for h in mailbox_health(db)
        ],
    }


__all__ = ["ALERTS_META_KEY", "BoardOut", "read_board"]
