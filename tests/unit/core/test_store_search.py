"""Name search through the FTS5 trigram index (migration 0005): the same answers as every word
tested with ``instr`` on the case-folded search text, an index kept in step with the projection by
every write path, and the short-word fallback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.errors import StoreUnavailable
from core.events import EventType
from core.fold import fold
from core.store import LocalStore, QueueFilter, repositories
from core.store import schema as t
from core.store.engine import make_engine
from core.store.migrate import upgrade
from core.store.projection import projection_row
from core.store.repositories import MANY_MATCHES, SCAN_TEXT, fts_query
from tests.unit.core.conftest import EventMaker, insert_case_row_as_of


def _commit(store: LocalStore, *events) -> None:  # type: ignore[no-untyped-def]
    with store.unit_of_work() as uow:
        for e in events:
            uow.events.append_local(e)
        uow.commit()


def _fts_is_whole(store: LocalStore) -> None:
    """FTS5's own check of the index against its content table (the cases rows)."""
    with store.unit_of_work() as uow:
        uow.connection.exec_driver_sql("INSERT INTO cases_fts (cases_fts, rank) VALUES ('integrity-check', 1)")
        indexed = uow.connection.exec_driver_sql("SELECT count(*) FROM cases_fts_docsize").scalar()
        assert indexed == uow.connection.exec_driver_sql("SELECT count(*) FROM cases").scalar()


NAMES = ["Sunita Devi", "Ravi \"Ravi\" Kumar", "प्रिया गुप्ता", "Mohd. Imran*", "AND OR NOT", "Anu-Rāj NEAR(x)"]
QUERIES = [
    "sunita", "SUNITA devi", "devi sunita", "ravi", '"ravi"', 'i" k', "प्रिया", "गुप्ता प्रि", "mohd.", "imran*",
    "and", "or not", "near(x)", "anu-rāj", "rāj", "ra", "98", "9", "-", "*", "a b", "nomatch", "kumar 12",
    "devi 3", "sunita 3 45", "meta-", "patna",
]


@pytest.mark.parametrize("fetch_max", [3, repositories.FTS_FETCH_MAX], ids=["many-matches", "few-matches"])
@pytest.mark.parametrize("include_closed", [False, True])
def test_search_answers_like_instr_on_every_word(
    store: LocalStore, maker: EventMaker, include_closed: bool, fetch_max: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(repositories, "FTS_FETCH_MAX", fetch_max)  # both plans: rowids fetched, or a walk
    for i in range(36):
        c = maker.created(
            subject={"name": f"{NAMES[i % len(NAMES)]} {i}", "phones": [f"+91980000{i:04d}"], "post_text": "अब नहीं"},
        )
        events = [c]
        if i % 5 == 0:
            events += [maker.event(c.case_id, EventType.ACKNOWLEDGED), maker.event(c.case_id, EventType.CLOSED)]
        _commit(store, *events)
    with store.reader() as r:
        rows = r.connection.exec_driver_sql("SELECT case_id, search_text, status FROM cases").all()
        every = [row.case_id for row in r.cases.queue(QueueFilter(include_closed=True), limit=1000)]
        for q in QUERIES:
            words = q.casefold().split()
            hits = {
                row.case_id
                for row in rows
                if all(w in row.search_text for w in words) and (include_closed or row.status != "closed")
            }
            expected = [c for c in every if c in hits]
            flt = QueueFilter(search=q, include_closed=include_closed)
            assert [row.case_id for row in r.cases.queue(flt, limit=1000)] == expected, q
            assert r.cases.count(flt) == len(expected), q


def test_fts_query_quotes_every_word() -> None:
    assert fts_query(["ravi", 'a"b', "near(x)"]) == '"ravi" AND "a""b" AND "near(x)"'


def test_the_index_follows_every_write_path(store: LocalStore, maker: EventMaker) -> None:
    hq = EventMaker("hq")
    a = hq.created(subject={"name": "Kamla Devi"}).with_seq(1)
    b = hq.created(subject={"name": "Bimla Devi"}).with_seq(2)
    with store.unit_of_work() as uow:
        uow.events.apply_remote([a, b])  # folded from memory: plain INSERT of the rows
        uow.commit()
    _fts_is_whole(store)
    # a new event refolds the row (INSERT OR REPLACE: the old row's entries go by the delete trigger)
    _commit(store, maker.event(a.case_id, EventType.DISPATCHED, {"officer": "SI Harpal", "phone": "+919800000099"}))
    _fts_is_whole(store)

    def found(text: str) -> set[str]:
        with store.reader() as r:
            return {row.case_id for row in r.cases.queue(QueueFilter(search=text, include_closed=True))}

    assert found("harpal") == {a.case_id} and found("devi") == {a.case_id, b.case_id}
    with store.unit_of_work() as uow:
        uow.cases.purge(b.case_id)
        uow.commit()
    _fts_is_whole(store)
    assert found("bimla") == set() and found("devi") == {a.case_id}
    with store.unit_of_work() as uow:
        uow.events.apply_remote([b])  # HQ gives the case back: revived, searchable again
        uow.commit()
    _fts_is_whole(store)
    assert found("bimla") == {b.case_id}
    with store.unit_of_work() as uow:
        uow.cases.rebuild_all()
        uow.commit()
    _fts_is_whole(store)
    assert found("devi") == {a.case_id, b.case_id} and found("harpal") == {a.case_id}
    with store.unit_of_work() as uow:  # a rolled-back write leaves the index as it was
        uow.events.append_local(maker.created(subject={"name": "Rolled Back"}))
        uow.flush()
        assert {row.case_id for row in uow.cases.queue(QueueFilter(search="rolled"))}
    assert found("rolled") == set()
    _fts_is_whole(store)


def _plan(store: LocalStore, flt: QueueFilter, *, count: bool, matches: list[int] | str | None = None) -> str:
    import sqlalchemy as sa
    from sqlalchemy.dialects import sqlite

    from core.store.repositories import _filter_conditions

    conds = _filter_conditions(flt, matches)
    if count:
        query = sa.select(sa.func.count()).select_from(t.cases).where(*conds)
    else:
        query = sa.select(t.cases.c.case_id).where(*conds).order_by(*t.QUEUE_ORDER).limit(200)
    sql = str(query.compile(dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True}))
    with store.reader() as r:
        return " ".join(str(row[-1]) for row in r.connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}"))


