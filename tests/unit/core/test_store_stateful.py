"""Stateful property test of the store: any sequence of local appends, HQ pages (with duplicates),
sync results, requeues and purges leaves every projection row equal to a refold of its events, the
outbox counts equal to the log's, and nothing of a purged case readable."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from core.commands import decide_folded
from core.errors import CommandRefused
from core.events import Event, EventType
from core.fold import fold
from core.store import LocalStore, QueueFilter, StoreKey, SyncState
from core.store.projection import projection_row
from core.store.records import minimised_payload
from tests.fixtures import profiles
from tests.unit.core.conftest import DEFAULT_PAYLOADS, EventMaker

KEY = StoreKey.ephemeral()
_TEMPLATE: list[Path] = []


def _template() -> Path:
    if not _TEMPLATE:
        folder = tempfile.mkdtemp(prefix="rakshak-template-")
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        path = Path(folder) / "rakshak.db"
        LocalStore.open(path, KEY).close()
        _TEMPLATE.append(path)
    return _TEMPLATE[0]


FOLLOW_ONS = [EventType.ACKNOWLEDGED, EventType.ESCALATED, EventType.COUNSELLING_NOTE, EventType.CLOSED]


class StoreMachine(RuleBasedStateMachine):
    @initialize()
    def open_store(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="rakshak-stateful-"))
        shutil.copyfile(_template(), self.dir / "rakshak.db")
        self.store = LocalStore.open(self.dir / "rakshak.db", KEY)
        self.me = EventMaker(self.store.device_id)
        self.hq = EventMaker("hq-intake")
        self.seq = 0
        self.cases: list[str] = []
        self.hq_log: list[Event] = []  # what HQ has numbered, to re-deliver
        self.purged: set[str] = set()

    def teardown(self) -> None:
        store = getattr(self, "store", None)
        if store is not None:
            store.close()
            shutil.rmtree(self.dir, ignore_errors=True)

    def _number(self, event: Event) -> Event:
        self.seq += 1
        numbered = event.with_seq(self.seq)
        self.hq_log.append(numbered)
        return numbered

    @rule(remote=st.booleans(), commit=st.booleans())
    def create_case(self, remote: bool, commit: bool) -> None:
        created = (self.hq if remote else self.me).created()
        with self.store.unit_of_work() as uow:
            if remote:
                uow.events.apply_remote([self._number(created)])
            else:
                uow.events.append_local(created)
            if commit:
                uow.commit()
        if commit:
            self.cases.append(created.case_id)
            self.purged.discard(created.case_id)
        elif remote:
            self.hq_log.pop()

    @precondition(lambda self: self.cases)
    @rule(data=st.data(), etype=st.sampled_from(FOLLOW_ONS), remote=st.booleans())
    def add_event(self, data: st.DataObject, etype: EventType, remote: bool) -> None:
        case_id = data.draw(st.sampled_from(self.cases))
        event = (self.hq if remote else self.me).event(case_id, etype)
        with self.store.unit_of_work() as uow:
            if remote:
                uow.events.apply_remote([self._number(event)])
            else:
                uow.events.append_local(event)
            uow.commit()

    @precondition(lambda self: self.cases)
    @rule(data=st.data(), etype=st.sampled_from(FOLLOW_ONS))
    def decide_and_append(self, data: st.DataObject, etype: EventType) -> None:
        """An operator's action as ``core.store.service.record`` stores it: the row is written from
        the state ``decide_folded`` folded (``Projector.mark_known``), not refolded."""
        case_id = data.draw(st.sampled_from(self.cases))
        with self.store.unit_of_work() as uow:
            history = uow.events.for_fold(case_id)
            if history:
                self.me.clock.observe(max(e.hlc for e in history))
            try:
                decision = decide_folded(
                    case_id=case_id,
                    history=history,
                    etype=etype,
                    payload=DEFAULT_PAYLOADS[etype],
                    author=self.me.author,
                    clock=self.me.clock,
                    state=uow.cases.projected(case_id),
                )
            except CommandRefused:
                return
            uow.events.append_local(decision.event, validated=True, state=decision.state)
            uow.commit()

    @precondition(lambda self: self.hq_log)
    @rule(data=st.data())
    def redeliver_a_page(self, data: st.DataObject) -> None:
        page = data.draw(st.lists(st.sampled_from(self.hq_log), max_size=6))
        with self.store.unit_of_work() as uow:
            uow.events.apply_remote(page)
            uow.commit()
        self.purged -= {e.case_id for e in page if e.type is EventType.CREATED}

    @rule(data=st.data(), accept=st.booleans())
    def settle_pending(self, data: st.DataObject, accept: bool) -> None:
        with self.store.unit_of_work() as uow:
            pending = uow.outbox.pending(limit=5)
            for event in pending[: data.draw(st.integers(0, len(pending)))]:
                if accept:
                    uow.outbox.mark_accepted(event.id, self._number(event).hq_seq or 0)
                else:
                    uow.outbox.mark_rejected(event.id, "refused", "refused")
            uow.commit()

    @rule()
    def epoch_change(self) -> None:
        with self.store.unit_of_work() as uow:
            uow.outbox.requeue_own(self.store.device_id)
            uow.commit()

    @precondition(lambda self: self.cases)
    @rule(data=st.data())
    def revoke(self, data: st.DataObject) -> None:
        case_id = data.draw(st.sampled_from(self.cases))
        with self.store.unit_of_work() as uow:
            uow.cases.purge(case_id)
            uow.commit()
        self.purged.add(case_id)

    @invariant()
    def projection_is_a_refold_and_counts_match(self) -> None:
        if not hasattr(self, "store"):
            return
        with self.store.reader() as r:
            sql = r.connection.exec_driver_sql
            rows: dict[str, Any] = {m["case_id"]: dict(m) for m in sql("SELECT * FROM cases").mappings()}
            for case_id in {str(c) for c in sql("SELECT DISTINCT case_id FROM events").scalars()} | set(rows):
                history = r.events.history(case_id)
                states = [s.sync_state for s in history]
                live = [s.event for s in history if s.sync_state is not SyncState.REJECTED]
                state = fold(case_id, live)
                row = rows.get(case_id)
                if row is not None and row["purged"]:
                    assert r.cases.state(case_id) is None
                    assert row["search_text"] is None and row["subject_name"] is None
                    # only pending own events and refused ones (minimised) may remain of a purged case
                    assert all(st_ is not SyncState.ACCEPTED for st_ in states), states
                    for s_ in history:
                        if s_.sync_state is SyncState.REJECTED:
                            assert dict(s_.event.payload) == minimised_payload(s_.event.payload)
                    continue
                if not state.exists:
                    assert row is None
                    continue
                refused = [(s_.event, s_.reject_reason) for s_ in history if s_.sync_state is SyncState.REJECTED]
                expected = projection_row(
                    state, states.count(SyncState.PENDING), states.count(SyncState.REJECTED), refused
                )
                assert row == expected
                assert r.cases.state(case_id) == state
            pending, rejected = r.outbox.counts()
            assert pending == len(r.outbox.pending(limit=10**6))
            assert rejected == len(r.outbox.rejected())
            visible = {c.case_id for c in r.cases.queue(QueueFilter(include_closed=True), limit=10**6)}
            assert not (visible & self.purged)
        with self.store.unit_of_work() as uow:  # the name index holds exactly the rows' text (FTS5's own check)
            uow.connection.exec_driver_sql("INSERT INTO cases_fts (cases_fts, rank) VALUES ('integrity-check', 1)")


# CI size 10 x 20 steps (HYPOTHESIS_PROFILE=deep runs more: tests/fixtures/profiles.py)
StoreMachine.TestCase.settings = settings(
    **profiles.stateful(10, 20), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
TestStore = StoreMachine.TestCase
