"""Builders for desktop-client tests: a real SQLCipher store, a real TaskManager, cases made as HQ makes them.

Nothing here is a fake of what runs in production: cases enter the store through
``EventRepository.apply_remote`` exactly as the sync engine applies a pulled page.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from core.events import Author, Event, EventType, iso, new_event
from core.hlc import HybridClock
from core.settings import Settings
from core.store import LocalStore, StoreKey

HQ_AUTHOR = Author("hq-intake", "HQ intake")
OPERATOR = Author("op-1", "Operator Sunita")
_seq = itertools.count(1)

NAMES = ["Ravi Kumar", "Anjali Verma", "Mohd. Imran", "Pooja Yadav", "सुनील शर्मा", "Deepak Singh", "प्रिया गुप्ता"]
STATIONS = ["Hazratganj", "Gomti Nagar", "Aliganj", "Chinhat", "Kaiserbagh"]


def created_event(
    clock: HybridClock,
    *,
    name: str = "Ravi Kumar",
    kind: str = "suicide_risk",
    priority: int = 1,
    station: str = "Hazratganj",
    district: str = "Lucknow",
    received_at: datetime | None = None,
    phones: tuple[str, ...] = ("+91 98765 43210",),
    post_text: str = "मैं अब और नहीं जी सकता। Goodbye everyone.",
    case_id: str | None = None,
) -> Event:
    received = received_at or datetime.now(UTC)
    return new_event(
        case_id=case_id or str(uuid.uuid4()),
        type=EventType.CREATED,
        payload={
            "kind": kind,
            "source": "facebook",
            "upstream_ref": f"META-{uuid.uuid4().hex[:10]}",
            "received_at": iso(received),
            "priority": priority,
            "subject": {
                "name": name,
                "phones": list(phones),
                "profile_url": "https://facebook.example/profile/1",
                "post_text": post_text,
                "language": "hi",
            },
            "location": {"text": f"Near {station} crossing, Lucknow", "latitude": 26.8467, "longitude": 80.9462},
            "district": district,
            "police_station": station,
            "summary": "Post expressing intent to end life",
        },
        author=HQ_AUTHOR,
        device_id="hq",
        hlc=clock.now(),
        wall_time=received,
    )


def as_from_hq(event: Event) -> Event:
    return event.with_seq(next(_seq))


def add_cases_from_hq(store: LocalStore, events: list[Event]) -> None:
    with store.unit_of_work() as uow:
        uow.events.apply_remote([as_from_hq(e) for e in events])
        uow.commit()


def seed_many(store: LocalStore, n: int, *, batch: int = 2000, alarming_every: int = 997) -> None:
    """``n`` cases (a few alarming, most acknowledged-looking older tips), inserted in batches."""
    hq_clock = HybridClock("hq")
    now = datetime.now(UTC)
    for start in range(0, n, batch):
        events = []
        for i in range(start, min(n, start + batch)):
            events.append(
                created_event(
                    hq_clock,
                    name=f"{NAMES[i % len(NAMES)]} {i}",
                    kind="suicide_risk" if i % alarming_every == 0 else ("tip" if i % 3 else "complaint"),
                    priority=1 + i % 4,
                    station=STATIONS[i % len(STATIONS)],
                    received_at=now - timedelta(minutes=i),
                    phones=(f"+91 9{i:09d}",),
                )
            )
        add_cases_from_hq(store, events)


@dataclass
class UiEnv:
    data_dir: Path
    store: LocalStore
    key: bytes
    hq_clock: HybridClock


def open_store(data_dir: Path, key: bytes) -> LocalStore:
    return LocalStore.open(data_dir / "rakshak.db", key)


def make_context(env: UiEnv, settings: Settings | None = None) -> Any:
    from ui.context import ApplicationContext, ConsoleUser, SyncBridge
    from ui.operations import TaskManager

    taskman = TaskManager()
    with env.store.reader() as uow:
        last = uow.meta.hlc_last()
    clock = HybridClock(env.store.device_id, last=last)
    return ApplicationContext(
        data_dir=env.data_dir,
        settings=settings or Settings.load(env.data_dir),
        store=env.store,
        clock=clock,
        user=ConsoleUser(OPERATOR, "op1", "district_operator", "Lucknow"),
        device_id=env.store.device_id,
        taskman=taskman,
        bridge=SyncBridge(taskman),
    )


@pytest.fixture
def ui_env(tmp_path: Path) -> Iterator[UiEnv]:
    key = StoreKey.ephemeral()
    store = open_store(tmp_path, key)
    yield UiEnv(tmp_path, store, key, HybridClock("hq"))
    store.close()


def wait_idle(qtbot: Any, ctx: Any, timeout_ms: int = 5000) -> None:
    """Wait until every queued operation has delivered its callback on the GUI thread."""
    qtbot.waitUntil(lambda: ctx.taskman.pending == 0, timeout=timeout_ms)


# ---------------------------------------------------------------------------------------------
# A whole client (ClientApp: store from the keyring, Session, SyncEngine, MainWindow) against HQ.
# ---------------------------------------------------------------------------------------------

FAST_SYNC = {"retry_cap_s": 0.3, "long_poll_wait_s": 5, "heartbeat_interval_s": 60, "http_timeout_s": 5.0}


def start_client(qtbot: Any, data_dir: Path, hq_url: str, *, username: str = "demo",
                 password: str = "demo-password", settings: dict[str, Any] | None = None) -> Any:
    """Start the real client the way ``ui.app.run_gui`` does, logged in as ``username``."""
    from PySide6.QtWidgets import QApplication

    from sync import Session
    from ui.app import ClientApp, open_store

    app = QApplication.instance()
    store = open_store(data_dir)  # key from the (test) OS keyring, as in production
    client = ClientApp(app, data_dir, Settings({"hq_url": hq_url, **FAST_SYNC, **(settings or {})}), store,
                       lang="en", with_sound=False)
    session = client.restore_session()
    fresh_password = None
    if session is None:
        session = Session(hq_url, store.device_id)
        session.login(hq_url, username, password, store.device_id, "test console")
        fresh_password = password
    client.start(session, fresh_password)
    qtbot.addWidget(client.window)
    return client


def stop_client(qtbot: Any, client: Any) -> None:
    if client.window is not None:
        client.window.close()
    client.stop()


def hq_events(hq: Any, case_id: str) -> list[dict[str, Any]]:
    """The case's events as HQ holds them (read by an HQ operator over the API)."""
    api = hq.login("hq")
    r = api.http.get(f"/api/v1/cases/{case_id}")
    r.raise_for_status()
    return list(r.json()["events"])


