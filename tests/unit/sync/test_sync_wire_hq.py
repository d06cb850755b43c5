"""Parsing of HQ-layout replies: the board's mailboxes, an escalation policy, duty contacts. A reply
off the contract raises ``ProtocolError`` before any of it reaches a widget."""

from __future__ import annotations

from typing import Any

import pytest

from core.escalation import DEFAULT_POLICY
from sync.errors import ProtocolError
from sync.wire import parse_board, parse_contacts, parse_policy

BOARD: dict[str, Any] = {"as_of": "2026-11-29T09:00:00.000000Z", "presence_timeout_s": 180, "range": None,
                         "ranges": [], "unrouted": 0, "districts": []}  # fmt: skip
MAILBOX = {"mailbox": "alerts@upsmc.example", "last_contact_at": "2026-11-29T08:59:50.000000Z",
           "last_fetch_at": "2026-11-29T08:40:00.000000Z", "last_error": "IMAP: connection reset",
           "last_error_at": "2026-11-29T08:59:50.000000Z", "failing": True}  # fmt: skip


def test_board_mailboxes() -> None:
    assert parse_board(BOARD).mailboxes == ()  # an HQ that does not send them yet
    [m] = parse_board(BOARD | {"mailboxes": [MAILBOX]}).mailboxes
    assert m.mailbox == "alerts@upsmc.example" and m.failing and m.last_error == "IMAP: connection reset"
    assert m.last_error_at is not None and m.last_fetch_at is not None and m.last_error_at > m.last_fetch_at
    never = MAILBOX | {"last_contact_at": None, "last_fetch_at": None, "last_error": None, "last_error_at": None}
    assert parse_board(BOARD | {"mailboxes": [never]}).mailboxes[0].last_contact_at is None
    for bad in ({"mailboxes": {}}, {"mailboxes": [MAILBOX | {"failing": "yes"}]},
                {"mailboxes": [MAILBOX | {"last_contact_at": "yesterday"}]}, {"mailboxes": [{"failing": False}]}):
        with pytest.raises(ProtocolError):
            parse_board(BOARD | bad)


def test_policy_is_checked_with_hqs_rules() -> None:
    reply = {"district": "LKO", "policy": DEFAULT_POLICY.to_json(), "version": 2, "inherited": False,
             "updated_at": "2026-11-29T09:00:00.000000Z", "updated_by": "admin"}  # fmt: skip
    stored = parse_policy(reply)
    assert stored.policy == DEFAULT_POLICY and stored.version == 2 and stored.updated_by == "admin"
    steps = [{"action": "repeat", "times": 1}, {"action": "alarm_hq"}]
    with pytest.raises(ProtocolError, match="repeat can only be the last step"):
        parse_policy(reply | {"policy": {"steps": steps}})
    with pytest.raises(ProtocolError):
        parse_policy(reply | {"version": -1})


def test_duty_contacts() -> None:
    [c] = parse_contacts([{"id": "x", "district": "LKO", "station": None, "role": "sho", "name": "SHO Hazratganj",
                           "phone": "+915220000200", "email": None}])  # fmt: skip
    assert (c.role, c.name, c.phone, c.email) == ("sho", "SHO Hazratganj", "+915220000200", None)
    for bad in ({}, [{"role": "sho"}], [{"role": "sho", "name": "A", "phone": 5}]):
        with pytest.raises(ProtocolError):
            parse_contacts(bad)
