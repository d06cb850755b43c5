"""Escalation policies: the pure model lives in ``core.escalation`` (the HQ layout's policy editor
validates with the same rules the server stores by); HQ's modules import it from here."""

from __future__ import annotations

from core.escalation import (
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
    is_due,
    next_due,
)

__all__ = [
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
    "is_due",
    "next_due",
]
