"""Schema migrations run at open: an older store upgrades in place with its data; a newer one is refused."""

from __future__ import annotations

import json

import pytest

from core.errors import StoreUnavailable
from core.events import EventType
from core.fold import fold
from core.store import LocalStore, QueueFilter
from core.store import schema as t
from core.store.engine import make_engine
from core.store.migrate import HEAD_REVISION, head_from_scripts, upgrade
from core.store.projection import PROJECTION_VERSION, projection_row
from core.store.store import KNOWN_REVISIONS
from tests.unit.core.conftest import EventMaker, insert_case_row_as_of


def test_head_revision_constant_is_alembics_head() -> None:
    assert head_from_scripts() == HEAD_REVISION == KNOWN_REVISIONS[-1]


def test_tables_match_the_query_schema(store: LocalStore) -> None:
    with store.reader() as r:
        for table in t.metadata.tables.values():
            columns = [row[1] for row in r.connection.exec_driver_sql(f"PRAGMA table_info({table.name})")]
            assert columns == [c.name for c in table.columns], table.name


def _old_row(conn, row: dict) -> dict:  # type: ignore[no-untyped-def,type-arg]
    """A projection row cut to the columns an older schema has (later migrations add columns)."""
    columns = {r[1] for r in conn.exec_driver_sql("PRAGMA table_info(cases)")}
    return {k: v for k, v in row.items() if k in columns}


