"""The local store's API on real SQLCipher files: units of work, log, projection, outbox, meta, drafts."""

from __future__ import annotations

import dataclasses
import threading
import uuid
from datetime import timedelta
from pathlib import Path

import pytest

from core.errors import CommandRefused, InvalidEvent, StoreUnavailable
from core.events import Author, EventType, iso
from core.fold import Status, fold
from core.hlc import HybridClock
from core.store import LocalStore, QueueFilter, StoreKey, SyncState, record
from core.store.projection import projection_row
from tests.unit.core.conftest import T0, EventMaker, created_payload


def _commit(store: LocalStore, *events) -> None:
    with store.unit_of_work() as uow:
        for e in events:
            uow.events.append_local(e)
        uow.commit()


# -- connection rules -------------------------------------------------------------------------------


def test_every_pooled_connection_is_durable_and_keyed(store: LocalStore) -> None:
    with store.reader() as r:
        conn = r.connection
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA secure_delete").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000
        assert conn.exec_driver_sql("PRAGMA cache_size").scalar() == -32 * 1024
        assert conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == 10_000
        assert conn.exec_driver_sql("PRAGMA cipher_version").scalar()


def test_device_id_is_made_once_and_kept(tmp_path, store_key) -> None:
    path = tmp_path / "s.db"
    with LocalStore.open(path, store_key) as first:
        device = first.device_id
    with LocalStore.open(path, store_key) as again:
        assert again.device_id == device
        with again.reader() as r:
            assert r.meta.device_id == device
    assert uuid.UUID(device)


def test_open_refuses_missing_file_when_not_creating(tmp_path, store_key) -> None:
    with pytest.raises(StoreUnavailable, match="no local store"):
        LocalStore.open(tmp_path / "absent.db", store_key, create=False)


def test_open_refuses_a_key_of_the_wrong_size(tmp_path) -> None:
    with pytest.raises(ValueError):
        LocalStore.open(tmp_path / "s.db", b"short")


# -- unit of work -----------------------------------------------------------------------------------


def test_nothing_is_kept_without_commit(store: LocalStore, maker: EventMaker) -> None:
    created = maker.created()
    with store.unit_of_work() as uow:
        uow.events.append_local(created)
        uow.drafts.save(created.case_id, "dispatch", {"officer": "x"})
        uow.meta.cursor = 42
        assert uow.cases.state(created.case_id) is not None  # visible inside the unit of work
    with store.reader() as r:
        assert r.events.get(created.id) is None
        assert r.cases.get(created.case_id) is None
        assert r.drafts.load(created.case_id, "dispatch") is None
        assert r.meta.cursor == 0


def test_an_exception_rolls_back_and_propagates(store: LocalStore, maker: EventMaker) -> None:
    created = maker.created()
    with pytest.raises(ZeroDivisionError), store.unit_of_work() as uow:
        uow.events.append_local(created)
        1 / 0  # noqa: B018
    with store.reader() as r:
        assert r.events.count() == 0


def test_explicit_rollback_then_more_work(store: LocalStore, maker: EventMaker) -> None:
    a, b = maker.created(), maker.created()
    with store.unit_of_work() as uow:
        uow.events.append_local(a)
        uow.rollback()
        uow.events.append_local(b)
        uow.commit()
    with store.reader() as r:
        assert r.events.get(a.id) is None
        assert r.events.get(b.id) is not None
        assert r.cases.get(a.case_id) is None


def test_reader_refuses_writes(store: LocalStore, maker: EventMaker) -> None:
    with store.reader() as r:
        with pytest.raises(RuntimeError, match="reader"):
            r.events.append_local(maker.created())
        with pytest.raises(RuntimeError):
            r.commit()


def test_unit_of_work_outside_with_block_is_a_bug(store: LocalStore) -> None:
    uow = store.unit_of_work()
    with pytest.raises(RuntimeError, match="outside"):
        uow.events.count()


def test_commit_then_continue_in_the_same_unit_of_work(store: LocalStore, maker: EventMaker) -> None:
    a, b = maker.created(), maker.created()
    with store.unit_of_work() as uow:
        uow.events.append_local(a)
        uow.commit()
        uow.events.append_local(b)
        # not committed: b is rolled back on exit, a stays
    with store.reader() as r:
        assert r.events.get(a.id) is not None
        assert r.events.get(b.id) is None


# -- event log --------------------------------------------------------------------------------------


def test_append_local_is_pending_in_creation_order(store: LocalStore, maker: EventMaker) -> None:
    c1 = maker.created()
    ack = maker.event(c1.case_id, EventType.ACKNOWLEDGED)
    c2 = maker.created()
    _commit(store, c1, ack)
    _commit(store, c2)
    with store.reader() as r:
        assert [e.id for e in r.outbox.pending()] == [c1.id, ack.id, c2.id]
        assert [e.id for e in r.outbox.pending(limit=2)] == [c1.id, ack.id]
        stored = r.events.get(ack.id)
        assert stored is not None and stored.sync_state is SyncState.PENDING and stored.event == ack
        assert stored.event.payload == ack.payload
        assert r.outbox.counts() == (3, 0)


