"""The escalation runner: HQ's worker that escalates a case nobody at the district has answered,
whether or not any console is open (``python -m hq serve`` starts one per worker process).

Each ``tick``:

1. **scan**: read the events stored since the last scan (``escalation_cursor``), fold each touched
   case and start or stop its escalations. A suicide-risk case assigned to a district and not
   acknowledged there starts an ``unacknowledged`` escalation; acknowledged but neither dispatched
   nor forwarded, a ``dispatch_overdue`` one whose first step waits the policy's M minutes after the
   acknowledgement. Starting copies the district's policy into the row (**snapshot**): an edit later
   changes only escalations that start later. A unique index (case, tier, trigger, assignment: the
   case's last ``assigned`` event) makes a second worker's start a no-op; every assignment (to a new
   district, or back to an earlier one) starts a fresh one.
2. **run due steps**: an escalation whose next step is due (or, in its first round, whose district has
   no console that can sound: ``silent_districts``) is **claimed** by a compare-and-set UPDATE that
   moves ``next_step`` from N to N+1; only the worker whose UPDATE changed the row runs step N, so two
   workers (two processes, two hosts on one PostgreSQL) never run a step twice. Right before the step,
   and before each notification in it, the case is read and folded again: an acknowledgement (or a
   dispatch, for ``dispatch_overdue``), a closure or a reassignment stops the escalation at once.
   A step is at most once: a worker that dies in the middle of a step leaves it half done, and the
   next step falls due ``STEP_LEASE_S`` later (``recover``).

Every step taken or skipped is an ``escalated`` event on the case, written through ``hq.feed.Batch``
like HQ's other events, so it reaches the consoles (a re-alarm rings them: ``core.events.realarm_tier``)
and the HQ board, with the step number, round, tier, trigger, channel, target and the channel's answer.
A channel failure is recorded and the next delivery and step still run.
"""

from __future__ import annotations

import json
import logging
import threading
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, and_, or_, select, update
from sqlalchemy.exc import IntegrityError

from core.commands import last_assignment
from core.events import Event, Tier, iso, parse_time, utcnow
from core.fold import CaseState, fold
from core.ids import new_id
from hq.channels import Channel
from hq.db import Database
from hq.escalation.complaint_breach import COMPLAINT_BREACH
from hq.escalation.policy import Policy, Trigger, next_due
from hq.escalation.steps import ESCALATION_AUTHOR, Escalation, StepTaker
from hq.escalation.store import StoredPolicy, policy_for
from hq.feed import case_history, event_from_row
from hq.presence import PRESENCE_ONLINE_S
from hq.schema import devices, districts, escalation_cursor, escalations, events, users

log = logging.getLogger(__name__)

SCAN_BATCH = 2000  # events read per scan; the rest wait for the next tick
DUE_BATCH = 200  # due steps run per tick
RECONCILE_CHUNK = 500  # cases whose histories are read and folded together
STEP_LEASE_S = 600  # a claimed step not finished after this long is given up (its worker died)
CURSOR_NAME = "events"


@dataclass
class TickReport:
    scanned: int = 0
    started: int = 0
    stopped: int = 0
    steps: int = 0
    lost_claims: int = 0
    events: list[str] = field(default_factory=list)


def _audible(audio: str | None) -> bool:
    try:
        data = json.loads(audio) if audio else None
    except ValueError:
        return False
    return isinstance(data, dict) and data.get("ok") is True


def silent_districts(conn: Connection, now: datetime) -> set[str]:
    """Districts none of whose consoles can sound now: none online (heard within
    ``PRESENCE_ONLINE_S``) with a working audio path in its last heartbeat."""
    cutoff = iso(now - timedelta(seconds=PRESENCE_ONLINE_S))
    audible: set[str] = set()
    rows = conn.execute(
        select(users.c.district, devices.c.audio)
        .select_from(devices.join(users, users.c.id == devices.c.user_id))
        .where(devices.c.last_seen >= cutoff, users.c.district.is_not(None))
    )
    for r in rows:
        if _audible(r.audio):
            audible.add(r.district)
    every = set(conn.execute(select(districts.c.code)).scalars())
    return every - audible


