"""Migration ``0016_tip_streams``: tips filed before the SP and range streams existed (simulated by
taking their rows out of those streams) are written into them with their whole history, in order,
so an SP office and a DIG syncing for the first time get the district's earlier tips. Running it
again writes nothing twice. On SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import delete, select

from core.events import EventType
from hq import admin
from hq.db import MIGRATIONS_DIR, Database
from hq.demo import DEMO_INTAKE, synthetic_alert
from hq.feed import range_stream, tips_stream
from hq.intake import intake
from hq.schema import events, feed
from hq.tipline.relay import RELAY
from tests.fixtures.hq import HQFactory
from tests.integration.hq.helpers import event

PASSWORD = "backfill-password"


def _tip(db: Database, district: str | None, tip_range: str | None = None) -> str:
    tip: dict[str, Any] = {"category": "gambling", "pseudonym": "Tipster OLD1", "prior_tips": 0, "place": "Lanka"}
    if tip_range:
        tip["range"] = tip_range
    body = synthetic_alert(district=district or "VNS") | {
        "kind": "tip", "source": "whatsapp_tipline", "upstream_ref": f"tipline:{uuid.uuid4().hex}", "tip": tip,
    }  # fmt: skip
    body.pop("police_station")
    if district is None:
        body.pop("district")
    return intake(db, RELAY, body).case_id


def _rows(db: Database, stream: str) -> list[tuple[str, int | None]]:
    with db.reader() as conn:
        q = select(feed.c.case_id, feed.c.event_seq).where(feed.c.stream == stream).order_by(feed.c.pos)
        return [(r.case_id, r.event_seq) for r in conn.execute(q)]


def _seqs(db: Database, case_id: str) -> list[int]:
    with db.reader() as conn:
        q = select(events.c.seq).where(events.c.case_id == case_id).order_by(events.c.seq)
        return list(conn.execute(q).scalars())


def _migrate_again(db: Database) -> None:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0015_compliance")
    db.migrate()


def test_old_tips_reach_the_sp_and_range_streams_in_order(hq_factory: HQFactory, backend: str) -> None:
    server = hq_factory(backend, start=False)
    db = server.database()
    try:
        admin.create_user(db, "sp-vns", PASSWORD, "sp_office", "SP Office Varanasi", "VNS")
        admin.create_user(db, "dig-vns", PASSWORD, "range_dig", "DIG Varanasi", range_="Varanasi")
        first = _tip(db, "VNS")
        alert = intake(db, DEMO_INTAKE, synthetic_alert(district="VNS")).case_id  # not a tip: in neither stream
        triage = _tip(db, None, tip_range="Varanasi")
        second = _tip(db, "VNS")
        elsewhere = _tip(db, "LKO")
        sp, rng = tips_stream("VNS"), range_stream("Varanasi")
        expected_sp = [(c, s) for c in (first, second) for s in _seqs(db, c)]
        expected_range = [(c, s) for c in (first, triage, second) for s in _seqs(db, c)]
        assert _rows(db, sp) == expected_sp and _rows(db, rng) == expected_range  # as filed today
        # As before 0014_ranges: the tips are in no SP or range stream.
        with db.writer() as conn:
            conn.execute(delete(feed).where(feed.c.stream.like("tips:%") | feed.c.stream.like("range:%")))
        assert _rows(db, sp) == [] and _rows(db, rng) == []

        _migrate_again(db)
        assert _rows(db, sp) == expected_sp  # each tip's history in hq_seq order, tips as filed
        assert _rows(db, rng) == expected_range
        assert _rows(db, tips_stream("LKO")) == [(elsewhere, s) for s in _seqs(db, elsewhere)]
        assert alert not in {c for c, _ in _rows(db, sp) + _rows(db, rng)}
        _migrate_again(db)  # idempotent: nothing twice
        assert _rows(db, sp) == expected_sp and _rows(db, rng) == expected_range

        # HQ serves them: an SP office syncing for the first time gets the earlier tips, and the
        # streams go on after the back-filled rows (a new event lands after them).
        server.start()
        office = server.login("sp-vns", password=PASSWORD)
        items, cursor = office.pull_all(0)
        assert [(i["event"]["case_id"], i["event"]["hq_seq"]) for i in items if i["kind"] == "event"] == expected_sp
        action = event(office, first, EventType.TIP_ACTION, {"text": "inquiry opened"})
        assert office.push([action])["results"][0]["status"] == "accepted"
        later, _ = office.pull_all(cursor)
        assert [i["event"]["id"] for i in later if i["kind"] == "event"] == [action.id]
        dig = server.login("dig-vns", password=PASSWORD)
        got = [i["event"]["case_id"] for i in dig.pull_all(0)[0] if i["kind"] == "event"]
        assert set(got) == {first, triage, second}
    finally:
        db.dispose()