def test_append_same_event_twice_is_a_no_op_but_a_reused_id_is_refused(store: LocalStore, maker: EventMaker) -> None:
    created = maker.created()
    _commit(store, created)
    _commit(store, created)
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
    _commit(store, note, created, ack)
    with store.unit_of_work() as uow:
        uow.outbox.mark_rejected(note.id, "not allowed", "forbidden")
        uow.commit()
    with store.reader() as r:
        history = r.events.history(created.case_id)
        assert [s.event.id for s in history] == [e.id for e in sorted([created, ack, note], key=lambda e: e.sort_key)]
        assert {s.event.id: s.sync_state for s in history}[note.id] is SyncState.REJECTED
        assert note.id not in {e.id for e in r.events.for_fold(created.case_id)}


# -- projection -------------------------------------------------------------------------------------


def test_projection_matches_a_refold_after_every_write(store: LocalStore, maker: EventMaker) -> None:
    created = maker.created()
    steps = [
        created,
        maker.event(created.case_id, EventType.ACKNOWLEDGED),
        maker.event(created.case_id, EventType.DISPATCHED),
        maker.event(created.case_id, EventType.OUTCOME_RECORDED),
        maker.event(created.case_id, EventType.CLOSED),
    ]
    done = []
    for event in steps:
        _commit(store, event)
        done.append(event)
        with store.reader() as r:
            assert r.cases.state(created.case_id) == fold(created.case_id, done)
    with store.reader() as r:
        row = r.cases.get(created.case_id)
        assert row is not None
        assert row.status == "closed" and row.pending_count == 5 and not row.needs_alarm
        assert row.subject_name == "Ravi Kumar" and row.police_station == "Kankarbagh"


def test_state_is_none_for_an_unknown_case(store: LocalStore) -> None:
    with store.reader() as r:
        assert r.cases.state(str(uuid.uuid4())) is None


def test_state_falls_back_to_a_refold_when_state_json_is_unreadable(store: LocalStore, maker: EventMaker) -> None:
    created = maker.created()
    _commit(store, created, maker.event(created.case_id, EventType.ACKNOWLEDGED))
    with store.unit_of_work() as uow:
        uow.connection.exec_driver_sql("UPDATE cases SET state_json = '{\"_v\": 0}'")
        uow.commit()
    with store.reader() as r:
        state = r.cases.state(created.case_id)
        assert state is not None and state.status is Status.ACKNOWLEDGED


def test_projection_version_change_rebuilds_every_row_at_open(tmp_path, store_key, maker: EventMaker) -> None:
    path = tmp_path / "s.db"
    created = maker.created()
    with LocalStore.open(path, store_key) as s:
        _commit(s, created)
        with s.unit_of_work() as uow:
            uow.connection.exec_driver_sql("UPDATE cases SET status = 'bogus', state_json = 'x'")
            uow.meta.set("projection_version", "0")
            uow.commit()
    with LocalStore.open(path, store_key) as s, s.reader() as r:
        row = r.cases.get(created.case_id)
        assert row is not None and row.status == "new"
        assert r.cases.state(created.case_id) == fold(created.case_id, [created])


def test_queue_order_counts_and_filters(store: LocalStore, maker: EventMaker) -> None:
    def at(minutes: int) -> str:
        return iso(T0 + timedelta(minutes=minutes))

    old_normal = maker.created(priority=3, received_at=at(0), kind="tip")
    new_critical = maker.created(priority=1, received_at=at(10), police_station="Patliputra")
    alarm_late = maker.created(priority=4, received_at=at(20))  # suicide risk, not acknowledged
    acked = maker.created(priority=1, received_at=at(5))
    closed = maker.created(priority=1, received_at=at(1), kind="tip")
    _commit(store, old_normal, new_critical, alarm_late, acked, closed)
    _commit(
        store,
        maker.event(new_critical.case_id, EventType.ACKNOWLEDGED),
        maker.event(acked.case_id, EventType.ACKNOWLEDGED),
        maker.event(closed.case_id, EventType.CLOSED),
    )
    with store.reader() as r:
        # alarming first (both unacknowledged suicide risks), then priority, then oldest first
        order = [row.case_id for row in r.cases.queue()]
        assert order == [alarm_late.case_id, acked.case_id, new_critical.case_id, old_normal.case_id]
        # old_normal is a tip and the others are acknowledged: alarm_late is the only alarming one
        assert r.cases.count() == 4
        assert [row.case_id for row in r.cases.alarming()] == [alarm_late.case_id]
        assert [row.case_id for row in r.cases.queue(limit=2, offset=1)] == order[1:3]
        assert r.cases.count(QueueFilter(include_closed=True)) == 5
        assert {row.case_id for row in r.cases.queue(QueueFilter(statuses=frozenset({"closed"})))} == {closed.case_id}
        assert r.cases.count(QueueFilter(statuses=frozenset({"acknowledged"}))) == 2
        assert r.cases.count(QueueFilter(kinds=frozenset({"tip"}))) == 1
        assert r.cases.count(QueueFilter(kinds=frozenset({"tip"}), include_closed=True)) == 2
        assert [row.case_id for row in r.cases.queue(QueueFilter(police_station="Patliputra"))] == [
            new_critical.case_id
        ]
        assert r.cases.stations() == ["Kankarbagh", "Patliputra"]