def fill(qtbot: Any, form: Any, values: dict[str, Any]) -> None:
    """Type into text fields like an operator; set choices and dates directly."""
    from PySide6.QtWidgets import QLineEdit, QPlainTextEdit

    for name, value in values.items():
        widget = form.widgets[name]
        if isinstance(widget, QLineEdit | QPlainTextEdit) and isinstance(value, str):
            widget.setFocus()
            if isinstance(widget, QLineEdit):
                widget.clear()
            else:
                widget.clear()
            qtbot.keyClicks(widget, value)
        else:
            form.set_values({name: value})
            form._changed()


def all_texts(root: Any) -> list[str]:
    """Every text a widget tree can show: labels, edits, buttons, window titles, and view models."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractItemView,
        QComboBox,
        QGroupBox,
        QLabel,
        QLineEdit,
        QPlainTextEdit,
        QTextEdit,
        QWidget,
    )

    texts: list[str] = [root.windowTitle()]
    for w in [root, *root.findChildren(QWidget)]:
        if isinstance(w, QLabel | QLineEdit | QAbstractButton):
            texts.append(w.text())
        elif isinstance(w, QPlainTextEdit | QTextEdit):
            texts.append(w.toPlainText())
        elif isinstance(w, QGroupBox):
            texts.append(w.title())
        elif isinstance(w, QComboBox):
            texts.extend(w.itemText(i) for i in range(w.count()))
        if isinstance(w, QAbstractItemView) and w.model() is not None:
            m = w.model()
            for r in range(m.rowCount()):
                for c in range(m.columnCount()):
                    value = m.index(r, c).data(Qt.ItemDataRole.DisplayRole)
                    if value is not None:
                        texts.append(str(value))
        texts.append(w.toolTip())
        texts.append(w.accessibleName())
    return texts
