"""Parsing the review-queue parts of the protocol: a ``held`` push result and ``/sync/held`` verdicts."""

from __future__ import annotations

from typing import Any

import pytest

from core.events import Author, EventType, new_event
from core.hlc import HybridClock
from sync import wire
from sync.errors import ProtocolError

CLOCK = HybridClock("dev-1")


def _event() -> Any:
    return new_event(case_id="0193a4b2-0000-7000-8000-000000000001", type=EventType.ACKNOWLEDGED, payload={},
                     author=Author("u1", "Op One"), device_id="dev-1", hlc=CLOCK.now())


def _reply(results: list[Any]) -> dict[str, Any]:
    return {"epoch": "e1", "server_time": "2026-11-29T10:00:00.000Z", "results": results}


def test_a_held_result_is_neither_accepted_nor_rejected() -> None:
    e = _event()
    [r] = wire.parse_push(_reply([{"id": e.id, "status": "held", "hq_seq": None, "reason": "author disabled",
                                   "code": "review"}]), [e]).results
    assert (r.accepted, r.held, r.hq_seq, r.reason, r.code) == (False, True, None, "author disabled", "review")
    [r] = wire.parse_push(_reply([{"id": e.id, "status": "held"}]), [e]).results
    assert r.held and r.reason == "held for review at HQ"  # a note is always there to show
    with pytest.raises(ProtocolError):
        wire.parse_push(_reply([{"id": e.id, "status": "parked"}]), [e])


def test_verdicts_answer_the_ids_asked_in_order() -> None:
    ids = ["a", "b", "c", "d"]
    verdicts = wire.parse_verdicts({"verdicts": [
        {"id": "a", "status": "held", "hq_seq": None, "reason": "waiting"},
        {"id": "b", "status": "accepted", "hq_seq": 7, "reason": None},
        {"id": "c", "status": "rejected", "hq_seq": None, "reason": ""},
        {"id": "d", "status": "unknown", "hq_seq": None, "reason": None},
    ]}, ids)
    assert [(v.status, v.hq_seq) for v in verdicts] == [("held", None), ("accepted", 7), ("rejected", None),
                                                         ("unknown", None)]
    assert verdicts[2].reason == "rejected at HQ's review without a reason"
    bad: list[Any] = [
        {"verdicts": [{"id": "a", "status": "held"}]},  # fewer than asked
        {"verdicts": [{"id": "x", "status": "held"}] * 4},  # not the ids asked
        {"verdicts": [{"id": i, "status": "accepted", "hq_seq": 0} for i in ids]},  # no hq_seq
        {"verdicts": [{"id": i, "status": "maybe"} for i in ids]},
        {"verdicts": "none"},
    ]
    for body in bad:
        with pytest.raises(ProtocolError):
            wire.parse_verdicts(body, ids)