def test_search_any_script_every_word(store: LocalStore, maker: EventMaker) -> None:
    ravi = maker.created()
    sunita = maker.created(
        subject={"name": "Sunita Devi", "phones": ["+91 98 7777 1234"], "post_text": "100% done_now"},
        upstream_ref="META-XYZ-77",
        location={"text": "Danapur"},
    )
    _commit(store, ravi, sunita)

    def found(text: str) -> set[str]:
        with store.reader() as r:
            return {row.case_id for row in r.cases.queue(QueueFilter(search=text, include_closed=True))}

    assert found("ravi") == {ravi.case_id}
    assert found("RAVI kumar") == {ravi.case_id}
    assert found("सहा") == {ravi.case_id}  # Devanagari post text
    assert found("7777") == {sunita.case_id}
    assert found("meta-xyz") == {sunita.case_id}
    assert found("danapur sunita") == {sunita.case_id}
    assert found("danapur ravi") == set()
    assert found("100%") == {sunita.case_id}  # no LIKE wildcards
    assert found("_") == {sunita.case_id}
    assert found(ravi.case_id[:8]) == {ravi.case_id}


def test_search_matches_the_start_of_a_long_post_only(store: LocalStore, maker: EventMaker) -> None:
    from core.store.projection import SEARCH_POST_CHARS

    post = "early-word " + "x" * SEARCH_POST_CHARS + " late-word"
    case = maker.created(subject={"name": "A", "post_text": post})
    _commit(store, case)
    with store.reader() as r:
        assert len(r.cases.queue(QueueFilter(search="early-word"))) == 1
        assert r.cases.queue(QueueFilter(search="late-word")) == []


def test_queue_uses_the_partial_index(store: LocalStore) -> None:
    from sqlalchemy.dialects import sqlite

    from core.store import schema as t

    query = (
        __import__("sqlalchemy").select(t.cases.c.case_id).where(t.OPEN_CASES).order_by(*t.QUEUE_ORDER).limit(500)
    )
    sql = str(query.compile(dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True}))
    with store.reader() as r:
        plan = " ".join(str(row[-1]) for row in r.connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}"))
    assert "ix_cases_queue" in plan and "TEMP B-TREE" not in plan


def test_changed_since(store: LocalStore, maker: EventMaker) -> None:
    a = maker.created()
    _commit(store, a)
    mark = maker.clock.now()
    b = maker.created()
    _commit(store, b)
    with store.reader() as r:
        assert r.cases.changed_since(None) == [a.case_id, b.case_id]
        assert r.cases.changed_since(mark) == [b.case_id]


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
    _commit(store, created)
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
    _commit(store, created)
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
    _commit(store, known)
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


# -- outbox -----------------------------------------------------------------------------------------


def test_mark_accepted_and_rejected(store: LocalStore, maker: EventMaker) -> None:
    created = maker.created()
    ack = maker.event(created.case_id, EventType.ACKNOWLEDGED)
    dispatch = maker.event(created.case_id, EventType.DISPATCHED)
    _commit(store, created, ack, dispatch)
    with store.unit_of_work() as uow:
        uow.outbox.mark_accepted(created.id, 11)
        uow.outbox.mark_accepted(ack.id, 12)
        uow.outbox.mark_rejected(dispatch.id, "the case is closed at HQ", "refused")
        uow.outbox.mark_accepted(str(uuid.uuid4()), 99)  # unknown id: ignored
        uow.commit()
    with store.reader() as r:
        assert r.outbox.counts() == (0, 1)
        assert r.outbox.pending() == []
        [rejected] = r.outbox.rejected()
        assert rejected.event.id == dispatch.id
        assert (rejected.reject_reason, rejected.reject_code) == ("the case is closed at HQ", "refused")
        state = r.cases.state(created.case_id)
        assert state is not None and state.status is Status.ACKNOWLEDGED  # the refused dispatch is left out
        row = r.cases.get(created.case_id)
        assert row is not None and (row.pending_count, row.rejected_count) == (0, 1)
        accepted = r.events.get(ack.id)
        assert accepted is not None and accepted.event.hq_seq == 12


def test_requeue_own(store: LocalStore, maker: EventMaker) -> None:
    mine = maker.created()
    mine_ack = maker.event(mine.case_id, EventType.ACKNOWLEDGED)
    mine_bad = maker.event(mine.case_id, EventType.ESCALATED)
    theirs = EventMaker("dev-b").event(mine.case_id, EventType.COUNSELLING_NOTE).with_seq(3)
    _commit(store, mine, mine_ack, mine_bad)
    with store.unit_of_work() as uow:
        uow.outbox.mark_accepted(mine.id, 1)
        uow.outbox.mark_accepted(mine_ack.id, 2)
        uow.outbox.mark_rejected(mine_bad.id, "no", "forbidden")
        uow.events.apply_remote([theirs])
        uow.commit()
    with store.unit_of_work() as uow:
        assert uow.outbox.requeue_own("dev-a") == 2
        uow.commit()
    with store.reader() as r:
        assert [e.id for e in r.outbox.pending()] == [mine.id, mine_ack.id]
        assert all(e.hq_seq is None for e in r.outbox.pending())
        assert r.outbox.counts() == (2, 1)
        other = r.events.get(theirs.id)
        assert other is not None and other.sync_state is SyncState.ACCEPTED and other.event.hq_seq == 3
        row = r.cases.get(mine.case_id)
        assert row is not None and (row.pending_count, row.rejected_count) == (2, 1)


# -- purge ------------------------------------------------------------------------------------------


def _all_text(store: LocalStore) -> str:
    with store.reader() as r:
        parts = []
        for table in ("events", "cases", "drafts", "meta"):
            parts.extend(repr(tuple(row)) for row in r.connection.exec_driver_sql(f"SELECT * FROM {table}"))
        return "\n".join(parts)


