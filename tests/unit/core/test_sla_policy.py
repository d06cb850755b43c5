"""The clock's policy as JSON (``SlaPolicy.to_json``/``from_json``), as HQ serves it to consoles: a
round trip gives the same policy, and anything off the contract is refused with the field named,
never half read."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.events import ComplaintCategory
from core.sla import MAX_POLICY_MIN, SlaPolicy, SlaPolicyError

CATEGORIES = [str(c) for c in ComplaintCategory]
minutes = st.integers(min_value=1, max_value=MAX_POLICY_MIN)
by_category = st.dictionaries(st.sampled_from(CATEGORIES), minutes, max_size=len(CATEGORIES))


def test_the_default_policy_reads_back_as_itself() -> None:
    data = SlaPolicy().to_json()
    assert data == {"first_response_min": 120, "next_response_min": 120, "resolution_min": 4320,
                    "warn_before_min": 30, "first_response_by_category": {}, "resolution_by_category": {}}  # fmt: skip
    assert SlaPolicy.from_json(data) == SlaPolicy()


@given(minutes, minutes, minutes, st.integers(min_value=0, max_value=MAX_POLICY_MIN), by_category, by_category)
def test_any_valid_policy_round_trips(first: int, nxt: int, res: int, warn: int, f: Any, r: Any) -> None:
    policy = SlaPolicy(first, nxt, res, warn, f, r)
    assert SlaPolicy.from_json(policy.to_json()) == policy


def _good(**changes: Any) -> dict[str, Any]:
    return SlaPolicy(first_response_by_category={"womens_safety": 30}).to_json() | changes


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (None, "object"),
        ([], "object"),
        ("120", "object"),
        (_good(extra=1), "extra"),
        ({k: v for k, v in _good().items() if k != "warn_before_min"}, "warn_before_min"),
        (_good(first_response_min=0), "first_response_min"),
        (_good(first_response_min=-5), "first_response_min"),
        (_good(first_response_min=True), "first_response_min"),
        (_good(first_response_min=90.0), "first_response_min"),
        (_good(first_response_min="120"), "first_response_min"),
        (_good(first_response_min=None), "first_response_min"),
        (_good(resolution_min=MAX_POLICY_MIN + 1), "resolution_min"),
        (_good(next_response_min=10**30), "next_response_min"),
        (_good(warn_before_min=-1), "warn_before_min"),
        (_good(first_response_by_category=[["womens_safety", 30]]), "first_response_by_category"),
        (_good(first_response_by_category={"gossip": 5}), "gossip"),
        (_good(resolution_by_category={"traffic": 0}), "resolution_by_category.traffic"),
        (_good(resolution_by_category={"traffic": "60"}), "resolution_by_category.traffic"),
    ],
)
def test_malformed_policies_are_refused_naming_the_field(data: Any, field: str) -> None:
    with pytest.raises(SlaPolicyError, match=field.replace(".", r"\.")):
        SlaPolicy.from_json(data)


def test_a_zero_warning_is_a_policy() -> None:
    assert SlaPolicy.from_json(_good(warn_before_min=0)).warn_before_min == 0
