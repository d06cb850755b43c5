"""The replica's complaint rows (store migration 0011): ``complaint_row`` holds
``core.complaints.stored_values`` of each complaint's fold, whichever path wrote the case (an initial
sync, events pulled one by one, this console's own work with or without the caller's fold), so the
queue row computed from it (``queue_row`` of ``view_from_stored``) is the one computed from the fold;
it goes with the case's row (purge, rebuild), and the migration back-fills it from an older store."""

from __future__ import annotations

import itertools
import json
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.complaints import (
    STORED_POLICY,
    StoredDeadlines,
    complaint_payload,
    complaint_view,
    parse_timeline,
    queue_row,
    soonest_due_ts,
    stored_deadlines,
    timeline_state,
    view_from_stored,
)
from core.events import ComplaintCategory, Event, EventType, ItemKind, Source, iso
from core.fold import fold
from core.sla import SlaPolicy, deadlines, facts_from_history, worst_state
from core.store import LocalStore
from core.store import schema as t
from core.store.engine import make_engine
from core.store.migrate import upgrade
from core.store.projection import PROJECTION_VERSION, projection_row
from core.store.projector import complaint_values
from tests.unit.core.conftest import T0, EventMaker, insert_case_row_as_of

POLICIES = (SlaPolicy(), SlaPolicy(first_response_by_category={"traffic": 30}, warn_before_min=10))
SEQ = itertools.count(1)
_COLUMNS = [c.name for c in t.complaint_row.c]


def _stored(store: LocalStore) -> dict[str, dict[str, Any]]:
    with store.reader() as r:
        rows = r.connection.execute(sa.select(t.complaint_row)).all()
    return {row[0]: dict(zip(_COLUMNS, row, strict=True)) for row in rows}


def _created(hq: EventMaker, category: str | None = None) -> Event:
    payload = complaint_payload(
        platform=Source.X, item=ItemKind.MENTION, platform_id=uuid.uuid4().hex, posted_at=T0,
        text="Chain snatched near Gandhi Maidan", received_at=T0 + timedelta(minutes=3),
        author_handle="@citizen", post_url="https://x.example/p/1", thread_text="the thread",
        category=ComplaintCategory(category) if category else None,
    )  # fmt: skip
    payload["district"] = "Patna"
    return hq.event(str(uuid.uuid4()), EventType.CREATED, payload)


def _payload(what: str, minute: int, reply_ids: list[str]) -> tuple[EventType, dict[str, Any]]:
    at = iso(T0 + timedelta(minutes=minute))
    rid = reply_ids[-1] if reply_ids else "01a228fc-6a07-77f0-8bb7-df3f586c6799"
    if what == "draft":
        reply_ids.append(f"01a228fc-6a07-77f0-8bb7-{len(reply_ids):012d}")
        return EventType.REPLY_DRAFTED, {"reply_id": reply_ids[-1], "text": "On it", "needs_approval": minute % 2 == 0}
    table: dict[str, tuple[EventType, dict[str, Any]]] = {
        "approve": (EventType.REPLY_APPROVED, {"reply_id": rid}),
        "publish": (EventType.REPLY_PUBLISHED, {"reply_id": rid, "platform_id": f"r{minute}", "published_at": at}),
        "fail": (EventType.REPLY_PUBLISH_FAILED, {"reply_id": rid, "error": "HTTP 503", "attempt": 1 + minute % 3}),
        "citizen": (EventType.CITIZEN_REPLIED, {"platform_id": f"c{minute}", "at": at, "text": "any news?"}),
        "close": (EventType.CLOSED, {"reason": "answered"}),
        "reopen": (EventType.REOPENED, {"reason": "asked again"}),
        "categorise": (EventType.CATEGORISED, {"category": ("traffic", "not_actionable", "cyber_fraud")[minute % 3]}),
        "assign": (EventType.ASSIGNED, {"district": ("Gaya", "Patna")[minute % 2]}),
        "duplicate": (EventType.DUPLICATE_LINKED, {"duplicate_of": "01a228fc-6a07-77f0-8bb7-df3f586c6710"}),
        "raise": (EventType.RISK_RAISED, {"reason": "self-harm words"}),
    }
    return table[what]