def test_purge_removes_personal_data_everywhere(store: LocalStore, maker: EventMaker) -> None:
    hq = EventMaker("hq")
    created = hq.created(subject={"name": "Zeenat Parveen", "phones": ["+919811112222"]}).with_seq(1)
    keep = hq.created().with_seq(2)
    with store.unit_of_work() as uow:
        uow.events.apply_remote([created, keep])
        uow.commit()
    note = maker.event(created.case_id, EventType.ACKNOWLEDGED)
    _commit(store, note)
    with store.unit_of_work() as uow:
        uow.drafts.save(created.case_id, "outcome", {"detail": "Zeenat is safe"})
        uow.commit()
    assert "Zeenat" in _all_text(store)
    with store.unit_of_work() as uow:
        uow.cases.purge(created.case_id)
        uow.commit()
    text = _all_text(store)
    assert "Zeenat" not in text and "9811112222" not in text
    with store.reader() as r:
        assert r.cases.state(created.case_id) is None
        row = r.cases.get(created.case_id)
        assert row is not None and row.purged and row.subject_name is None and row.summary is None
        assert [c.case_id for c in r.cases.queue(QueueFilter(include_closed=True))] == [keep.case_id]
        assert r.cases.queue(QueueFilter(search="zeenat", include_closed=True)) == []
        assert r.drafts.load(created.case_id, "outcome") is None
        # the local pending acknowledgement stays for the outbox (HQ decides on it)
        assert [e.id for e in r.outbox.pending()] == [note.id]
        assert r.cases.state(keep.case_id) is not None
    # HQ re-delivers the case when it comes back to this district: the row is rebuilt
    with store.unit_of_work() as uow:
        uow.events.apply_remote([created])
        uow.commit()
    with store.reader() as r:
        row = r.cases.get(created.case_id)
        assert row is not None and not row.purged and row.subject_name == "Zeenat Parveen"


def test_pending_events_of_a_purged_case_go_once_hq_accepts_them(store: LocalStore, maker: EventMaker) -> None:
    created = EventMaker("hq").created().with_seq(1)
    with store.unit_of_work() as uow:
        uow.events.apply_remote([created])
        uow.commit()
    ack = maker.event(created.case_id, EventType.ACKNOWLEDGED)
    _commit(store, ack)
    with store.unit_of_work() as uow:
        uow.cases.purge(created.case_id)
        uow.outbox.mark_accepted(ack.id, 7)
        uow.commit()
    with store.reader() as r:
        row = r.cases.get(created.case_id)
        assert row is not None and row.purged and row.rejected_count == 0 and row.pending_count == 0
        assert r.cases.count(QueueFilter(include_closed=True)) == 0
        assert r.events.get(ack.id) is None  # at HQ: nothing of the revoked case remains here
        assert r.outbox.counts() == (0, 0)


def test_refused_event_of_a_purged_case_stays_in_the_refused_list_minimised(
    store: LocalStore, maker: EventMaker
) -> None:
    """HQ refuses an outcome of a case revoked from this district: the refold of the tombstone keeps
    the refused event (type, time, author, reason, outcome code) and drops its free text."""
    created = EventMaker("hq").created(subject={"name": "Zeenat Parveen"}).with_seq(1)
    with store.unit_of_work() as uow:
        uow.events.apply_remote([created])
        uow.commit()
    ack = maker.event(created.case_id, EventType.ACKNOWLEDGED)
    outcome = maker.event(
        created.case_id, EventType.OUTCOME_RECORDED, {"outcome": "safe_counselled", "detail": "Zeenat is safe at home"}
    )
    _commit(store, ack, outcome)
    with store.unit_of_work() as uow:
        uow.cases.purge(created.case_id)
        uow.outbox.mark_accepted(ack.id, 7)
        uow.outbox.mark_rejected(outcome.id, "the case is not in your district", "forbidden")
        uow.commit()
    assert "Zeenat" not in _all_text(store)
    with store.reader() as r:
        row = r.cases.get(created.case_id)
        assert row is not None and row.purged and row.pending_count == 0 and row.rejected_count == 1
        assert r.events.get(ack.id) is None
        assert r.outbox.counts() == (0, 1)
        [kept] = r.outbox.rejected()
    assert kept.event.id == outcome.id and kept.event.type is EventType.OUTCOME_RECORDED
    assert kept.event.payload == {"outcome": "safe_counselled"}
    assert kept.event.author_id == maker.author.user_id and kept.event.wall_time == outcome.wall_time
    assert (kept.reject_reason, kept.reject_code) == ("the case is not in your district", "forbidden")
    record = kept.refusal_record()
    assert record["reason"] == "the case is not in your district"
    assert record["payload"] == {"outcome": "safe_counselled"}

    # dealt with: recorded, out of the list and the count, still stored
    with store.unit_of_work() as uow:
        assert uow.outbox.mark_dealt_with([outcome.id, ack.id], "Insp. Meena (u-1)", "2026-11-29T10:00:00.000Z") == 1
        uow.commit()
    with store.reader() as r:
        assert r.outbox.rejected() == [] and r.outbox.counts() == (0, 0)
        [dealt] = r.outbox.rejected(include_dealt_with=True)
    assert (dealt.dealt_with_by, dealt.dealt_with_at) == ("Insp. Meena (u-1)", "2026-11-29T10:00:00.000Z")


