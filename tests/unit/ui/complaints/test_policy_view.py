"""The queue's countdowns follow HQ's clock policy (pytest-qt, offscreen, a real encrypted replica):
with the policy HQ gave (``womens_safety=30``, read from the data folder at start), a women's safety
complaint posted 31 minutes ago shows breached while a traffic one posted with it is on time; a new
policy computes every row again; a damaged cache is logged and the default policy used."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest

from core.complaints import complaint_payload
from core.events import Author, ComplaintCategory, EventType, ItemKind, Source, new_event, utcnow
from core.sla import SlaPolicy
from tests.e2e.kit import UiEnv, add_cases_from_hq, make_context, wait_idle
from ui.complaints import ComplaintQueueView
from ui.complaints.model import ComplaintModel
from ui.operations.complaints import POLICY_CACHE_FILE, write_cache

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support")

HQ = Author("hq-op", "HQ operator")
WOMENS_30 = SlaPolicy(first_response_by_category={"womens_safety": 30})


def _complaint(env: UiEnv, category: ComplaintCategory, text: str) -> str:
    case_id = str(uuid.uuid4())
    now = utcnow()
    payload = complaint_payload(platform=Source.X, item=ItemKind.MENTION, platform_id=uuid.uuid4().hex,
                                posted_at=now - timedelta(minutes=31), text=text, received_at=now,
                                category=category)  # fmt: skip
    event = new_event(case_id=case_id, type=EventType.CREATED, payload=payload, author=HQ, device_id="hq",
                      hlc=env.hq_clock.now(), wall_time=now)  # fmt: skip
    add_cases_from_hq(env.store, [event])
    return case_id


@pytest.fixture
def complaints(ui_env: UiEnv) -> tuple[str, str]:
    womens = _complaint(ui_env, ComplaintCategory.WOMENS_SAFETY, "@police men follow me from the bus stand")
    traffic = _complaint(ui_env, ComplaintCategory.TRAFFIC, "@police the signal at Hazratganj is dead")
    return womens, traffic


@pytest.fixture
def open_view(qtbot: Any, ui_env: UiEnv) -> Iterator[Any]:
    made: list[ComplaintQueueView] = []

    def make() -> ComplaintQueueView:
        view = ComplaintQueueView(make_context(ui_env))
        qtbot.addWidget(view)
        made.append(view)
        qtbot.waitUntil(lambda: view.loaded, timeout=5000)
        return view

    yield make
    for view in made:
        view.stop()
        wait_idle(qtbot, view._ctx)
        view._ctx.taskman.shutdown()


def _cells(view: ComplaintQueueView, case_id: str) -> tuple[str, str]:
    r = view.model.row_of(case_id)
    assert r >= 0, case_id
    return view.model.index(r, ComplaintModel.COL_STATE).data(), view.model.index(r, ComplaintModel.COL_DUE).data()


def test_hqs_policy_from_the_data_folder_breaches_womens_safety_at_30_minutes(
    ui_env: UiEnv, complaints: tuple[str, str], open_view: Any
) -> None:
    womens, traffic = complaints
    write_cache(ui_env.data_dir / POLICY_CACHE_FILE, WOMENS_30.to_json())
    view = open_view()
    assert view.policy == WOMENS_30
    state, due = _cells(view, womens)
    assert state == "Breached" and due.startswith("breached 0:01:")
    state, due = _cells(view, traffic)
    assert state == "On time" and due.startswith("1:28:") and due.endswith(" left")
    assert view.model.row_at(0).case_id == womens  # most urgent first
    assert "past the deadline" in view.signal.text()


def test_a_new_policy_computes_every_row_again(qtbot: Any, complaints: tuple[str, str], open_view: Any) -> None:
    womens, traffic = complaints
    view = open_view()  # no policy cached: the default two-hour clock
    assert view.policy == SlaPolicy()
    assert _cells(view, womens)[0] == "On time" and _cells(view, traffic)[0] == "On time"
    view.set_policy(WOMENS_30)  # as when HQ's reply arrives
    qtbot.waitUntil(lambda: _cells(view, womens)[0] == "Breached", timeout=5000)
    assert _cells(view, traffic)[0] == "On time"
    view.set_policy(SlaPolicy(warn_before_min=100))  # HQ changed its policy again: warning for both
    qtbot.waitUntil(lambda: _cells(view, womens)[0] == "Warning", timeout=5000)
    assert _cells(view, traffic)[0] == "Warning" and "last 100 minutes" in view.signal.text()


def test_a_damaged_cache_is_logged_and_the_default_used(
    ui_env: UiEnv, complaints: tuple[str, str], open_view: Any, caplog: pytest.LogCaptureFixture
) -> None:
    womens, _ = complaints
    (ui_env.data_dir / POLICY_CACHE_FILE).write_text('{"first_response_min": "soon"}', encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="ui.operations.complaints"):
        view = open_view()
    assert view.policy == SlaPolicy() and _cells(view, womens)[0] == "On time"
    assert any("damaged" in r.getMessage() for r in caplog.records)
