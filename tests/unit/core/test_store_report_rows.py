"""The replica's report rows (store migration 0009): ``case_report`` and ``follow_up_report`` always
hold ``core.report_rows.summary_values`` of each case's fold, whichever path wrote the case's row, and
go with the row (purge, rebuild); the migration back-fills them from an older store."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from core.events import EventType, iso
from core.fold import fold
from core.report_rows import STEP_SECONDS_COLUMNS, follow_up_values
from core.reports import Step
from core.store import LocalStore
from core.store import schema as t
from core.store.engine import make_engine
from core.store.migrate import upgrade
from core.store.projection import PROJECTION_VERSION, projection_row
from core.store.projector import report_values
from tests.unit.core.conftest import T0, EventMaker, commit, insert_case_row_as_of


def _report_rows(store: LocalStore) -> tuple[dict[str, tuple[Any, ...]], set[tuple[Any, ...]]]:
    with store.reader() as r:
        cases = {row[0]: tuple(row) for row in r.connection.execute(sa.select(t.case_report))}
        follow_ups = {tuple(row) for row in r.connection.execute(sa.select(t.follow_up_report))}
    return cases, follow_ups


def _expected(store: LocalStore) -> tuple[dict[str, tuple[Any, ...]], set[tuple[Any, ...]]]:
    """The report rows the folds of the store's live cases give."""
    with store.reader() as r:
        ids = [
            str(c) for c in r.connection.execute(sa.select(t.cases.c.case_id).where(t.cases.c.purged == 0)).scalars()
        ]
        states = [s for s in (r.cases.state(c) for c in ids) if s is not None]
    columns = [c.name for c in t.follow_up_report.c]
    return (
        {s.case_id: report_values(s) for s in states},
        {tuple(f[n] for n in columns) for s in states for f in follow_up_values(s)},
    )


def _history(maker: EventMaker, hq: EventMaker) -> list[Any]:
    created = hq.created(received_at="2026-11-22T14:30:00+05:30")  # an offset: stored as UTC text
    cid = created.case_id
    return [
        created.with_seq(1),
        hq.event(cid, EventType.ACKNOWLEDGED, {"tier": "hq"}).with_seq(2),
        hq.event(cid, EventType.ASSIGNED, {"district": "Patna"}).with_seq(3),
        hq.event(cid, EventType.DISPATCHED).with_seq(4),
    ]


def test_report_rows_follow_every_write_path(store: LocalStore, maker: EventMaker) -> None:
    hq = EventMaker("hq")
    history = _history(maker, hq)
    cid = history[0].case_id
    with store.unit_of_work() as uow:  # an initial sync: the whole log at once
        uow.events.apply_remote(history)
        uow.commit()
    cases, _ = _report_rows(store)
    assert cases == _expected(store)[0]
    row = dict(zip([c.name for c in t.case_report.c], cases[cid], strict=True))
    assert row["received_at"] == "2026-11-22T09:00:00.000Z"
    assert row["kind"] == "suicide_risk" and row["district"] == "Patna" and row["reached"] == 0
    assert row["hq_acknowledged_s"] is not None and row["dispatched_s"] is not None and row["reached_s"] is None

    # this console's own work (the caller's fold), then a late event from HQ (a refold)
    reached = maker.event(cid, EventType.REACHED, {"at": iso(T0 + timedelta(minutes=40))})
    note = maker.event(
        cid,
        EventType.COUNSELLING_NOTE,
        {"officer_name": "SI", "officer_rank": "SI", "text": "spoke", "follow_up_date": iso(T0 + timedelta(days=7))},
    )
    commit(store, reached)
    commit(store, note)
    with store.unit_of_work() as uow:
        uow.events.apply_remote([hq.event(cid, EventType.OUTCOME_RECORDED, {"outcome": "safe_counselled"}).with_seq(5)])
        uow.commit()
    cases, follow_ups = _report_rows(store)
    assert (cases, follow_ups) == _expected(store)
    row = dict(zip([c.name for c in t.case_report.c], cases[cid], strict=True))
    assert row["reached"] == 1 and row["outcome"] == "safe_counselled" and row["reached_s"] is not None
    assert row["counselled_s"] is not None and len(follow_ups) == 1

    with store.unit_of_work() as uow:  # a fold change: every row rebuilt from the log
        uow.cases.rebuild_all()
        uow.commit()
    assert _report_rows(store) == _expected(store)


def test_a_purged_case_leaves_no_report_row_until_it_comes_back(store: LocalStore, maker: EventMaker) -> None:
    hq = EventMaker("hq")
    history = _history(maker, hq)
    cid = history[0].case_id
    other = hq.created().with_seq(9)
    note = maker.event(
        cid,
        EventType.COUNSELLING_NOTE,
        {"officer_name": "SI", "officer_rank": "SI", "text": "spoke", "follow_up_date": iso(T0 + timedelta(days=7))},
    )
    with store.unit_of_work() as uow:
        uow.events.apply_remote([*history, other])
        uow.commit()
    commit(store, note)
    assert set(_report_rows(store)[0]) == {cid, other.case_id} and _report_rows(store)[1]
    with store.unit_of_work() as uow:
        uow.cases.purge(cid)
        uow.commit()
    cases, follow_ups = _report_rows(store)
    assert set(cases) == {other.case_id} and follow_ups == set()
    with store.unit_of_work() as uow:  # the case comes back to this district: its whole history again
        uow.events.apply_remote(history)
        uow.commit()
    cases, _ = _report_rows(store)
    assert set(cases) == {cid, other.case_id} and cases == _expected(store)[0]


def test_the_migration_back_fills_the_report_rows_of_an_older_store(tmp_path: Path, store_key: bytes) -> None:
    path = tmp_path / "old.db"
    engine = make_engine(path, store_key)
    upgrade(engine, "0008")
    hq = EventMaker("hq")
    states = []
    for n in range(3):
        history = _history(EventMaker(), hq)
        if n == 1:
            history.append(hq.event(history[0].case_id, EventType.REACHED).with_seq(5))
        states.append(fold(history[0].case_id, history))
    with engine.connect() as conn:
        conn = conn.execution_options(rakshak_write=True)
        for state in states:
            insert_case_row_as_of(conn, projection_row(state, 0, 0))
        conn.execute(t.meta.insert(), [{"key": "device_id", "value": "dev-old"}])
        conn.execute(t.meta.insert(), [{"key": "projection_version", "value": str(PROJECTION_VERSION)}])
        conn.commit()
    engine.dispose()
    with LocalStore.open(path, store_key) as store:
        cases, _ = _report_rows(store)
    assert cases == {s.case_id: report_values(s) for s in states}
    reached = [c for c in cases.values() if c[6] == 1]
    assert len(reached) == 1


def test_step_seconds_columns_are_the_report_table_s() -> None:
    names = {c.name for c in t.case_report.c}
    assert set(STEP_SECONDS_COLUMNS.values()) <= names
    assert list(STEP_SECONDS_COLUMNS) == list(Step)
