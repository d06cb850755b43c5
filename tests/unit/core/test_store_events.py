"""The event log on real SQLCipher files: local appends, history in fold order, and events from HQ."""

from __future__ import annotations

import dataclasses
import uuid

import pytest

from core.errors import InvalidEvent
from core.events import EventType
from core.fold import Status, fold
from core.store import LocalStore, QueueFilter, SyncState
from core.store.projection import projection_row
from tests.unit.core.conftest import EventMaker, commit

# -- event log --------------------------------------------------------------------------------------


def test_append_local_is_pending_in_creation_order(store: LocalStore, maker: EventMaker) -> None:
    c1 = maker.created()
    ack = maker.event(c1.case_id, EventType.ACKNOWLEDGED)
    c2 = maker.created()
    commit(store, c1, ack)
    commit(store, c2)
    with store.reader() as r:
        assert [e.id for e in r.outbox.pending()] == [c1.id, ack.id, c2.id]
        assert [e.id for e in r.outbox.pending(limit=2)] == [c1.id, ack.id]
        stored = r.events.get(ack.id)
        assert stored is not None and stored.sync_state is SyncState.PENDING and stored.event == ack
        assert stored.event.payload == ack.payload
        assert r.outbox.counts() == (3, 0)


def test_append_same_event_twice_is_a_no_op_but_a_reused_id_is_refused(store: LocalStore, maker: EventMaker) -> None:
    created = maker.created()
    commit(store, created)
    commit(store, created)
    other = maker.created()
    forged = dataclasses.replace(other, id=created.id)
    with store.unit_of_work() as uow, pytest.raises(InvalidEvent, match="already used"):
        uow.events.append_local(forged)
    with store.reader() as r:
        assert r.events.count() == 1


def test_append_validates_the_event(store: LocalStore, maker: EventMaker) -> None:
    good = maker.created()
    bad = dataclasses.replace(good, payload={**good.payload, "priority": 9})
    with store.unit_of_work() as uow, pytest.raises(InvalidEvent, match="priority"):
        uow.events.append_local(bad)


def test_history_is_in_fold_order_and_includes_rejected(store: LocalStore) -> None:
    a, b = EventMaker("dev-a"), EventMaker("dev-b")
    created = a.created()
    ack = b.event(created.case_id, EventType.ACKNOWLEDGED)
    note = a.event(created.case_id, EventType.COUNSELLING_NOTE)
    commit(store, note, created, ack)
    with store.unit_of_work() as uow:
        uow.outbox.mark_rejected(note.id, "not allowed", "forbidden")
        uow.commit()
    with store.reader() as r:
        history = r.events.history(created.case_id)
        assert [s.event.id for s in history] == [e.id for e in sorted([created, ack, note], key=lambda e: e.sort_key)]
        assert {s.event.id: s.sync_state for s in history}[note.id] is SyncState.REJECTED
        assert note.id not in {e.id for e in r.events.for_fold(created.case_id)}


# -- remote events ----------------------------------------------------------------------------------


def test_apply_remote_is_idempotent(store: LocalStore) -> None:
    hq = EventMaker("hq")
    created = hq.created().with_seq(1)
    ack = hq.event(created.case_id, EventType.ACKNOWLEDGED).with_seq(2)
    with store.unit_of_work() as uow:
        assert uow.events.apply_remote([created, ack]) == [created.case_id]
        uow.commit()
    with store.reader() as r:
        before = (r.events.history(created.case_id), r.cases.get(created.case_id), r.cases.state(created.case_id))
    with store.unit_of_work() as uow:
        assert uow.events.apply_remote([ack, created, ack]) == []
        uow.commit()
    with store.reader() as r:
        after = (r.events.history(created.case_id), r.cases.get(created.case_id), r.cases.state(created.case_id))
        assert after == before
        assert all(s.sync_state is SyncState.ACCEPTED for s in after[0])
        assert [s.event.hq_seq for s in after[0]] == [1, 2]
        assert r.outbox.counts() == (0, 0)


def test_apply_remote_settles_our_own_event_coming_back(store: LocalStore, maker: EventMaker) -> None:
    created = maker.created()
    commit(store, created)
    with store.unit_of_work() as uow:
        assert uow.events.apply_remote([created.with_seq(7)]) == [created.case_id]
        uow.commit()
    with store.reader() as r:
        stored = r.events.get(created.id)
        assert stored is not None and stored.sync_state is SyncState.ACCEPTED and stored.event.hq_seq == 7
        assert r.outbox.pending() == []
        row = r.cases.get(created.case_id)
        assert row is not None and row.pending_count == 0


def test_apply_remote_new_hq_seq_after_epoch_change(store: LocalStore) -> None:
    created = EventMaker("hq").created()
    with store.unit_of_work() as uow:
        uow.events.apply_remote([created.with_seq(5)])
        uow.events.apply_remote([created.with_seq(1)])
        uow.commit()
    with store.reader() as r:
        stored = r.events.get(created.id)
        assert stored is not None and stored.event.hq_seq == 1


def test_apply_remote_conflicting_copy_is_replaced_by_hqs(store: LocalStore, maker: EventMaker) -> None:
    created = maker.created()
    commit(store, created)
    hq_copy = dataclasses.replace(created, payload={**created.payload, "priority": 1}).with_seq(3)
    with store.unit_of_work() as uow:
        uow.events.apply_remote([hq_copy])
        uow.commit()
    with store.reader() as r:
        stored = r.events.get(created.id)
        assert stored is not None and stored.event.payload["priority"] == 1
        state = r.cases.state(created.case_id)
        assert state is not None and state.priority == 1


