"""Defensive parsing of HQ's replies (docs/PROTOCOL.md v1) into typed values.

Everything here raises ``ProtocolError`` for a reply that is not what the contract promises, before
any of it reaches the store: a half-understood page is worse than no page. Events are validated with
``core.events.Event.from_wire``, the same code HQ uses.

Kept in one file because it is the client's whole reading of docs/PROTOCOL.md: one place to check
against the contract when either side changes.
"""

from __future__ import annotations

import json
import math
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from core.errors import InvalidEvent
from core.escalation import Policy, PolicyError
from core.events import Event, iso, parse_time
from core.reports import from_json
from core.sla import SlaPolicy, SlaPolicyError
from sync.errors import ProtocolError


@dataclass(frozen=True)
class UserInfo:
    id: str
    username: str
    display_name: str
    role: str
    district: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "username": self.username,
            "display_name": self.display_name,
            "role": self.role,
            "district": self.district,
        }


@dataclass(frozen=True)
class Tokens:
    access_token: str
    refresh_token: str
    expires_in: float
    user: UserInfo


@dataclass(frozen=True)
class Health:
    epoch: str
    server_time: datetime


@dataclass(frozen=True)
class PushResult:
    id: str
    accepted: bool
    hq_seq: int | None
    reason: str | None
    code: str | None
    held: bool = False  # HQ put the event in its review queue (``code`` "review"): a verdict comes later


@dataclass(frozen=True)
class Verdict:
    """HQ's answer about one event it held for review: ``status`` is ``held`` (not decided yet),
    ``accepted`` (with ``hq_seq``), ``rejected`` (with the supervisor's ``reason``) or ``unknown``
    (HQ has no such held event, e.g. it was restored from a backup: push it again)."""

    id: str
    status: str
    hq_seq: int | None
    reason: str | None


VERDICT_STATUSES = frozenset({"held", "accepted", "rejected", "unknown"})


@dataclass(frozen=True)
class PushReply:
    epoch: str
    server_time: datetime
    results: list[PushResult]


@dataclass(frozen=True)
class PullItem:
    """Either an event (``event`` set) or a revocation of a case (``revoke_case_id`` set)."""

    event: Event | None = None
    revoke_case_id: str | None = None


@dataclass(frozen=True)
class PullReply:
    epoch: str
    server_time: datetime
    cursor: int
    has_more: bool
    items: list[PullItem]


def _obj(data: Any, what: str) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise ProtocolError(f"{what}: expected a JSON object, got {type(data).__name__}")
    return data


def _str(data: dict[str, Any], key: str, what: str, *, optional: bool = False) -> str | None:
    value = data.get(key)
    if value is None and optional:
        return None
    if not isinstance(value, str) or not value:
        raise ProtocolError(f"{what}.{key}: expected non-empty text")
    return value


def _req_str(data: dict[str, Any], key: str, what: str) -> str:
    value = _str(data, key, what)
    assert value is not None
    return value


