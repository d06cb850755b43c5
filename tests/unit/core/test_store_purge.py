"""Purging a case on real SQLCipher files: personal data gone everywhere, pending work kept until HQ
answers, and a purged case revived only by HQ redelivering it."""

from __future__ import annotations

from core.events import EventType
from core.store import LocalStore, QueueFilter
from tests.unit.core.conftest import EventMaker, commit

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
    commit(store, note)
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
    commit(store, ack)
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
    commit(store, ack, outcome)
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
    commit(store, note)
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


def test_a_purged_case_is_revived_only_by_hq_redelivering_it(store: LocalStore, maker: EventMaker) -> None:
    hq = EventMaker("hq")
    created = hq.created().with_seq(1)
    with store.unit_of_work() as uow:
        uow.events.apply_remote([created])
        uow.commit()
    mine = maker.event(created.case_id, EventType.ACKNOWLEDGED)
    commit(store, mine)
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
