"""The queue model against a real SQLCipher store: order, paging with fetchMore, filters, lock masking."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtCore import Qt

from core.store import QueueFilter
from tests.e2e.kit import add_cases_from_hq, created_event, make_context, seed_many, wait_idle
from ui.models import PAGE_SIZE, QueueModel


def test_alarming_suicide_risk_first_then_priority_then_age(qtbot, ui_env):
    now = datetime.now(UTC)
    c = ui_env.hq_clock
    add_cases_from_hq(
        ui_env.store,
        [
            created_event(c, name="Old tip", kind="tip", priority=1, received_at=now - timedelta(hours=5)),
            created_event(c, name="Risk new", kind="suicide_risk", priority=3, received_at=now),
            created_event(c, name="Newer tip", kind="tip", priority=1, received_at=now - timedelta(hours=1)),
            created_event(c, name="Low complaint", kind="complaint", priority=4, received_at=now - timedelta(days=2)),
        ],
    )
    ctx = make_context(ui_env)
    model = QueueModel(ctx)
    with qtbot.waitSignal(model.loaded):
        model.refresh()
    names = [model.index(r, QueueModel.COL_SUBJECT).data() for r in range(model.rowCount())]
    assert names == ["Risk new", "Old tip", "Newer tip", "Low complaint"]
    assert model.index(0, QueueModel.COL_KIND).data().startswith("⚠")
    assert model.index(0, 0).data(Qt.ItemDataRole.BackgroundRole) is not None
    ctx.taskman.shutdown()


def test_pages_load_on_demand_and_filters_apply(qtbot, ui_env):
    seed_many(ui_env.store, 1000)
    ctx = make_context(ui_env)
    model = QueueModel(ctx)
    with qtbot.waitSignals([model.loaded, model.total_changed]):
        model.refresh()
    assert model.total == 1000
    assert model.rowCount() == PAGE_SIZE
    assert model.canFetchMore()
    model.fetchMore()
    qtbot.waitUntil(lambda: model.rowCount() == 2 * PAGE_SIZE)
    with qtbot.waitSignals([model.loaded, model.total_changed]):
        model.set_filter(QueueFilter(kinds=frozenset({"complaint"}), police_station="Aliganj"))
    rows = [model.case_row(r) for r in range(model.rowCount())]
    assert rows and all(r.kind == "complaint" and r.police_station == "Aliganj" for r in rows)
    assert model.total == len([i for i in range(1000) if i % 3 == 0 and i % 997 and i % 5 == 2])
    with qtbot.waitSignals([model.loaded, model.total_changed]):
        model.set_filter(QueueFilter(search="anjali VERMA"))
    names = [model.case_row(r).subject_name or "" for r in range(model.rowCount())]
    assert model.total == len([i for i in range(1000) if i % 7 == 1])
    assert names and all(n.startswith("Anjali Verma") for n in names)
    # Paging to the end: fetchMore stops when a short page arrives.
    while model.canFetchMore():
        model.fetchMore()
        wait_idle(qtbot, ctx)
    assert model.rowCount() == model.total
    wait_idle(qtbot, ctx)
    ctx.taskman.shutdown()


def test_stale_page_after_filter_change_is_dropped(qtbot, ui_env):
    seed_many(ui_env.store, 600)
    ctx = make_context(ui_env)
    model = QueueModel(ctx)
    with qtbot.waitSignal(model.loaded):
        model.refresh()
    model.fetchMore()  # queued before the filter change; its page must not be appended after it
    with qtbot.waitSignal(model.loaded):
        model.set_filter(QueueFilter(kinds=frozenset({"tip"})))
    wait_idle(qtbot, ctx)
    assert all(model.case_row(r).kind == "tip" for r in range(model.rowCount()))
    ctx.taskman.shutdown()


def test_private_hidden_masks_names(qtbot, ui_env):
    add_cases_from_hq(ui_env.store, [created_event(ui_env.hq_clock, name="Secret Person")])
    ctx = make_context(ui_env)
    model = QueueModel(ctx)
    with qtbot.waitSignal(model.loaded):
        model.refresh()
    model.set_private_hidden(True)
    texts = [model.index(0, c).data() for c in range(model.columnCount())]
    assert "Secret Person" not in texts
    model.set_private_hidden(False)
    assert model.index(0, QueueModel.COL_SUBJECT).data() == "Secret Person"
    ctx.taskman.shutdown()
