"""The projection columns behind the alarm tiers, due follow-ups, raised cases and a console's own
refused acknowledgement, through a real SQLCipher store and ``core.store.service.record``."""

from __future__ import annotations

import json
from datetime import timedelta

from core.alarm import RingReason, refused_silences, ringing_cases
from core.events import Author, EventType, Tier, iso
from core.hlc import HybridClock
from core.store import LocalStore, QueueFilter
from core.store.service import record
from tests.unit.core.conftest import DEFAULT_PAYLOADS, T0, EventMaker

NOW = T0 + timedelta(hours=1)
HQ_OPERATOR = Author("u-hq", "HC Verma (HQ)", Tier.HQ)
DISTRICT_OPERATOR = Author("u-1", "Insp. Meena", Tier.DISTRICT)


def _seed(store: LocalStore, maker: EventMaker, **over: object) -> str:
    created = maker.created(**over)
    with store.unit_of_work() as uow:
        uow.events.apply_remote([created.with_seq(1)])
        uow.commit()
    return created.case_id


def test_hq_and_district_alarm_columns(store: LocalStore, maker: EventMaker) -> None:
    case_id = _seed(store, maker)
    clock = HybridClock("dev-hq")
    record(store, clock, HQ_OPERATOR, case_id, EventType.ACKNOWLEDGED, {}, now=NOW)
    with store.reader() as r:
        row = r.cases.get(case_id)
        assert row is not None
        assert row.needs_alarm and not row.hq_needs_alarm
        assert row.hq_acknowledged_at == iso(NOW) and row.acknowledged_at is None and row.status == "new"
        assert [c.case_id for c in r.cases.alarming(Tier.DISTRICT)] == [case_id]
        assert r.cases.alarming(Tier.HQ) == []
        rows = r.cases.alarming(Tier.DISTRICT)
    # an HQ console is quiet, a district console rings
    assert ringing_cases(rows, NOW, 10, Tier.HQ) == []
    assert [(x.case_id, x.reason) for x in ringing_cases(rows, NOW, 10, Tier.DISTRICT)] == [
        (case_id, RingReason.UNACKNOWLEDGED)
    ]
    record(store, HybridClock("dev-d"), DISTRICT_OPERATOR, case_id, EventType.ACKNOWLEDGED, {}, now=NOW)
    with store.reader() as r:
        assert r.cases.alarming(Tier.DISTRICT) == []
        row = r.cases.get(case_id)
        assert row is not None and row.acknowledged_at == iso(NOW) and row.status == "acknowledged"


def test_a_raised_tip_is_listed_and_alarmed_as_suicide_risk(store: LocalStore, maker: EventMaker) -> None:
    case_id = _seed(store, maker, kind="tip")
    with store.reader() as r:
        assert r.cases.alarming() == [] and r.cases.alarming(Tier.HQ) == []
    record(store, HybridClock("dev-d"), DISTRICT_OPERATOR, case_id, EventType.RISK_RAISED, {"reason": "says goodbye"})
    with store.reader() as r:
        row = r.cases.get(case_id)
        assert row is not None and row.kind == "suicide_risk" and row.needs_alarm and row.hq_needs_alarm
        assert [c.case_id for c in r.cases.queue(QueueFilter(kinds=frozenset({"suicide_risk"})))] == [case_id]
        state = r.cases.state(case_id)
        assert state is not None and state.kind == "tip" and state.risk_raised_reason == "says goodbye"