def test_apply_remote_validates(store: LocalStore) -> None:
    created = EventMaker("hq").created()
    bad = dataclasses.replace(created, hlc="garbage")
    with store.unit_of_work() as uow, pytest.raises(InvalidEvent, match="hlc"):
        uow.events.apply_remote([bad])



def test_apply_remote_validated_skips_only_validation(store: LocalStore) -> None:
    """``validated=True`` is for events ``Event.from_wire`` already checked (the pull path); the
    default still refuses a bad event, and the sync adapter passes it only for parsed pages."""
    created = EventMaker("hq").created()
    bad = dataclasses.replace(created, hlc="garbage")
    with store.unit_of_work() as uow, pytest.raises(InvalidEvent, match="hlc"):
        uow.events.apply_remote([bad], validated=False)
    with store.unit_of_work() as uow:
        assert uow.events.apply_remote([created.with_seq(1)], validated=True) == [created.case_id]
        uow.commit()
    with store.reader() as r:
        assert r.cases.state(created.case_id) == fold(created.case_id, [created])


def _rows_equal_refolds(store: LocalStore) -> None:
    with store.reader() as r:
        sql = r.connection.exec_driver_sql
        rows = {m["case_id"]: dict(m) for m in sql("SELECT * FROM cases").mappings()}
        for case_id in {str(c) for c in sql("SELECT DISTINCT case_id FROM events").scalars()}:
            history = r.events.history(case_id)
            states = [h.sync_state for h in history]
            state = fold(case_id, [h.event for h in history if h.sync_state is not SyncState.REJECTED])
            if rows.get(case_id, {}).get("purged"):
                continue
            if not state.exists:
                assert case_id not in rows
                continue
            refused = [(h.event, h.reject_reason) for h in history if h.sync_state is SyncState.REJECTED]
            expected = projection_row(
                state, states.count(SyncState.PENDING), states.count(SyncState.REJECTED), refused
            )
            assert rows[case_id] == expected, case_id


def test_apply_remote_folds_new_cases_from_memory_like_a_refold(store: LocalStore, maker: EventMaker) -> None:
    """Cases with nothing stored are folded from the page; mixed with cases that already have events,
    a case split over two pages and two calls in one unit of work, and payload keys in another
    order than the stored (sorted) JSON: every row equals a refold of the stored log."""
    hq = EventMaker("hq")
    known = maker.created()
    commit(store, known)
    split = hq.created()
    fresh = [hq.created() for _ in range(3)]
    reversed_keys = hq.created(subject={"post_text": "x", "name": "Zed", "phones": ["+919800000002"]})
    orphan = hq.event(str(uuid.uuid4()), EventType.ACKNOWLEDGED)  # no created event (yet)
    page1 = [split, *fresh, reversed_keys, orphan, hq.event(known.case_id, EventType.ACKNOWLEDGED)]
    page1 += [hq.event(c.case_id, EventType.ACKNOWLEDGED) for c in fresh]
    page2 = [hq.event(split.case_id, EventType.ESCALATED), hq.event(fresh[0].case_id, EventType.CLOSED)]
    seq = 0

    def numbered(events):  # type: ignore[no-untyped-def]
        nonlocal seq
        out = []
        for e in events:
            seq += 1
            out.append(e.with_seq(seq))
        return out

    p1, p2 = numbered(page1), numbered(page2)
    with store.unit_of_work() as uow:
        uow.events.apply_remote(p1, validated=True)
        uow.events.apply_remote(p2, validated=True)  # the split case now has stored events: a refold
        uow.commit()
    _rows_equal_refolds(store)
    with store.unit_of_work() as uow:
        assert uow.events.apply_remote(p1 + p2, validated=True) == []
        uow.commit()
    _rows_equal_refolds(store)
    with store.reader() as r:
        assert r.cases.count(QueueFilter(include_closed=True)) == 6
        assert r.cases.get(orphan.case_id) is None
        state = r.cases.state(fresh[0].case_id)
        assert state is not None and state.status is Status.CLOSED


def test_apply_remote_then_requeue_in_one_unit_of_work_counts_pending(store: LocalStore) -> None:
    """An epoch change requeues our own events after a page in the same unit of work was folded from
    memory: the counts come from the stored log, not from the page."""
    own = EventMaker("dev-own")
    created = own.created().with_seq(1)
    with store.unit_of_work() as uow:
        uow.events.apply_remote([created], validated=True)
        assert uow.outbox.requeue_own("dev-own") == 1
        uow.commit()
    with store.reader() as r:
        row = r.cases.get(created.case_id)
        assert row is not None and row.pending_count == 1
    _rows_equal_refolds(store)


def test_apply_remote_keeps_a_tombstone_without_its_created_event(store: LocalStore) -> None:
    hq = EventMaker("hq")
    created = hq.created().with_seq(1)
    with store.unit_of_work() as uow:
        uow.events.apply_remote([created], validated=True)
        uow.commit()
    with store.unit_of_work() as uow:
        uow.cases.purge(created.case_id)
        uow.commit()
    late = hq.event(created.case_id, EventType.ACKNOWLEDGED).with_seq(2)
    with store.unit_of_work() as uow:
        uow.events.apply_remote([late], validated=True)
        uow.commit()
    with store.reader() as r:
        row = r.cases.get(created.case_id)
        assert row is not None and row.purged
        assert r.events.get(late.id) is None
