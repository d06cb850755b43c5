"""Escalation policies: the pure model lives in ``core.escalation`` (the HQ layout's policy editor
validates with the same rules the server stores by); HQ's modules import it from here.

``COMPLAINT_BREACH_POLICY`` is the complaints' breach policy while none is stored under
``COMPLAINT_BREACH_KEY``: HQ's duty officers (contacts of role ``hq_duty`` under ``*``, the
supervisor's desk) by SMS and e-mail, one step."""

from __future__ import annotations

from core.escalation import (
    COMPLAINT_BREACH_KEY,
    DEFAULT_DISPATCH_OVERDUE_MIN,
    DEFAULT_KEY,
    DEFAULT_POLICY,
    MAX_REPEAT,
    MAX_STEPS,
    MAX_WAIT_MIN,
    ChannelName,
    ContactRole,
    PlannedStep,
    Policy,
    PolicyError,
    Step,
    StepAction,
    Trigger,
    breach_policy_refusal,
    is_due,
    next_due,
)

COMPLAINT_BREACH_POLICY = Policy(
    steps=(Step(StepAction.NOTIFY, roles=(ContactRole.HQ_DUTY,), channels=(ChannelName.SMS, ChannelName.EMAIL)),)
)

__all__ = [
    "COMPLAINT_BREACH_KEY",
    "COMPLAINT_BREACH_POLICY",
    "DEFAULT_DISPATCH_OVERDUE_MIN",
    "DEFAULT_KEY",
    "DEFAULT_POLICY",
    "MAX_REPEAT",
    "MAX_STEPS",
    "MAX_WAIT_MIN",
    "ChannelName",
    "ContactRole",
    "PlannedStep",
    "Policy",
    "PolicyError",
    "Step",
    "StepAction",
    "Trigger",
    "breach_policy_refusal",
    "is_due",
    "next_due",
]
