"""Meta values and form drafts in the local store, on real SQLCipher files."""

from __future__ import annotations

import uuid

from core.store import LocalStore
from tests.unit.core.conftest import EventMaker

# -- meta and drafts --------------------------------------------------------------------------------


def test_meta_values_round_trip(store: LocalStore, maker: EventMaker) -> None:
    with store.unit_of_work() as uow:
        assert uow.meta.cursor == 0 and uow.meta.epoch is None and uow.meta.hlc_last() is None
        uow.meta.cursor = 1234
        uow.meta.epoch = "e-1"
        uow.meta.last_sync_at = "2026-11-22T10:00:00.000Z"
        uow.meta.clock_skew_s = -2.5
        uow.meta.set("custom", "v")
        uow.events.append_local(maker.created())
        uow.commit()
    with store.reader() as r:
        assert r.meta.cursor == 1234 and r.meta.epoch == "e-1"
        assert r.meta.last_sync_at == "2026-11-22T10:00:00.000Z" and r.meta.clock_skew_s == -2.5
        assert r.meta.get("custom") == "v"
        assert r.meta.hlc_last() is not None and r.meta.hlc_last().endswith(".dev-a")
    with store.unit_of_work() as uow:
        uow.meta.set("custom", None)
        uow.meta.clock_skew_s = None
        uow.commit()
    with store.reader() as r:
        assert r.meta.get("custom") is None and r.meta.clock_skew_s is None


def test_drafts(store: LocalStore) -> None:
    case_id = str(uuid.uuid4())
    with store.unit_of_work() as uow:
        uow.drafts.save(case_id, "dispatch", {"officer": "SI Rana", "phone": ""})
        uow.drafts.save(case_id, "outcome", {"outcome": "safe_counselled", "detail": "परिवार को सौंपा"})
        uow.commit()
    with store.unit_of_work() as uow:
        uow.drafts.save(case_id, "dispatch", {"officer": "SI Rana", "phone": "+91"})
        uow.commit()
    with store.reader() as r:
        assert r.drafts.load(case_id, "dispatch") == {"officer": "SI Rana", "phone": "+91"}
        assert r.drafts.load(case_id, "outcome") == {"outcome": "safe_counselled", "detail": "परिवार को सौंपा"}
        assert r.drafts.forms(case_id) == ["dispatch", "outcome"]
        assert r.drafts.load(case_id, "other") is None
    with store.unit_of_work() as uow:
        uow.drafts.discard(case_id, "dispatch")
        uow.drafts.discard(case_id, "never-saved")
        uow.commit()
    with store.reader() as r:
        assert r.drafts.forms(case_id) == ["outcome"]