def _int(value: Any, what: str, *, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ProtocolError(f"{what}: expected a whole number >= {minimum}, got {value!r}")
    return value


def _time(data: dict[str, Any], key: str, what: str) -> datetime:
    text = _req_str(data, key, what)
    try:
        return parse_time(text)
    except ValueError:
        raise ProtocolError(f"{what}.{key}: not an ISO 8601 time with a zone: {text!r}") from None


def _uuid(value: Any, what: str) -> str:
    if not isinstance(value, str):
        raise ProtocolError(f"{what}: expected a UUID")
    try:
        uuid.UUID(value)
    except ValueError:
        raise ProtocolError(f"{what}: expected a UUID, got {value!r}") from None
    return value


def parse_user(data: Any) -> UserInfo:
    d = _obj(data, "user")
    return UserInfo(
        id=_req_str(d, "id", "user"),
        username=_req_str(d, "username", "user"),
        display_name=_req_str(d, "display_name", "user"),
        role=_req_str(d, "role", "user"),
        district=_str(d, "district", "user", optional=True),
    )


def parse_tokens(data: Any) -> Tokens:
    d = _obj(data, "login reply")
    expires = d.get("expires_in")
    if isinstance(expires, bool) or not isinstance(expires, int | float) or not math.isfinite(expires) or expires <= 0:
        raise ProtocolError(f"login reply.expires_in: expected positive seconds, got {expires!r}")
    return Tokens(
        access_token=_req_str(d, "access_token", "login reply"),
        refresh_token=_req_str(d, "refresh_token", "login reply"),
        expires_in=float(expires),
        user=parse_user(d.get("user")),
    )


def parse_health(data: Any) -> Health:
    d = _obj(data, "health reply")
    if d.get("status") != "ok":
        raise ProtocolError(f"health reply.status: {d.get('status')!r}")
    return Health(epoch=_req_str(d, "epoch", "health reply"), server_time=_time(d, "server_time", "health reply"))


def parse_push(data: Any, sent: Sequence[Event]) -> PushReply:
    """Results must answer the sent events one for one, in the order sent."""
    d = _obj(data, "push reply")
    results_raw = d.get("results")
    if not isinstance(results_raw, list):
        raise ProtocolError("push reply.results: expected a list")
    if len(results_raw) != len(sent):
        raise ProtocolError(f"push reply has {len(results_raw)} results for {len(sent)} events")
    results: list[PushResult] = []
    for i, (raw, event) in enumerate(zip(results_raw, sent, strict=True)):
        what = f"push reply.results[{i}]"
        r = _obj(raw, what)
        if r.get("id") != event.id:
            raise ProtocolError(f"{what}.id: {r.get('id')!r} does not answer event {event.id}")
        status = r.get("status")
        if status == "accepted":
            seq = _int(r.get("hq_seq"), f"{what}.hq_seq", minimum=1)
            results.append(PushResult(event.id, True, seq, None, None))
        elif status == "rejected":
            reason = r.get("reason")
            code = r.get("code")
            if not isinstance(reason, str) or not reason.strip():
                reason = "HQ rejected this entry without giving a reason"
            if code is not None and not isinstance(code, str):
                code = None
            results.append(PushResult(event.id, False, None, reason[:2000], code))
        elif status == "held":
            reason = r.get("reason")
            if not isinstance(reason, str) or not reason.strip():
                reason = "held for review at HQ"
            results.append(PushResult(event.id, False, None, reason[:2000], "review", held=True))
        else:
            raise ProtocolError(f"{what}.status: {status!r} is not accepted, rejected or held")
    return PushReply(
        epoch=_req_str(d, "epoch", "push reply"), server_time=_time(d, "server_time", "push reply"), results=results
    )


def parse_verdicts(data: Any, asked: Sequence[str]) -> list[Verdict]:
    """The reply to ``POST /sync/held``: one verdict per id asked, in the order asked."""
    d = _obj(data, "held reply")
    raw = d.get("verdicts")
    if not isinstance(raw, list):
        raise ProtocolError("held reply.verdicts: expected a list")
    if len(raw) != len(asked):
        raise ProtocolError(f"held reply has {len(raw)} verdicts for {len(asked)} ids")
    out: list[Verdict] = []
    for i, (item, event_id) in enumerate(zip(raw, asked, strict=True)):
        what = f"held reply.verdicts[{i}]"
        v = _obj(item, what)
        if v.get("id") != event_id:
            raise ProtocolError(f"{what}.id: {v.get('id')!r} does not answer {event_id}")
        status = v.get("status")
        if status not in VERDICT_STATUSES:
            raise ProtocolError(f"{what}.status: {status!r}")
        seq = _int(v.get("hq_seq"), f"{what}.hq_seq", minimum=1) if status == "accepted" else None
        reason = v.get("reason")
        if status == "rejected" and (not isinstance(reason, str) or not reason.strip()):
            reason = "rejected at HQ's review without a reason"
        out.append(Verdict(event_id, str(status), seq, reason[:2000] if isinstance(reason, str) else None))
    return out


def parse_pull(data: Any) -> PullReply:
    d = _obj(data, "pull reply")
    epoch = _req_str(d, "epoch", "pull reply")
    cursor = _int(d.get("cursor"), "pull reply.cursor", minimum=0)
    has_more = d.get("has_more")
    if not isinstance(has_more, bool):
        raise ProtocolError("pull reply.has_more: expected true or false")
    raw_items = d.get("items")
    if not isinstance(raw_items, list):
        raise ProtocolError("pull reply.items: expected a list")
    items: list[PullItem] = []
    for i, raw in enumerate(raw_items):
        what = f"pull reply.items[{i}]"
        item = _obj(raw, what)
        kind = item.get("kind")
        if kind == "event":
            try:
                event = Event.from_wire(item.get("event"))
            except InvalidEvent as exc:
                raise ProtocolError(f"{what}: invalid event: {exc}") from None
            if event.hq_seq is None:
                raise ProtocolError(f"{what}: event {event.id} has no hq_seq")
            items.append(PullItem(event=event))
        elif kind == "revoke":
            items.append(PullItem(revoke_case_id=_uuid(item.get("case_id"), f"{what}.case_id")))
        else:
            raise ProtocolError(f"{what}.kind: unknown kind {kind!r}")
    # Cursor monotonicity is checked by ``check_cursor`` once the engine knows the epoch did not change
    # (a new epoch restarts HQ's numbering).
    return PullReply(
        epoch=epoch, server_time=_time(d, "server_time", "pull reply"), cursor=cursor, has_more=has_more, items=items
    )


def parse_pull_body(body: bytes) -> PullReply:
    """``parse_pull`` of a reply body as received (bytes): JSON first, then the same checks."""
    try:
        data = json.loads(body)
    except ValueError:
        raise ProtocolError("HQ's reply to GET /sync/pull is not JSON") from None
    return parse_pull(data)


def check_cursor(reply: PullReply, sent_cursor: int) -> None:
    """Within one epoch: the cursor never goes back, and a non-empty page moves it forward."""
    if reply.cursor < sent_cursor or (reply.items and reply.cursor == sent_cursor):
        raise ProtocolError(f"pull reply.cursor {reply.cursor} does not move on from {sent_cursor}")


def parse_error_body(data: Any) -> tuple[str | None, str]:
    """(code, detail) from an error body; tolerant, since it is only shown to people."""
    if isinstance(data, dict):
        code = data.get("code") if isinstance(data.get("code"), str) else None
        detail = data.get("detail")
        if isinstance(detail, str):
            return code, detail[:2000]
        if detail is not None:
            return code, str(detail)[:2000]
    return None, "no reason given"


def parse_report(kind: str, data: Any) -> Any:
    """HQ's reply to ``GET /reports/{kind}``: the ``core.reports`` type of that report."""
    obj = _obj(data, f"report {kind}")
    try:
        return from_json(kind, obj)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ProtocolError(f"HQ's {kind} report is malformed: {exc.__class__.__name__}: {exc}") from None
@dataclass(frozen=True)
class ConfirmedTestAlarm:
    """A human's answer on this console to "did everyone hear the test alarm?": sent with every
    heartbeat (``audio.test_alarm``) until the next answer, so a software check sent since does not
    hide it. ``at`` is when it was answered; ``by`` the operator's name."""

    heard: bool
    at: datetime
    by: str

    def to_wire(self) -> dict[str, Any]:
        return {"heard": self.heard, "at": iso(self.at), "by": self.by[:200]}


def parse_presence(data: Any) -> datetime:
    d = _obj(data, "presence reply")
    return _time(d, "server_time", "presence reply")


# ---- the HQ board (GET /board) --------------------------------------------------------------------
@dataclass(frozen=True)
class BoardConsole:
    device_id: str
    device_name: str
    user: str | None
    online: bool
    last_seen: datetime
    can_sound: bool
    audio_ok: bool | None
    audio_checked_at: datetime | None
    audio_detail: str | None
    test_heard: bool | None
    pending: int | None
    app_version: str | None
    test_confirmed_at: datetime | None = None  # when ``test_heard`` was answered (None: an older console)
    test_confirmed_by: str | None = None  # who answered, on that console


@dataclass(frozen=True)
class BoardDistrict:
    code: str
    name: str
    range: str | None
    severity: str
    open_cases: int
    by_step: dict[str, int]
    oldest_unack_at: datetime | None
    consoles: tuple[BoardConsole, ...]
    consoles_online: int
    consoles_can_sound: int
    alert_kind: str | None
    alert_since: datetime | None
    escalations: int
    escalated_cases: int
    last_escalation_step: str | None
    last_escalation_at: datetime | None


@dataclass(frozen=True)
class BoardMailbox:
    """One mailbox HQ reads Meta's alerts from: when the server last answered, when a run last ended
    well, the last error and when (``failing``: that error is newer than the last good run)."""

    mailbox: str
    last_contact_at: datetime | None
    last_fetch_at: datetime | None
    last_error: str | None
    last_error_at: datetime | None
    failing: bool


@dataclass(frozen=True)
class Board:
    as_of: datetime
    presence_timeout_s: int
    range: str | None
    ranges: tuple[str, ...]
    unrouted: int
    districts: tuple[BoardDistrict, ...]  # worst first, as HQ sorted them
    mailboxes: tuple[BoardMailbox, ...] = ()


def _opt_time(data: dict[str, Any], key: str, what: str) -> datetime | None:
    return None if data.get(key) is None else _time(data, key, what)


def _opt_bool(data: dict[str, Any], key: str, what: str) -> bool | None:
    value = data.get(key)
    if value is not None and not isinstance(value, bool):
        raise ProtocolError(f"{what}.{key}: expected true, false or null")
    return value


def _bool(data: dict[str, Any], key: str, what: str) -> bool:
    value = _opt_bool(data, key, what)
    if value is None:
        raise ProtocolError(f"{what}.{key}: expected true or false")
    return value


def _opt_text(data: dict[str, Any], key: str, what: str) -> str | None:
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        raise ProtocolError(f"{what}.{key}: expected text or null")
    return value


def _list(data: dict[str, Any], key: str, what: str) -> list[Any]:
    value = data.get(key)
    if not isinstance(value, list):
        raise ProtocolError(f"{what}.{key}: expected a list")
    return value


def _board_console(data: Any) -> BoardConsole:
    what = "board console"
    c = _obj(data, what)
    pending = c.get("pending")
    return BoardConsole(
        device_id=_req_str(c, "device_id", what),
        device_name=_opt_text(c, "device_name", what) or "",
        user=_opt_text(c, "user", what),
        online=_bool(c, "online", what),
        last_seen=_time(c, "last_seen", what),
        can_sound=_bool(c, "can_sound", what),
        audio_ok=_opt_bool(c, "audio_ok", what),
        audio_checked_at=_opt_time(c, "audio_checked_at", what),
        audio_detail=_opt_text(c, "audio_detail", what),
        test_heard=_opt_bool(c, "test_heard", what),
        pending=None if pending is None else _int(pending, f"{what}.pending", minimum=0),
        app_version=_opt_text(c, "app_version", what),
        test_confirmed_at=_opt_time(c, "test_confirmed_at", what),
        test_confirmed_by=_opt_text(c, "test_confirmed_by", what),
    )


def _board_district(data: Any) -> BoardDistrict:
    what = "board district"
    d = _obj(data, what)
    steps = _obj(d.get("by_step"), f"{what}.by_step")
    alert = d.get("alert")
    alert_obj = None if alert is None else _obj(alert, f"{what}.alert")
    esc = _obj(d.get("escalation"), f"{what}.escalation")
    return BoardDistrict(
        code=_req_str(d, "code", what),
        name=_req_str(d, "name", what),
        range=_opt_text(d, "range", what),
        severity=_req_str(d, "severity", what),
        open_cases=_int(d.get("open_cases"), f"{what}.open_cases", minimum=0),
        by_step={str(k): _int(v, f"{what}.by_step.{k}", minimum=0) for k, v in steps.items()},
        oldest_unack_at=_opt_time(d, "oldest_unack_at", what),
        consoles=tuple(_board_console(c) for c in _list(d, "consoles", what)),
        consoles_online=_int(d.get("consoles_online"), f"{what}.consoles_online", minimum=0),
        consoles_can_sound=_int(d.get("consoles_can_sound"), f"{what}.consoles_can_sound", minimum=0),
        alert_kind=None if alert_obj is None else _req_str(alert_obj, "kind", f"{what}.alert"),
        alert_since=None if alert_obj is None else _time(alert_obj, "since", f"{what}.alert"),
        escalations=_int(esc.get("count"), f"{what}.escalation.count", minimum=0),
        escalated_cases=_int(esc.get("cases"), f"{what}.escalation.cases", minimum=0),
        last_escalation_step=_opt_text(esc, "last_step", f"{what}.escalation"),
        last_escalation_at=_opt_time(esc, "last_at", f"{what}.escalation"),
    )


def _board_mailbox(data: Any) -> BoardMailbox:
    what = "board mailbox"
    m = _obj(data, what)
    return BoardMailbox(
        mailbox=_req_str(m, "mailbox", what),
        last_contact_at=_opt_time(m, "last_contact_at", what),
        last_fetch_at=_opt_time(m, "last_fetch_at", what),
        last_error=_opt_text(m, "last_error", what),
        last_error_at=_opt_time(m, "last_error_at", what),
        failing=_bool(m, "failing", what),
    )


def parse_board(data: Any) -> Board:
    what = "board reply"
    b = _obj(data, what)
    return Board(
        as_of=_time(b, "as_of", what),
        presence_timeout_s=_int(b.get("presence_timeout_s"), f"{what}.presence_timeout_s", minimum=0),
        range=_opt_text(b, "range", what),
        ranges=tuple(str(r) for r in _list(b, "ranges", what) if isinstance(r, str)),
        unrouted=_int(b.get("unrouted"), f"{what}.unrouted", minimum=0),
        districts=tuple(_board_district(d) for d in _list(b, "districts", what)),
        mailboxes=tuple(_board_mailbox(m) for m in (_list(b, "mailboxes", what) if "mailboxes" in b else [])),
    )


# ---- escalation policies (GET/PUT /escalation/policies/{district}) --------------------------------
@dataclass(frozen=True)
class EscalationPolicy:
    district: str  # a district's code, or ``core.escalation.DEFAULT_KEY`` for the state-wide default
    policy: Policy
    version: int  # 0: never stored (the built-in default)
    inherited: bool  # the district has none of its own: this is the state-wide default
    updated_at: datetime | None
    updated_by: str | None


def parse_policy(data: Any) -> EscalationPolicy:
    what = "escalation policy reply"
    d = _obj(data, what)
    try:
        policy = Policy.from_json(d.get("policy"))
    except PolicyError as exc:
        raise ProtocolError(f"{what}.policy: {exc}") from None
    return EscalationPolicy(
        district=_req_str(d, "district", what),
        policy=policy,
        version=_int(d.get("version"), f"{what}.version", minimum=0),
        inherited=_bool(d, "inherited", what),
        updated_at=_opt_time(d, "updated_at", what),
        updated_by=_opt_text(d, "updated_by", what),
    )


def parse_sla_policy(data: Any) -> SlaPolicy:
    """``GET /complaints/policy``: the complaint clock's policy in force at HQ."""
    try:
        return SlaPolicy.from_json(data)
    except SlaPolicyError as exc:
        raise ProtocolError(f"complaint clock policy reply: {exc}") from None


@dataclass(frozen=True)
class DutyContact:
    """An officer an escalation's notify step reaches (GET /escalation/contacts/{district})."""

    role: str
    name: str
    station: str | None
    phone: str | None
    email: str | None


def parse_contacts(data: Any) -> list[DutyContact]:
    what = "duty contacts reply"
    if not isinstance(data, list):
        raise ProtocolError(f"{what}: expected a list")
    out = []
    for item in data:
        c = _obj(item, what)
        out.append(
            DutyContact(
                role=_req_str(c, "role", what),
                name=_req_str(c, "name", what),
                station=_opt_text(c, "station", what),
                phone=_opt_text(c, "phone", what),
                email=_opt_text(c, "email", what),
            )
        )
    return out
