"""One operator action through ``core.store.service.record``: the case is folded once and the event
validated once, and the projection row written from that fold equals a refold of the stored log."""

from __future__ import annotations

import time
from typing import Any

import pytest

import core.commands
import core.events
import core.store.projector
import core.store.repositories
from core.errors import CommandRefused
from core.events import Author, EventType
from core.fold import fold
from core.hlc import HybridClock, Stamp
from core.store import LocalStore, QueueFilter
from core.store.service import record
from tests.unit.core.conftest import DEFAULT_PAYLOADS, EventMaker

AUTHOR = Author("u-1", "Insp. Meena")


def _row(store: LocalStore, case_id: str) -> dict[str, Any]:
    with store.reader() as r:
        found = r.connection.exec_driver_sql("SELECT * FROM cases WHERE case_id = ?", (case_id,)).mappings().first()
    assert found is not None
    return dict(found)


def _refolded_row(store: LocalStore, case_id: str) -> dict[str, Any]:
    with store.unit_of_work() as uow:
        uow.cases.refold(case_id)
        found = uow.connection.exec_driver_sql("SELECT * FROM cases WHERE case_id = ?", (case_id,)).mappings().first()
        assert found is not None
        return dict(found)  # rolled back: the refold is only compared


@pytest.fixture
def case_id(store: LocalStore, maker: EventMaker) -> str:
    created = maker.created()
    with store.unit_of_work() as uow:
        uow.events.apply_remote([created.with_seq(1)])
        uow.commit()
    return created.case_id


def test_an_action_folds_the_case_once_and_validates_the_event_once(
    store: LocalStore, case_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = {"fold": 0, "validate": 0, "payload": 0}
    real_fold, real_validate, real_payload = core.commands.fold, core.events.validate, core.events._validate_payload

    def counting_fold(*args: Any, **kwargs: Any) -> Any:
        calls["fold"] += 1
        return real_fold(*args, **kwargs)

    def counting_validate(*args: Any, **kwargs: Any) -> None:
        calls["validate"] += 1
        real_validate(*args, **kwargs)

    def counting_payload(*args: Any, **kwargs: Any) -> str:
        calls["payload"] += 1
        return real_payload(*args, **kwargs)

    for module in (core.commands, core.store.projector, core.store.repositories):
        monkeypatch.setattr(module, "fold", counting_fold)
    monkeypatch.setattr(core.events, "validate", counting_validate)
    monkeypatch.setattr(core.store.repositories, "validate", counting_validate)
    monkeypatch.setattr(core.events, "_validate_payload", counting_payload)
    clock = HybridClock(store.device_id)
    for etype in (EventType.ACKNOWLEDGED, EventType.DISPATCHED, EventType.COUNSELLING_NOTE):
        calls.update(fold=0, validate=0, payload=0)
        record(store, clock, AUTHOR, case_id, etype, DEFAULT_PAYLOADS[etype])
        assert calls == {"fold": 1, "validate": 0, "payload": 1}, etype
    monkeypatch.undo()
    assert _row(store, case_id) == _refolded_row(store, case_id)


def test_the_row_written_from_the_action_is_the_refold_also_after_a_refusal_and_a_new_name(
    store: LocalStore, case_id: str
) -> None:
    wall_ms = time.time_ns() // 1_000_000 + 60_000  # a clock that stands still: only events move it
    clock = HybridClock(store.device_id, wall_ms=lambda: wall_ms)
    record(store, clock, AUTHOR, case_id, EventType.ACKNOWLEDGED, {})
    with store.unit_of_work() as uow:  # HQ refuses the acknowledgement: the row shows the refusal
        own = uow.outbox.pending()[0]
        uow.outbox.mark_rejected(own.id, "not this district", "scope")
        uow.commit()
    refused_silence = _row(store, case_id)["refused_silence"]
    assert refused_silence is not None
    stamp = clock.now()
    with pytest.raises(CommandRefused, match="acknowledge the case first"):
        record(store, clock, AUTHOR, case_id, EventType.DISPATCHED, DEFAULT_PAYLOADS[EventType.DISPATCHED])
    assert Stamp.parse(clock.now()).counter == Stamp.parse(stamp).counter + 1  # the refusal took no stamp
    record(store, clock, AUTHOR, case_id, EventType.ACKNOWLEDGED, {})
    record(store, clock, AUTHOR, case_id, EventType.LOCATED, {"location": {"text": "Danapur"}, "method": "cdr_tower"})
    row = _row(store, case_id)
    assert row == _refolded_row(store, case_id)
    assert row["refused_silence"] == refused_silence and row["pending_count"] == 2 and row["rejected_count"] == 1
    assert "danapur" in row["search_text"]
    with store.reader() as r:  # the name index follows the new text
        assert [c.case_id for c in r.cases.queue(QueueFilter(search="danapur"))] == [case_id]
        assert r.cases.state(case_id) == fold(case_id, r.events.for_fold(case_id))


def test_an_action_on_a_revoked_case_is_refused_and_leaves_the_tombstone(store: LocalStore, case_id: str) -> None:
    with store.unit_of_work() as uow:
        uow.cases.purge(case_id)
        uow.commit()
    with pytest.raises(CommandRefused, match="unknown case"):
        record(store, HybridClock(store.device_id), AUTHOR, case_id, EventType.ACKNOWLEDGED, {})
    assert _row(store, case_id)["purged"] == 1
