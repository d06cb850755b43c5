"""A new HQ epoch: the store forgets the old epoch's sequence numbers and keeps every event."""

from __future__ import annotations

from core.events import EventType
from core.store import LocalStore, SyncState
from tests.unit.core.conftest import EventMaker


def test_forget_hq_seqs_clears_every_number_and_keeps_the_events(store: LocalStore, maker: EventMaker) -> None:
    mine = maker.created()
    mine_ack = maker.event(mine.case_id, EventType.ACKNOWLEDGED)
    mine_bad = maker.event(mine.case_id, EventType.ESCALATED)
    mine_pending = maker.event(mine.case_id, EventType.COUNSELLING_NOTE)
    theirs = EventMaker("dev-b").event(mine.case_id, EventType.COUNSELLING_NOTE).with_seq(3)
    with store.unit_of_work() as uow:
        for e in (mine, mine_ack, mine_bad, mine_pending):
            uow.events.append_local(e)
        uow.commit()
    with store.unit_of_work() as uow:
        uow.outbox.mark_accepted(mine.id, 1)
        uow.outbox.mark_accepted(mine_ack.id, 2)
        uow.outbox.mark_rejected(mine_bad.id, "no", "forbidden")
        uow.events.apply_remote([theirs])
        uow.commit()
    with store.reader() as r:
        state_before = r.cases.state(mine.case_id)
    with store.unit_of_work() as uow:
        assert uow.outbox.forget_hq_seqs() == 3
        uow.commit()
    with store.reader() as r:
        stored = {e.id: r.events.get(e.id) for e in (mine, mine_ack, mine_bad, mine_pending, theirs)}
        assert all(s is not None and s.event.hq_seq is None for s in stored.values())
        states = {i: s.sync_state for i, s in stored.items() if s is not None}
        assert states == {
            mine.id: SyncState.ACCEPTED,
            mine_ack.id: SyncState.ACCEPTED,
            mine_bad.id: SyncState.REJECTED,
            mine_pending.id: SyncState.PENDING,
            theirs.id: SyncState.ACCEPTED,
        }
        assert r.cases.state(mine.case_id) == state_before
        assert r.outbox.counts() == (1, 1)
    with store.unit_of_work() as uow:  # the new epoch numbers the peer's event again
        uow.events.apply_remote([theirs.with_seq(1)])
        uow.commit()
    with store.reader() as r:
        again = r.events.get(theirs.id)
        assert again is not None and again.event.hq_seq == 1 and again.sync_state is SyncState.ACCEPTED
