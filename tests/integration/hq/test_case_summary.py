"""``case_summary`` is its case's fold, written in the same transaction as every event, and back-filled
by its migration from the stored events."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import delete, select

from core.events import EventType
from core.fold import fold
from hq.db import MIGRATIONS_DIR, Database, sqlite_url
from hq.feed import case_history
from hq.schema import case_summary
from hq.summary import summary_row
from tests.fixtures.hq import HQServer
from tests.integration.hq.helpers import ack, dispatch, event, note


def _rows(db: Database) -> dict[str, dict[str, Any]]:
    with db.reader() as conn:
        rows = conn.execute(select(case_summary)).mappings().all()
    return {r["case_id"]: {k: v for k, v in r.items() if k != "updated_at"} for r in rows}


def _folded(db: Database, case_id: str) -> dict[str, Any]:
    with db.reader() as conn:
        state = fold(case_id, case_history(conn, case_id))
    row = summary_row(state, "-")
    row.pop("updated_at")
    return row


def test_every_write_keeps_the_summary_equal_to_the_fold(hq: HQServer) -> None:
    routed = hq.intake("LKO")
    unrouted = hq.intake(None)
    db = hq.database()
    try:
        rows = _rows(db)
        assert rows[routed] == _folded(db, routed)
        assert rows[routed]["routed_at"] is not None and rows[routed]["status"] == "new"
        assert rows[unrouted]["routed_at"] is None and rows[unrouted]["district"] is None

        hq_op, district = hq.login("hq"), hq.login("demo")
        hq_op.push([ack(hq_op, routed)])
        district.push(
            [
                ack(district, routed),
                dispatch(district, routed),
                event(district, routed, EventType.REACHED, {"at": "2026-11-29T10:00:00.000Z"}),
                note(district, routed),
                event(
                    district,
                    routed,
                    EventType.OUTCOME_RECORDED,
                    {"outcome": "not_reached", "not_reached_reason": "phone_switched_off"},
                ),
                event(district, routed, EventType.ESCALATED, {"reason": "no answer", "to": "SP"}),
            ]
        )
        # events the row does not depend on (the summary skips refolding for them)
        district.push(
            [
                event(district, routed, EventType.LOCATED, {"location": {"text": "Lanka"}, "method": "cdr_tower"}),
                event(
                    district,
                    routed,
                    EventType.COUNSELLING_NOTE,
                    {"officer_name": "SI", "officer_rank": "SI", "text": "ok"},
                ),
            ]
        )
        rows = _rows(db)
        row = rows[routed]
        assert row == _folded(db, routed)
        assert row["status"] == "outcome_recorded"
        assert row["outcome"] == "not_reached" and row["outcome_reason"] == "phone_switched_off"
        for column in ("hq_acknowledged_at", "district_acknowledged_at", "dispatched_at", "counselled_at"):
            assert row[column] is not None, column
        assert row["reached_at"] == "2026-11-29T10:00:00.000Z"
        assert row["escalations"] == 1 and row["last_escalation_step"] == "SP"
        assert row["follow_ups_open"] == 1 and row["next_follow_up_due"] is not None
        assert rows[unrouted] == _folded(db, unrouted)  # untouched, still right
    finally:
        db.dispose()


def test_the_migration_back_fills_every_case_from_its_events(hq_factory, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    hq = hq_factory("sqlite")
    cases = [hq.intake("LKO"), hq.intake("VNS"), hq.intake(None)]
    client = hq.login("demo")
    client.push([ack(client, cases[0]), dispatch(client, cases[0])])
    hq.stop()
    db = Database(hq.db_url, pool_size=1)
    try:
        expected = _rows(db)
        assert set(expected) >= set(cases)
        assert expected[cases[0]]["status"] == "dispatched"
        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
        with db.engine.begin() as conn:
            conn.execute(delete(case_summary))
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0005_signatures")
        db.migrate()
        assert _rows(db) == expected
    finally:
        db.dispose()


def test_a_fresh_database_has_an_empty_summary(tmp_path: Path) -> None:
    db = Database(sqlite_url(tmp_path / "fresh.sqlite3"), pool_size=1)
    try:
        db.migrate()
        assert _rows(db) == {}
    finally:
        db.dispose()
