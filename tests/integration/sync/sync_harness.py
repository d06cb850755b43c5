"""Test harness for sync: workstations (store + session + engine) and convergence checks against HQ."""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from core.events import Author, Event, EventType, tier_for_role
from core.hlc import HybridClock
from core.settings import Settings
from core.store import LocalStore, QueueFilter, StoreKey, record
from hq import admin
from hq.schema import events as hq_events
from sync import SyncEngine, SyncStatus
from sync.session import Session
from tests.fixtures.hq import SEED_USERS, HQServer

log = logging.getLogger(__name__)

FAST = {"retry_cap_s": 0.5, "long_poll_wait_s": 5, "http_timeout_s": 5.0, "heartbeat_interval_s": 5}
DISTRICT = "LKO"


class SeenStore:
    """A workstation's real store whose writing units of work a test sees open (``on_unit(background)``),
    handed to one sync part (``engine.push.store``, ``engine.pull.store``) in place of the store."""

    def __init__(self, store: LocalStore, on_unit: Callable[[bool], Any]):
        self._store = store
        self._on_unit = on_unit

    def unit_of_work(self, *, background: bool = False) -> Any:
        seen = self._on_unit(background)
        return self._store.unit_of_work(background=background) if seen is None else seen

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)


def wait_until(predicate: Callable[[], bool], timeout_s: float = 20.0, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout_s
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout_s} s waiting for {what}")
        time.sleep(0.02)


def add_operator(server: HQServer, username: str, district: str = DISTRICT) -> str:
    """A second (third...) operator account; returns the password."""
    password = f"{username}-password"
    db = server.database()
    try:
        admin.create_user(db, username, password, "district_operator", f"Operator {username}", district)
    finally:
        db.dispose()
    SEED_USERS[username] = password
    return password


@dataclass
class Workstation:
    name: str
    root: Path
    hq_url: str
    username: str
    password: str
    key: bytes
    wall_offset_s: float = 0.0
    settings_values: dict[str, Any] = field(default_factory=lambda: dict(FAST))
    store: LocalStore = field(init=False)
    session: Session = field(init=False)
    clock: HybridClock = field(init=False)
    engine: SyncEngine = field(init=False)
    statuses: list[SyncStatus] = field(default_factory=list)
    changed: list[frozenset[str]] = field(default_factory=list)
    login_required: list[str] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def create(
        cls, root: Path, hq_url: str, username: str, *, wall_offset_s: float = 0.0, start: bool = True,
        login: bool = True, **settings: Any,
    ) -> Workstation:
        ws = cls(
            name=root.name, root=root, hq_url=hq_url, username=username, password=SEED_USERS[username],
            key=StoreKey.ephemeral(), wall_offset_s=wall_offset_s,
        )
        ws.settings_values.update(settings)
        ws.open(login=login)
        if start:
            ws.engine.start()
        return ws

    def wall(self) -> float:
        return time.time() + self.wall_offset_s

    def open(self, *, login: bool = True) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        self.store = LocalStore.open(self.root / "rakshak.db", self.key)
        device_id = self.store.device_id
        if login:
            self.session = Session(self.hq_url, device_id, timeout_s=self.settings_values["http_timeout_s"])
            self.session.login(self.hq_url, self.username, self.password, device_id, f"console {self.name}")
        else:
            self.session = Session.restore(self.hq_url, device_id, timeout_s=self.settings_values["http_timeout_s"])
        with self.store.reader() as uow:
            last = uow.meta.hlc_last()
        self.clock = HybridClock(device_id, wall_ms=lambda: int(self.wall() * 1000), last=last)
        self.engine = SyncEngine(
            self.store,
            self.session,
            self.clock,
            settings=Settings(self.settings_values),
            on_status=self._on_status,
            on_cases_changed=self._on_changed,
            on_login_required=self.login_required.append,
            wall_time=self.wall,
        )

    def close(self) -> None:
        self.engine.stop()
        self.session.close()
        self.store.close()

    def _on_status(self, status: SyncStatus) -> None:
        with self._lock:
            self.statuses.append(status)

    def _on_changed(self, case_ids: frozenset[str]) -> None:
        with self._lock:
            self.changed.append(case_ids)

    # -- operator actions -------------------------------------------------------------------------

    @property
    def author(self) -> Author:
        user = self.session.user
        assert user is not None
        return Author(user.id, user.display_name, tier_for_role(user.role))

    def act(self, case_id: str, etype: EventType, payload: dict[str, Any], *, notify: bool = True) -> Event:
        event = record(self.store, self.clock, self.author, case_id, etype, payload)
        if notify:
            self.engine.notify_local_change()
        return event

    def note(self, case_id: str, text: str | None = None, *, notify: bool = True) -> Event:
        payload = {"officer_name": "SI Verma", "officer_rank": "SI", "text": text or f"note {uuid.uuid4().hex[:6]}"}
        return self.act(case_id, EventType.COUNSELLING_NOTE, payload, notify=notify)

    # -- what the replica holds -------------------------------------------------------------------

    def cases(self) -> set[str]:
        with self.store.reader() as uow:
            return {r.case_id for r in uow.cases.queue(QueueFilter(include_closed=True), limit=1_000_000)}

    def has_case(self, case_id: str) -> bool:
        with self.store.reader() as uow:
            return uow.cases.state(case_id) is not None

    def events(self, *, include_rejected: bool = False) -> dict[str, tuple[str, int | None]]:
        """id -> (content key, hq_seq) of every event stored."""
        out: dict[str, tuple[str, int | None]] = {}
        with self.store.reader() as uow:
            for case_id in {r.case_id for r in uow.cases.queue(QueueFilter(include_closed=True), limit=1_000_000)}:
                for stored in uow.events.history(case_id):
                    if include_rejected or stored.sync_state != "rejected":
                        out[stored.event.id] = (stored.event.content_key(), stored.event.hq_seq)
        return out

    def counts(self) -> tuple[int, int]:
        with self.store.reader() as uow:
            return uow.outbox.counts()

    def synced(self) -> bool:
        return self.counts()[0] == 0