def pending_reason(state: CaseState, trigger: str, district: str | None) -> str | None:
    """Why the escalation must stop (the case no longer waits for what it escalates), or None.

    A complaint's breach is a fact once recorded: its notification goes out whatever the case does
    next (a late reply does not undo the miss), as long as the case exists."""
    if trigger == COMPLAINT_BREACH:
        return None if state.exists else "no such case"
    if not state.exists or not state.is_suicide_risk:
        return "not a suicide-risk case"
    if state.is_closed:
        return "the case is closed"
    if state.district != district:
        return f"the case was reassigned to {state.district}"
    if trigger == Trigger.UNACKNOWLEDGED:
        if state.acknowledged_at is not None:
            return f"acknowledged by {state.acknowledged_by}"
        return None
    if state.acknowledged_at is None:
        return "no longer acknowledged (reassigned)"
    if _dispatched(state):
        return "a team was dispatched or the case forwarded"
    return None


def _dispatched(state: CaseState) -> bool:
    return bool(state.dispatched_at or state.forwards or state.reached_at or state.outcome)


class EscalationRunner(StepTaker):
    """One worker's runner. ``tick()`` does one round (tests call it directly); ``start()`` runs it
    every ``tick_s`` on a thread of its own until ``stop()``. ``clock`` is injectable for tests."""

    def __init__(
        self,
        db: Database,
        channels: Mapping[str, Channel],
        *,
        worker_id: str | None = None,
        tick_s: float = 5.0,
        clock: Callable[[], datetime] = utcnow,
        receipt_url: str | None = None,
    ):
        self.db = db
        self.channels = dict(channels)
        self.worker_id = worker_id or f"worker-{uuid.uuid4().hex[:8]}"
        self.tick_s = tick_s
        self.clock = clock
        self.receipt_url = receipt_url
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # -- lifecycle ------------------------------------------------------------------------------

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name=f"escalation-{self.worker_id}", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        """Stop after the step in progress (a step is never cut in half by a clean stop)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.tick()
            except Exception:  # a database outage must not end the runner: log, wait, try again
                log.exception("escalation tick failed")
            self._stop.wait(self.tick_s)

    def tick(self) -> TickReport:
        report = TickReport()
        self.scan(report)
        self.recover()
        self.run_due(report)
        return report

    # -- 1. scan: start and stop escalations ------------------------------------------------------

    def scan(self, report: TickReport | None = None) -> None:
        report = report or TickReport()
        with self.db.reader() as conn:
            cursor = conn.execute(
                select(escalation_cursor.c.seq).where(escalation_cursor.c.name == CURSOR_NAME)
            ).scalar_one_or_none()
            seen = int(cursor or 0)
            rows = conn.execute(
                select(events.c.seq, events.c.case_id)
                .where(events.c.seq > seen)
                .order_by(events.c.seq)
                .limit(SCAN_BATCH)
            ).all()
        if not rows:
            return
        report.scanned += len(rows)
        touched = list(dict.fromkeys(r.case_id for r in rows))
        for i in range(0, len(touched), RECONCILE_CHUNK):
            self.reconcile(touched[i : i + RECONCILE_CHUNK], report)
        with self.db.transaction() as conn:
            last = int(rows[-1].seq)
            if cursor is None:
                try:
                    with conn.begin_nested():
                        conn.execute(escalation_cursor.insert().values(name=CURSOR_NAME, seq=last))
                except IntegrityError:
                    conn.execute(
                        update(escalation_cursor)
                        .where(escalation_cursor.c.name == CURSOR_NAME, escalation_cursor.c.seq < last)
                        .values(seq=last)
                    )
            else:
                conn.execute(
                    update(escalation_cursor)
                    .where(escalation_cursor.c.name == CURSOR_NAME, escalation_cursor.c.seq < last)
                    .values(seq=last)
                )

    def reconcile(self, case_ids: list[str], report: TickReport | None = None) -> None:
        """Start the escalations these cases need now and stop those they no longer need. Reads every
        case's history, its escalations and the policies in a few queries; inserts in one transaction."""
        report = report or TickReport()
        now = self.clock()
        histories: dict[str, list[Event]] = {c: [] for c in case_ids}
        with self.db.reader() as conn:
            for r in conn.execute(
                select(events.c.seq, events.c.case_id, events.c.content)
                .where(events.c.case_id.in_(case_ids))
                .order_by(events.c.seq)
            ):
                histories[r.case_id].append(event_from_row(r.content, r.seq))
            mine = list(conn.execute(select(escalations).where(escalations.c.case_id.in_(case_ids))))
            states = {c: fold(c, h) for c, h in histories.items()}
            policies = {d: policy_for(conn, d) for d in {s.district for s in states.values() if s.district}}
        exists = {(r.case_id, r.tier, r.trigger, r.assignment) for r in mine}
        for esc in map(Escalation.from_row, (r for r in mine if r.status == "running")):
            reason = pending_reason(states[esc.case_id], esc.trigger, esc.district)
            if reason is not None and self._stop_escalation(esc, reason, now):
                report.stopped += 1
        rows = []
        for case_id, state in states.items():
            assignment = last_assignment(histories[case_id]) or ""
            for trigger, since in _wanted(state, now).items():
                if (case_id, str(Tier.DISTRICT), str(trigger), assignment) in exists:
                    continue
                assert state.district is not None
                stored = policies[state.district]
                rows.append(self._new_row(case_id, state.district, assignment, trigger, since, stored, now))
        if not rows:
            return
        try:
            with self.db.transaction() as conn:
                conn.execute(escalations.insert(), rows)
            report.started += len(rows)
        except IntegrityError:  # another worker started some of them meanwhile: one by one
            for row in rows:
                try:
                    with self.db.transaction() as conn:
                        conn.execute(escalations.insert().values(**row))
                    report.started += 1
                except IntegrityError:
                    pass

    @staticmethod
    def _new_row(
        case_id: str,
        district: str,
        assignment: str,
        trigger: Trigger,
        since: datetime,
        stored: StoredPolicy,
        now: datetime,
    ) -> dict[str, Any]:
        base = since
        if trigger is Trigger.DISPATCH_OVERDUE:
            base = since + timedelta(minutes=stored.policy.dispatch_overdue_min)
        plan = stored.policy.plan()
        return {
            "id": new_id(),
            "case_id": case_id,
            "tier": str(Tier.DISTRICT),
            "trigger": str(trigger),
            "district": district,
            "assignment": assignment,
            "snapshot": stored.policy.dumps(),
            "policy_version": stored.version,
            "started_at": iso(since),
            "last_step_at": iso(base),
            "next_step": 0,
            "next_due_at": _iso_or_none(next_due(plan, 0, base, skip_first_round_waits=False)),
            "first_round": True,
            "status": "running",
            "stop_reason": None,
            "claimed_by": None,
            "updated_at": iso(now),
        }

    def _stop_escalation(self, esc: Escalation, reason: str, now: datetime) -> bool:
        with self.db.transaction() as conn:
            done = conn.execute(
                update(escalations)
                .where(escalations.c.id == esc.id, escalations.c.status == "running")
                .values(status="stopped", stop_reason=reason[:500], next_due_at=None, updated_at=iso(now))
            ).rowcount
        if done == 1 and esc.next_step > 0:
            # Steps were taken: the case's log says why the rest will not be.
            plan = Policy.loads(esc.snapshot).plan()
            nxt = plan[esc.next_step] if esc.next_step < len(plan) else None
            self._write_event(
                esc.case_id,
                self._payload(esc, nxt, reason=f"Escalation stopped: {reason}", result="stopped"),
            )
        return done == 1

    # -- 2. due steps -----------------------------------------------------------------------------

    def recover(self) -> None:
        """Give up a step whose worker died mid-way (claimed, never finished): the next one falls due."""
        now = self.clock()
        with self.db.transaction() as conn:
            conn.execute(
                update(escalations)
                .where(
                    escalations.c.status == "running",
                    escalations.c.next_due_at.is_(None),
                    escalations.c.updated_at < iso(now - timedelta(seconds=STEP_LEASE_S)),
                )
                .values(next_due_at=iso(now), last_step_at=iso(now), updated_at=iso(now))
            )

    def due(self, conn: Connection, now: datetime, silent: set[str]) -> list[Any]:
        """Running escalations whose next step may be due (``run_one`` checks each exactly)."""
        cond = escalations.c.next_due_at <= iso(now)
        if silent:
            cond = or_(
                cond,
                and_(
                    escalations.c.first_round.is_(True),
                    escalations.c.trigger == str(Trigger.UNACKNOWLEDGED),
                    escalations.c.district.in_(sorted(silent)),
                ),
            )
        q = (
            select(escalations)
            .where(escalations.c.status == "running", escalations.c.next_due_at.is_not(None), cond)
            .order_by(escalations.c.next_due_at)
            .limit(DUE_BATCH)
        )
        return list(conn.execute(q))

    def run_due(self, report: TickReport | None = None) -> None:
        report = report or TickReport()
        now = self.clock()
        with self.db.reader() as conn:
            silent = silent_districts(conn, now)
            rows = self.due(conn, now, silent)
        for row in rows:
            # A step whose wait is zero follows the one before in the same tick, not a tick later.
            esc: Escalation | None = Escalation.from_row(row)
            while esc is not None and not self._stop.is_set() and self.run_one(esc, silent, report):
                esc = self._reread(esc.id)
            if self._stop.is_set():
                return

    def _reread(self, escalation_id: str) -> Escalation | None:
        with self.db.reader() as conn:
            row = conn.execute(
                select(escalations).where(escalations.c.id == escalation_id, escalations.c.status == "running")
            ).first()
        return Escalation.from_row(row) if row is not None else None

    def run_one(self, esc: Escalation, silent: set[str], report: TickReport) -> bool:
        """Take ``esc``'s next step if it is due and this worker wins the claim; True if it took it."""
        plan = Policy.loads(esc.snapshot).plan()
        n = esc.next_step
        now = self.clock()
        is_silent = esc.district in silent and esc.trigger == Trigger.UNACKNOWLEDGED
        due = next_due(plan, n, parse_time(esc.last_step_at), skip_first_round_waits=is_silent)
        if due is None or due > now:
            return False
        with self.db.transaction() as conn:  # the claim: only one worker moves next_step from n
            claimed = conn.execute(
                update(escalations)
                .where(escalations.c.id == esc.id, escalations.c.status == "running", escalations.c.next_step == n)
                .values(next_step=n + 1, next_due_at=None, claimed_by=self.worker_id, updated_at=iso(now))
            ).rowcount
        if claimed != 1:
            report.lost_claims += 1
            return False
        step = plan[n]
        reason = self._still_pending(esc)
        if reason is not None:
            self._stop_escalation(esc, reason, now)
            report.stopped += 1
            return False
        report.steps += 1
        self._take(esc, step, silent=is_silent)
        done_at = self.clock()
        following = next_due(plan, n + 1, done_at, skip_first_round_waits=False)
        with self.db.transaction() as conn:
            conn.execute(
                update(escalations)
                .where(escalations.c.id == esc.id, escalations.c.status == "running", escalations.c.next_step == n + 1)
                .values(
                    last_step_at=iso(done_at),
                    next_due_at=_iso_or_none(following),
                    first_round=n + 1 < len(plan) and plan[n + 1].round == 1,
                    status="running" if following is not None else "done",
                    updated_at=iso(done_at),
                )
            )
        return True

    def _still_pending(self, esc: Escalation) -> str | None:
        with self.db.reader() as conn:
            state = fold(esc.case_id, case_history(conn, esc.case_id))
        return pending_reason(state, esc.trigger, esc.district)


