"""``ComplaintRows`` over a real encrypted replica: the first read takes the stored rows (and gives
what folding every log gives), and what a read reads again after the sync engine names the cases it
changed, and after a change announced without ids."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest

from core.complaints import complaint_payload
from core.events import Author, EventType, ItemKind, Source, new_event, utcnow
from core.sla import SlaPolicy
from tests.e2e.kit import UiEnv, add_cases_from_hq
from ui.complaints.model import ComplaintModel, hms
from ui.operations import complaint_queue
from ui.operations.complaint_queue import _OPEN_KEYS
from ui.operations.complaints import (
    ComplaintFilter,
    ComplaintRows,
    fold_queue,
    next_change,
    read_queue,
    row_state,
    sort_key,
)

HQ = Author("hq-op", "HQ operator")


def _event(env: UiEnv, case_id: str, etype: EventType, payload: dict[str, Any]) -> Any:
    return new_event(case_id=case_id, type=etype, payload=payload, author=HQ, device_id="hq",
                     hlc=env.hq_clock.now(), wall_time=utcnow())  # fmt: skip


def _complaint(env: UiEnv, text: str) -> str:
    case_id = str(uuid.uuid4())
    now = utcnow()
    payload = complaint_payload(platform=Source.X, item=ItemKind.MENTION, platform_id=uuid.uuid4().hex,
                                posted_at=now - timedelta(minutes=10), text=text, received_at=now)  # fmt: skip
    add_cases_from_hq(env.store, [_event(env, case_id, EventType.CREATED, payload)])
    return case_id


def _read(env: UiEnv, rows: ComplaintRows) -> dict[str, Any]:
    """A read, and the details the first read leaves to ``fill`` (as the view asks right after it)."""
    with env.store.reader() as uow:
        got = {r.case_id: r for r in rows.read(uow)}
        rows.fill(uow)
    return got


def test_reads_fold_what_was_announced(ui_env: UiEnv) -> None:
    env = ui_env
    a = _complaint(env, "chain snatched")
    rows = ComplaintRows(SlaPolicy())
    first = _read(env, rows)
    assert list(first) == [a] and first[a].category is None
    b = _complaint(env, "traffic jam")
    assert set(_read(env, rows)) == {a}  # not announced: the kept rows, no query
    rows.invalidate([b])
    assert set(_read(env, rows)) == {a, b}
    add_cases_from_hq(env.store, [_event(env, a, EventType.CATEGORISED, {"category": "crime_report"})])
    rows.invalidate([a])
    got = _read(env, rows)
    assert got[a].category == "crime_report" and got[b] is _read(env, rows)[b]  # b was not folded again
    add_cases_from_hq(env.store, [_event(env, b, EventType.CLOSED, {"reason": "answered"})])
    rows.invalidate([b])
    assert set(_read(env, rows)) == {a}  # closed: off the queue
    c = _complaint(env, "fraud call")
    rows.invalidate(None)  # a change without ids: every stamp compared
    assert set(_read(env, rows)) == {a, c}


def test_the_first_read_takes_the_stored_rows_and_equals_the_folds(ui_env: UiEnv) -> None:
    env = ui_env
    a, b, c = (_complaint(env, text) for text in ("chain snatched", "traffic jam", "fraud call"))
    rid = str(uuid.uuid4())
    published = {"reply_id": rid, "platform_id": "r1", "published_at": utcnow().isoformat()}
    add_cases_from_hq(env.store, [
        _event(env, a, EventType.CATEGORISED, {"category": "traffic"}),
        _event(env, b, EventType.REPLY_DRAFTED, {"reply_id": rid, "text": "On it", "needs_approval": False}),
        _event(env, b, EventType.REPLY_PUBLISHED, published),
    ])  # fmt: skip
    closed = _complaint(env, "answered already")
    add_cases_from_hq(env.store, [_event(env, closed, EventType.CLOSED, {"reason": "answered"})])
    for policy in (SlaPolicy(), SlaPolicy(first_response_min=30)):  # stored deadlines; computed ones
        rows = ComplaintRows(policy)
        got = _read(env, rows)
        with env.store.reader() as uow:
            folded = {r.case_id: r for r in fold_queue(uow, policy)}
        assert got == folded and set(got) == {a, b, c}
        assert got[b].reply_state == "published" and got[a].category == "traffic"
        assert got[a].deadlines[0].due_at - got[a].deadlines[0].started_at == timedelta(
            minutes=policy.first_response_min
        )
        # a stored row's state and next change (its stored timeline) are those of its deadlines
        evaluated = [replace(r, timeline=None, _clock=[None, None, None]) for r in got.values()]
        for minutes in (0, 15, 25, 95, 200, 5000):
            now = utcnow() + timedelta(minutes=minutes)
            assert [row_state(r, now) for r in got.values()] == [row_state(r, now) for r in evaluated]
            assert next_change(got.values(), now) == next_change(evaluated, now)


def test_a_new_policy_computes_every_kept_row_again(ui_env: UiEnv) -> None:
    env = ui_env
    a, b = (_complaint(env, text) for text in ("chain snatched", "traffic jam"))
    add_cases_from_hq(env.store, [_event(env, a, EventType.CATEGORISED, {"category": "womens_safety"})])
    rows = ComplaintRows(SlaPolicy())
    before = _read(env, rows)
    shorter = SlaPolicy(first_response_by_category={"womens_safety": 5})
    assert rows.set_policy(shorter) and not rows.set_policy(shorter)  # the same policy again: nothing to do
    assert rows.policy == SlaPolicy() and _read(env, rows) and rows.policy == shorter  # applied at the read
    got = _read(env, rows)
    with env.store.reader() as uow:
        assert got == {r.case_id: r for r in fold_queue(uow, shorter)}
    assert row_state(got[a], utcnow()) == "breached" and row_state(before[a], utcnow()) == "running"
    assert row_state(got[b], utcnow()) == "running"


def test_rows_read_by_their_keys_then_filled_equal_the_whole_rows_also_after_a_change(
    ui_env: UiEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = ui_env
    monkeypatch.setattr(complaint_queue, "FILL_AT_ONCE_ROWS", 0)  # a long queue: the details follow
    ids = [_complaint(env, f"complaint {n}") for n in range(4)]
    add_cases_from_hq(env.store, [_event(env, ids[3], EventType.CATEGORISED, {"category": "cyber_fraud"})])
    rows = ComplaintRows(SlaPolicy())
    with env.store.reader() as uow:
        keys = {r.case_id: r for r in rows.read(uow)}
        whole = {r.case_id: r for r in read_queue(uow, SlaPolicy())}
    assert set(keys) == set(ids) and not any(r.has_detail for r in keys.values()) and not rows.complete
    now = utcnow()
    for minutes in (0, 100, 5000):  # the keys alone sort, filter and count down as the whole rows do
        at = now + timedelta(minutes=minutes)
        assert [sort_key(keys[c], at) for c in ids] == [sort_key(whole[c], at) for c in ids]
    assert keys[ids[3]].category == "cyber_fraud" and keys[ids[3]].text == "" and keys[ids[3]].replies == ()
    with env.store.reader() as uow:
        assert rows.fill(uow, ids[:1]) == ids[:1]
    assert keys[ids[0]] == whole[ids[0]] and not keys[ids[1]].has_detail
    # changed before its detail was read: the fill leaves it, and the next read takes it whole
    add_cases_from_hq(env.store, [_event(env, ids[1], EventType.CATEGORISED, {"category": "traffic"})])
    with env.store.reader() as uow:
        assert sorted(rows.fill(uow)) == sorted(ids[2:])
        got = {r.case_id: r for r in rows.read(uow)}
        whole = {r.case_id: r for r in read_queue(uow, SlaPolicy())}
        folded = {r.case_id: r for r in fold_queue(uow, SlaPolicy())}
    assert got == whole == folded and got[ids[1]].category == "traffic" and rows.complete
    assert got[ids[0]] is keys[ids[0]] and got[ids[2]].text == "complaint 2"


def test_the_first_read_is_answered_from_the_covering_index(ui_env: UiEnv) -> None:
    with ui_env.store.reader() as uow:
        plan = " ".join(str(r[-1]) for r in uow.connection.exec_driver_sql("EXPLAIN QUERY PLAN " + _OPEN_KEYS))
    assert "COVERING INDEX ix_complaint_row_queue" in plan


def test_the_model_paints_a_row_without_its_detail_then_filled(
    qtbot: Any, ui_env: UiEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = ui_env
    monkeypatch.setattr(complaint_queue, "FILL_AT_ONCE_ROWS", 0)
    _complaint(env, "chain snatched near the bus stand")
    rows = ComplaintRows(SlaPolicy())
    with env.store.reader() as uow:
        got = rows.read(uow)
    model = ComplaintModel()
    now = utcnow()
    model.set_rows(got, now)
    model.set_filter(ComplaintFilter(text="snatched"), now)
    assert model.rowCount() == 0  # the text filter matches only rows with their detail
    model.set_filter(ComplaintFilter(), now)
    assert model.data(model.index(0, model.COL_TEXT)) is None and model.data(model.index(0, model.COL_AUTHOR)) is None
    countdown = model.data(model.index(0, model.COL_DUE))
    model.set_filter(ComplaintFilter(text="snatched"), now)
    with env.store.reader() as uow:
        rows.fill(uow)
    with qtbot.waitSignal(model.modelReset, timeout=1000):
        model.details_filled(now)
    assert model.rowCount() == 1
    assert model.data(model.index(0, model.COL_TEXT)) == "chain snatched near the bus stand"
    soonest = model.row_at(0).soonest
    assert soonest is not None and countdown == f"{hms((soonest.due_at - now).total_seconds())} left"
    assert model.data(model.index(0, model.COL_DUE)) == countdown


def test_a_short_queue_is_read_whole_at_once(ui_env: UiEnv, monkeypatch: pytest.MonkeyPatch) -> None:
    env = ui_env
    ids = [_complaint(env, f"complaint {n}") for n in range(3)]
    monkeypatch.setattr(complaint_queue, "FILL_AT_ONCE_ROWS", 3)
    rows = ComplaintRows(SlaPolicy())
    with env.store.reader() as uow:
        got = {r.case_id: r for r in rows.read(uow)}
        whole = {r.case_id: r for r in read_queue(uow, SlaPolicy())}
    assert set(got) == set(ids) and all(r.has_detail for r in got.values()) and got == whole
    monkeypatch.setattr(complaint_queue, "FILL_AT_ONCE_ROWS", 2)
    rows = ComplaintRows(SlaPolicy())
    with env.store.reader() as uow:
        assert not any(r.has_detail for r in rows.read(uow))
