"""The queue view over a long queue (pytest-qt, offscreen, a real encrypted replica): the first read
paints the rows from their keys, and their details (author, post, reply state) follow from a worker
without a store read on the GUI thread; the text filter set meanwhile finds its row once they have
arrived, and the open complaint's pane shows the post."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest

from core.complaints import complaint_payload
from core.events import Author, EventType, ItemKind, Source, new_event, utcnow
from tests.e2e.kit import UiEnv, add_cases_from_hq, make_context, wait_idle
from ui.complaints import ComplaintQueueView
from ui.complaints.model import ComplaintModel
from ui.operations import complaint_queue

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support")

HQ = Author("hq-op", "HQ operator")
POSTS = ("@police chain snatched at the bus stand", "@police the signal at Hazratganj is dead", "@police fraud call")


def _complaint(env: UiEnv, text: str, minutes_ago: int) -> str:
    case_id = str(uuid.uuid4())
    now = utcnow()
    payload = complaint_payload(platform=Source.X, item=ItemKind.MENTION, platform_id=uuid.uuid4().hex,
                                posted_at=now - timedelta(minutes=minutes_ago), text=text, received_at=now,
                                author_handle=f"citizen{minutes_ago}")  # fmt: skip
    event = new_event(case_id=case_id, type=EventType.CREATED, payload=payload, author=HQ, device_id="hq",
                      hlc=env.hq_clock.now(), wall_time=now)  # fmt: skip
    add_cases_from_hq(env.store, [event])
    return case_id


def test_a_long_queue_is_painted_from_its_keys_and_filled_from_a_worker(
    qtbot: Any, ui_env: UiEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(complaint_queue, "FILL_AT_ONCE_ROWS", 1)  # three rows: a long queue here
    ids = [_complaint(ui_env, text, 10 * (n + 1)) for n, text in enumerate(POSTS)]
    view = ComplaintQueueView(make_context(ui_env))
    qtbot.addWidget(view)
    painted: list[list[bool]] = []  # per ``set_rows``: which rows had their detail when painted
    set_rows = view.model.set_rows
    view.model.set_rows = lambda rows, now: (painted.append([r.has_detail for r in rows]), set_rows(rows, now))[1]
    try:
        qtbot.waitUntil(lambda: view.loaded, timeout=5000)
        assert painted[0] == [False, False, False]  # the first paint: the keys alone
        assert [view.model.row_at(r).case_id for r in range(3)] == ids[::-1]  # soonest due first
        view.search.setText("hazratganj")
        view.apply_filter()
        qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=5000)  # matched once the details are read
        cell = view.model.index(0, ComplaintModel.COL_TEXT).data()
        assert view.model.row_at(0).case_id == ids[1] and cell == POSTS[1]
        assert view.model.index(0, ComplaintModel.COL_AUTHOR).data() == "citizen20"
        view.search.setText("")
        view.apply_filter()
        assert all(view.model.row_at(r).has_detail for r in range(3))
        assert [view.model.index(r, ComplaintModel.COL_TEXT).data() for r in range(3)] == list(POSTS[::-1])
        assert view.open_case(ids[0])
        assert view.pane.case_id == ids[0]
    finally:
        view.stop()
        wait_idle(qtbot, view._ctx)
        view._ctx.taskman.shutdown()