def test_purge_keeps_already_refused_events_without_their_free_text(store: LocalStore, maker: EventMaker) -> None:
    created = EventMaker("hq").created().with_seq(1)
    with store.unit_of_work() as uow:
        uow.events.apply_remote([created])
        uow.commit()
    note = maker.event(
        created.case_id,
        EventType.COUNSELLING_NOTE,
        {
            "officer_name": "SI Verma",
            "officer_rank": "SI",
            "text": "mother's number 9811112222",
            "family_contacted": True,
        },
    )
    _commit(store, note)
    with store.unit_of_work() as uow:
        uow.outbox.mark_rejected(note.id, "refused", "refused")
        uow.commit()
    with store.unit_of_work() as uow:
        uow.cases.purge(created.case_id)
        uow.commit()
    assert "9811112222" not in _all_text(store)
    with store.reader() as r:
        [kept] = r.outbox.rejected()
        assert r.cases.get(created.case_id).rejected_count == 1  # type: ignore[union-attr]
    assert kept.event.payload == {"officer_name": "SI Verma", "officer_rank": "SI", "family_contacted": True}


# -- meta and drafts --------------------------------------------------------------------------------


def test_meta_values_round_trip(store: LocalStore, maker: EventMaker) -> None:
    with store.unit_of_work() as uow:
        assert uow.meta.cursor == 0 and uow.meta.epoch is None and uow.meta.hlc_last() is None
        uow.meta.cursor = 1234
        uow.meta.epoch = "e-1"
        uow.meta.last_sync_at = "2026-11-22T10:00:00.000Z"
        uow.meta.clock_skew_s = -2.5
        uow.meta.set("custom", "v")
        uow.events.append_local(maker.created())
        uow.commit()
    with store.reader() as r:
        assert r.meta.cursor == 1234 and r.meta.epoch == "e-1"
        assert r.meta.last_sync_at == "2026-11-22T10:00:00.000Z" and r.meta.clock_skew_s == -2.5
        assert r.meta.get("custom") == "v"
        assert r.meta.hlc_last() is not None and r.meta.hlc_last().endswith(".dev-a")
    with store.unit_of_work() as uow:
        uow.meta.set("custom", None)
        uow.meta.clock_skew_s = None
        uow.commit()
    with store.reader() as r:
        assert r.meta.get("custom") is None and r.meta.clock_skew_s is None


def test_drafts(store: LocalStore) -> None:
    case_id = str(uuid.uuid4())
    with store.unit_of_work() as uow:
        uow.drafts.save(case_id, "dispatch", {"officer": "SI Rana", "phone": ""})
        uow.drafts.save(case_id, "outcome", {"outcome": "safe_counselled", "detail": "परिवार को सौंपा"})
        uow.commit()
    with store.unit_of_work() as uow:
        uow.drafts.save(case_id, "dispatch", {"officer": "SI Rana", "phone": "+91"})
        uow.commit()
    with store.reader() as r:
        assert r.drafts.load(case_id, "dispatch") == {"officer": "SI Rana", "phone": "+91"}
        assert r.drafts.load(case_id, "outcome") == {"outcome": "safe_counselled", "detail": "परिवार को सौंपा"}
        assert r.drafts.forms(case_id) == ["dispatch", "outcome"]
        assert r.drafts.load(case_id, "other") is None
    with store.unit_of_work() as uow:
        uow.drafts.discard(case_id, "dispatch")
        uow.drafts.discard(case_id, "never-saved")
        uow.commit()
    with store.reader() as r:
        assert r.drafts.forms(case_id) == ["outcome"]


# -- record() ---------------------------------------------------------------------------------------


def test_record_stores_a_decided_event(store: LocalStore) -> None:
    clock = HybridClock(store.device_id)
    author = Author("u-9", "HC Yadav")
    case_id = str(uuid.uuid4())
    created = record(store, clock, author, case_id, EventType.CREATED, created_payload())
    ack = record(store, clock, author, case_id, EventType.ACKNOWLEDGED, {})
    with store.reader() as r:
        assert [e.id for e in r.outbox.pending()] == [created.id, ack.id]
        state = r.cases.state(case_id)
        assert state is not None and state.acknowledged_by == "HC Yadav"


def test_record_refused_or_invalid_stores_nothing(store: LocalStore) -> None:
    clock = HybridClock(store.device_id)
    author = Author("u-9", "HC Yadav")
    case_id = str(uuid.uuid4())
    record(store, clock, author, case_id, EventType.CREATED, created_payload())
    with pytest.raises(CommandRefused, match="acknowledge"):
        record(store, clock, author, case_id, EventType.DISPATCHED, {"officer": "SI", "phone": "1"})
    with pytest.raises(InvalidEvent, match="officer"):
        record(store, clock, author, case_id, EventType.DISPATCHED, {"phone": "1"})
    with store.reader() as r:
        assert r.outbox.counts() == (1, 0)


def test_record_orders_after_the_known_history_despite_a_slow_clock(store: LocalStore) -> None:
    hq = EventMaker("hq")
    created = hq.created().with_seq(1)
    with store.unit_of_work() as uow:
        uow.events.apply_remote([created])
        uow.commit()
    slow = HybridClock(store.device_id, wall_ms=lambda: 1_000)  # wall clock in 1970
    ack = record(store, slow, Author("u", "Op"), created.case_id, EventType.ACKNOWLEDGED, {})
    assert ack.hlc > created.hlc


# -- threads ----------------------------------------------------------------------------------------


