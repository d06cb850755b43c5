"""The replicas repair an HQ restored from an older backup (``POST /api/v1/sync/repair``).

After an epoch change each console hands back the events HQ wrote itself that it holds and HQ no
longer has (``created``, ``assigned``: the console knows them because the new epoch's feed did not
number them again). HQ reinstates an event only if HQ's own signature on it verifies with a trusted
key (``hq.signing``): nothing a console says is taken on its word. Reinstated in causal order: a
``created`` re-creates the case with its ``upstream_ref`` (so intake sees it and a re-sent alert is
counted as a duplicate, not made a twin); an ``assigned`` routes the case again (the old district's
feed gets a revoke, the new one the whole history), exactly as when HQ first wrote it. The consoles'
own events on those cases then come back through the ordinary push.

Events of other consoles that a console holds (a peer's work, accepted before the restore) are not
taken here: HQ never signed them, and a console relaying another console's event cannot prove who
made it (an acknowledgement that silences an alarm must not be forgeable by any signed-in device).
Their author's own console re-sends them under its own session (the epoch change requeues every
event of a device), where the ordinary push rules judge them.

What HQ cannot reinstate is refused with a code and a reason, written to the audit (action
``repair``, outcome ``refused``) and listed by ``hq admin repair-refused``; the console keeps the
case and shows it as needing a decision.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import and_, select

from core.errors import InvalidEvent
from core.events import Event, EventType
from hq import signing
from hq.audit import write_audit
from hq.db import Database
from hq.errors import Forbidden, TooLarge
from hq.feed import Batch, CaseRow, load_cases
from hq.principals import Action, Principal, require
from hq.push import MAX_PUSH_EVENTS, PushResult, _rejected
from hq.schema import audit, cases, districts, events

REPAIRABLE = frozenset({EventType.CREATED, EventType.ASSIGNED})
REFUSED_LIST_MAX = 500


def _order(event: Event) -> tuple[int, str, str]:
    """Causal order: a case's ``created`` before anything else of it, then clock order."""
    return (0 if event.type is EventType.CREATED else 1, event.hlc, event.id)


def repair(db: Database, p: Principal, device_id: str, raw_events: Sequence[Any]) -> list[PushResult]:
    """Reinstate the HQ-signed events a console hands back; one result per event, in the order sent."""
    require(p, Action.PUSH)
    if device_id != p.device_id:
        raise Forbidden("device_id is not the device this session signed in on")
    if len(raw_events) > MAX_PUSH_EVENTS:
        raise TooLarge(f"at most {MAX_PUSH_EVENTS} events per request")
    keys = signing.current()
    results: list[PushResult | None] = [None] * len(raw_events)
    candidates: list[tuple[int, Event]] = []
    case_of: dict[str, str] = {}  # event id -> case id, for the audit of refusals
    for i, raw in enumerate(raw_events):
        raw_id = raw.get("id") if isinstance(raw, dict) and isinstance(raw.get("id"), str) else None
        try:
            if isinstance(raw, dict):
                raw = {k: v for k, v in raw.items() if k != "hq_seq"}  # the old epoch's number means nothing here
            event = Event.from_wire(raw)
        except InvalidEvent as exc:
            results[i] = _rejected(raw_id, "invalid", str(exc))
            continue
        case_of[event.id] = event.case_id
        if event.type not in REPAIRABLE:
            results[i] = _rejected(event.id, "not_hq_event", "only events HQ wrote itself are reinstated")
        elif not keys.verify(event):
            results[i] = _rejected(event.id, "bad_signature", "HQ's signature on the event does not verify")
        else:
            candidates.append((i, event))
    candidates.sort(key=lambda c: _order(c[1]))
    reinstated: list[dict[str, str]] = []
    with db.writer() as conn:
        ids = [e.id for _, e in candidates]
        known: dict[str, tuple[int, str]] = {}
        if ids:
            for r in conn.execute(select(events.c.id, events.c.seq, events.c.content).where(events.c.id.in_(ids))):
                known[r.id] = (r.seq, r.content)
        case_rows = load_cases(conn, [e.case_id for _, e in candidates])
        last_assigned = _last_assigned_hlc(conn, list(case_rows))
        batch = Batch.open(conn)
        for i, event in candidates:
            content = event.content_key()
            if event.id in known:
                seq, stored = known[event.id]
                results[i] = (
                    PushResult(event.id, "accepted", seq)
                    if stored == content
                    else _rejected(event.id, "conflict", "an event with this id but other content is already stored")
                )
                continue
            refusal = _refusal(conn, event, case_rows, last_assigned)
            if refusal is not None:
                results[i] = _rejected(event.id, *refusal)
                continue
            if event.type is EventType.CREATED:
                conn.execute(
                    cases.insert().values(
                        id=event.case_id,
                        upstream_ref=event.payload.get("upstream_ref"),
                        district=None,
                        police_station=None,
                        duplicates=0,
                        created_at=event.wall_time,
                    )
                )
                case_rows[event.case_id] = CaseRow(event.case_id, None, None)
            else:
                last_assigned[event.case_id] = event.hlc
            seq = batch.add(event, case_rows[event.case_id])
            batch.event_rows[-1]["signature"] = event.signature  # verified above: kept as HQ signed it
            known[event.id] = (seq, content)
            results[i] = PushResult(event.id, "accepted", seq)
            reinstated.append({"id": event.id, "type": str(event.type), "case_id": event.case_id})
        batch.flush(db)
        final = [r for r in results if r is not None]
        for res in final:
            if res.status == "rejected":
                write_audit(
                    conn, p, "repair", "refused", case_id=case_of.get(res.id or ""),
                    detail={"event_id": res.id, "code": res.code, "reason": res.reason},
                )  # fmt: skip
        write_audit(
            conn, p, "repair", "ok",
            detail={"events": len(raw_events), "reinstated": reinstated[:100], "refused": len(final) - len(reinstated)},
        )  # fmt: skip
    return [r for r in results if r is not None]