@pytest.mark.parametrize("include_closed", [False, True])
def test_a_few_matches_are_fetched_by_rowid(store: LocalStore, include_closed: bool) -> None:
    for q in ("ravi", "ravi 98", "रवि"):
        for count in (False, True):
            plan = _plan(store, QueueFilter(search=q, include_closed=include_closed), count=count, matches=[1, 5, 9])
            assert "SEARCH cases USING INTEGER PRIMARY KEY (rowid=?)" in plan, (q, plan)
            assert "ix_cases_search" not in plan and "cases_fts" not in plan, (q, plan)


def test_many_open_matches_walk_the_queue_index_testing_the_trigram_matches(store: LocalStore) -> None:
    page = _plan(store, QueueFilter(search="ravi 98"), count=False, matches=MANY_MATCHES)
    assert "SCAN cases USING INDEX ix_cases_queue" in page and "TEMP B-TREE" not in page, page
    assert "cases_fts VIRTUAL TABLE" in page and "ix_cases_search" not in page, page
    count = _plan(store, QueueFilter(search="ravi kumar"), count=True, matches=MANY_MATCHES)
    assert "COVERING INDEX ix_cases_open_kind" in count and "cases_fts VIRTUAL TABLE" in count, count
    # a count of many matches with a short word tests every word on the narrow search index instead
    count = _plan(store, QueueFilter(search="ravi 98"), count=True, matches=SCAN_TEXT)
    assert "COVERING INDEX ix_cases_search_open" in count and "cases_fts" not in count, count
    closed_too = _plan(store, QueueFilter(search="ravi", include_closed=True), count=False, matches=MANY_MATCHES)
    assert "cases_fts VIRTUAL TABLE" in closed_too and "ix_cases_search" not in closed_too, closed_too


def test_the_trigram_index_is_not_read_without_a_word_of_three_characters(store: LocalStore) -> None:
    with pytest.raises(ValueError, match="trigram"):
        _plan(store, QueueFilter(search="ravi"), count=False)  # its matches must be given
    plan = _plan(store, QueueFilter(search="98 ra"), count=False)
    assert "COVERING INDEX ix_cases_search_open" in plan and "cases_fts" not in plan, plan
    plan = _plan(store, QueueFilter(search="98", include_closed=True), count=False)
    assert "COVERING INDEX ix_cases_search " in plan + " " and "cases_fts" not in plan, plan


def test_store_from_version_0004_gets_its_rows_indexed(tmp_path: Path, store_key: bytes) -> None:
    path = tmp_path / "v4.db"
    engine = make_engine(path, store_key)
    upgrade(engine, "0004")
    maker = EventMaker("dev-old")
    case = maker.created(subject={"name": "Shabnam Khatoon", "phones": ["+919812345678"]})
    with engine.connect() as conn:
        conn = conn.execution_options(rakshak_write=True)
        wire = {**case.to_wire(), "payload": json.dumps(dict(case.payload)), "sync_state": "pending", "local_seq": 1}
        conn.execute(t.events.insert(), [wire])
        insert_case_row_as_of(conn, projection_row(fold(case.case_id, [case]), 1, 0))
        meta = [{"key": "device_id", "value": "dev-old"}, {"key": "projection_version", "value": "1"}]
        conn.execute(t.meta.insert(), meta)
        conn.commit()
    engine.dispose()
    with LocalStore.open(path, store_key) as store:
        with store.reader() as r:
            assert [c.case_id for c in r.cases.queue(QueueFilter(search="khatoon 123"))] == [case.case_id]
            secure = r.connection.exec_driver_sql("SELECT v FROM cases_fts_config WHERE k = 'secure-delete'").scalar()
            assert secure == 1
        _fts_is_whole(store)


def test_a_store_whose_name_index_cannot_erase_is_refused(tmp_path: Path, store_key: bytes) -> None:
    path = tmp_path / "rakshak.db"
    LocalStore.open(path, store_key).close()
    engine = make_engine(path, store_key)
    with engine.connect() as conn:
        conn.exec_driver_sql("INSERT INTO cases_fts (cases_fts, rank) VALUES ('secure-delete', 0)")
        conn.commit()
    engine.dispose()
    with pytest.raises(StoreUnavailable, match="secure-delete"):
        LocalStore.open(path, store_key)