def test_concurrent_writers_and_readers_from_many_threads(store: LocalStore) -> None:
    errors: list[BaseException] = []
    author = Author("u", "Op")
    clock = HybridClock(store.device_id)

    def writer() -> None:
        try:
            for _ in range(10):
                case_id = str(uuid.uuid4())
                record(store, clock, author, case_id, EventType.CREATED, created_payload())
                record(store, clock, author, case_id, EventType.ACKNOWLEDGED, {})
        except BaseException as exc:
            errors.append(exc)

    def reader() -> None:
        try:
            for _ in range(30):
                with store.reader() as r:
                    rows = r.cases.queue(QueueFilter(include_closed=True))
                    assert len(rows) == r.cases.count(QueueFilter(include_closed=True))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=writer) for _ in range(4)] + [threading.Thread(target=reader) for _ in range(2)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == []
    with store.reader() as r:
        assert r.events.count() == 80
        assert r.cases.count(QueueFilter(statuses=frozenset({"acknowledged"}))) == 40
        seqs = [e.local_seq for e in (r.events.get(x.id) for x in r.outbox.pending(limit=1000)) if e]
        assert sorted(seqs) == seqs and len(set(seqs)) == 80


# -- keys -------------------------------------------------------------------------------------------


def test_open_in_keeps_the_key_in_the_keyring(tmp_path, memory_keyring) -> None:
    with LocalStore.open_in(tmp_path) as s:
        device = s.device_id
    assert set(memory_keyring.secrets) == {("rakshak", "db-key:default")}
    assert len(bytes.fromhex(memory_keyring.secrets[("rakshak", "db-key:default")])) == 32
    with LocalStore.open_in(tmp_path) as s:
        assert s.device_id == device
    assert StoreKey.load_or_create() == StoreKey.load()


def test_open_in_refuses_when_the_keyring_lost_the_key(tmp_path, memory_keyring) -> None:
    LocalStore.open_in(tmp_path).close()
    memory_keyring.secrets.clear()
    with pytest.raises(StoreUnavailable, match="key is not in this user's OS keyring"):
        LocalStore.open_in(tmp_path)
    assert memory_keyring.secrets == {}  # no new key was made for a store it could never read


def test_profiles_have_distinct_keys(memory_keyring) -> None:
    assert StoreKey.load_or_create("a") != StoreKey.load_or_create("b")
    assert StoreKey.load_or_create("a") == StoreKey.load_or_create("a")
    assert StoreKey.ephemeral() != StoreKey.ephemeral()
    assert ("rakshak", "db-key:a") in memory_keyring.secrets


def test_malformed_key_in_keyring(memory_keyring) -> None:
    memory_keyring.secrets[("rakshak", "db-key:default")] = "not hex"
    with pytest.raises(StoreUnavailable, match="malformed"):
        StoreKey.load_or_create()


class _BrokenKeyring(__import__("keyring").backend.KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        raise RuntimeError("org.freedesktop.DBus.Error.ServiceUnknown")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise RuntimeError("org.freedesktop.DBus.Error.ServiceUnknown")

    def delete_password(self, service: str, username: str) -> None:
        raise RuntimeError("org.freedesktop.DBus.Error.ServiceUnknown")


@pytest.mark.parametrize("backend", ["fail", "broken"])
def test_no_usable_keyring_is_a_clear_error_never_a_plaintext_fallback(tmp_path, backend) -> None:
    import keyring
    from keyring.backends import fail

    from core.errors import KeyringUnavailable

    keyring.set_keyring(fail.Keyring() if backend == "fail" else _BrokenKeyring())
    with pytest.raises(KeyringUnavailable, match="gnome-keyring") as info:
        LocalStore.open_in(tmp_path)
    assert "Credential Manager" in str(info.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rakshak.lock"]  # no store, no key file
    assert (tmp_path / "rakshak.lock").read_bytes() == b""
    with pytest.raises(KeyringUnavailable):
        StoreKey.load_or_create("x")


def test_disk_full_is_store_unavailable_and_leaves_nothing_half_written(store: LocalStore, maker: EventMaker) -> None:
    created = maker.created()
    _commit(store, created)
    note = {"officer_name": "SI", "officer_rank": "SI", "text": "x" * 10_000}
    with pytest.raises(StoreUnavailable, match="full"), store.unit_of_work() as uow:
        pages = uow.connection.exec_driver_sql("PRAGMA page_count").scalar()
        uow.connection.exec_driver_sql(f"PRAGMA max_page_count = {pages + 2}")  # a disk with 8 KB left
        for _ in range(50):
            uow.events.append_local(maker.event(created.case_id, EventType.COUNSELLING_NOTE, note))
        uow.commit()
    store.close()  # drop the pooled connection that carries the artificial limit
    with store.reader() as r:
        assert r.events.count() == 1
        state = r.cases.state(created.case_id)
        assert state is not None and state.counselling_notes == ()
    _commit(store, maker.event(created.case_id, EventType.COUNSELLING_NOTE, note))  # usable again


def test_open_refuses_where_wal_cannot_be_used(store_key) -> None:
    # an in-memory database cannot run in WAL mode (journal_mode stays "memory"): refused, not degraded
    with pytest.raises(StoreUnavailable, match="cannot run durably"):
        LocalStore.open(Path(":memory:"), store_key)


def test_two_stores_on_one_file_like_the_gui_and_the_sync_cli(store: LocalStore, store_key) -> None:
    other = LocalStore.open(store.path, store_key)
    try:
        errors: list[BaseException] = []

        def write(target: LocalStore, device: str) -> None:
            try:
                maker = EventMaker(device)
                for _ in range(15):
                    _commit(target, maker.created())
            except BaseException as exc:
                errors.append(exc)

        threads = [threading.Thread(target=write, args=(s, d)) for s, d in ((store, "dev-a"), (other, "dev-b"))]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        assert errors == []
        with store.reader() as r1, other.reader() as r2:
            assert r1.events.count() == r2.events.count() == 30
            assert r1.cases.count(QueueFilter()) == r2.cases.count(QueueFilter()) == 30
        assert other.device_id == store.device_id  # the device id belongs to the file, not the process
    finally:
        other.close()


@pytest.mark.parametrize("include_closed", [True, False])
def test_search_reads_the_narrow_search_index(store: LocalStore, include_closed: bool) -> None:
    import sqlalchemy as sa
    from sqlalchemy.dialects import sqlite

    from core.store import schema as t
    from core.store.repositories import _filter_conditions

    flt = QueueFilter(search="ra 98", include_closed=include_closed)  # words too short for the trigram index
    query = sa.select(t.cases.c.case_id).where(*_filter_conditions(flt)).order_by(*t.QUEUE_ORDER).limit(500)
    sql = str(query.compile(dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True}))
    with store.reader() as r:
        plan = " ".join(str(row[-1]) for row in r.connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}"))
    assert "COVERING INDEX ix_cases_search" in plan, plan
    if include_closed:
        assert "SCAN cases" not in plan, plan
    else:  # open cases: walks the queue index in order, stopping at the page's end, never a sort
        assert "SCAN cases USING INDEX ix_cases_queue" in plan and "TEMP B-TREE" not in plan, plan


def test_open_queue_count_reads_the_queue_index(store: LocalStore) -> None:
    import sqlalchemy as sa
    from sqlalchemy.dialects import sqlite

    from core.store import schema as t
    from core.store.repositories import _filter_conditions

    query = sa.select(sa.func.count()).select_from(t.cases).where(*_filter_conditions(QueueFilter()))
    sql = str(query.compile(dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True}))
    with store.reader() as r:
        plan = " ".join(str(row[-1]) for row in r.connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}"))
    # 0004's ix_cases_open_kind holds every column the count needs (ix_cases_queue lacks status)
    assert "COVERING INDEX ix_cases_open_kind" in plan, plan


def _plan(store: LocalStore, flt: QueueFilter, *, count: bool) -> str:
    import sqlalchemy as sa
    from sqlalchemy.dialects import sqlite

    from core.store import schema as t
    from core.store.repositories import _filter_conditions

    if count:
        query = sa.select(sa.func.count()).select_from(t.cases).where(*_filter_conditions(flt))
    else:
        query = sa.select(t.cases.c.case_id).where(*_filter_conditions(flt)).order_by(*t.QUEUE_ORDER).limit(200)
    sql = str(query.compile(dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True}))
    with store.reader() as r:
        return " ".join(str(row[-1]) for row in r.connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}"))