def test_follow_ups_due_filter(store: LocalStore, maker: EventMaker) -> None:
    due_case, later_case, no_case = _seed(store, maker), _seed(store, maker), _seed(store, maker)
    clock = HybridClock("dev-d")
    note = dict(DEFAULT_PAYLOADS[EventType.COUNSELLING_NOTE])
    # written with an offset: the column holds UTC text, so text order is time order
    record(
        store,
        clock,
        DISTRICT_OPERATOR,
        due_case,
        EventType.COUNSELLING_NOTE,
        note | {"follow_up_date": "2026-11-23T09:00:00+05:30"},
        now=NOW,
    )
    record(
        store,
        clock,
        DISTRICT_OPERATOR,
        later_case,
        EventType.FOLLOW_UP_SCHEDULED,
        {"due": iso(T0 + timedelta(days=5))},
        now=NOW,
    )
    record(store, clock, DISTRICT_OPERATOR, no_case, EventType.COUNSELLING_NOTE, note, now=NOW)
    for case_id in (due_case, later_case):
        for etype in (EventType.ACKNOWLEDGED, EventType.OUTCOME_RECORDED, EventType.CLOSED):
            record(store, clock, DISTRICT_OPERATOR, case_id, etype, dict(DEFAULT_PAYLOADS[etype]), now=NOW)
    by_tomorrow = QueueFilter(follow_ups_due_by=iso(T0 + timedelta(days=1)))
    with store.reader() as r:
        row = r.cases.get(due_case)
        assert row is not None and row.follow_up_due == "2026-11-23T03:30:00.000Z" and row.status == "closed"
        # closed cases included: aftercare goes on after the case is closed
        assert [c.case_id for c in r.cases.queue(by_tomorrow)] == [due_case]
        assert r.cases.count(by_tomorrow) == 1
        in_a_week = QueueFilter(follow_ups_due_by=iso(T0 + timedelta(days=7)))
        assert {c.case_id for c in r.cases.queue(in_a_week)} == {due_case, later_case}
        state = r.cases.state(due_case)
        assert state is not None
        follow_up_id = state.open_follow_ups()[0].id
    record(store, clock, DISTRICT_OPERATOR, due_case, EventType.FOLLOW_UP_DONE, {"follow_up_id": follow_up_id})
    with store.reader() as r:
        assert r.cases.queue(by_tomorrow) == []


def test_a_refused_acknowledgement_silences_this_console_and_says_why(store: LocalStore, maker: EventMaker) -> None:
    case_id = _seed(store, maker)
    ack = record(store, HybridClock("dev-d"), DISTRICT_OPERATOR, case_id, EventType.ACKNOWLEDGED, {}, now=NOW)
    with store.reader() as r:
        assert r.cases.alarming() == []  # pending: the fold counts it
    with store.unit_of_work() as uow:
        uow.outbox.mark_rejected(ack.id, "HQ has no such case", "unknown_case")
        uow.commit()
    with store.reader() as r:
        rows = r.cases.alarming()
    assert [x.case_id for x in rows] == [case_id]  # HQ's truth: unacknowledged
    silence = json.loads(rows[0].refused_silence or "{}")
    assert silence["ack"]["reason"] == "HQ has no such case" and silence["ack"]["tier"] == "district"
    # ... but this console does not ring for it; it reports the refusal instead
    assert ringing_cases(rows, NOW, 10) == []
    refusals = refused_silences(rows, NOW)
    assert [(x.case_id, x.what, x.reason, x.by) for x in refusals] == [
        (case_id, "ack", "HQ has no such case", "Insp. Meena")
    ]
    # the same row on an HQ console (another tier) still rings there
    assert [x.case_id for x in ringing_cases(rows, NOW, 10, Tier.HQ)] == [case_id]


def test_a_refused_mute_silences_this_console_until_it_ends(store: LocalStore, maker: EventMaker) -> None:
    case_id = _seed(store, maker)
    until = NOW + timedelta(minutes=5)
    mute = record(
        store,
        HybridClock("dev-d"),
        DISTRICT_OPERATOR,
        case_id,
        EventType.ALARM_MUTED,
        {"reason": "on a call", "until": iso(until)},
        now=NOW,
    )
    with store.unit_of_work() as uow:
        uow.outbox.mark_rejected(mute.id, "HQ has no such case", "unknown_case")
        uow.commit()
    with store.reader() as r:
        rows = r.cases.alarming()
    assert rows[0].muted_until is None
    assert ringing_cases(rows, NOW, 10) == []
    assert [x.what for x in refused_silences(rows, NOW)] == ["mute"]
    assert [x.case_id for x in ringing_cases(rows, until, 10)] == [case_id]
    assert refused_silences(rows, until) == []
