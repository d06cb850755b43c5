"""HQ restored from an older backup (PostgreSQL, ``pg_dump -Fc``): what the consoles do about it."""

from __future__ import annotations

import json
import uuid
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import select

from core.events import EventType
from hq import admin, signing
from hq.db import Database
from hq.schema import audit as hq_audit
from hq.schema import cases as hq_cases
from hq.schema import events as hq_events
from sync import repair
from tests.fixtures.hq import API, HQServer, Snapshot
from tests.integration.sync.sync_harness import (
    Workstation,
    add_operator,
    hq_event_table,
    wait_converged,
    wait_until,
)

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


def test_sequence_numbers_of_the_old_epoch_never_collide(hq_server_pg: HQServer, tmp_path: Path) -> None:
    """Events HQ lost keep no old-epoch number that the restored HQ gives to other events."""
    hq = hq_server_pg
    ws = Workstation.create(tmp_path / "a", hq.url, "demo")
    try:
        before = hq.intake("LKO")
        wait_until(lambda: ws.has_case(before), 15, "case delivered")
        ws.act(before, EventType.ACKNOWLEDGED, {})
        wait_converged(hq, ws)
        snapshot = hq.backup()
        lost_case = hq.intake("LKO")  # numbered by the old epoch, lost by the restore
        wait_converged(hq, ws)
        old_seqs = {i: seq for i, (_, seq) in ws.events().items()}
        hq.restore(snapshot)
        lost_ids = set(old_seqs) - set(hq_event_table(hq))
        assert lost_ids, "the restore must lose the events HQ wrote after the backup"
        new_case = hq.intake("LKO")  # the restored HQ numbers these again, from where the backup stood
        wait_until(lambda: ws.engine.status.epoch == hq.epoch and ws.has_case(new_case), 20, "new epoch pulled")
        table = hq_event_table(hq)
        wait_until(
            lambda: all(ws.events().get(i, ("", None))[1] == seq for i, (_, seq) in table.items()), 20, "feed applied"
        )
        reused = {old_seqs[i] for i in lost_ids} & {seq for _, seq in table.values()}
        assert reused, "the restored HQ must have given the lost numbers to other events for this test to mean anything"
        held = ws.events()
        numbers = Counter(seq for _, seq in held.values() if seq is not None)
        assert all(n == 1 for n in numbers.values()), f"hq_seq collisions: {numbers}"
        for event_id, (_, seq) in held.items():
            if event_id in table:
                assert seq == table[event_id][1]
            else:
                assert seq is None, f"{event_id} keeps an old-epoch number {seq}"
        assert ws.has_case(lost_case)  # the events are kept, only their numbers forgotten
    finally:
        ws.close()


DISPATCH = {"officer": "SI Verma", "phone": "9000000999"}
OUTCOME = {"outcome": "handed_to_family", "detail": "with his sister"}


def _hq_cases(server: HQServer) -> dict[str, tuple[str | None, str | None]]:
    """case id -> (district, upstream_ref) at HQ."""
    db = server.database()
    try:
        with db.reader() as conn:
            rows = conn.execute(select(hq_cases.c.id, hq_cases.c.district, hq_cases.c.upstream_ref)).all()
    finally:
        db.dispose()
    return {r.id: (r.district, r.upstream_ref) for r in rows}


def _move(server: HQServer, case_id: str, district: str) -> None:
    r = server.login("hq").http.post(f"{API}/cases/{case_id}/assign", json={"district": district})
    assert r.status_code == 200, r.text


def _sync_until_idle(*consoles: Workstation, rounds: int = 4) -> None:
    for _ in range(rounds):
        for ws in consoles:
            status = ws.engine.run_once()
            assert status.last_error is None, f"{ws.name}: {status.last_error}"


def _assert_scoped_convergence(server: HQServer, consoles: dict[str, Workstation]) -> None:
    """Every console holds exactly HQ's events of the cases HQ routes to its district (same content,
    same hq_seq), nothing pending or refused, nothing left to repair."""
    table = hq_event_table(server)
    where = _hq_cases(server)
    db = server.database()
    try:
        with db.reader() as conn:
            case_of = dict(conn.execute(select(hq_events.c.id, hq_events.c.case_id)).tuples().all())
    finally:
        db.dispose()
    for district, ws in consoles.items():
        assert ws.counts() == (0, 0), f"{ws.name}: pending/refused {ws.counts()}"
        assert repair.refused(ws.engine.store) == [], f"{ws.name}: {repair.refused(ws.engine.store)}"
        expected = {i: v for i, v in table.items() if where[case_of[i]][0] == district}
        held = ws.events()
        assert set(held) == set(expected), (
            f"{ws.name}: missing {set(expected) - set(held)}, extra {set(held) - set(expected)}"
        )
        for event_id, (content, seq) in held.items():
            assert json.loads(content) == json.loads(expected[event_id][0])
            assert seq == expected[event_id][1], f"{ws.name}: {event_id} numbered {seq}, HQ {expected[event_id][1]}"


