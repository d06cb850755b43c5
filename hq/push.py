"""Push: a console's batch of events, each accepted, rejected or held for review on its own.

The order of the checks is docs/HQ.md's "Push: what HQ accepts": schema, rights (device, author,
``created``/``assigned``, tier), then inside the writer lock idempotency, the case (a pushed
``created`` passes intake's checks, ``hq.intake.admit_case``), scope (``hq.scope``) and state
refusals. Events of earlier operators of the console are judged by their own rights too
(``hq.authors``); a disabled author's work goes to the review queue (``hq.review``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from core.errors import InvalidEvent
from core.events import HQ_ONLY_TIP_EVENTS, Event, EventType
from hq.audit import AUDIT_CASE_IDS_MAX, write_audit
from hq.authors import EarlierOperator, earlier_operators, on_behalf_audit
from hq.db import Database
from hq.errors import Conflict, Invalid, TooLarge
from hq.feed import Batch, load_cases
from hq.intake import DuplicateAlert, admit_case
from hq.principals import Action, Principal, Role, require, require_own_device
from hq.review import NEVER_HELD, REVIEW_ACCEPTED, REVIEW_HELD, REVIEW_REJECTED, review_row
from hq.schema import events, review_queue
from hq.scope import ROUTERS, in_scope, state_refusal, tier_refusal

MAX_PUSH_EVENTS = 500
# The code of a pushed ``created`` refused as the twin of a case HQ holds (the reason names that case).
DUPLICATE = "duplicate"


@dataclass(frozen=True)
class PushResult:
    id: str | None
    status: str
    hq_seq: int | None = None
    reason: str | None = None
    code: str | None = None

    def to_wire(self) -> dict[str, Any]:
        return {"id": self.id, "status": self.status, "hq_seq": self.hq_seq, "reason": self.reason, "code": self.code}


def _rejected(event_id: str | None, code: str, reason: str) -> PushResult:
    return PushResult(event_id, "rejected", None, reason, code)


def push(db: Database, p: Principal, device_id: str, raw_events: Sequence[Any]) -> list[PushResult]:
    """Store a batch of a device's events. Each is accepted or rejected on its own (see PROTOCOL.md).

    HQ accepts every valid event the fold can absorb, even where a local command would now refuse it
    (an outcome recorded offline after another console closed the case): refusing it would lose field
    data. For the same reason a console may push the events of an earlier operator of the console
    (shift change: A recorded offline, B signed in): an event by another author is accepted when it
    was made on this device and that author has signed in on this device, is active, and could have
    written the event themselves. Pushing on someone's behalf never widens what may be written: the
    event must be within the caller's rights too.

    Refused outright: events made on another device, authors who never signed in on this device or
    are disabled, cases outside the author's (or the caller's) district, ``created`` but from HQ
    operators, ``assigned`` but from HQ operators and a DIG (a tip of its range, within the range),
    and corrections whose target is not an amendable entry of the same case.

    A ``created`` from an HQ operator's console (manual intake, made offline too) opens the case as
    intake would (``admit_case``): a twin of a case HQ already holds (same upstream reference) is
    counted on that case and refused with code ``duplicate`` and a reason naming it.
    """
    require(p, Action.PUSH)
    require_own_device(p, device_id)
    if len(raw_events) > MAX_PUSH_EVENTS:
        raise TooLarge(f"at most {MAX_PUSH_EVENTS} events per push")
    results: list[PushResult | None] = [None] * len(raw_events)
    parsed: list[tuple[int, Event]] = []
    for i, raw in enumerate(raw_events):
        raw_id = raw.get("id") if isinstance(raw, dict) and isinstance(raw.get("id"), str) else None
        try:
            if isinstance(raw, dict) and raw.get("hq_seq") is not None:  # HQ's number: PROTOCOL.md, Push
                raise InvalidEvent("event.hq_seq: HQ numbers events; push them without hq_seq")
            parsed.append((i, Event.from_wire(raw)))
        except InvalidEvent as exc:
            results[i] = _rejected(raw_id, "invalid", str(exc))
    foreign = {e.author_id for _, e in parsed if e.author_id != p.actor and e.device_id == p.device_id}
    earlier = earlier_operators(db, p, foreign) if foreign else {}
    # Each candidate's author, for the scope check: the caller, or an earlier operator of the device.
    authors: dict[str, Principal] = {}
    held_candidates: dict[str, EarlierOperator] = {}  # event id -> its author, whose events go to review
    candidates: list[tuple[int, Event]] = []
    for i, event in parsed:
        if event.device_id != p.device_id:
            results[i] = _rejected(event.id, "forbidden", "the event was not made on this device")
            continue
        author = p if event.author_id == p.actor else earlier[event.author_id].principal
        if author is None and earlier[event.author_id].hold_cause and event.type not in NEVER_HELD:
            held_candidates[event.id] = earlier[event.author_id]
            candidates.append((i, event))
        elif author is None:
            results[i] = _rejected(event.id, "forbidden", earlier[event.author_id].refusal)
        elif event.type is EventType.CREATED and not (p.role is author.role is Role.HQ_OPERATOR):
            results[i] = _rejected(event.id, "forbidden", "only HQ operators create cases")
        elif event.type in HQ_ONLY_TIP_EVENTS:
            results[i] = _rejected(event.id, "forbidden", "tip line entries are made only at HQ")
        elif event.type is EventType.ASSIGNED and not (p.role is author.role and p.role in ROUTERS):
            results[i] = _rejected(event.id, "forbidden", "only HQ assigns cases to districts")
        elif refusal := tier_refusal(event, author):
            results[i] = _rejected(event.id, "forbidden", refusal)
        else:
            authors[event.id] = author
            candidates.append((i, event))

    accepted = 0
    on_behalf: dict[str, list[str]] = defaultdict(list)
    with db.writer() as conn:
        ids = [e.id for _, e in candidates]
        known: dict[str, tuple[int, str]] = {}
        if ids:
            for r in conn.execute(select(events.c.id, events.c.seq, events.c.content).where(events.c.id.in_(ids))):
                known[r.id] = (r.seq, r.content)
        reviewed: dict[str, Any] = {}
        if held_candidates:
            for r in conn.execute(select(review_queue).where(review_queue.c.event_id.in_(sorted(held_candidates)))):
                reviewed[r.event_id] = r
        case_rows = load_cases(conn, [e.case_id for _, e in candidates])
        batch = Batch.open(conn)
        batch_types: dict[str, tuple[EventType, str]] = {}
        review_rows: list[dict[str, Any]] = []
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
            if event.id in reviewed:  # pushed again (a lost reply, a second console sign-in): same answer
                results[i] = _review_answer(event.id, reviewed[event.id], content)
                continue
            if event.type is EventType.CREATED:  # never held (NEVER_HELD): only an HQ operator gets here
                try:
                    case_rows[event.case_id] = admit_case(conn, p, event, via="push")
                except DuplicateAlert as dup:
                    results[i] = _rejected(event.id, DUPLICATE, str(dup))
                    continue
                except (Invalid, Conflict) as exc:
                    results[i] = _rejected(event.id, "refused", exc.detail)
                    continue
            case = case_rows.get(event.case_id)
            if case is None:
                results[i] = _rejected(event.id, "unknown_case", "HQ has no such case")
                continue
            hold = held_candidates.get(event.id)
            if hold is not None:
                if hold.held_as is not None and not in_scope(conn, hold.held_as, case, event):
                    results[i] = _rejected(event.id, "forbidden", "the case is not in the author's district")
                elif not in_scope(conn, p, case, event):
                    results[i] = _rejected(event.id, "forbidden", "the case is not in your district")
                elif refusal := state_refusal(conn, event, batch_types):
                    results[i] = _rejected(event.id, "refused", refusal)
                else:
                    note = f"{hold.refusal}: held for review at HQ"
                    assert hold.hold_cause is not None
                    review_rows.append(review_row(event, content, hold.hold_cause, note, p))
                    reviewed[event.id] = None
                    results[i] = PushResult(event.id, "held", None, note, "review")
                continue
            author = authors[event.id]
            if author is not p and not in_scope(conn, author, case, event):
                results[i] = _rejected(event.id, "forbidden", "the case is not in the author's district")
                continue
            if not in_scope(conn, p, case, event):
                results[i] = _rejected(event.id, "forbidden", "the case is not in your district")
                continue
            refusal = state_refusal(conn, event, batch_types)
            if refusal:
                results[i] = _rejected(event.id, "refused", refusal)
                continue
            seq = batch.add(event, case)
            known[event.id] = (seq, content)
            batch_types[event.id] = (event.type, event.case_id)
            results[i] = PushResult(event.id, "accepted", seq)
            accepted += 1
            if author is not p:
                on_behalf[event.author_id].append(event.id)
        batch.flush(db)
        if review_rows:
            conn.execute(review_queue.insert(), review_rows)
        final = [r for r in results if r is not None]
        detail: dict[str, Any] = {
            "events": len(raw_events),
            "stored": accepted,
            "rejected": [{"id": r.id, "code": r.code} for r in final if r.status == "rejected"][:AUDIT_CASE_IDS_MAX],
        }
        if review_rows:
            detail["held_for_review"] = [
                {"id": r["event_id"], "author_id": r["author_id"], "cause": r["cause"]} for r in review_rows
            ][:AUDIT_CASE_IDS_MAX]
        if foreign:
            rejected_ids = {r.id for r in final if r.status == "rejected"}
            detail["on_behalf_of"] = on_behalf_audit(earlier, on_behalf, parsed, rejected_ids)
        write_audit(conn, p, "push", "ok", detail=detail)
    return [r for r in results if r is not None]


def _review_answer(event_id: str, row: Any, content: str) -> PushResult:
    """The push result for an event already in the review queue (the same event pushed again);
    ``row`` None: it was put there earlier in this very push."""
    if row is None:
        return PushResult(event_id, "held", None, "held for review at HQ", "review")
    if row.content != content:
        return _rejected(event_id, "conflict", "an event with this id but other content is held for review")
    if row.status == REVIEW_HELD:
        return PushResult(event_id, "held", None, row.note, "review")
    if row.status == REVIEW_ACCEPTED:
        return PushResult(event_id, "accepted", row.hq_seq)
    return _rejected(event_id, "review_rejected", row.decision_reason or "rejected at HQ's review")


def held_verdicts(db: Database, p: Principal, device_id: str, event_ids: Sequence[str]) -> list[dict[str, Any]]:
    """What became of events this device pushed that HQ held for review: ``held`` (undecided),
    ``accepted`` (``hq_seq``), ``rejected`` (the supervisor's ``reason``) or ``unknown`` (push it again).
    Only this device's events are answered; any other id is ``unknown``."""
    require(p, Action.PUSH)
    require_own_device(p, device_id)
    if len(event_ids) > MAX_PUSH_EVENTS:
        raise TooLarge(f"at most {MAX_PUSH_EVENTS} ids per request")
    ids = sorted(set(event_ids))
    with db.reader() as conn:
        rows = {
            r.event_id: r
            for r in conn.execute(
                select(review_queue).where(review_queue.c.event_id.in_(ids), review_queue.c.device_id == device_id)
            )
        }
        stored = dict(
            conn.execute(select(events.c.id, events.c.seq).where(events.c.id.in_(ids), events.c.device_id == device_id))
            .tuples()
            .all()
        )
    out = []
    for event_id in event_ids:
        row = rows.get(event_id)
        if event_id in stored and (row is None or row.status != REVIEW_REJECTED):
            out.append({"id": event_id, "status": "accepted", "hq_seq": int(stored[event_id]), "reason": None})
        elif row is None:
            out.append({"id": event_id, "status": "unknown", "hq_seq": None, "reason": None})
        elif row.status == REVIEW_REJECTED:
            out.append({"id": event_id, "status": "rejected", "hq_seq": None, "reason": row.decision_reason})
        else:
            out.append({"id": event_id, "status": "held", "hq_seq": None, "reason": row.note})
    return out


__all__ = ["DUPLICATE", "MAX_PUSH_EVENTS", "PushResult", "held_verdicts", "push"]
