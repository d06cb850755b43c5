"""Tips in the desktop client without HQ: labels for every tip code, the queue's tip column, the tip
box in the detail pane, the quiet notice (never the siren) and a raised tip that rings."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from PySide6.QtWidgets import QApplication

from core.events import Author, EventType, Tier, iso, new_event
from core.tips import TipCategory, TipMediaKind
from tests.e2e.kit import HQ_AUTHOR, add_cases_from_hq, make_context, wait_idle
from ui.i18n import install_translator
from ui.labels import event_label, tip_category_label, tip_media_label
from ui.tips.panel import size_text, tip_facts

SHA = "a" * 64
# The author of what the tip line's relay files (hq/tipline/replies.py ``RELAY``).
RELAY_AUTHOR = Author("tipline-relay", "Tip line relay", Tier.HQ)


def tip_events(env: Any, *, prior: int = 0, received: datetime | None = None) -> list[Any]:
    case_id = str(uuid.uuid4())
    now = received or datetime.now(UTC)
    tip = {
        "category": "gambling", "pseudonym": "Tipster K7F3", "prior_tips": prior, "language": "hi",
        "what": "सट्टा हर शाम", "place": "लंका, वाराणसी", "when": "हर शाम 7 बजे",
        "media": [{"id": str(uuid.uuid4()), "kind": "image", "sha256": SHA, "bytes": 2048,
                   "original_sha256": "b" * 64}],
        "confirmed": True, "place_unclear": False,
    }  # fmt: skip
    created = new_event(
        case_id=case_id, type=EventType.CREATED,
        payload={"kind": "tip", "source": "whatsapp_tipline", "upstream_ref": f"tipline:{uuid.uuid4().hex}",
                 "received_at": iso(now), "priority": 3, "subject": {}, "location": {"text": "लंका, वाराणसी"},
                 "district": "Lucknow", "summary": "Gambling: सट्टा हर शाम", "tip": tip},
        author=RELAY_AUTHOR, device_id="hq", hlc=env.hq_clock.now(), wall_time=now,
    )  # fmt: skip
    added = new_event(
        case_id=case_id, type=EventType.TIP_ADDED,
        payload={"text": "और एक वीडियो", "media": [{"id": str(uuid.uuid4()), "kind": "video", "sha256": SHA,
                                                    "bytes": 3 * 1024 * 1024}]},
        author=RELAY_AUTHOR, device_id="hq", hlc=env.hq_clock.now(),
    )  # fmt: skip
    return [created, added]


def test_every_event_type_and_tip_code_has_a_label_in_both_languages(app: QApplication) -> None:
    codes = [str(t) for t in EventType]
    assert all(event_label(c) != c for c in codes), [c for c in codes if event_label(c) == c]
    assert all(tip_category_label(str(c)) != str(c) for c in TipCategory)
    assert all(tip_media_label(str(k)) != str(k) for k in TipMediaKind)
    english = [tip_category_label(str(c)) for c in TipCategory] + [event_label(c) for c in codes]
    assert install_translator(app, "hi") is not None
    hindi = [tip_category_label(str(c)) for c in TipCategory] + [event_label(c) for c in codes]
    assert event_label("tip_answer") == "सूचनादाता का उत्तर"
    untranslated = [e for e, h in zip(english, hindi, strict=True) if e == h]
    assert untranslated == []


def test_tip_facts_gathers_the_tips_media_and_ignores_other_cases(ui_env: Any) -> None:
    events = tip_events(ui_env)
    add_cases_from_hq(ui_env.store, events)
    with ui_env.store.reader() as uow:
        history = uow.events.history(events[0].case_id)
    found = tip_facts(history)
    assert found is not None
    tip, media = found
    assert tip["pseudonym"] == "Tipster K7F3"
    assert [m["kind"] for m in media] == ["image", "video"]
    assert tip_facts(history[1:]) is None
    assert size_text(2048) == "2 KB" and size_text(3 * 1024 * 1024) == "3.0 MB" and size_text(10) == "10 B"


def test_a_new_tip_is_a_quiet_notice_in_queue_and_detail_and_rings_once_raised(qtbot: Any, app: Any,
                                                                              ui_env: Any) -> None:
    from ui.main_window import MainWindow

    ctx = make_context(ui_env)
    win = MainWindow(ctx, with_sound=False)
    qtbot.addWidget(win)
    win.show()
    try:
        events = tip_events(ui_env, prior=2)
        case_id = events[0].case_id
        add_cases_from_hq(ui_env.store, events)
        ctx.taskman.cases_changed.emit(frozenset({case_id}))  # as the sync engine announces a pull
        model = win.queue.model
        qtbot.waitUntil(lambda: model.rowCount() == 1 and bool(model.index(0, model.COL_SUBJECT).data()),
                        timeout=5000)
        assert model.index(0, model.COL_KIND).data() == "Tip"
        assert model.index(0, model.COL_SUBJECT).data() == "Gambling · Tipster K7F3 (seen before)"
        qtbot.waitUntil(lambda: "New tip" in win.statusBar().currentMessage(), timeout=5000)
        wait_idle(qtbot, ctx)
        assert not win.alarm.is_ringing and not win.banner.isVisible()

        win.queue.select_case(case_id)
        box = win.detail.tip_box
        qtbot.waitUntil(lambda: box.isVisible() and box.case_id == case_id, timeout=5000)
        text = box.facts.text()
        assert "Category: Gambling" in text and "Tipster K7F3 (sent 2 tip(s) before)" in text
        assert "सट्टा हर शाम" in text and "लंका, वाराणसी" in text and "हर शाम 7 बजे" in text
        assert len(box.media_buttons) == 2 and not win.detail.who.isVisible()
        assert not box.ask_button.isEnabled()  # no HQ session: a question could not be relayed
        entries = [win.detail.timeline.item(r, 1).text() for r in range(win.detail.timeline.rowCount())]
        assert entries[0] == "Tip received"
        assert "Tipster added to the tip" in entries and "tip_added" not in entries
        details = [win.detail.timeline.item(r, 3).text() for r in range(win.detail.timeline.rowCount())]
        assert "Gambling · Tipster K7F3" in details[0] and "और एक वीडियो · Video" in details
        assert not any("{" in d or '"id"' in d for d in details), details  # no raw payload
        box.media_buttons[0].click()
        assert "sign in to HQ" in win.statusBar().currentMessage()

        raised = new_event(case_id=case_id, type=EventType.RISK_RAISED, payload={"reason": "threat to life"},
                           author=HQ_AUTHOR, device_id="hq", hlc=ui_env.hq_clock.now())
        add_cases_from_hq(ui_env.store, [raised])
        ctx.taskman.cases_changed.emit(frozenset({case_id}))
        qtbot.waitUntil(lambda: win.alarm.is_ringing, timeout=5000)
        # A non-tip case selected: the tip box hides and the person box returns.
        win.detail.clear()
        assert not box.isVisible()
    finally:
        win.close()
        wait_idle(qtbot, ctx)
        ctx.taskman.shutdown()


def test_a_failed_tip_call_is_told_by_its_cause(app: QApplication) -> None:
    from sync.errors import HQRefused, HQUnreachable
    from ui.operations.tips import tip_error_text

    assert "cannot be reached" in tip_error_text(HQUnreachable("timeout"))
    assert "retention" in tip_error_text(HQRefused(409, "conflict", "sealed number destroyed"))
    assert "role" in tip_error_text(HQRefused(403, "forbidden", "no"))
    assert "does not show this tip" in tip_error_text(HQRefused(404, "not_found", "no such tip"))
    assert "(422)" in tip_error_text(HQRefused(422, "invalid", "text"))
    assert "could not save the file (PermissionError)" in tip_error_text(PermissionError("denied"))
    assert install_translator(app, "hi") is not None
    assert tip_error_text(HQRefused(403, "forbidden", "no")) == "आपकी भूमिका में यह अनुमति नहीं है।"