def test_the_consoles_repair_an_hq_restored_from_an_older_backup(
    hq_server_pg: HQServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The restore of the issue: intake, acknowledge, dispatch, outcomes, notes and a reassignment after
    the backup, all synced; HQ stops; consoles record more; restore, new epoch; sync until idle."""
    hq = hq_server_pg
    key = tmp_path / "hq-signing.pem"
    signing.generate(key)
    monkeypatch.setenv(signing.ENV_SIGNING_KEY, str(key))  # the embedded HQ reads it at each write
    add_operator(hq, "demo2")
    lko = Workstation.create(tmp_path / "lko", hq.url, "demo", start=False)
    lko_b = Workstation.create(tmp_path / "lko-b", hq.url, "demo2", start=False)
    knp = Workstation.create(tmp_path / "knp", hq.url, "demo-knp", start=False)
    every = (lko, lko_b, knp)
    try:
        a = hq.intake("LKO")
        c = hq.intake("LKO")
        _sync_until_idle(*every, rounds=1)
        lko.act(a, EventType.ACKNOWLEDGED, {}, notify=False)
        _sync_until_idle(*every, rounds=2)
        snapshot = hq.backup()

        # after the backup, all synced
        b = hq.intake("LKO")
        _sync_until_idle(*every, rounds=1)
        after = [
            lko.act(b, EventType.ACKNOWLEDGED, {}, notify=False),
            lko.act(b, EventType.DISPATCHED, DISPATCH, notify=False),
            lko_b.note(b, "brother reached, talking", notify=False),
            lko.note(a, "follow-up call done", notify=False),
        ]
        _move(hq, c, "KNP")
        _sync_until_idle(*every, rounds=2)
        after += [
            knp.act(c, EventType.ACKNOWLEDGED, {}, notify=False),
            knp.note(c, "beat officer informed", notify=False),
        ]
        _sync_until_idle(*every, rounds=2)
        before_restore = hq_event_table(hq)
        hq_made_after = {i for i in before_restore if i not in _ids_in_dump(hq, snapshot)}
        assert {e.id for e in after} <= hq_made_after
        assert not lko.has_case(c) and knp.has_case(c)
        b_ref = _hq_cases(hq)[b][1]

        hq.stop()  # consoles record a little more
        offline = [
            lko.act(b, EventType.OUTCOME_RECORDED, OUTCOME, notify=False),
            knp.note(c, "family visited", notify=False),
            lko_b.note(a, "spoke to the complainant", notify=False),
        ]
        hq.restore(snapshot)
        lost = set(before_restore) - set(hq_event_table(hq))
        assert lost >= hq_made_after and b not in _hq_cases(hq)

        _sync_until_idle(*every)

        at_hq = hq_event_table(hq)
        made_after = hq_made_after | {e.id for e in offline}
        assert made_after <= set(at_hq), f"lost at HQ: {made_after - set(at_hq)}"
        # no case orphaned: every event's case exists at HQ and starts with its created event
        where = _hq_cases(hq)
        assert {a, b, c} <= set(where) and where[b][0] == "LKO" and where[c][0] == "KNP"
        _assert_scoped_convergence(hq, {"LKO": lko, "KNP": knp})
        _assert_scoped_convergence(hq, {"LKO": lko_b})
        assert not lko.has_case(c)  # moved to KNP after the backup: revoked again from LKO
        # no sequence number collides
        for ws in every:
            seqs = Counter(seq for _, seq in ws.events().values() if seq is not None)
            assert all(n == 1 for n in seqs.values()), f"{ws.name}: {seqs}"
        assert len({seq for _, seq in at_hq.values()}) == len(at_hq)
        # an acknowledged case is silent, everywhere it is held
        for ws, case_id in ((lko, b), (lko_b, b), (knp, c), (lko, a)):
            with ws.store.reader() as r:
                state = r.cases.state(case_id)
            assert state is not None and not state.needs_alarm, f"{ws.name}: {case_id} rings"
        # a re-sent alert makes no twin
        assert b_ref is not None and hq.intake("LKO", upstream_ref=b_ref) == b
        assert len(_hq_cases(hq)) == len(where)
        # HQ's audit shows the repair
        db = hq.database()
        try:
            with db.reader() as conn:
                outcomes = conn.execute(select(hq_audit.c.outcome).where(hq_audit.c.action == "repair")).scalars()
                assert "ok" in set(outcomes)
        finally:
            db.dispose()
    finally:
        for ws in every:
            ws.close()


def _ids_in_dump(server: HQServer, snapshot: Snapshot) -> set[str]:
    """Event ids in a pg_dump -Fc file, read through a scratch database."""
    assert server.cluster is not None
    name = f"peek_{uuid.uuid4().hex[:8]}"
    server.cluster.create_database(name)
    try:
        server.cluster.pg_restore(snapshot.path, name)
        url = server.db_url.rsplit("/", 1)[0] + "/" + name
        db = Database(url, pool_size=1)
        try:
            with db.reader() as conn:
                return set(conn.execute(select(hq_events.c.id)).scalars())
        finally:
            db.dispose()
    finally:
        server.cluster.drop_database(name)


def test_what_hq_cannot_reinstate_is_reported_at_hq_and_on_the_console(
    hq_server_pg: HQServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The signing key was lost with the old HQ: the restored HQ signs with a new one and cannot trust
    the old signatures. The case stays on the console, listed as refused with the reason, and HQ lists
    it too; nothing is dropped silently."""
    hq = hq_server_pg
    old_key, new_key = tmp_path / "old.pem", tmp_path / "new.pem"
    signing.generate(old_key)
    signing.generate(new_key)
    monkeypatch.setenv(signing.ENV_SIGNING_KEY, str(old_key))
    lko = Workstation.create(tmp_path / "lko", hq.url, "demo", start=False)
    try:
        _sync_until_idle(lko, rounds=1)
        snapshot = hq.backup()
        lost_case = hq.intake("LKO")
        _sync_until_idle(lko, rounds=1)
        ack = lko.act(lost_case, EventType.ACKNOWLEDGED, {}, notify=False)
        _sync_until_idle(lko, rounds=1)
        monkeypatch.setenv(signing.ENV_SIGNING_KEY, str(new_key))  # the old key is not trusted
        hq.restore(snapshot)
        for _ in range(3):
            lko.engine.run_once()

        assert lost_case not in _hq_cases(hq)
        refused = repair.refused(lko.engine.store)
        assert {(r.case_id, r.code) for r in refused} == {(lost_case, "bad_signature")}
        assert lko.has_case(lost_case)  # kept, never silently dropped
        # the console shows it as needing a decision (the status bar reads this)
        assert [case for case, _ in lko.engine.run_once().repair_refused] == [lost_case]
        missing = repair.missing_at_hq(lko.engine.store)
        assert {c for _, c in missing} == {lost_case} and len(missing) == 2  # created and assigned
        # the console's own acknowledgement of that case is refused with HQ's reason, shown as such
        with lko.store.reader() as r:
            [stored] = [s for s in r.outbox.rejected() if s.event.id == ack.id]
        assert stored.reject_code == "unknown_case"
        # HQ lists it as needing a decision (audit rows, `hq admin repair-refused`)
        db = hq.database()
        try:
            listed = admin.repair_refused(db)
        finally:
            db.dispose()
        assert {(r["case_id"], r["code"]) for r in listed} == {(lost_case, "bad_signature")}
        assert all(r["device_id"] == lko.store.device_id and r["reason"] for r in listed)
    finally:
        lko.close()


def test_a_running_console_repairs_hq_by_itself(
    hq_server_pg: HQServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The engine's own workers (no run_once): the push waits for the new epoch's catch-up, is woken
    for the repair, and the acknowledgement made after the backup reaches the reinstated case."""
    key = tmp_path / "hq.pem"
    signing.generate(key)
    monkeypatch.setenv(signing.ENV_SIGNING_KEY, str(key))
    ws = Workstation.create(tmp_path / "a", hq_server_pg.url, "demo")
    try:
        snapshot = hq_server_pg.backup()
        case_id = hq_server_pg.intake("LKO")
        wait_until(lambda: ws.has_case(case_id), 15, "case delivered")
        ack = ws.act(case_id, EventType.ACKNOWLEDGED, {})
        wait_converged(hq_server_pg, ws)
        hq_server_pg.restore(snapshot)
        assert case_id not in _hq_cases(hq_server_pg)
        wait_until(lambda: ack.id in hq_event_table(hq_server_pg), 30, "the acknowledgement back at HQ")
        wait_converged(hq_server_pg, ws)
        assert _hq_cases(hq_server_pg)[case_id][0] == "LKO"
        assert repair.refused(ws.engine.store) == [] and repair.missing_at_hq(ws.engine.store) == []
        with ws.store.reader() as r:
            state = r.cases.state(case_id)
        assert state is not None and not state.needs_alarm
    finally:
        ws.close()
