"""The refused list keeps what HQ refused, also of a case revoked from the district: listed with
HQ's reason, exportable without personal details, and gone only when an operator marks it dealt with."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from core.events import EventType
from core.store import service
from tests.unit.ui.conftest import main_window

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support")

REASON = "the case is not in your district"


@pytest.fixture
def window(qtbot, ui_env) -> Iterator[Any]:
    with main_window(qtbot, ui_env, "Refusal Case") as win:
        yield win


def test_refused_outcome_of_a_revoked_case_is_listed_exported_and_dealt_with(
    qtbot, window, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx, case_id = window.ctx, window.case_id
    ack = service.record(ctx.store, ctx.clock, ctx.author, case_id, EventType.ACKNOWLEDGED, {})
    outcome = service.record(
        ctx.store, ctx.clock, ctx.author, case_id, EventType.OUTCOME_RECORDED,
        {"outcome": "handed_to_family", "detail": "Refusal Case is with his sister"},
    )
    with ctx.store.unit_of_work() as uow:  # what sync does: HQ's revoke, then HQ's answer to the push
        uow.cases.purge(case_id)
        uow.outbox.mark_accepted(ack.id, 9)
        uow.outbox.mark_rejected(outcome.id, REASON, "forbidden")
        uow.commit()

    window.show_refused()
    qtbot.waitUntil(lambda: getattr(window, "refused_dialog", None) is not None, timeout=5000)
    dialog = window.refused_dialog
    assert dialog.list.count() == 1
    text = dialog.list.item(0).text()
    assert REASON in text and ctx.author.display_name in text
    assert not dialog.dealt_button.isEnabled()  # nothing selected yet

    # export, through the button: JSON, then CSV; no personal detail of the revoked case in either
    target = tmp_path / "refused.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    [record] = json.loads(target.read_text(encoding="utf-8"))
    assert record["event_id"] == outcome.id and record["case_id"] == case_id
    assert (record["type"], record["reason"], record["code"]) == ("outcome_recorded", REASON, "forbidden")
    assert record["author_id"] == ctx.author.user_id and record["wall_time"] == outcome.wall_time
    assert record["payload"] == {"outcome": "handed_to_family"}
    dialog.export_to(tmp_path / "refused.csv")
    with (tmp_path / "refused.csv").open(encoding="utf-8") as f:
        [row] = list(csv.DictReader(f))
    assert row["event_id"] == outcome.id and row["reason"] == REASON
    assert "sister" not in target.read_text(encoding="utf-8") + (tmp_path / "refused.csv").read_text(encoding="utf-8")

    # dealt with: recorded with who and when, and the entry leaves the list
    dialog.list.item(0).setSelected(True)
    assert dialog.dealt_button.isEnabled()
    qtbot.mouseClick(dialog.dealt_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.list.count() == 0, timeout=5000)
    with ctx.store.reader() as r:
        assert r.outbox.rejected() == []
        [dealt] = r.outbox.rejected(include_dealt_with=True)
    assert dealt.event.id == outcome.id and dealt.dealt_with_at
    assert dealt.dealt_with_by == f"{ctx.author.display_name} ({ctx.author.user_id})"
    dialog.close()
