"""Random interleavings of writes, pushes, pulls, lost and doubled requests, client restarts, HQ
restarts and HQ moving cases between districts, across two consoles of one district (LKO), a console
of another (KNP) and HQ (hypothesis RuleBasedStateMachine).

Invariants after every step: whatever a console holds as accepted is at HQ with the same content;
no console ever holds two versions of one event; every event a console committed is at HQ, still in
its outbox, or in its refused list: never nowhere (a case moved away while the console was offline
must not swallow its work). At the end the faults stop, every console syncs, and each replica must
equal HQ's events of the cases now in its district, with every event any console ever created stored
at HQ once and nothing refused.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import select

from core.events import EventType
from hq.schema import cases as hq_cases
from hq.schema import events as hq_events
from sync.errors import SyncError
from tests.fixtures import profiles
from tests.fixtures.faultproxy import Fault, FaultProxy
from tests.fixtures.hq import API, HQServer
from tests.integration.sync.sync_harness import Workstation, add_operator, hq_event_table

PATHS = {"push": "/api/v1/sync/push", "pull": "/api/v1/sync/pull"}
DISTRICTS = ("LKO", "KNP")
CONSOLES = (("a", "demo", "LKO"), ("b", "demo2", "LKO"), ("c", "demo-knp", "KNP"))


def _hq_by_case(server: HQServer) -> tuple[dict[str, str | None], dict[str, tuple[str, str, int]]]:
    """HQ's cases with their current district, and its events: id -> (case id, content, seq)."""
    db = server.database()
    try:
        with db.reader() as conn:
            districts = dict(conn.execute(select(hq_cases.c.id, hq_cases.c.district)).tuples().all())
            rows = conn.execute(select(hq_events.c.id, hq_events.c.case_id, hq_events.c.content, hq_events.c.seq))
            events = {r.id: (r.case_id, r.content, r.seq) for r in rows}
    finally:
        db.dispose()
    return districts, events


def assert_converged_by_district(server: HQServer, consoles: list[tuple[Workstation, str]], created: set[str]) -> None:
    """Nothing pending or refused anywhere; each console holds exactly HQ's events of the cases now
    in its district (same content, same hq_seq); every event created on a console is at HQ."""
    districts, hq = _hq_by_case(server)
    for ws, _ in consoles:
        assert ws.counts() == (0, 0), f"{ws.name}: pending/refused {ws.counts()}: {ws.engine.status.rejected_reasons}"
    for ws, district in consoles:
        expected = {eid for eid, (case_id, _, _) in hq.items() if districts.get(case_id) == district}
        mine = ws.events()
        assert set(mine) == expected, f"{ws.name}: missing {expected - set(mine)}, extra {set(mine) - expected}"
        for eid, (content, seq) in mine.items():
            assert json.loads(content) == json.loads(hq[eid][1]), f"{ws.name}: content differs for {eid}"
            assert seq == hq[eid][2], f"{ws.name}: hq_seq {seq} != HQ's {hq[eid][2]} for {eid}"
    assert created <= set(hq), f"lost at HQ: {created - set(hq)}"


