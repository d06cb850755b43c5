"""The outbox's batch settle (push replies) and the held-for-review state, on real SQLCipher files."""

from __future__ import annotations

from core.events import EventType
from core.store import LocalStore, SyncState
from core.store.schema import HELD_FOR_REVIEW
from tests.unit.core.conftest import EventMaker


def _commit(store: LocalStore, *events) -> None:
    with store.unit_of_work() as uow:
        for e in events:
            uow.events.append_local(e)
        uow.commit()


def _rows(store: LocalStore) -> list[tuple]:
    with store.reader() as r:
        return [tuple(x) for x in r.connection.exec_driver_sql("SELECT * FROM cases ORDER BY case_id")]


def test_mark_accepted_many_leaves_what_a_refold_would(store: LocalStore, maker: EventMaker) -> None:
    """Settling pending events in a batch (no refold) gives the same events and projection rows as
    one ``mark_accepted`` each followed by a full rebuild; a purged case's settled event is deleted."""
    a = maker.created()
    a_ack = maker.event(a.case_id, EventType.ACKNOWLEDGED)
    a_note = maker.event(a.case_id, EventType.ESCALATED)
    b = maker.created()
    b_ack = maker.event(b.case_id, EventType.ACKNOWLEDGED)
    _commit(store, a, a_ack, a_note, b, b_ack)
    with store.unit_of_work() as uow:
        uow.outbox.mark_accepted_many([(a.id, 1), (b.id, 2)])
        uow.outbox.mark_rejected(a_note.id, "no", "refused")
        uow.cases.purge(b.case_id)
        uow.commit()
    with store.unit_of_work() as uow:
        touched = uow.outbox.mark_accepted_many([(a_ack.id, 3), (b_ack.id, 4), ("no-such-id", 5)])
        uow.commit()
    assert touched == {a.case_id, b.case_id}
    settled = _rows(store)
    with store.reader() as r:
        assert r.outbox.counts() == (0, 1) and r.outbox.pending() == []
        ack = r.events.get(a_ack.id)
        assert ack is not None and ack.sync_state is SyncState.ACCEPTED and ack.event.hq_seq == 3
        assert r.events.get(b_ack.id) is None  # of a purged case: deleted once settled
        row = r.cases.get(a.case_id)
        assert row is not None and (row.pending_count, row.rejected_count) == (0, 1)
    with store.unit_of_work() as uow:
        uow.cases.rebuild_all()
        uow.commit()
    assert _rows(store) == settled


def test_held_events_stay_in_the_case_but_leave_the_outbox_until_settled(
    store: LocalStore, maker: EventMaker
) -> None:
    created = maker.created()
    ack = maker.event(created.case_id, EventType.ACKNOWLEDGED)
    note = maker.event(created.case_id, EventType.ESCALATED)
    _commit(store, created, ack, note)
    with store.unit_of_work() as uow:
        uow.outbox.mark_accepted(created.id, 1)
        uow.outbox.mark_held(ack.id, "author disabled: held for review at HQ")
        uow.outbox.mark_held(note.id, "author disabled: held for review at HQ")
        uow.outbox.mark_held(created.id, "ignored: already settled")
        uow.commit()
    with store.reader() as r:
        assert [e.id for e in r.outbox.pending()] == []
        assert r.outbox.counts() == (0, 0) and r.outbox.held_count() == 2
        assert r.outbox.held_ids() == [ack.id, note.id]
        assert [(s.event.id, s.reject_code) for s in r.outbox.held()] == [
            (note.id, HELD_FOR_REVIEW), (ack.id, HELD_FOR_REVIEW)
        ]
        state = r.cases.state(created.case_id)
        assert state is not None and state.acknowledged_at is not None  # the held work still counts here
    with store.unit_of_work() as uow:
        uow.outbox.mark_accepted_many([(ack.id, 2)])
        uow.outbox.release_held(note.id)  # HQ no longer knows it: push it again
        uow.commit()
    with store.reader() as r:
        assert [e.id for e in r.outbox.pending()] == [note.id] and r.outbox.held() == []
        assert r.outbox.counts() == (1, 0)


def test_an_operators_write_waits_for_open_background_units_on_a_condition(store: LocalStore) -> None:
    """An interactive unit of work begins as soon as the background unit open on another thread ends
    (woken, not polling SQLite's lock), and never waits for a background unit of its own thread."""
    import threading
    import time

    gate = store.writers
    opened, release = threading.Event(), threading.Event()
    ended_at: list[float] = []

    def background() -> None:
        with store.unit_of_work(background=True) as uow:
            uow.meta.set("bg", "1")  # holds SQLite's write lock from here
            opened.set()
            release.wait(5)
            uow.commit()
            ended_at.append(time.monotonic())

    worker = threading.Thread(target=background)
    worker.start()
    assert opened.wait(5)
    started: list[float] = []

    def operator() -> None:
        with store.unit_of_work() as uow:
            started.append(time.monotonic())
            uow.meta.set("op", "1")
            uow.commit()

    op = threading.Thread(target=operator)
    op.start()
    time.sleep(0.2)
    assert started == [] and gate.waiting()  # waiting in the gate, counted, so the background ends
    release.set()
    op.join(5)
    worker.join(5)
    assert started and ended_at and started[0] >= ended_at[0]
    with store.unit_of_work(background=True), store.unit_of_work() as inner:  # same thread: no wait
        assert gate.waiting()
        inner.rollback()
    assert not gate.waiting()
