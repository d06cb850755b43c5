"""Escalation policies: what HQ does, step by step, while a district has not answered. Pure: no
database, no clock of its own (every function takes ``now``), so the tests drive it with a fake one.

A policy is an ordered list of steps (docs/HQ.md, "Escalation"):

- ``wait`` N minutes (fractions allowed);
- ``realarm_district``: the district's consoles ring again (an ``escalated`` event with ``realarm``);
- ``alarm_hq``: HQ's consoles and board are alarmed for the case;
- ``notify``: the duty contacts of the named roles (SP control room, SHO of the case's station, the
  range DIG, HQ's duty officer), by the named channels (sms, voice, email);
- ``repeat`` K: only as the last step, runs the whole chain again, up to K more times.

``dispatch_overdue_min`` (M) is when an acknowledged case not yet dispatched starts the same chain
again. ``plan`` flattens a policy into the steps an escalation takes, each with the wait before it;
an escalation stores a copy of the policy when it starts (a snapshot), so an edit never changes one
already running.

Written once for both ends: HQ stores and runs policies with it (``hq.escalation``), and the HQ
layout's policy editor checks an edit with the same rules before it sends it.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

MAX_STEPS = 30
MAX_REPEAT = 10
MAX_WAIT_MIN = 24 * 60
DEFAULT_DISPATCH_OVERDUE_MIN = 15.0
# The key of the state-wide default policy, used by every district without one of its own.
DEFAULT_KEY = "*"
# The key of the complaints' breach policy (whom a complaint's missed deadline notifies): HQ-wide,
# not a district's. Keys that start with ``*`` are HQ's own, never a district's code.
COMPLAINT_BREACH_KEY = "*complaint_breach"


class PolicyError(ValueError):
    """A policy that cannot be stored, with a reason an admin can act on."""


class StepAction(enum.StrEnum):
    WAIT = "wait"
    REALARM_DISTRICT = "realarm_district"
    ALARM_HQ = "alarm_hq"
    NOTIFY = "notify"
    REPEAT = "repeat"


class ContactRole(enum.StrEnum):
    SP_CONTROL_ROOM = "sp_control_room"
    SHO = "sho"  # the station house officer of the case's police station
    RANGE_DIG = "range_dig"
    HQ_DUTY = "hq_duty"


class ChannelName(enum.StrEnum):
    SMS = "sms"
    VOICE = "voice"
    EMAIL = "email"


class Trigger(enum.StrEnum):
    UNACKNOWLEDGED = "unacknowledged"  # the district has not acknowledged the case
    DISPATCH_OVERDUE = "dispatch_overdue"  # acknowledged, not dispatched or forwarded within M minutes


@dataclass(frozen=True)
class Step:
    action: StepAction
    minutes: float = 0.0  # wait
    times: int = 0  # repeat
    roles: tuple[ContactRole, ...] = ()  # notify
    channels: tuple[ChannelName, ...] = ()  # notify

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"action": str(self.action)}
        if self.action is StepAction.WAIT:
            out["minutes"] = self.minutes
        elif self.action is StepAction.REPEAT:
            out["times"] = self.times
        elif self.action is StepAction.NOTIFY:
            out["roles"] = [str(r) for r in self.roles]
            out["channels"] = [str(c) for c in self.channels]
        return out


@dataclass(frozen=True)
class PlannedStep:
    """One step an escalation takes: its number (1-based, across repeats), round (1-based), the
    action and the wait before it (the sum of the ``wait`` steps since the previous action)."""

    number: int
    round: int
    step: Step
    wait_s: float


@dataclass(frozen=True)
class Policy:
    steps: tuple[Step, ...]
    dispatch_overdue_min: float = DEFAULT_DISPATCH_OVERDUE_MIN

    @property
    def repeats(self) -> int:
        last = self.steps[-1] if self.steps else None
        return last.times if last is not None and last.action is StepAction.REPEAT else 0

    def to_json(self) -> dict[str, Any]:
        return {"steps": [s.to_json() for s in self.steps], "dispatch_overdue_min": self.dispatch_overdue_min}

    def dumps(self) -> str:
        return json.dumps(self.to_json(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))

    @classmethod
    def loads(cls, text: str) -> Policy:
        try:
            data = json.loads(text)
        except ValueError:
            raise PolicyError("the policy is not JSON") from None
        return cls.from_json(data)

    @classmethod
    def from_json(cls, data: Any) -> Policy:
        """Build and check a policy from untrusted JSON. Raises ``PolicyError`` naming the step."""
        if not isinstance(data, Mapping):
            raise PolicyError("a policy is an object with 'steps'")
        unknown = set(data) - {"steps", "dispatch_overdue_min"}
        if unknown:
            raise PolicyError(f"unknown field(s): {', '.join(sorted(unknown))}")
        raw_steps = data.get("steps")
        if not isinstance(raw_steps, list) or not raw_steps:
            raise PolicyError("'steps' must be a non-empty list")
        if len(raw_steps) > MAX_STEPS:
            raise PolicyError(f"at most {MAX_STEPS} steps")
        steps = tuple(_step(raw, i, last=i == len(raw_steps)) for i, raw in enumerate(raw_steps, 1))
        if not any(s.action not in (StepAction.WAIT, StepAction.REPEAT) for s in steps):
            raise PolicyError("the policy does nothing: give at least one step that alarms or notifies")
        overdue = data.get("dispatch_overdue_min", DEFAULT_DISPATCH_OVERDUE_MIN)
        return cls(steps, _minutes(overdue, "dispatch_overdue_min"))

    def plan(self) -> tuple[PlannedStep, ...]:
        """The steps an escalation takes, in order: the chain, then ``repeats`` more rounds of it."""
        out: list[PlannedStep] = []
        for round_no in range(1, self.repeats + 2):
            wait = 0.0
            for step in self.steps:
                if step.action is StepAction.WAIT:
                    wait += step.minutes * 60
                elif step.action is not StepAction.REPEAT:
                    out.append(PlannedStep(len(out) + 1, round_no, step, wait))
                    wait = 0.0
        return tuple(out)


def _minutes(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= MAX_WAIT_MIN:
        raise PolicyError(f"{where}: minutes must be a number from 0 to {MAX_WAIT_MIN}")
    return float(value)


def _names(value: Any, kind: type[enum.StrEnum], where: str) -> tuple[Any, ...]:
    allowed = [str(m) for m in kind]
    if not isinstance(value, list) or not value:
        raise PolicyError(f"{where}: a non-empty list of {', '.join(allowed)}")
    if any(v not in allowed for v in value):
        raise PolicyError(f"{where}: each must be one of {', '.join(allowed)}")
    return tuple(dict.fromkeys(kind(v) for v in value))


def _step(raw: Any, i: int, *, last: bool) -> Step:
    where = f"step {i}"
    if not isinstance(raw, Mapping) or not isinstance(raw.get("action"), str):
        raise PolicyError(f"{where}: an object with an 'action'")
    try:
        action = StepAction(raw["action"])
    except ValueError:
        raise PolicyError(f"{where}: action must be one of {', '.join(str(a) for a in StepAction)}") from None
    fields = {
        StepAction.WAIT: {"minutes"},
        StepAction.REPEAT: {"times"},
        StepAction.NOTIFY: {"roles", "channels"},
    }.get(action, set())
    unknown = set(raw) - fields - {"action"}
    if unknown:
        raise PolicyError(f"{where}: unknown field(s) for {action}: {', '.join(sorted(unknown))}")
    if action is StepAction.WAIT:
        return Step(action, minutes=_minutes(raw.get("minutes"), where))
    if action is StepAction.REPEAT:
        times = raw.get("times")
        if not last:
            raise PolicyError(f"{where}: repeat can only be the last step")
        if isinstance(times, bool) or not isinstance(times, int) or not 1 <= times <= MAX_REPEAT:
            raise PolicyError(f"{where}: times must be a whole number from 1 to {MAX_REPEAT}")
        return Step(action, times=times)
    if action is StepAction.NOTIFY:
        return Step(
            action,
            roles=_names(raw.get("roles"), ContactRole, f"{where}.roles"),
            channels=_names(raw.get("channels"), ChannelName, f"{where}.channels"),
        )
    return Step(action)


# The state-wide default: five minutes of silence re-alarms the district and HQ, then the duty
# officers are called and texted, then the range DIG; the chain runs up to three times in all.
DEFAULT_POLICY = Policy.from_json(
    {
        "steps": [
            {"action": "wait", "minutes": 5},
            {"action": "realarm_district"},
            {"action": "alarm_hq"},
            {"action": "notify", "roles": ["sp_control_room", "sho"], "channels": ["sms", "voice"]},
            {"action": "wait", "minutes": 5},
            {"action": "notify", "roles": ["range_dig"], "channels": ["sms", "voice", "email"]},
            {"action": "wait", "minutes": 10},
            {"action": "repeat", "times": 2},
        ],
        "dispatch_overdue_min": DEFAULT_DISPATCH_OVERDUE_MIN,
    }
)


def next_due(
    plan: tuple[PlannedStep, ...], next_step: int, last_step_at: datetime, *, skip_first_round_waits: bool
) -> datetime | None:
    """When step ``next_step`` (0-based) of ``plan`` falls due, or None when the plan is finished.

    ``skip_first_round_waits``: the district has no console that can sound, so the first round runs
    at once instead of after its waits (an alarm nobody can hear is no reason to wait).
    """
    if next_step >= len(plan):
        return None
    step = plan[next_step]
    wait = 0.0 if skip_first_round_waits and step.round == 1 else step.wait_s
    return last_step_at + timedelta(seconds=wait)


def is_due(
    plan: tuple[PlannedStep, ...], next_step: int, last_step_at: datetime, now: datetime, *, silent: bool
) -> bool:
    """Whether the escalation's next step should run at ``now`` (``silent``: see ``next_due``)."""
    due = next_due(plan, next_step, last_step_at, skip_first_round_waits=silent)
    return due is not None and due <= now


def breach_policy_refusal(policy: Policy) -> str | None:
    """Why ``policy`` cannot be the complaints' breach policy, or None. A complaint never rings a
    console's siren (its soft breach alert is the queue's), so the policy only waits, notifies and
    repeats; HQ refuses the rest and the policy editor says so before it sends."""
    if any(s.action in (StepAction.REALARM_DISTRICT, StepAction.ALARM_HQ) for s in policy.steps):
        return "a complaint's missed deadline only notifies: no re-alarm or HQ alarm step (no siren rings for it)"
    if not any(s.action is StepAction.NOTIFY for s in policy.steps):
        return "give at least one notify step"
    return None


__all__ = [
    "COMPLAINT_BREACH_KEY",
    "DEFAULT_KEY",
    "DEFAULT_POLICY",
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
