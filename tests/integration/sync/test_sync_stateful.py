"""Random interleavings of writes, pushes, pulls, lost and doubled requests, client restarts and HQ
restarts across two consoles of one district and HQ (hypothesis RuleBasedStateMachine).

Invariants after every step: whatever a console holds as accepted is at HQ with the same content;
no console ever holds two versions of one event. At the end the faults stop, both consoles sync, and
both replicas must equal HQ, with every event either console ever created stored at HQ once.
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

from core.events import EventType
from sync.errors import SyncError
from tests.fixtures.faultproxy import Fault, FaultProxy
from tests.fixtures.hq import HQServer
from tests.integration.sync.sync_harness import Workstation, add_operator, assert_converged, hq_event_table

PATHS = {"push": "/api/v1/sync/push", "pull": "/api/v1/sync/pull"}


@pytest.mark.slow
def test_random_interleavings_converge(hq_server: HQServer) -> None:
    add_operator(hq_server, "demo2")

    class Consoles(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.root = Path(tempfile.mkdtemp(prefix="rakshak-stateful-"))
            self.proxies = [FaultProxy(hq_server.port), FaultProxy(hq_server.port)]
            self.consoles = [
                Workstation.create(self.root / name, p.url, user, start=False, http_timeout_s=2.0)
                for name, p, user in (("a", self.proxies[0], "demo"), ("b", self.proxies[1], "demo2"))
            ]
            self.cases: list[str] = []
            self.created: set[str] = set()

        @initialize()
        def first_case(self) -> None:
            self.cases.append(hq_server.intake("LKO"))

        def _sync_step(self, i: int, step: str) -> None:
            engine = self.consoles[i].engine
            try:
                if step == "push":
                    engine._push_all()
                else:
                    engine._pull_page(0)
            except SyncError:
                pass  # the fault did its work; the data must survive it

        @rule(i=st.integers(0, 1), which=st.integers(0, 5))
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

        @rule(i=st.integers(0, 1))
        def push(self, i: int) -> None:
            self._sync_step(i, "push")

        @rule(i=st.integers(0, 1))
        def pull(self, i: int) -> None:
            self._sync_step(i, "pull")

        @rule(i=st.integers(0, 1), step=st.sampled_from(["push", "pull"]),
              kind=st.sampled_from(["drop_reply", "duplicate", "reset_request"]))
        def faulty(self, i: int, step: str, kind: str) -> None:
            self.proxies[i].add_fault(Fault(kind, path_prefix=PATHS[step], times=1))
            self._sync_step(i, step)
            self.proxies[i].clear_faults()

        @rule(i=st.integers(0, 1))
        def restart_console(self, i: int) -> None:
            ws = self.consoles[i]
            ws.close()
            ws.open(login=False)  # the session comes back from the keyring, the clock from the store

        @precondition(lambda self: len(self.cases) < 3)
        @rule()
        def new_case(self) -> None:
            self.cases.append(hq_server.intake("LKO"))

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

        def teardown(self) -> None:
            try:
                for p in self.proxies:
                    p.clear_faults()
                for _ in range(3):  # heal: plain cycles until both consoles and HQ agree
                    for ws in self.consoles:
                        ws.engine.run_once()
                assert_converged(hq_server, *self.consoles, created=self.created)
            finally:
                for ws in self.consoles:
                    ws.close()
                for p in self.proxies:
                    p.stop()
                shutil.rmtree(self.root, ignore_errors=True)

    run_state_machine_as_test(
        Consoles,
        settings=settings(
            max_examples=6, stateful_step_count=14, deadline=None, database=None,
            suppress_health_check=list(HealthCheck),
        ),
    )
