"""The wire's literal values for claims and the register are exactly the core enums' values."""

from __future__ import annotations

from typing import get_args

from core.accounts import AccountStatus, ActionKind, LinkKind, Reason
from core.claims import PLATFORMS, ClaimStatus
from hq.claims import wire


def test_wire_literals_are_the_enums() -> None:
    for literal, enum in (
        (wire.ClaimStatusIn, ClaimStatus),
        (wire.ReasonIn, Reason),
        (wire.ActionKindIn, ActionKind),
        (wire.AccountStatusIn, AccountStatus),
        (wire.LinkKindIn, LinkKind),
    ):
        assert set(get_args(literal)) == {e.value for e in enum}, enum
    assert set(get_args(wire.Platform)) == set(PLATFORMS)
