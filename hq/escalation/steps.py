"""One escalation step taken: the re-alarms and notifications, each recorded as an ``escalated``
event on the case (``hq.escalation.runner`` claims the step first and decides when it is due).

Runs on the runner's thread: the channels block (HTTP, SMTP, retries with backoff).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from datetime import datetime
from typing import Any

from sqlalchemy import select

from core.commands import decide
from core.errors import CommandRefused, InvalidEvent
from core.events import Author, EventType, Tier, iso, parse_time
from core.hlc import HybridClock
from core.ids import new_id
from hq.channels import Channel, Delivery, Recipient
from hq.channels.messages import Notice
from hq.db import Database
from hq.escalation.complaint_breach import COMPLAINT_BREACH, BreachNotice, deadline_of
from hq.escalation.policy import ContactRole, PlannedStep, StepAction, Trigger
from hq.escalation.store import contacts_for
from hq.feed import Batch, case_history, load_cases
from hq.schema import districts, escalation_deliveries

log = logging.getLogger(__name__)

HQ_NODE = "hq"
ESCALATION_AUTHOR = Author(user_id="hq-escalation", display_name="HQ escalation", tier=Tier.HQ)


@dataclass(frozen=True)
class Escalation:
    """An ``escalations`` row as the runner reads it."""

    id: str
    case_id: str
    tier: str
    trigger: str
    district: str | None
    snapshot: str
    started_at: str
    last_step_at: str
    next_step: int
    assignment: str = ""

    @classmethod
    def from_row(cls, row: Any) -> Escalation:
        return cls(**{f.name: getattr(row, f.name) for f in fields(cls)})


class StepTaker:
    """The part of the runner that takes a claimed step. ``_still_pending`` and ``_stop_escalation``
    are the runner's (the re-read of the case before each notification, and the stop)."""

    db: Database
    channels: dict[str, Channel]
    clock: Callable[[], datetime]
    receipt_url: str | None

    def _still_pending(self, esc: Escalation) -> str | None:
        raise NotImplementedError

    def _stop_escalation(self, esc: Escalation, reason: str, now: datetime) -> bool:
        raise NotImplementedError

    # -- one step ---------------------------------------------------------------------------------

    def _take(self, esc: Escalation, planned: PlannedStep, *, silent: bool) -> None:
        action = planned.step.action
        waited = self._minutes_waiting(esc)
        if esc.trigger == COMPLAINT_BREACH:  # a complaint's missed deadline: notify only, never re-alarm
            if action is StepAction.NOTIFY:
                why = f"complaint {deadline_of(esc.assignment).replace('_', ' ')} deadline missed"
                self._notify(esc, planned, waited, why)
            return
        why = "not acknowledged" if esc.trigger == Trigger.UNACKNOWLEDGED else "acknowledged, not dispatched"
        if silent and planned.round == 1:
            why += "; no console of the district can sound, so without waiting"
        if action is StepAction.REALARM_DISTRICT:
            self._write_event(
                esc.case_id,
                self._payload(
                    esc, planned, reason=f"{why} for {waited} min: the district's consoles alarm again",
                    channel="consoles", target=esc.district, result="sent", realarm=True, tier=Tier.DISTRICT,
                ),
            )  # fmt: skip
        elif action is StepAction.ALARM_HQ:
            self._write_event(
                esc.case_id,
                self._payload(
                    esc, planned, reason=f"{why} for {waited} min: HQ is alarmed",
                    channel="consoles", target="HQ", result="sent", realarm=True, tier=Tier.HQ,
                ),
            )  # fmt: skip
        elif action is StepAction.NOTIFY:
            self._notify(esc, planned, waited, why)

    def _notify(self, esc: Escalation, planned: PlannedStep, waited: int, why: str) -> None:
        with self.db.reader() as conn:
            row = load_cases(conn, [esc.case_id]).get(esc.case_id)
            station = row.police_station if row else None
            name = conn.execute(select(districts.c.name).where(districts.c.code == esc.district)).scalar_one_or_none()
            targets = [(role, list(contacts_for(conn, esc.district, station, role))) for role in planned.step.roles]
        notice: Notice | BreachNotice
        if esc.trigger == COMPLAINT_BREACH:
            district = name or "not routed"
            notice = BreachNotice(esc.case_id, district, deadline_of(esc.assignment), waited, planned.number)
        else:
            notice = Notice(esc.case_id, name or str(esc.district), waited, Trigger(esc.trigger), planned.number)
        for role, contacts in targets:
            if not contacts:
                self._write_event(
                    esc.case_id,
                    self._payload(esc, planned, reason=f"{why}: no duty contact for {role}", target=str(role),
                                  result="skipped"),
                )  # fmt: skip
                continue
            for contact in contacts:
                for channel_name in planned.step.channels:
                    reason = self._still_pending(esc)
                    if reason is not None:
                        self._stop_escalation(replace(esc, next_step=planned.number), reason, self.clock())
                        return
                    self._deliver(esc, planned, notice, role, contact, str(channel_name), why, waited)

    def _deliver(
        self, esc: Escalation, planned: PlannedStep, notice: Notice | BreachNotice, role: ContactRole, contact: Any,
        channel_name: str, why: str, waited: int,
    ) -> None:  # fmt: skip
        recipient = Recipient(contact.name, contact.phone, contact.email)
        channel = self.channels.get(channel_name)
        delivery_id = new_id()
        callback = f"{self.receipt_url.rstrip('/')}" if self.receipt_url else None
        if channel is None:
            delivery = Delivery("not_configured", f"no {channel_name} channel is configured at HQ")
        else:
            try:
                delivery = channel.send(notice.text(), notice.subject(), recipient, callback)
            except Exception as exc:  # a channel bug must not stop the escalation
                log.exception("channel %s failed", channel_name)
                delivery = Delivery("failed", f"channel error: {type(exc).__name__}")
        target = f"{role}: {contact.name}"[:200]
        with self.db.transaction() as conn:
            conn.execute(
                escalation_deliveries.insert().values(
                    id=delivery_id, escalation_id=esc.id, step=planned.number, case_id=esc.case_id,
                    channel=channel_name, target=target, provider_id=delivery.provider_id, result=delivery.result,
                    answer=delivery.answer[:1000], attempts=delivery.attempts, sent_at=iso(self.clock()),
                )
            )  # fmt: skip
        verb = "sent" if delivery.ok else f"not delivered ({delivery.result})"
        self._write_event(
            esc.case_id,
            self._payload(
                esc, planned, reason=f"{why} for {waited} min: {channel_name} to {role} {verb}",
                channel=channel_name, target=target, result=delivery.result, answer=delivery.answer or "-",
                attempts=delivery.attempts,
            ),
        )  # fmt: skip

    def _minutes_waiting(self, esc: Escalation) -> int:
        return max(0, int((self.clock() - parse_time(esc.started_at)).total_seconds() // 60))

    def _payload(
        self, esc: Escalation, planned: PlannedStep | None, *, reason: str, result: str, tier: Tier | None = None,
        **extra: Any,
    ) -> dict[str, Any]:  # fmt: skip
        payload: dict[str, Any] = {
            "reason": reason[:500],
            "escalation_id": esc.id,
            "tier": str(tier or Tier(esc.tier)),
            "trigger": esc.trigger,
            "result": result,
        }
        if planned is not None:
            payload.update(step=planned.number, round=planned.round, action=str(planned.step.action))
        for key, value in extra.items():
            if value is None:
                continue
            payload[key] = value[:1000] if isinstance(value, str) else value
        if "target" in payload:
            payload["target"] = str(payload["target"])[:200]
        return payload

    def _write_event(self, case_id: str, payload: dict[str, Any]) -> str | None:
        """Store one ``escalated`` event on the case (inside HQ's writer lock, through ``Batch``)."""
        with self.db.writer() as conn:
            row = load_cases(conn, [case_id]).get(case_id)
            if row is None:
                return None
            history = case_history(conn, case_id)
            clock = HybridClock(HQ_NODE, last=max((e.hlc for e in history), default=None))
            try:
                event = decide(
                    case_id=case_id, history=history, etype=EventType.ESCALATED, payload=payload,
                    author=ESCALATION_AUTHOR, clock=clock, now=self.clock(),
                )  # fmt: skip
            except (CommandRefused, InvalidEvent) as exc:
                log.warning("escalated event on %s not written: %s", case_id, exc)
                return None
            batch = Batch.open(conn, sign=True)
            batch.add(event, row)
            batch.flush(self.db)
        return event.id


__all__ = ["ESCALATION_AUTHOR", "HQ_NODE", "Escalation", "StepTaker"]
