"""The webhook's database work (``accept``) on SQLite and PostgreSQL: it writes without reading first,
so each case below checks a path of its ``INSERT ... ON CONFLICT`` statements: a first-seen sender
sealed, a known sender's row left as it was, a redelivery stored once, a sender whose seal retention
destroyed sealed anew, and a pseudonym collision given a longer pseudonym; then the same for a burst
of deliveries written together (``accept_many``, ``Acceptor``)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from hq.db import Database, sqlite_url
from hq.schema import tip_inbox, tip_senders
from hq.tipline import webhook
from hq.tipline.identity import normalise_number
from hq.tipline.relay import Relay
from hq.tipline.settings import TiplineSettings
from hq.tipline.webhook import accept, accept_many, parse_notification
from tests.fixtures.whatsapp_sim import WhatsAppSim

NUMBER = "919812345678"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def relay(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Relay]:
    url = request.getfixturevalue("pg_database") if request.param == "postgres" else sqlite_url(tmp_path / "hq.db")
    db = Database(url)
    db.migrate()
    settings = TiplineSettings.from_env(WhatsAppSim().env(GRAPH_URL="http://127.0.0.1:9/v21.0"))
    assert settings is not None
    try:
        yield Relay(db, settings)  # not started: accept() uses its keys and database only
    finally:
        db.dispose()


def _sender(relay: Relay, number: str = NUMBER) -> dict[str, object]:
    ref = relay.sealer.sender_ref(normalise_number(number))
    with relay.db.reader() as conn:
        return dict(conn.execute(select(tip_senders).where(tip_senders.c.ref == ref)).one()._mapping)


def _inbox_rows(relay: Relay) -> int:
    with relay.db.reader() as conn:
        return int(conn.execute(select(func.count()).select_from(tip_inbox)).scalar_one())


def test_a_first_message_seals_the_sender_and_a_known_senders_row_is_left_alone(relay: Relay) -> None:
    sim = WhatsAppSim()
    first = sim.text(NUMBER, "Hi")
    assert accept(relay, parse_notification(first)) == 1
    sealed = _sender(relay)
    assert relay.sealer.unseal(bytes(sealed["sealed_number"]), str(sealed["ref"])) == b"+" + NUMBER.encode()
    assert NUMBER.encode() not in bytes(sealed["sealed_number"])
    assert str(sealed["pseudonym"]).startswith("Tipster ") and sealed["tips"] == 0

    assert accept(relay, parse_notification(first)) == 0  # Meta's redelivery: no twin
    assert accept(relay, parse_notification(sim.text(NUMBER, "2"))) == 1
    assert _inbox_rows(relay) == 2
    assert _sender(relay) == sealed  # same seal (no re-encryption), same pseudonym, nothing rewritten
    with relay.db.reader() as conn:
        refs = {r.sender_ref for r in conn.execute(select(tip_inbox.c.sender_ref))}
    assert refs == {sealed["ref"]}


def test_a_sender_whose_seal_was_destroyed_is_sealed_anew_when_writing_again(relay: Relay) -> None:
    sim = WhatsAppSim()
    accept(relay, parse_notification(sim.text(NUMBER, "Hi")))
    before = _sender(relay)
    with relay.db.transaction() as conn:
        conn.execute(
            update(tip_senders)
            .where(tip_senders.c.ref == before["ref"])
            .values(sealed_number=None, seal_key_id=None, destroyed_at="2026-01-01T00:00:00.000000Z")
        )
    assert accept(relay, parse_notification(sim.text(NUMBER, "Hi again"))) == 1
    after = _sender(relay)
    assert after["destroyed_at"] is None and after["seal_key_id"] == relay.sealer.seal_key_id
    assert relay.sealer.unseal(bytes(after["sealed_number"]), str(after["ref"])) == b"+" + NUMBER.encode()
    assert after["pseudonym"] == before["pseudonym"] and after["first_seen"] == before["first_seen"]


def test_a_pseudonym_already_taken_by_another_number_gets_a_longer_one(relay: Relay) -> None:
    taken = relay.sealer.pseudonym(normalise_number(NUMBER))
    with relay.db.transaction() as conn:
        conn.execute(
            tip_senders.insert().values(
                ref="0" * 64, pseudonym=taken, sealed_number=b"x", seal_key_id="k", first_seen="2026-01-01",
                last_seen="2026-01-01", tips=0,
            )
        )  # fmt: skip
    assert accept(relay, parse_notification(WhatsAppSim().text(NUMBER, "Hi"))) == 1
    sender = _sender(relay)
    assert sender["pseudonym"] != taken and str(sender["pseudonym"]).startswith(taken)
    assert _inbox_rows(relay) == 1


def _senders(relay: Relay) -> int:
    with relay.db.reader() as conn:
        return int(conn.execute(select(func.count()).select_from(tip_senders)).scalar_one())


def test_a_burst_of_deliveries_written_together_stores_each_message_once(
    relay: Relay, monkeypatch: pytest.MonkeyPatch
) -> None:
    if relay.db.is_postgres:  # one statement for the burst, not the one-delivery path as a fallback

        def no_fallback(*_: object) -> int:
            raise AssertionError("the grouped statement failed")

        monkeypatch.setattr(webhook, "_accept_one", no_fallback)
    sim = WhatsAppSim()
    a1, b1, a2 = sim.text(NUMBER, "Hi"), sim.text("919800000001", "Hi"), sim.text(NUMBER, "2")
    burst = [parse_notification(p) for p in (a1, b1, a2, a1, sim.status(NUMBER))]
    assert accept_many(relay, burst) == [1, 1, 1, 0, 0]  # the redelivery inside the burst: no twin
    assert _inbox_rows(relay) == 3 and _senders(relay) == 2
    sealed = _sender(relay)
    assert relay.sealer.unseal(bytes(sealed["sealed_number"]), str(sealed["ref"])) == b"+" + NUMBER.encode()

    again = [parse_notification(p) for p in (a2, sim.text("919800000002", "Hi"), sim.text(NUMBER, "3"))]
    assert accept_many(relay, again) == [0, 1, 1]
    assert _inbox_rows(relay) == 5 and _senders(relay) == 3
    assert _sender(relay) == sealed  # a known sender's row is not rewritten by a grouped write either


def test_a_grouped_write_seals_a_destroyed_sender_anew_and_survives_a_pseudonym_collision(relay: Relay) -> None:
    sim = WhatsAppSim()
    accept(relay, parse_notification(sim.text(NUMBER, "Hi")))
    before = _sender(relay)
    other = "919800000003"
    taken = relay.sealer.pseudonym(normalise_number(other))
    with relay.db.transaction() as conn:
        conn.execute(
            update(tip_senders)
            .where(tip_senders.c.ref == before["ref"])
            .values(sealed_number=None, seal_key_id=None, destroyed_at="2026-01-01T00:00:00.000000Z")
        )
        conn.execute(
            tip_senders.insert().values(
                ref="0" * 64, pseudonym=taken, sealed_number=b"x", seal_key_id="k", first_seen="2026-01-01",
                last_seen="2026-01-01", tips=0,
            )
        )  # fmt: skip
    burst = [parse_notification(sim.text(NUMBER, "Hi again")), parse_notification(sim.text(other, "Hi"))]
    assert accept_many(relay, burst) == [1, 1]
    after = _sender(relay)
    assert after["destroyed_at"] is None and after["pseudonym"] == before["pseudonym"]
    assert relay.sealer.unseal(bytes(after["sealed_number"]), str(after["ref"])) == b"+" + NUMBER.encode()
    assert str(_sender(relay, other)["pseudonym"]).startswith(taken) and _sender(relay, other)["pseudonym"] != taken


@pytest.mark.postgres
def test_a_grouped_write_waits_on_no_lock_the_relay_holds_on_a_known_sender(pg_database: str) -> None:
    db = Database(pg_database)
    db.migrate()
    settings = TiplineSettings.from_env(WhatsAppSim().env(GRAPH_URL="http://127.0.0.1:9/v21.0"))
    assert settings is not None
    relay, sim = Relay(db, settings), WhatsAppSim()
    try:
        accept(relay, parse_notification(sim.text(NUMBER, "Hi")))
        ref = relay.sealer.sender_ref(normalise_number(NUMBER))
        with db.transaction() as holder:  # as the relay's filing transaction holds the sender's row
            holder.execute(select(tip_senders.c.ref).where(tip_senders.c.ref == ref).with_for_update())
            burst = [parse_notification(sim.text(NUMBER, "2")), parse_notification(sim.text("919800000004", "Hi"))]
            done: list[list[int]] = []

            def write() -> None:
                done.append(accept_many(relay, burst))
                done.append([accept(relay, parse_notification(sim.text(NUMBER, "3")))])  # one delivery alone

            writer = threading.Thread(target=write, daemon=True)
            writer.start()
            writer.join(timeout=10)
            assert done == [[1, 1], [1]], "the webhook's write waited on the sender's row lock"
    finally:
        db.dispose()


def test_deliveries_arriving_during_a_write_are_grouped_into_the_next_one(
    relay: Relay, monkeypatch: pytest.MonkeyPatch
) -> None:
    sim = WhatsAppSim()
    calls: list[int] = []
    real = webhook.accept_many

    def counted(r: Relay, deliveries: list[list[webhook.Inbound]]) -> list[int]:
        calls.append(len(deliveries))
        return real(r, deliveries)

    monkeypatch.setattr(webhook, "accept_many", counted)
    payloads = [sim.text(f"9198000001{i:02d}", "Hi") for i in range(40)]

    async def burst() -> list[int]:
        acceptor = webhook.Acceptor(relay)
        return await asyncio.gather(*(acceptor.accept(parse_notification(p)) for p in payloads))

    assert asyncio.run(burst()) == [1] * 40
    assert sum(calls) == 40 and len(calls) < 40  # grouped: fewer writes than deliveries
    assert _inbox_rows(relay) == 40 and _senders(relay) == 40


def test_a_delivery_that_cannot_be_stored_fails_alone(relay: Relay, monkeypatch: pytest.MonkeyPatch) -> None:
    sim = WhatsAppSim()
    real = webhook.accept_many
    poison = parse_notification(sim.text("919800000999", "Hi"))

    def picky(r: Relay, deliveries: list[list[webhook.Inbound]]) -> list[int]:
        if any(d is poison for d in deliveries):
            raise RuntimeError("cannot be stored")
        return real(r, deliveries)

    monkeypatch.setattr(webhook, "accept_many", picky)
    good = [parse_notification(sim.text(f"9198000002{i:02d}", "Hi")) for i in range(10)]

    async def burst() -> list[int | BaseException]:
        acceptor = webhook.Acceptor(relay)
        deliveries = [*good[:5], poison, *good[5:]]
        return await asyncio.gather(*(acceptor.accept(d) for d in deliveries), return_exceptions=True)

    results = asyncio.run(burst())
    assert isinstance(results[5], RuntimeError)  # its request answers 500; Meta redelivers it
    assert results[:5] + results[6:] == [1] * 10 and _inbox_rows(relay) == 10