def _wanted(state: CaseState, now: datetime) -> dict[Trigger, datetime]:
    """The escalations a case needs now, each with the moment it counts from."""
    if not (state.exists and state.is_suicide_risk and not state.is_closed and state.district):
        return {}
    if state.acknowledged_at is None:
        return {Trigger.UNACKNOWLEDGED: now}
    if not _dispatched(state):
        return {Trigger.DISPATCH_OVERDUE: min(_time_or(state.acknowledged_at, now), now)}
    return {}


def _time_or(value: str | None, default: datetime) -> datetime:
    try:
        return parse_time(value) if value else default
    except ValueError:
        return default


def _iso_or_none(value: datetime | None) -> str | None:
    return iso(value) if value is not None else None


def running_escalations(db: Database, case_ids: Iterable[str] | None = None) -> list[dict[str, Any]]:
    """Escalation rows (for the CLI and tests), newest first."""
    with db.reader() as conn:
        q = select(escalations).order_by(escalations.c.started_at.desc())
        if case_ids is not None:
            q = q.where(escalations.c.case_id.in_(list(case_ids)))
        return [dict(r._mapping) for r in conn.execute(q)]


__all__ = [
    "ESCALATION_AUTHOR",
    "EscalationRunner",
    "TickReport",
    "pending_reason",
    "running_escalations",
    "silent_districts",
]
