"""The escalation policy model and step selection, with a fake clock (no database, no sleeping)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from hq.escalation.policy import (
    DEFAULT_POLICY,
    ChannelName,
    ContactRole,
    Policy,
    PolicyError,
    StepAction,
    is_due,
    next_due,
)

T0 = datetime(2026, 11, 29, 10, 0, tzinfo=UTC)
CHAIN: dict[str, Any] = {
    "steps": [
        {"action": "wait", "minutes": 5},
        {"action": "realarm_district"},
        {"action": "alarm_hq"},
        {"action": "notify", "roles": ["sp_control_room", "sho"], "channels": ["sms", "voice"]},
        {"action": "wait", "minutes": 2},
        {"action": "wait", "minutes": 1.5},
        {"action": "notify", "roles": ["range_dig"], "channels": ["email"]},
        {"action": "repeat", "times": 2},
    ],
    "dispatch_overdue_min": 20,
}


def test_a_policy_round_trips_and_plans_every_round() -> None:
    policy = Policy.from_json(CHAIN)
    assert Policy.loads(policy.dumps()) == policy
    assert policy.repeats == 2 and policy.dispatch_overdue_min == 20
    plan = policy.plan()
    assert [p.number for p in plan] == list(range(1, 13))
    assert [p.round for p in plan] == [1] * 4 + [2] * 4 + [3] * 4
    assert [p.step.action for p in plan[:4]] == [
        StepAction.REALARM_DISTRICT,
        StepAction.ALARM_HQ,
        StepAction.NOTIFY,
        StepAction.NOTIFY,
    ]
    # The waits before each action: consecutive waits add up; an action right after another waits 0.
    assert [p.wait_s for p in plan[:4]] == [300, 0, 0, 210]
    assert plan[3].step.roles == (ContactRole.RANGE_DIG,) and plan[3].step.channels == (ChannelName.EMAIL,)
    assert plan[4].wait_s == 300  # the next round starts with the chain's first wait again


def test_the_default_policy_is_valid_and_alarms_before_it_notifies() -> None:
    plan = DEFAULT_POLICY.plan()
    assert plan[0].step.action is StepAction.REALARM_DISTRICT and plan[0].wait_s == 300
    assert DEFAULT_POLICY.repeats == 2 and len(plan) == 12


@pytest.mark.parametrize(
    ("policy", "says"),
    [
        ([], "a policy is an object"),
        ({"steps": []}, "non-empty"),
        ({"steps": [{"action": "wait", "minutes": 5}]}, "does nothing"),
        ({"steps": [{"action": "ring"}]}, "action must be one of"),
        ({"steps": [{"action": "wait", "minutes": -1}, {"action": "alarm_hq"}]}, "step 1: minutes"),
        ({"steps": [{"action": "wait", "minutes": True}, {"action": "alarm_hq"}]}, "step 1: minutes"),
        ({"steps": [{"action": "alarm_hq", "minutes": 3}]}, "unknown field(s) for alarm_hq"),
        ({"steps": [{"action": "repeat", "times": 1}, {"action": "alarm_hq"}]}, "repeat can only be the last"),
        ({"steps": [{"action": "alarm_hq"}, {"action": "repeat", "times": 11}]}, "times must be"),
        ({"steps": [{"action": "notify", "roles": ["sho"], "channels": []}]}, "channels: a non-empty list"),
        ({"steps": [{"action": "notify", "roles": ["mayor"], "channels": ["sms"]}]}, "roles: each must be"),
        ({"steps": [{"action": "alarm_hq"}], "dispatch_overdue_min": "15"}, "dispatch_overdue_min"),
        ({"steps": [{"action": "alarm_hq"}], "colour": "red"}, "unknown field(s): colour"),
        ({"steps": [{"action": "alarm_hq"}] * 31}, "at most 30 steps"),
    ],
)
def test_a_bad_policy_is_refused_with_a_reason(policy: Any, says: str) -> None:
    with pytest.raises(PolicyError, match=None) as caught:
        Policy.from_json(policy)
    assert says in str(caught.value)


def test_a_step_falls_due_after_its_wait_and_not_before() -> None:
    plan = Policy.from_json(CHAIN).plan()
    assert next_due(plan, 0, T0, skip_first_round_waits=False) == T0 + timedelta(minutes=5)
    assert not is_due(plan, 0, T0, T0 + timedelta(minutes=4, seconds=59), silent=False)
    assert is_due(plan, 0, T0, T0 + timedelta(minutes=5), silent=False)
    # Step 2 follows step 1 at once; step 4 waits 3.5 minutes after step 3 was taken.
    assert is_due(plan, 1, T0, T0, silent=False)
    assert next_due(plan, 3, T0, skip_first_round_waits=False) == T0 + timedelta(minutes=3.5)
    # After the last step nothing is due, ever.
    assert next_due(plan, len(plan), T0, skip_first_round_waits=False) is None
    assert not is_due(plan, len(plan), T0, T0 + timedelta(days=1), silent=False)


def test_a_district_that_cannot_sound_skips_the_first_rounds_waits_only() -> None:
    plan = Policy.from_json(CHAIN).plan()
    assert is_due(plan, 0, T0, T0, silent=True)  # at once, not after five minutes
    assert is_due(plan, 3, T0, T0, silent=True)
    # A repeat round keeps its waits: a silent district is not texted twelve times in a second.
    assert not is_due(plan, 4, T0, T0 + timedelta(minutes=4), silent=True)
    assert is_due(plan, 4, T0, T0 + timedelta(minutes=5), silent=True)
