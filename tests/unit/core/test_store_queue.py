"""The projection and the queue on real SQLCipher files: rows equal to a refold, filters, search,
counts and the indexes each query reads."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from core.events import EventType, iso
from core.fold import Status, fold
from core.store import LocalStore, QueueFilter
from tests.unit.core.conftest import T0, EventMaker, commit

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
        commit(store, event)
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
    commit(store, created, maker.event(created.case_id, EventType.ACKNOWLEDGED))
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
        commit(s, created)
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
    commit(store, old_normal, new_critical, alarm_late, acked, closed)
    commit(
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
    commit(store, ravi, sunita)

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
    commit(store, case)
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
    commit(store, a)
    mark = maker.clock.now()
    b = maker.created()
    commit(store, b)
    with store.reader() as r:
        assert r.cases.changed_since(None) == [a.case_id, b.case_id]
        assert r.cases.changed_since(mark) == [b.case_id]


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
        commit(store, *events)
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
