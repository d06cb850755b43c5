"""The queue's status column for a tip reads the tip's own status (``core.reports.tip_status``) in
words: not yet taken up, passed to an officer, action taken, closed; a suicide-risk case beside it
keeps the siren workflow's status."""

from __future__ import annotations

import uuid
from typing import Any

from core.events import EventType, new_event
from core.store import QueueFilter
from tests.e2e.kit import HQ_AUTHOR, add_cases_from_hq, created_event, make_context, wait_idle
from tests.unit.ui.test_tips import tip_events
from ui.models import QueueModel


def _status_of(model: QueueModel, case_id: str) -> str:
    for r in range(model.rowCount()):
        if model.case_row(r).case_id == case_id:
            return str(model.index(r, QueueModel.COL_STATUS).data() or "")
    raise AssertionError(f"{case_id} not in the queue")


def test_a_tip_row_shows_the_tips_status_in_words(qtbot: Any, app: Any, ui_env: Any) -> None:
    tip = tip_events(ui_env)
    case_id = tip[0].case_id
    alert = created_event(ui_env.hq_clock, name="Risk case")
    add_cases_from_hq(ui_env.store, [*tip, alert])
    ctx = make_context(ui_env)
    model = QueueModel(ctx)
    model.set_filter(QueueFilter(include_closed=True))
    try:
        with qtbot.waitSignal(model.loaded):
            model.refresh()
        qtbot.waitUntil(lambda: _status_of(model, case_id) == "Not yet taken up", timeout=5000)
        assert _status_of(model, alert.case_id) == "New"  # the siren workflow's, for a suicide alert

        def move(etype: EventType, payload: dict[str, Any], words: str) -> None:
            ev = new_event(case_id=case_id, type=etype, payload=payload, author=HQ_AUTHOR, device_id="hq",
                           hlc=ui_env.hq_clock.now())
            add_cases_from_hq(ui_env.store, [ev])
            ctx.taskman.cases_changed.emit(frozenset({case_id}))  # as the sync engine announces a pull
            model.refresh()
            qtbot.waitUntil(lambda: _status_of(model, case_id) == words, timeout=5000)

        officer = {"officer_id": str(uuid.uuid4()), "name": "Ravi Kumar", "rank": "SI"}
        move(EventType.TIP_OFFICER_ASSIGNED, officer, "Passed to an officer")
        move(EventType.TIP_ACTION, {"text": "Raid planned"}, "Action taken")
        move(EventType.CLOSED, {"reason": "FIR registered"}, "Closed")
    finally:
        wait_idle(qtbot, ctx)
        ctx.taskman.shutdown()