@pytest.mark.slow
def test_random_interleavings_converge(hq_server: HQServer) -> None:
    add_operator(hq_server, "demo2")

    class Consoles(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.root = Path(tempfile.mkdtemp(prefix="rakshak-stateful-"))
            self.proxies = [FaultProxy(hq_server.port) for _ in CONSOLES]
            self.consoles = [
                Workstation.create(self.root / name, p.url, user, start=False, http_timeout_s=2.0)
                for (name, user, _), p in zip(CONSOLES, self.proxies, strict=True)
            ]
            self.cases: list[str] = []
            self.created: set[str] = set()
            self.made_by: list[set[str]] = [set() for _ in CONSOLES]

        @initialize()
        def first_case(self) -> None:
            self.cases.append(hq_server.intake("LKO"))

        def _sync_step(self, i: int, step: str) -> None:
            engine = self.consoles[i].engine
            try:
                if step == "push":
                    engine.push.push_all()
                else:
                    engine.pull.page(0)
            except SyncError:
                pass  # the fault did its work; the data must survive it

        @rule(i=st.integers(0, len(CONSOLES) - 1), which=st.integers(0, 5))
        def write(self, i: int, which: int) -> None:
            ws = self.consoles[i]
            known = [c for c in self.cases if ws.has_case(c)]
            if not known:
                return
            case_id = known[which % len(known)]
            with ws.store.reader() as uow:
                state = uow.cases.state(case_id)
            assert state is not None
            if state.acknowledged_at is None and which % 2 == 0:
                event = ws.act(case_id, EventType.ACKNOWLEDGED, {}, notify=False)
            else:
                event = ws.note(case_id, f"step note {which}", notify=False)
            self.created.add(event.id)
            self.made_by[i].add(event.id)

        @rule(i=st.integers(0, len(CONSOLES) - 1))
        def push(self, i: int) -> None:
            self._sync_step(i, "push")

        @rule(i=st.integers(0, len(CONSOLES) - 1))
        def pull(self, i: int) -> None:
            self._sync_step(i, "pull")

        @rule(i=st.integers(0, len(CONSOLES) - 1), step=st.sampled_from(["push", "pull"]),
              kind=st.sampled_from(["drop_reply", "duplicate", "reset_request"]))
        def faulty(self, i: int, step: str, kind: str) -> None:
            self.proxies[i].add_fault(Fault(kind, path_prefix=PATHS[step], times=1))
            self._sync_step(i, step)
            self.proxies[i].clear_faults()

        @rule(i=st.integers(0, len(CONSOLES) - 1))
        def restart_console(self, i: int) -> None:
            ws = self.consoles[i]
            ws.close()
            ws.open(login=False)  # the session comes back from the keyring, the clock from the store

        @precondition(lambda self: len(self.cases) < 3)
        @rule(district=st.sampled_from(DISTRICTS))
        def new_case(self, district: str) -> None:
            self.cases.append(hq_server.intake(district))

        def _move(self, case_id: str) -> None:
            districts, _ = _hq_by_case(hq_server)
            target = "KNP" if districts[case_id] == "LKO" else "LKO"
            hq_op = hq_server.login("hq")
            try:
                r = hq_op.http.post(f"{API}/cases/{case_id}/assign", json={"district": target})
            finally:
                hq_op.close()
            assert r.status_code == 200, r.text

        @rule(which=st.integers(0, 5))
        def reassign(self, which: int) -> None:
            """HQ moves a case to the other district, whatever the consoles have synced."""
            self._move(self.cases[which % len(self.cases)])

        @rule(i=st.integers(0, len(CONSOLES) - 1), which=st.integers(0, 5))
        def reassign_while_a_console_works(self, i: int, which: int) -> None:
            """HQ moves a case console ``i`` holds; the console, not yet told, records work on it."""
            known = [c for c in self.cases if self.consoles[i].has_case(c)]
            if not known:
                return
            self._move(known[which % len(known)])
            self.write(i, which)

        @rule()
        def restart_hq(self) -> None:
            hq_server.restart()

        @invariant()
        def accepted_means_at_hq_with_the_same_content(self) -> None:
            hq = hq_event_table(hq_server)
            for ws in self.consoles:
                with ws.store.reader() as uow:
                    for case_id in self.cases:
                        for stored in uow.events.history(case_id):
                            if stored.sync_state == "accepted":
                                assert stored.event.id in hq, f"{ws.name} holds {stored.event.id} as accepted"
                                assert json.loads(stored.event.content_key()) == json.loads(hq[stored.event.id][0])

        @invariant()
        def every_committed_event_is_at_hq_in_the_outbox_or_refused(self) -> None:
            hq = hq_event_table(hq_server)
            for ws, made in zip(self.consoles, self.made_by, strict=True):
                with ws.store.reader() as uow:
                    for event_id in made - set(hq):
                        stored = uow.events.get(event_id)
                        assert stored is not None and stored.sync_state in ("pending", "rejected"), (
                            f"{ws.name} lost {event_id}: not at HQ, not pending, not refused"
                        )

        def teardown(self) -> None:
            try:
                for p in self.proxies:
                    p.clear_faults()
                for _ in range(3):  # heal: plain cycles until both consoles and HQ agree
                    for ws in self.consoles:
                        ws.engine.run_once()
                consoles = [(ws, district) for ws, (_, _, district) in zip(self.consoles, CONSOLES, strict=True)]
                assert_converged_by_district(hq_server, consoles, self.created)
            finally:
                for ws in self.consoles:
                    ws.close()
                for p in self.proxies:
                    p.stop()
                shutil.rmtree(self.root, ignore_errors=True)

    run_state_machine_as_test(
        Consoles,
        # CI size: 3 examples x 14 steps, each example starting three consoles and their proxies;
        # HYPOTHESIS_PROFILE=deep runs more (tests/fixtures/profiles.py)
        settings=settings(
            **profiles.stateful(3, 14), deadline=None, database=None, suppress_health_check=list(HealthCheck),
        ),
    )
