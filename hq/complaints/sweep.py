"""The SLA sweep: HQ records each complaint's warnings and breaches once (``core.sla.marks_due``).

Run every minute by the complaints worker (``hq.connectors.worker``). It looks only at complaints
whose ``complaint_items.next_check_at`` has come (the earliest time their clock can change state),
so its cost follows the deadlines falling due, not the number of open complaints. Each case is
evaluated inside the writer lock from its stored history, so two HQ workers sweeping at once record
a mark once: the second sees the first's event in the history.

``next_check_at`` is set to the next warning or due time of the case's open deadlines (at most
``RECHECK_MAX_MIN`` ahead, so an event stored by another path, a console's categorisation that
shortens the clock, is seen within that bound; each case's bound is spread between half and all of
it, so a catch-up's cases do not all come due again in the same minute); NULL once nothing is left
to watch.

**Escalation hook.** Every breach recorded calls each function registered with ``on_breach``, inside
the same transaction, with the connection, the case id and the ``core.sla.Mark``. HQ's escalation
engine registers itself there to escalate the breach to the supervisor; a hook that raises rolls the
breach back, and the next sweep tries again.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Connection, select, update

from core.complaints import complaint_view
from core.events import EventType, iso, utcnow
from core.sla import ClockFacts, DeadlineState, Mark, SlaPolicy, deadlines, marks_due
from hq.complaints.take import CITIZEN_REPLY
from hq.complaints.write import SYSTEM, append
from hq.db import Database
from hq.feed import case_history
from hq.schema import complaint_items

log = logging.getLogger(__name__)

RECHECK_MAX_MIN = 15
SWEEP_BATCH = 200

BreachHook = Callable[[Connection, str, Mark], None]
_BREACH_HOOKS: list[BreachHook] = []


def on_breach(hook: BreachHook) -> BreachHook:
    """Register ``hook`` to be called for every breach recorded (the escalation engine's entry)."""
    if hook not in _BREACH_HOOKS:
        _BREACH_HOOKS.append(hook)
    return hook


def remove_breach_hook(hook: BreachHook) -> None:
    if hook in _BREACH_HOOKS:
        _BREACH_HOOKS.remove(hook)


@dataclass
class SweepResult:
    evaluated: int = 0
    warned: int = 0
    breached: int = 0
    marks: list[tuple[str, str, str]] = field(default_factory=list)  # (case id, event type, deadline)


def sweep(db: Database, policy: SlaPolicy, now: datetime | None = None) -> SweepResult:
    """Evaluate every complaint whose check time has come; record what is due."""
    now = now or utcnow()
    result = SweepResult()
    with db.reader() as conn:
        due = list(
            conn.execute(
                select(complaint_items.c.case_id)
                .where(complaint_items.c.item != CITIZEN_REPLY, complaint_items.c.next_check_at <= iso(now))
                .order_by(complaint_items.c.next_check_at)
            ).scalars()
        )
    for start in range(0, len(due), SWEEP_BATCH):
        with db.writer() as conn:
            for case_id in due[start : start + SWEEP_BATCH]:
                _sweep_case(conn, db, case_id, policy, now, result)
    return result


def _sweep_case(
    conn: Connection, db: Database, case_id: str, policy: SlaPolicy, now: datetime, out: SweepResult
) -> None:
    history = case_history(conn, case_id)
    view = complaint_view(case_id, history)
    out.evaluated += 1
    marks = marks_due(view.facts, policy, now)
    if marks:
        append(conn, db, case_id, [(m.type, m.payload()) for m in marks], SYSTEM, now=now)
        for m in marks:
            out.marks.append((case_id, str(m.type), str(m.deadline.kind)))
            if m.type is EventType.SLA_BREACHED:
                out.breached += 1
                for hook in list(_BREACH_HOOKS):
                    hook(conn, case_id, m)
            else:
                out.warned += 1
    conn.execute(
        update(complaint_items)
        .where(complaint_items.c.case_id == case_id, complaint_items.c.item != CITIZEN_REPLY)
        .values(next_check_at=_next_check(case_id, view.facts, policy, now))
    )


def _recheck_s(case_id: str) -> float:
    """The re-check bound of one case: between half and all of ``RECHECK_MAX_MIN``, fixed per case,
    so that complaints evaluated in the same run (a catch-up) do not all come due in one later run."""
    spread = int(hashlib.sha256(case_id.encode()).hexdigest()[:4], 16) / 0xFFFF
    return RECHECK_MAX_MIN * 60 * (0.5 + spread / 2)


def _next_check(case_id: str, facts: ClockFacts, policy: SlaPolicy, now: datetime) -> str | None:
    """When the case's clock next changes state (capped at ``_recheck_s``); None: never."""
    times = []
    for d in deadlines(facts, policy):
        state = d.state(now)
        if state is DeadlineState.RUNNING:
            times.append(d.warn_at)
        elif state is DeadlineState.WARNING:
            times.append(d.due_at)
    if not times:
        return None
    return iso(min(min(times), now + timedelta(seconds=_recheck_s(case_id))))


__all__ = ["RECHECK_MAX_MIN", "BreachHook", "SweepResult", "on_breach", "remove_breach_hook", "sweep"]
