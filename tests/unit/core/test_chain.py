"""core.chain: the case's chain with each step's time and its duration from the step before."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from core.chain import FOLLOW_UP, OUTCOME, RECEIVED, chain, duration_text, step_times
from core.events import Author, Event, EventType, Tier, iso, new_event
from core.fold import fold
from core.hlc import HybridClock
from core.reports import Step
from tests.unit.core.conftest import T0, created_payload

HQ = Author("hq-1", "HQ Rekha", Tier.HQ)
DIST = Author("d-1", "SI Meena", Tier.DISTRICT)


class Case:
    """A case's events with chosen wall times (minutes after T0)."""

    def __init__(self, **created: Any) -> None:
        self.id = str(uuid.uuid4())
        self.clock = HybridClock("dev")
        self.events: list[Event] = []
        self.add(0, EventType.CREATED, created_payload(received_at=iso(T0), **created), HQ)

    def add(self, minute: float, etype: EventType, payload: dict[str, Any], author: Author = DIST) -> Event:
        e = new_event(
            case_id=self.id, type=etype, payload=payload, author=author, device_id="dev",
            hlc=self.clock.now(), wall_time=T0 + timedelta(minutes=minute),
        )  # fmt: skip
        self.events.append(e)
        return e

    def links(self) -> list[Any]:
        return chain(fold(self.id, self.events), self.events)


def _whole_case() -> Case:
    c = Case(district=None, police_station=None)
    c.add(2, EventType.ACKNOWLEDGED, {"tier": "hq"}, HQ)
    c.add(5, EventType.ASSIGNED, {"district": "Patna", "police_station": "Kankarbagh"}, HQ)
    c.add(6, EventType.ACKNOWLEDGED, {"tier": "district", "district": "Patna"})
    c.add(9, EventType.DISPATCHED, {"officer": "SI Sharma", "phone": "+919800000099"})
    c.add(30, EventType.REACHED, {"at": iso(T0 + timedelta(minutes=22))})
    c.add(31, EventType.OUTCOME_RECORDED, {"outcome": "safe_counselled"})
    c.add(90, EventType.COUNSELLING_NOTE, {"officer_name": "DSP Rao", "officer_rank": "DSP", "text": "Talked."})
    return c


def test_every_step_with_its_time_and_the_minutes_since_the_step_before() -> None:
    links = _whole_case().links()
    assert [link.key for link in links] == [
        RECEIVED, Step.HQ_ACKNOWLEDGED, Step.ROUTED, Step.DISTRICT_ACKNOWLEDGED, Step.DISPATCHED, Step.REACHED,
        OUTCOME, Step.COUNSELLED,
    ]  # fmt: skip
    minutes = [None if link.seconds is None else link.seconds / 60 for link in links]
    # reached: the time the team gives (minute 22), not when it was typed (minute 30)
    assert minutes == [None, 2, 3, 1, 3, 13, 9, 59]
    assert links[0].at == iso(T0)
    assert all(link.done and not link.out_of_order for link in links)


def test_a_skipped_step_does_not_hide_how_long_the_next_took() -> None:
    c = Case()  # intake routed it with the alert: "routed" is the alert's own entry
    c.add(12, EventType.ACKNOWLEDGED, {"tier": "district", "district": "Patna"})
    links = {link.key: link for link in c.links()}
    assert links[Step.HQ_ACKNOWLEDGED].at is None and links[Step.HQ_ACKNOWLEDGED].seconds is None
    assert links[Step.ROUTED].at == iso(T0)
    assert links[Step.DISTRICT_ACKNOWLEDGED].seconds == 12 * 60
    assert links[Step.DISPATCHED].at is None


def test_routed_is_the_first_assignment_and_a_forward_counts_as_the_hand_over() -> None:
    c = Case(district=None, police_station=None)
    c.add(4, EventType.ASSIGNED, {"district": "Patna"}, HQ)
    c.add(8, EventType.ASSIGNED, {"district": "Gaya"}, HQ)  # reassigned: still routed at minute 4
    c.add(10, EventType.ACKNOWLEDGED, {"tier": "hq"}, HQ)
    c.add(11, EventType.FORWARDED, {"to": "erss_112", "reference": "ERSS-7"}, HQ)
    times = step_times(fold(c.id, c.events), c.events)
    assert times[Step.ROUTED] == iso(T0 + timedelta(minutes=4))
    assert times[Step.DISPATCHED] == iso(T0 + timedelta(minutes=11))
    # routed at 4 before HQ acknowledged at 10 (intake routes at once): each is measured from what
    # had happened before it, the alert's receipt
    links = {link.key: link for link in c.links()}
    assert links[Step.HQ_ACKNOWLEDGED].seconds == 10 * 60
    assert links[Step.ROUTED].seconds == 4 * 60 and not links[Step.ROUTED].out_of_order
    assert links[Step.DISPATCHED].seconds == 1 * 60


def test_a_step_before_the_one_above_is_measured_from_what_came_before_it() -> None:
    c = _whole_case()
    c.add(95, EventType.AMENDED, {
        "target_event_id": next(e.id for e in c.events if e.type is EventType.REACHED),
        "fields": {"at": iso(T0 + timedelta(minutes=7))}, "reason": "a beat constable was there already",
    })  # fmt: skip
    links = {link.key: link for link in c.links()}
    assert links[Step.REACHED].seconds == (7 - 6) * 60 and not links[Step.REACHED].out_of_order
    assert links[OUTCOME].seconds == (31 - 9) * 60  # from the dispatch, the latest step before it


def test_a_time_before_the_alert_itself_gives_no_duration_and_is_flagged() -> None:
    c = _whole_case()
    c.add(95, EventType.AMENDED, {
        "target_event_id": next(e.id for e in c.events if e.type is EventType.REACHED),
        "fields": {"at": iso(T0 - timedelta(minutes=3))}, "reason": "typed wrong",
    })  # fmt: skip
    links = {link.key: link for link in c.links()}
    assert links[Step.REACHED].out_of_order and links[Step.REACHED].seconds is None
    assert links[OUTCOME].seconds == (31 - 9) * 60


def test_follow_ups_done_then_open_after_the_counselling() -> None:
    c = _whole_case()
    due = iso(T0 + timedelta(days=3))
    first = c.add(100, EventType.FOLLOW_UP_SCHEDULED, {"due": due})
    c.add(101, EventType.FOLLOW_UP_SCHEDULED, {"due": iso(T0 + timedelta(days=7))})
    c.add(60 * 24 * 3, EventType.FOLLOW_UP_DONE, {"follow_up_id": first.id})
    links = c.links()
    assert [link.key for link in links[-2:]] == [FOLLOW_UP, FOLLOW_UP]
    done, still_open = links[-2:]
    assert done.done and done.seconds == (60 * 24 * 3 - 90) * 60
    assert not still_open.done and still_open.at == iso(T0 + timedelta(days=7)) and still_open.seconds is None


def test_a_case_just_received_has_only_its_first_step() -> None:
    links = Case(district=None, police_station=None).links()
    assert [link.at is not None for link in links] == [True] + [False] * 7


def test_duration_text() -> None:
    assert [duration_text(s) for s in (None, 45, 13 * 60 + 20, 2 * 3600 + 5 * 60, 3 * 86400 + 4 * 3600)] == [
        "", "45 s", "13 min", "2 h 05 min", "3 d 4 h",
    ]  # fmt: skip