KINDS = ["draft", "approve", "publish", "fail", "citizen", "close", "reopen", "categorise", "assign", "duplicate",
         "raise"]  # fmt: skip
ACTIONS = st.lists(
    st.tuples(
        st.sampled_from(KINDS),
        st.integers(0, 6000),
        st.sampled_from(["initial", "remote", "local", "known"]),  # the write path of the event
    ),
    max_size=14,
)


def _write(store: LocalStore, hq: EventMaker, console: EventMaker, actions: list[tuple[str, int, str]]) -> list[Event]:
    """Write a complaint's history through the paths the actions name; returns its events."""
    created = _created(hq, "traffic" if len(actions) % 2 else None).with_seq(next(SEQ))
    cid = created.case_id
    initial, history, reply_ids = [created], [created], []
    for what, minute, path in sorted(actions, key=lambda a: a[1]):
        etype, payload = _payload(what, minute, reply_ids)
        if path == "initial":
            e = hq.event(cid, etype, payload).with_seq(next(SEQ))
            initial.append(e)
            history.append(e)
    with store.unit_of_work() as uow:  # an initial sync: the first events all at once
        uow.events.apply_remote(initial)
        uow.commit()
    for what, minute, path in sorted(actions, key=lambda a: a[1]):
        if path == "initial":
            continue
        etype, payload = _payload(what, minute, reply_ids)
        maker = hq if path == "remote" else console
        e = maker.event(cid, etype, payload)
        history.append(e)
        with store.unit_of_work() as uow:
            if path == "remote":
                uow.events.apply_remote([e.with_seq(next(SEQ))])
            elif path == "local":
                uow.events.append_local(e)
            else:  # this console's action with the caller's fold (``mark_known``)
                uow.events.append_local(e, state=fold(cid, [*uow.events.for_fold(cid), e]))
            uow.commit()
    return history


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ACTIONS, st.integers(0, 6000))
def test_the_stored_row_gives_the_queue_row_of_the_fold(
    store: LocalStore, actions: list[tuple[str, int, str]], minute: int
) -> None:
    hq, console = EventMaker("hq"), EventMaker("dev-a")
    history = _write(store, hq, console, actions)
    cid = history[0].case_id
    stored = _stored(store)[cid]
    with store.reader() as r:  # on the queue exactly when the ``cases`` row is
        case = r.connection.execute(sa.select(t.cases).where(t.cases.c.case_id == cid)).one()
    assert stored["listed"] == (case.kind == "complaint" and case.status != "closed")
    assert stored["updated_hlc"] == case.updated_hlc
    now = T0 + timedelta(minutes=minute)
    facts = facts_from_history(history)
    for policy in POLICIES:
        assert queue_row(view_from_stored(cid, stored), policy, now) == queue_row(
            complaint_view(cid, history), policy, now
        )
        # the deadlines a reader takes: stored ones under the stored policy, else from the clock inputs
        assert stored_deadlines(stored["clock"], stored["deadlines"], policy) == tuple(deadlines(facts, policy))
    # the stored state over time is ``worst_state`` at any time, its changes included to the microsecond
    items = deadlines(facts, STORED_POLICY)
    times, states = parse_timeline(stored["timeline"])
    probes = [now] + [m + timedelta(microseconds=d) for d in (-1, 0) for x in items for m in (x.warn_at, x.due_at)]
    for at in probes:
        expected = worst_state(items, at)
        assert timeline_state(times, states, at.timestamp()) == (str(expected) if expected else None)
    assert stored["due_ts"] == soonest_due_ts(items)
    assert StoredDeadlines(stored["deadlines"]) == tuple(items)


def test_only_complaints_have_rows_and_they_go_with_the_case(store: LocalStore) -> None:
    hq = EventMaker("hq")
    complaint = _created(hq).with_seq(next(SEQ))
    alert = hq.created().with_seq(next(SEQ))
    with store.unit_of_work() as uow:
        uow.events.apply_remote([complaint, alert])
        uow.commit()
    assert set(_stored(store)) == {complaint.case_id}
    with store.unit_of_work() as uow:  # a fold change: every row rebuilt from the log
        uow.cases.rebuild_all()
        uow.commit()
    assert set(_stored(store)) == {complaint.case_id}
    with store.unit_of_work() as uow:
        uow.cases.purge(complaint.case_id)
        uow.commit()
    assert _stored(store) == {}
    with store.unit_of_work() as uow:  # the case comes back: its history again
        uow.events.apply_remote([complaint])
        uow.commit()
    assert set(_stored(store)) == {complaint.case_id}


