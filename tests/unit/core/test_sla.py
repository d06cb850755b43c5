"""The two-hour clock (core.sla): examples of each rule, and properties over random histories."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from core.alarm import SoftAlert
from core.complaints import complaint_payload, complaint_view, queue_row, soft_alert
from core.events import Author, ComplaintCategory, DeadlineKind, Event, EventType, ItemKind, Source, iso, new_event
from core.hlc import HybridClock
from core.ids import new_id
from core.sla import DeadlineState, SlaPolicy, deadlines, facts_from_history, marks_due

POSTED = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
HQ = Author("hq-sweep", "HQ")
POLICY = SlaPolicy()


class Case:
    """A complaint's history built event by event on one HQ clock."""

    def __init__(self, *, polled_after_min: int = 0, category: ComplaintCategory | None = None) -> None:
        self.case_id = new_id()
        self.clock = HybridClock("hq")
        self.events: list[Event] = []
        self.add(
            EventType.CREATED,
            complaint_payload(
                platform=Source.X,
                item=ItemKind.MENTION,
                platform_id=new_id(),
                posted_at=POSTED,
                received_at=POSTED + timedelta(minutes=polled_after_min),
                text="chain snatching near Gandhi Maidan",
                author_handle="@citizen",
                category=category,
            ),
        )

    def add(self, etype: EventType, payload: dict[str, Any], at: datetime | None = None) -> None:
        self.events.append(
            new_event(
                case_id=self.case_id,
                type=etype,
                payload=payload,
                author=HQ,
                device_id="hq",
                hlc=self.clock.now(),
                wall_time=at,
            )
        )

    def reply(self, minutes: float) -> None:
        at = POSTED + timedelta(minutes=minutes)
        rid = new_id()
        self.add(EventType.REPLY_DRAFTED, {"reply_id": rid, "text": "We are on it", "needs_approval": False}, at)
        self.add(EventType.REPLY_PUBLISHED, {"reply_id": rid, "platform_id": new_id(), "published_at": iso(at)}, at)

    def citizen(self, minutes: float) -> None:
        at = POSTED + timedelta(minutes=minutes)
        self.add(EventType.CITIZEN_REPLIED, {"platform_id": new_id(), "at": iso(at), "text": "any news?"}, at)

    def close(self, minutes: float) -> None:
        self.add(EventType.CLOSED, {"reason": "answered"}, POSTED + timedelta(minutes=minutes))

    def sweep(self, minutes: float) -> list[str]:
        """Record what the clock says is due at ``minutes`` after the post, as HQ's sweep does."""
        now = POSTED + timedelta(minutes=minutes)
        marks = marks_due(facts_from_history(self.events), POLICY, now)
        for m in marks:
            self.add(m.type, m.payload(), now)
        return [f"{m.type}:{m.deadline.kind}" for m in marks]


def _at(minutes: float) -> datetime:
    return POSTED + timedelta(minutes=minutes)


def test_warns_at_90_breaches_at_120_once() -> None:
    case = Case()
    assert case.sweep(89) == []
    assert case.sweep(90) == ["sla_warned:first_response"]
    assert case.sweep(119) == []
    assert case.sweep(120) == ["sla_breached:first_response"]
    assert case.sweep(121) == []
    assert case.sweep(600) == []
    # a late reply does not turn the breach into a hit
    case.reply(130)
    first = deadlines(facts_from_history(case.events), POLICY)[0]
    assert first.kind is DeadlineKind.FIRST_RESPONSE and first.state(_at(131)) is DeadlineState.MISSED


def test_clock_starts_at_the_platforms_time_not_the_poll() -> None:
    case = Case(polled_after_min=100)  # HQ saw the post 100 minutes late
    first = deadlines(facts_from_history(case.events), POLICY)[0]
    assert first.due_at == _at(120)
    assert case.sweep(100) == ["sla_warned:first_response"]


def test_a_reply_in_time_is_a_hit_and_marks_nothing() -> None:
    case = Case()
    case.reply(45)
    assert case.sweep(500) == []
    first = deadlines(facts_from_history(case.events), POLICY)[0]
    assert first.state(_at(500)) is DeadlineState.MET


def test_citizen_reply_reopens_next_response() -> None:
    case = Case()
    case.reply(10)
    case.citizen(20)
    case.citizen(30)  # still waiting: does not restart the clock
    items = deadlines(facts_from_history(case.events), POLICY)
    nxt = [d for d in items if d.kind is DeadlineKind.NEXT_RESPONSE]
    assert len(nxt) == 1 and nxt[0].started_at == _at(20) and nxt[0].due_at == _at(140)
    assert case.sweep(140) == ["sla_warned:next_response", "sla_breached:next_response"]
    case.reply(150)
    case.citizen(160)
    nxt = [d for d in deadlines(facts_from_history(case.events), POLICY) if d.kind is DeadlineKind.NEXT_RESPONSE]
    assert [d.state(_at(170)) for d in nxt] == [DeadlineState.MISSED, DeadlineState.RUNNING]


