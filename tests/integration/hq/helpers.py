"""Small builders for HQ tests: events made the way a workstation makes them (core.events)."""

from __future__ import annotations

from typing import Any

from core.events import Author, Event, EventType, iso, new_event, tier_for_role, utcnow
from core.hlc import HybridClock
from tests.fixtures.hq import HQClient

_clocks: dict[str, HybridClock] = {}


def clock_for(device_id: str) -> HybridClock:
    if device_id not in _clocks:
        _clocks[device_id] = HybridClock(device_id)
    return _clocks[device_id]


def event(client: HQClient, case_id: str, etype: EventType, payload: dict[str, Any] | None = None, **kw: Any) -> Event:
    """An event by ``client``'s user on ``client``'s device."""
    return new_event(
        case_id=case_id,
        type=etype,
        payload=payload or {},
        author=Author(client.user["id"], client.user["display_name"], tier_for_role(client.user.get("role"))),
        device_id=client.device_id,
        hlc=kw.pop("hlc", None) or clock_for(client.device_id).now(),
        **kw,
    )


def ack(client: HQClient, case_id: str) -> Event:
    """An acknowledgement with the tier (and district) ``core.commands`` would write for the user."""
    tier = tier_for_role(client.user.get("role"))
    payload: dict[str, Any] = {"note": "seen", "tier": str(tier)}
    if tier == "district" and client.user.get("district"):
        payload["district"] = client.user["district"]
    return event(client, case_id, EventType.ACKNOWLEDGED, payload)


def dispatch(client: HQClient, case_id: str) -> Event:
    return event(client, case_id, EventType.DISPATCHED, {"officer": "SI Test Officer", "phone": "9000000999"})


def outcome(client: HQClient, case_id: str) -> Event:
    return event(client, case_id, EventType.OUTCOME_RECORDED, {"outcome": "safe_counselled", "detail": "talked"})


def note(client: HQClient, case_id: str, text: str = "Counselled with family present") -> Event:
    return event(
        client,
        case_id,
        EventType.COUNSELLING_NOTE,
        {"officer_name": "SI Test", "officer_rank": "SI", "text": text, "follow_up_date": iso(utcnow())},
    )


def events_of(items: list[dict[str, Any]], case_id: str | None = None) -> list[dict[str, Any]]:
    return [i["event"] for i in items if i["kind"] == "event" and (case_id is None or i["event"]["case_id"] == case_id)]


def revokes_of(items: list[dict[str, Any]]) -> list[str]:
    return [i["case_id"] for i in items if i["kind"] == "revoke"]