@pytest.mark.parametrize(
    ("flt", "index"),
    [
        (QueueFilter(kinds=frozenset({"complaint"}), police_station="Hazratganj"), "ix_cases_open_station"),
        (QueueFilter(police_station="Hazratganj"), "ix_cases_open_station"),
        (QueueFilter(kinds=frozenset({"tip"})), "ix_cases_open_kind"),
    ],
)
def test_filters_and_their_counts_read_the_filter_indexes(store: LocalStore, flt: QueueFilter, index: str) -> None:
    """A kind/station filter seeks its entries in queue order; its count never reads a row (0004)."""
    page = _plan(store, flt, count=False)
    assert f"SEARCH cases USING COVERING INDEX {index}" in page, page  # the plan selects case_id only
    if flt.kinds is not None and flt.police_station is not None:
        assert "TEMP B-TREE" not in page, page
    count = _plan(store, flt, count=True)
    assert f"COVERING INDEX {index}" in count, count


def test_open_case_search_reads_the_open_search_index(store: LocalStore) -> None:
    # words too short for the trigram index (test_store_search.py has the longer ones)
    plan = _plan(store, QueueFilter(search="ra 98"), count=False)
    assert "COVERING INDEX ix_cases_search_open" in plan, plan
    plan = _plan(store, QueueFilter(search="ra", statuses=frozenset({"new"})), count=True)
    assert "COVERING INDEX ix_cases_search_open" in plan, plan
    plan = _plan(store, QueueFilter(search="ra 98"), count=True)  # index-only, no row per match
    assert "COVERING INDEX ix_cases_open_kind" in plan and "PRIMARY KEY" not in plan, plan


def test_filtered_queue_and_search_agree_with_a_plain_scan(store: LocalStore, maker: EventMaker) -> None:
    """The indexes change how rows are found, never which: every filter's page and count equal a
    filter applied in Python to all rows."""
    cases = []
    for i in range(24):
        c = maker.created(
            kind=("tip", "complaint", "suicide_risk")[i % 3],
            police_station=("Hazratganj", "Aliganj")[i % 2],
            priority=1 + i % 4,
            subject={"name": f"Pooja Yadav {i}", "phones": [f"+9198000000{i:02d}"], "post_text": "अब नहीं"},
        )
        events = [c]
        if i % 4 == 0:
            events += [maker.event(c.case_id, EventType.ACKNOWLEDGED), maker.event(c.case_id, EventType.CLOSED)]
        cases.append(c)
        _commit(store, *events)
    with store.unit_of_work() as uow:
        uow.cases.purge(cases[1].case_id)
        uow.commit()
    with store.reader() as r:
        every = r.cases.queue(QueueFilter(include_closed=True), limit=1000)
        texts = dict(r.connection.exec_driver_sql("SELECT case_id, search_text FROM cases").tuples().all())
        filters = [
            QueueFilter(kinds=frozenset({"complaint"}), police_station="Hazratganj"),
            QueueFilter(police_station="Aliganj"),
            QueueFilter(kinds=frozenset({"tip", "complaint"})),
            QueueFilter(kinds=frozenset({"tip"}), include_closed=True),
            QueueFilter(search="pooja 1"),
            QueueFilter(search="yadav", include_closed=True, police_station="Aliganj"),
            QueueFilter(search="नहीं 2", kinds=frozenset({"suicide_risk"})),
        ]
        for flt in filters:
            def keep(row, flt=flt):  # type: ignore[no-untyped-def]
                words = flt.search.casefold().split() if flt.search else []
                text = texts[row.case_id] or ""
                return (
                    (flt.include_closed or row.status != "closed")
                    and (flt.kinds is None or row.kind in flt.kinds)
                    and (flt.police_station is None or row.police_station == flt.police_station)
                    and all(w in text for w in words)
                )

            expected = [row.case_id for row in every if keep(row)]
            assert [row.case_id for row in r.cases.queue(flt, limit=1000)] == expected, flt
            assert r.cases.count(flt) == len(expected), flt
            assert expected or flt.search, flt