def test_the_migration_back_fills_the_rows_of_an_older_store(tmp_path: Path, store_key: bytes) -> None:
    path = tmp_path / "old.db"
    engine = make_engine(path, store_key)
    upgrade(engine, "0009")
    hq = EventMaker("hq")
    histories = []
    for n in range(3):
        created = _created(hq, "traffic" if n else None).with_seq(next(SEQ))
        history = [created]
        if n == 1:
            asked = {"platform_id": "c1", "at": iso(T0 + timedelta(minutes=5)), "text": "?"}
            history.append(hq.event(created.case_id, EventType.CITIZEN_REPLIED, asked))
        histories.append(history)
    alert = [hq.created().with_seq(next(SEQ))]
    with engine.connect() as conn:
        conn = conn.execution_options(rakshak_write=True)
        for history in [*histories, alert]:
            insert_case_row_as_of(conn, projection_row(fold(history[0].case_id, history), 0, 0))
            conn.execute(t.events.insert(), [_event_row(e) for e in history])
        conn.execute(t.meta.insert(), [{"key": "device_id", "value": "dev-old"}])
        conn.execute(t.meta.insert(), [{"key": "projection_version", "value": str(PROJECTION_VERSION)}])
        conn.commit()
    engine.dispose()
    with LocalStore.open(path, store_key) as store:
        stored = _stored(store)
    expected = {h[0].case_id: complaint_values(fold(h[0].case_id, h), h) for h in histories}
    assert {c: tuple(row.values()) for c, row in stored.items()} == expected
    replied = stored[histories[1][0].case_id]
    assert json.loads(replied["clock"])["citizen"] and replied["category"] == "traffic"


def test_migration_0012_packs_the_timelines_written_as_text(tmp_path: Path, store_key: bytes) -> None:
    from core.complaints import deadlines_from_text, state_timeline
    from core.store.projector import write_complaint_values
    from tests.unit.core.test_complaint_timeline import text_timeline

    path = tmp_path / "old.db"
    engine = make_engine(path, store_key)
    upgrade(engine, "0011")
    hq = EventMaker("hq")
    histories = [[_created(hq, category).with_seq(next(SEQ))] for category in ("traffic", None)]
    with engine.connect() as conn:
        conn = conn.execution_options(rakshak_write=True)
        for history in histories:
            state = fold(history[0].case_id, history)
            insert_case_row_as_of(conn, projection_row(state, 0, 0))
            conn.execute(t.events.insert(), [_event_row(e) for e in history])
            write_complaint_values(conn, [complaint_values(state, history)])
        rows = conn.exec_driver_sql("SELECT case_id, deadlines FROM complaint_row").fetchall()
        packed = {case_id: state_timeline(deadlines_from_text(text)) for case_id, text in rows}
        conn.exec_driver_sql(  # as a store at 0011 wrote them
            "UPDATE complaint_row SET timeline = ? WHERE case_id = ?",
            [(text_timeline(list(deadlines_from_text(text))), case_id) for case_id, text in rows],
        )
        conn.execute(t.meta.insert(), [{"key": "device_id", "value": "dev-old"}])
        conn.execute(t.meta.insert(), [{"key": "projection_version", "value": str(PROJECTION_VERSION)}])
        conn.commit()
    engine.dispose()
    with LocalStore.open(path, store_key) as store, store.reader() as uow:
        got = uow.connection.exec_driver_sql("SELECT case_id, timeline, typeof(timeline) FROM complaint_row").all()
    assert {c: (line, kind) for c, line, kind in got} == {c: (p, "blob") for c, p in packed.items()}
    assert len(packed) == 2 and all(isinstance(p, bytes) for p in packed.values())


def _event_row(e: Event) -> dict[str, Any]:
    from core.store.repositories import _event_values

    return _event_values(e) | {
        "sync_state": "accepted", "hq_seq": e.hq_seq, "reject_reason": None, "reject_code": None,
        "local_seq": next(SEQ), "dealt_with_at": None, "dealt_with_by": None,
    }  # fmt: skip
