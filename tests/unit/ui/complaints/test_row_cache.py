"""``ComplaintRows`` over a real encrypted replica: the first read takes the stored rows (and gives
what folding every log gives), and what a read reads again after the sync engine names the cases it
changed, and after a change announced without ids."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import timedelta
from typing import Any

from core.complaints import complaint_payload
from core.events import Author, EventType, ItemKind, Source, new_event, utcnow
from core.sla import SlaPolicy
from tests.e2e.kit import UiEnv, add_cases_from_hq
from ui.operations.complaints import ComplaintRows, fold_queue, next_change, row_state

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
    with env.store.reader() as uow:
        return {r.case_id: r for r in rows.read(uow)}


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