def hq_event_table(server: HQServer) -> dict[str, tuple[str, int]]:
    """id -> (content key, seq) of every event HQ stores."""
    db = server.database()
    try:
        with db.reader() as conn:
            rows = conn.execute(select(hq_events.c.id, hq_events.c.content, hq_events.c.seq)).all()
    finally:
        db.dispose()
    return {r.id: (r.content, r.seq) for r in rows}


def assert_converged(server: HQServer, *workstations: Workstation, created: set[str] | None = None) -> None:
    """Every client holds exactly HQ's events (same content, same hq_seq), nothing pending, and every
    event created on a client is at HQ once."""
    hq = hq_event_table(server)
    for ws in workstations:
        pending, rejected = ws.counts()
        assert pending == 0, f"{ws.name}: {pending} events still pending"
        assert rejected == 0, f"{ws.name}: {rejected} events rejected: {ws.engine.status.rejected_reasons}"
    for ws in workstations:
        mine = ws.events()
        assert set(mine) == set(hq), f"{ws.name}: missing {set(hq) - set(mine)}, extra {set(mine) - set(hq)}"
        for event_id, (content, seq) in mine.items():
            assert json.loads(content) == json.loads(hq[event_id][0]), f"{ws.name}: content differs for {event_id}"
            assert seq == hq[event_id][1], f"{ws.name}: hq_seq {seq} != HQ's {hq[event_id][1]} for {event_id}"
    if created is not None:
        assert created <= set(hq), f"lost at HQ: {created - set(hq)}"


def wait_converged(server: HQServer, *workstations: Workstation, timeout_s: float = 30.0) -> None:
    """Wait until ``assert_converged`` holds (hq_seq included), then assert it once more."""

    def done() -> bool:
        try:
            assert_converged(server, *workstations)
        except AssertionError:
            return False
        return True

    try:
        wait_until(done, timeout_s, "clients and HQ to converge")
    except AssertionError:
        assert_converged(server, *workstations)  # say what differs
        raise