def _last_assigned_hlc(conn: Any, case_ids: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    if not case_ids:
        return out
    rows = conn.execute(
        select(events.c.case_id, events.c.hlc).where(
            and_(events.c.case_id.in_(case_ids), events.c.type == str(EventType.ASSIGNED))
        )
    )
    for r in rows:
        if r.hlc > out.get(r.case_id, ""):
            out[r.case_id] = r.hlc
    return out


def _refusal(
    conn: Any, event: Event, case_rows: dict[str, CaseRow], last_assigned: dict[str, str]
) -> tuple[str, str] | None:
    """Why ``event`` cannot be reinstated (code, reason), or None."""
    if event.type is EventType.CREATED:
        if event.case_id in case_rows:
            return ("conflict", "HQ holds this case with another creation event")
        ref = event.payload.get("upstream_ref")
        twin = conn.execute(select(cases.c.id).where(cases.c.upstream_ref == ref)).scalar() if ref else None
        if twin is not None:
            return ("twin", f"HQ made case {twin} from the same alert since the restore: a supervisor must decide")
        return None
    if event.case_id not in case_rows:
        return ("unknown_case", "HQ has no such case and was not handed its creation")
    if event.hlc <= last_assigned.get(event.case_id, ""):
        return ("superseded", "HQ has routed this case since; the older assignment is not applied again")
    district = str(event.payload["district"])
    if conn.execute(select(districts.c.code).where(districts.c.code == district)).first() is None:
        return ("unknown_district", f"district {district!r} no longer exists at HQ")
    return None


def refused_list(db: Database, limit: int = REFUSED_LIST_MAX) -> list[dict[str, Any]]:
    """What consoles handed back that HQ could not reinstate, newest first: cases needing a decision."""
    with db.reader() as conn:
        rows = conn.execute(
            select(audit.c.at, audit.c.username, audit.c.device_id, audit.c.case_id, audit.c.detail)
            .where(and_(audit.c.action == "repair", audit.c.outcome == "refused"))
            .order_by(audit.c.id.desc())
            .limit(limit)
        ).all()
    return [
        {"at": r.at, "username": r.username, "device_id": r.device_id, "case_id": r.case_id}
        | json.loads(r.detail or "{}")
        for r in rows
    ]