def test_citizen_reply_before_first_response_starts_nothing() -> None:
    case = Case()
    case.citizen(5)
    kinds = [d.kind for d in deadlines(facts_from_history(case.events), POLICY)]
    assert kinds == [DeadlineKind.FIRST_RESPONSE, DeadlineKind.RESOLUTION]


def test_per_category_first_response() -> None:
    policy = SlaPolicy(first_response_by_category={"womens_safety": 30})
    case = Case(category=ComplaintCategory.WOMENS_SAFETY)
    first = deadlines(facts_from_history(case.events), policy)[0]
    assert first.due_at == _at(30) and first.warn_at == _at(0)
    case.add(EventType.CATEGORISED, {"category": "traffic"})
    assert deadlines(facts_from_history(case.events), policy)[0].due_at == _at(120)


def test_not_actionable_and_duplicates_have_no_clock() -> None:
    case = Case()
    case.add(EventType.CATEGORISED, {"category": "not_actionable"})
    assert deadlines(facts_from_history(case.events), POLICY) == []
    other = Case()
    other.add(EventType.DUPLICATE_LINKED, {"duplicate_of": case.case_id})
    assert other.sweep(500) == []


def test_soft_alert_and_queue_row() -> None:
    case = Case()
    items = deadlines(facts_from_history(case.events), POLICY)
    assert soft_alert(items, _at(10)) is None
    assert soft_alert(items, _at(95)) is SoftAlert.COMPLAINT_SLA_WARNING
    assert soft_alert(items, _at(125)) is SoftAlert.COMPLAINT_SLA_BREACH
    row = queue_row(complaint_view(case.case_id, case.events), POLICY, _at(95))
    assert row["signal"] == "complaint_sla_warning"
    assert row["due"]["deadline"] == "first_response" and row["due"]["remaining_s"] == 25 * 60
    assert row["author_handle"] == "@citizen" and row["platform"] == "x"


# ---- properties over random histories ------------------------------------------------------------

ACTIONS = st.lists(
    st.tuples(st.sampled_from(["reply", "citizen", "sweep", "close"]), st.integers(0, 6000)), max_size=25
)


@settings(max_examples=150, deadline=None)
@given(ACTIONS)
def test_each_deadline_marked_at_most_once_and_warning_first(actions: list[tuple[str, int]]) -> None:
    case = Case()
    closed = False
    for what, minute in sorted(actions, key=lambda a: a[1]):
        if what == "reply":
            case.reply(minute)
        elif what == "citizen":
            case.citizen(minute)
        elif what == "close" and not closed:
            case.close(minute)
            closed = True
        else:
            case.sweep(minute)
    case.sweep(10_000)
    assert case.sweep(10_001) == []  # nothing left to record: a pure function of the history
    seen: dict[str, list[str]] = {}
    for e in case.events:
        if e.type in (EventType.SLA_WARNED, EventType.SLA_BREACHED):
            seen.setdefault(f"{e.payload['deadline']}@{e.payload['started_at']}", []).append(str(e.type))
    for marks in seen.values():
        assert marks in (["sla_warned"], ["sla_warned", "sla_breached"])
    # every deadline ends met (perhaps warned, never breached), or missed/breached (breach recorded)
    for d in deadlines(facts_from_history(case.events), POLICY):
        key = f"{d.kind}@{iso(d.started_at)}"
        if d.state(_at(10_001)) is DeadlineState.MET:
            assert "sla_breached" not in seen.get(key, [])
        else:
            assert seen[key] == ["sla_warned", "sla_breached"]


@settings(max_examples=150, deadline=None)
@given(ACTIONS, st.integers(0, 6000), st.integers(0, 6000))
def test_unmet_deadline_states_move_forward_in_time(actions: list[tuple[str, int]], a: int, b: int) -> None:
    case = Case()
    for what, minute in sorted(actions, key=lambda x: x[1]):
        if what == "reply":
            case.reply(minute)
        elif what == "citizen":
            case.citizen(minute)
    order = [DeadlineState.RUNNING, DeadlineState.WARNING, DeadlineState.BREACHED]
    early, late = sorted((a, b))
    for d in deadlines(facts_from_history(case.events), POLICY):
        assert d.due_at - d.started_at == timedelta(minutes=POLICY.minutes(d.kind, None))
        if d.met_at is None:
            assert order.index(d.state(_at(early))) <= order.index(d.state(_at(late)))
        else:
            assert d.state(_at(early)) == d.state(_at(late))  # decided once
