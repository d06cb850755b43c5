"""A complaint's missed deadline escalated to the supervisor through HQ's escalation engine.

The SLA sweep (``hq.complaints.sweep``) records each deadline's breach once; ``escalate_breach``,
registered on its ``on_breach`` hook, runs inside the sweep's transaction and inserts one
``escalations`` row for it (the durable outbox): the breach and its escalation commit together or
not at all, so HQ dying between the two loses nothing, and a hook failure rolls back the breach, which
the next sweep records (and escalates) again. The row is keyed by (case, ``hq`` tier,
``complaint_breach`` trigger, deadline and start): a second insert for the same deadline is a no-op.

The runner (``hq.escalation.runner``) then takes its one step like any other: it claims it with the
compare-and-set on ``next_step``, notifies the contacts the breach policy names by its channels and
writes an ``escalated`` event per delivery on the complaint. The breach policy is the one stored
under ``COMPLAINT_BREACH_KEY`` (an admin sets it as a district's, with the admin CLI or the HQ
layout's policy editor; versioned and audited alike), else ``COMPLAINT_BREACH_POLICY`` (HQ's duty
officers, by SMS and e-mail). It is copied into the escalation row when the breach is recorded, so a
later edit never changes one already running. It never re-alarms: HQ stores no breach policy with a
``realarm_district`` or ``alarm_hq`` step and the runner takes none for this trigger, so no
console's siren rings for a complaint (its own soft breach alert is the queue's, docs/COMPLAINTS.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, select
from sqlalchemy.exc import IntegrityError

from core.events import DeadlineKind, Tier, iso
from core.ids import new_id
from core.sla import Mark
from hq.escalation.policy import COMPLAINT_BREACH_KEY, COMPLAINT_BREACH_POLICY, next_due
from hq.escalation.store import policy_for
from hq.feed import load_cases
from hq.schema import escalations

COMPLAINT_BREACH = "complaint_breach"
CASE_REF_CHARS = 8
_DEADLINE_WORDS = {
    str(DeadlineKind.FIRST_RESPONSE): ("first response", "पहला जवाब"),
    str(DeadlineKind.NEXT_RESPONSE): ("next response", "अगला जवाब"),
    str(DeadlineKind.RESOLUTION): ("resolution", "समाधान"),
}


def breach_key(mark: Mark) -> str:
    """The escalation's ``assignment`` column for this deadline: its kind and start, to the
    millisecond (at most 35 characters: the column holds 36)."""
    d = mark.deadline
    return f"{d.kind}@{d.started_at.strftime('%Y%m%dT%H%M%S')}.{d.started_at.microsecond // 1000:03d}Z"


def deadline_of(key: str) -> str:
    """The deadline kind a ``breach_key`` names."""
    return key.partition("@")[0]


def escalate_breach(conn: Connection, case_id: str, mark: Mark) -> None:
    """The ``on_breach`` hook: one running escalation for this deadline's breach, in the caller's
    transaction. Its first (only) step is due at the deadline's due time, so the runner takes it at
    its next tick; a breach found late is notified at once. The breach policy in force is read in
    the same transaction and copied into the row."""
    key = breach_key(mark)
    found = conn.execute(
        select(escalations.c.id).where(
            escalations.c.case_id == case_id,
            escalations.c.tier == str(Tier.HQ),
            escalations.c.trigger == COMPLAINT_BREACH,
            escalations.c.assignment == key,
        )
    ).first()
    if found is not None:
        return
    row = load_cases(conn, [case_id]).get(case_id)
    due = mark.deadline.due_at
    stored = policy_for(conn, COMPLAINT_BREACH_KEY)
    plan = stored.policy.plan()
    first = next_due(plan, 0, due, skip_first_round_waits=False)
    try:
        with conn.begin_nested():
            conn.execute(
                escalations.insert().values(
                    id=new_id(), case_id=case_id, tier=str(Tier.HQ), trigger=COMPLAINT_BREACH,
                    district=row.district if row is not None else None, assignment=key,
                    snapshot=stored.policy.dumps(), policy_version=stored.version, started_at=iso(due),
                    last_step_at=iso(due), next_step=0, next_due_at=iso(first or due), first_round=True,
                    status="running", stop_reason=None, claimed_by=None, updated_at=iso(due),
                )
            )  # fmt: skip
    except IntegrityError:  # another HQ process recorded it meanwhile
        pass


@dataclass(frozen=True)
class BreachNotice:
    """The supervisor's notice of a missed deadline, in Hindi and English: the case's short
    reference, its district, the deadline and how late. Never the citizen's handle or the post."""

    case_id: str
    district_name: str
    deadline: str
    minutes_late: int
    step: int

    @property
    def case_ref(self) -> str:
        return self.case_id[:CASE_REF_CHARS].upper()

    def english(self) -> str:
        words = _DEADLINE_WORDS.get(self.deadline, (self.deadline, self.deadline))[0]
        return (
            f"Rakshak: complaint {self.case_ref} ({self.district_name}) missed its {words} deadline, "
            f"{self.minutes_late} min late. Open the complaint queue (escalation step {self.step})."
        )

    def hindi(self) -> str:
        words = _DEADLINE_WORDS.get(self.deadline, (self.deadline, self.deadline))[1]
        return (
            f"रक्षक: शिकायत {self.case_ref} ({self.district_name}) की {words} की समय-सीमा {self.minutes_late} "
            f"मिनट पहले चूक गई। शिकायत कतार खोलें (एस्केलेशन चरण {self.step})।"
        )

    def text(self) -> str:
        return f"{self.hindi()}\n{self.english()}"

    def subject(self) -> str:
        return f"रक्षक / Rakshak: complaint {self.case_ref} {self.district_name} — {self.minutes_late} min late"


def install() -> None:
    """Register ``escalate_breach`` on the sweep's hook (idempotent: HQ's start-up calls it)."""
    from hq.complaints.sweep import on_breach

    on_breach(escalate_breach)


__all__ = [
    "COMPLAINT_BREACH",
    "COMPLAINT_BREACH_KEY",
    "COMPLAINT_BREACH_POLICY",
    "BreachNotice",
    "breach_key",
    "deadline_of",
    "escalate_breach",
    "install",
]