def test_a_purged_case_is_revived_only_by_hq_redelivering_it(store: LocalStore, maker: EventMaker) -> None:
    hq = EventMaker("hq")
    created = hq.created().with_seq(1)
    with store.unit_of_work() as uow:
        uow.events.apply_remote([created])
        uow.commit()
    mine = maker.event(created.case_id, EventType.ACKNOWLEDGED)
    _commit(store, mine)
    with store.unit_of_work() as uow:
        uow.cases.purge(created.case_id)
        uow.commit()
    late = hq.event(created.case_id, EventType.ESCALATED).with_seq(2)  # a stale page after the revoke
    more_mine = maker.event(created.case_id, EventType.COUNSELLING_NOTE)
    with store.unit_of_work() as uow:
        uow.events.apply_remote([late])
        uow.events.append_local(more_mine)
        uow.outbox.mark_accepted(mine.id, 3)
        uow.commit()
    with store.reader() as r:
        row = r.cases.get(created.case_id)
        assert row is not None and row.purged and row.pending_count == 1
        assert r.cases.state(created.case_id) is None
        assert r.events.get(late.id) is None and r.events.get(mine.id) is None  # settled: not kept
        assert [e.id for e in r.outbox.pending()] == [more_mine.id]  # still waits for HQ
    with store.unit_of_work() as uow:  # the case comes back to this district: whole history again
        uow.events.apply_remote([created, late, mine.with_seq(3)])
        uow.commit()
    with store.reader() as r:
        state = r.cases.state(created.case_id)
        assert state is not None and state.acknowledged_at is not None and state.escalations == 1
        row = r.cases.get(created.case_id)
        assert row is not None and not row.purged and row.pending_count == 1


def test_a_pooled_connection_moves_between_threads(store: LocalStore) -> None:
    """QueuePool hands one keyed connection to whichever thread asks next (check_same_thread is off),
    so a thread pool does not make a connection, and pay the key check, per thread."""
    seen: list[int] = []

    def use() -> None:
        with store.reader() as r:
            seen.append(id(r.connection.connection.dbapi_connection))
            r.events.count()

    for _ in range(3):
        th = threading.Thread(target=use)
        th.start()
        th.join()
    assert len(seen) == 3 and len(set(seen)) == 1


def test_first_run_from_two_processes_at_once_makes_one_key(tmp_path, memory_keyring) -> None:
    """The GUI and the sync CLI starting together on a new workstation: without the data-folder
    lock each would write its own key and one would find the store unreadable."""
    import time

    class SlowKeyring(type(memory_keyring)):  # widens the race window of key creation
        def set_password(self, service: str, username: str, password: str) -> None:
            time.sleep(0.05)
            super().set_password(service, username, password)

    import keyring

    slow = SlowKeyring()
    keyring.set_keyring(slow)
    opened: list[str] = []
    errors: list[BaseException] = []

    def start() -> None:
        try:
            with LocalStore.open_in(tmp_path) as s:
                opened.append(s.device_id)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=start) for _ in range(3)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == []
    assert len(opened) == 3 and len(set(opened)) == 1
    assert list(slow.secrets) == [("rakshak", "db-key:default")]


def test_writer_gate_counts_open_interactive_writers_only(tmp_path: Path) -> None:
    """``LocalStore.writers`` sees an operator's unit of work from enter to exit (also when it fails),
    never a background one or a reader; ``wait_idle`` returns when the last one closes."""

    store = LocalStore.open(tmp_path / "gate.db", StoreKey.ephemeral())
    try:
        gate = store.writers
        assert not gate.waiting()
        with store.reader(), store.unit_of_work(background=True):
            assert not gate.waiting()
        with pytest.raises(ZeroDivisionError), store.unit_of_work():
            assert gate.waiting()
            1 / 0  # noqa: B018
        assert not gate.waiting()
        assert gate.wait_idle(0.01)

        opened, release = threading.Event(), threading.Event()

        def operator() -> None:
            with store.unit_of_work():
                opened.set()
                release.wait(5)

        t = threading.Thread(target=operator)
        t.start()
        assert opened.wait(5) and gate.waiting()
        assert not gate.wait_idle(0.05)  # still open: times out
        threading.Timer(0.1, release.set).start()
        assert gate.wait_idle(5)
        t.join(5)
        assert not gate.waiting()
    finally:
        store.close()