def test_store_from_version_0001_upgrades_in_place_keeping_its_data(tmp_path, store_key) -> None:
    path = tmp_path / "old.db"
    engine = make_engine(path, store_key)
    upgrade(engine, "0001")
    maker = EventMaker("dev-old")
    created = maker.created()
    ack = maker.event(created.case_id, EventType.ACKNOWLEDGED)
    state = fold(created.case_id, [created, ack])
    with engine.connect() as conn:
        conn = conn.execution_options(rakshak_write=True)
        tables = {r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type='table'")}
        assert "drafts" not in tables and "events" in tables
        for seq, e in enumerate([created, ack], start=1):
            conn.execute(
                t.events.insert(),
                [
                    {
                        **e.to_wire(),
                        "payload": json.dumps(dict(e.payload)),
                        "sync_state": "pending",
                        "local_seq": seq,
                    }
                ],
            )
        conn.execute(t.cases.insert(), [_old_row(conn, projection_row(state, 2, 0))])
        conn.execute(t.meta.insert(), [{"key": "device_id", "value": "dev-old"}, {"key": "hq_cursor", "value": "17"}])
        conn.execute(t.meta.insert(), [{"key": "projection_version", "value": "1"}])
        conn.commit()
    engine.dispose()

    with LocalStore.open(path, store_key) as store:
        assert store.device_id == "dev-old"
        with store.unit_of_work() as uow:
            assert uow.connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == HEAD_REVISION
            uow.drafts.save(created.case_id, "dispatch", {"officer": "SI"})  # the table 0002 added
            uow.commit()
        with store.reader() as r:
            assert r.meta.cursor == 17
            assert [e.id for e in r.outbox.pending()] == [created.id, ack.id]
            assert r.cases.state(created.case_id) == state
            assert r.cases.count(QueueFilter()) == 1
            assert [c.case_id for c in r.cases.queue(QueueFilter(search="ravi"))] == [created.case_id]  # 0003
            assert r.drafts.load(created.case_id, "dispatch") == {"officer": "SI"}


def test_store_from_a_newer_version_is_refused(tmp_path, store_key) -> None:
    path = tmp_path / "new.db"
    LocalStore.open(path, store_key).close()
    engine = make_engine(path, store_key)
    with engine.connect() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '0099'")
        conn.commit()
    engine.dispose()
    with pytest.raises(StoreUnavailable, match="newer Rakshak"):
        LocalStore.open(path, store_key)


def test_store_from_version_0003_gets_the_filter_indexes_and_keeps_its_rows(tmp_path, store_key) -> None:
    """0004 only adds indexes: rows written by 0003 code are indexed at upgrade and found by them."""
    path = tmp_path / "v3.db"
    engine = make_engine(path, store_key)
    upgrade(engine, "0003")
    maker = EventMaker("dev-old")
    open_case = maker.created(kind="complaint", police_station="Hazratganj")
    closed = maker.created(kind="complaint", police_station="Hazratganj", subject={"name": "Ravi Closed"})
    closing = [maker.event(closed.case_id, EventType.ACKNOWLEDGED), maker.event(closed.case_id, EventType.CLOSED)]
    closed_state = fold(closed.case_id, [closed, *closing])
    with engine.connect() as conn:
        conn = conn.execution_options(rakshak_write=True)
        conn.execute(
            t.events.insert(),
            [
                {
                    **open_case.to_wire(),
                    "payload": json.dumps(dict(open_case.payload)),
                    "sync_state": "pending",
                    "local_seq": 1,
                }
            ],
        )
        conn.execute(t.cases.insert(), [_old_row(conn, projection_row(fold(open_case.case_id, [open_case]), 1, 0))])
        # the closed case's events are left out: rows only
        conn.execute(t.cases.insert(), [_old_row(conn, projection_row(closed_state, 0, 0))])
        # the current projection version: the rows written here (one without events) are kept as they are
        version = str(PROJECTION_VERSION)
        meta = [{"key": "device_id", "value": "dev-old"}, {"key": "projection_version", "value": version}]
        conn.execute(t.meta.insert(), meta)
        conn.commit()
    engine.dispose()

    with LocalStore.open(path, store_key) as store, store.reader() as r:
        sql = r.connection.exec_driver_sql
        assert sql("SELECT version_num FROM alembic_version").scalar() == HEAD_REVISION
        indexes = {row[0] for row in sql("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert {"ix_cases_open_station", "ix_cases_open_kind", "ix_cases_search_open"} <= indexes
        assert sql("PRAGMA integrity_check").scalar() == "ok"
        station = QueueFilter(kinds=frozenset({"complaint"}), police_station="Hazratganj")
        assert [c.case_id for c in r.cases.queue(station)] == [open_case.case_id]
        assert r.cases.count(station) == 1
        assert r.cases.count(QueueFilter(police_station="Hazratganj", include_closed=True)) == 2
        assert [c.case_id for c in r.cases.queue(QueueFilter(search="ravi"))] == [open_case.case_id]
        assert [c.case_id for c in r.cases.queue(QueueFilter(search="ravi closed", include_closed=True))] == [
            closed.case_id
        ]


def test_store_from_version_0004_keeps_its_refused_events_and_can_mark_them_dealt_with(tmp_path, store_key) -> None:
    """0007 adds seen_assignment and the dealt-with columns: rows from before read as None."""
    path = tmp_path / "v4.db"
    engine = make_engine(path, store_key)
    upgrade(engine, "0004")
    maker = EventMaker("dev-old")
    created = maker.created()
    ack = maker.event(created.case_id, EventType.ACKNOWLEDGED)
    with engine.connect() as conn:
        conn = conn.execution_options(rakshak_write=True)
        for seq, (e, state) in enumerate([(created, "accepted"), (ack, "rejected")], start=1):
            row = {**e.to_wire(), "payload": json.dumps(dict(e.payload)), "sync_state": state, "local_seq": seq}
            if state == "rejected":
                row |= {"reject_reason": "the case is not in your district", "reject_code": "forbidden"}
            conn.execute(t.events.insert(), [row])
        insert_case_row_as_of(conn, projection_row(fold(created.case_id, [created]), 0, 1))
        meta = [{"key": "device_id", "value": "dev-old"}, {"key": "projection_version", "value": "1"}]
        conn.execute(t.meta.insert(), meta)
        conn.commit()
    engine.dispose()

    with LocalStore.open(path, store_key) as store:
        with store.reader() as r:
            [refused] = r.outbox.rejected()
            assert refused.event == ack and refused.event.seen_assignment is None and refused.dealt_with_at is None
            assert r.outbox.counts() == (0, 1)
        with store.unit_of_work() as uow:
            assert uow.outbox.mark_dealt_with([ack.id], "Insp. Meena (u-1)") == 1
            uow.commit()
        with store.reader() as r:
            assert r.outbox.counts() == (0, 0) and r.outbox.rejected() == []
            assert r.outbox.rejected(include_dealt_with=True)[0].dealt_with_by == "Insp. Meena (u-1)"
