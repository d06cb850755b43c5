"""The outbox on real SQLCipher files: HQ's accepts and refusals, and requeueing own events."""

from __future__ import annotations

import uuid

from core.events import EventType
from core.fold import Status
from core.store import LocalStore, SyncState
from tests.unit.core.conftest import EventMaker, commit

# -- outbox -----------------------------------------------------------------------------------------


def test_mark_accepted_and_rejected(store: LocalStore, maker: EventMaker) -> None:
    created = maker.created()
    ack = maker.event(created.case_id, EventType.ACKNOWLEDGED)
    dispatch = maker.event(created.case_id, EventType.DISPATCHED)
    commit(store, created, ack, dispatch)
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
    commit(store, mine, mine_ack, mine_bad)
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
