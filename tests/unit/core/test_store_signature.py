"""The store keeps HQ's signature of the events HQ wrote (store migration 0008)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from core.events import EventType
from core.store import LocalStore
from hq import signing
from tests.unit.core.conftest import EventMaker


def test_the_store_keeps_the_signature(tmp_path: Path, store: LocalStore) -> None:
    signing.generate(tmp_path / "hq.key")
    keys = signing.load(tmp_path / "hq.key", None)
    created = EventMaker("hq").created().with_seq(1)
    signed = dataclasses.replace(created, signature=keys.sign(created))
    unsigned_first = EventMaker("hq").event(created.case_id, EventType.ASSIGNED, {"district": "LKO"}).with_seq(2)
    with store.unit_of_work() as uow:
        uow.events.apply_remote([signed, unsigned_first])
        uow.commit()
    later = dataclasses.replace(unsigned_first, signature=keys.sign(unsigned_first))
    with store.unit_of_work() as uow:  # the same event again, now with HQ's signature
        uow.events.apply_remote([later])
        uow.commit()
    with store.reader() as r:
        got = r.events.get(signed.id)
        assert got is not None and got.event.signature == signed.signature and keys.verify(got.event)
        again = r.events.get(unsigned_first.id)
        assert again is not None and again.event.signature == later.signature
