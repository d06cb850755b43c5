"""A tip on the desktop: the real client, signed in as Varanasi's operator, against HQ on loopback
with the tip line driven by the WhatsApp Cloud API simulator.

A Hindi tip with a photo and a voice note reaches the console's queue (category and pseudonym, no
number), gives a quiet notice and never the siren; its detail shows the tip and its media (fetched
from HQ, shown, played, and deleted from the disk after); a question goes to the tipster through
HQ and the answer arrives in the timeline; the tip raised to suicide-risk rings.
"""

from __future__ import annotations

import os
from typing import Any

import pytest

from core.events import EventType
from tests.e2e.kit import start_client, stop_client
from tests.fixtures.whatsapp_sim import WhatsAppSim, photo_with_gps, voice_note, whatsapp_sim
from tests.integration.hq.helpers import event

__all__ = ["whatsapp_sim"]

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support")

NUMBER = "919876543210"


def hindi_tip(sim: WhatsAppSim) -> list[dict[str, Any]]:
    return [
        sim.text(NUMBER, "नमस्ते"), sim.text(NUMBER, "1"), sim.text(NUMBER, "2"),
        sim.text(NUMBER, "गाँव में हर रात अवैध शराब बेची जा रही है"),
        sim.text(NUMBER, "गाँव सारनाथ, थाना कैंट, वाराणसी"), sim.text(NUMBER, "हर रात 9 बजे के बाद"),
        sim.image(NUMBER, photo_with_gps(), caption="दुकान के पीछे"), sim.audio(NUMBER, voice_note()),
        sim.text(NUMBER, "0"), sim.text(NUMBER, "हाँ"),
    ]  # fmt: skip


def deliver(sim: WhatsAppSim, url: str, payloads: list[dict[str, Any]]) -> None:
    for p in payloads:
        assert sim.post(url, p).status_code == 200


def timeline_entries(window: Any) -> list[str]:
    t = window.detail.timeline
    return [t.item(r, 1).text() for r in range(t.rowCount())]


def test_a_tip_on_the_district_console_from_queue_to_answer(qtbot, whatsapp_sim, hq_factory, tmp_path):  # type: ignore[no-untyped-def]
    sim = whatsapp_sim
    hq = hq_factory("sqlite")
    client = start_client(qtbot, tmp_path, hq.url, username="demo-vns")
    window = client.window
    try:
        qtbot.waitUntil(lambda: str(getattr(window.status.status, "state", "")) == "online", timeout=15_000)
        deliver(sim, hq.url, hindi_tip(sim))
        sim.wait_sent(10)
        model = window.queue.model
        qtbot.waitUntil(lambda: model.rowCount() == 1 and "Tipster" in model.index(0, model.COL_SUBJECT).data(),
                        timeout=20_000)
        row = model.case_row(0)
        case_id = row.case_id
        subject = model.index(0, model.COL_SUBJECT).data()
        assert subject.startswith("Illegal drugs, liquor · Tipster ") and "seen before" not in subject
        assert NUMBER[-10:] not in subject
        # A quiet notice, never the siren.
        qtbot.waitUntil(lambda: "New tip" in window.statusBar().currentMessage(), timeout=5_000)
        assert not window.alarm.is_ringing and not window.alarm.ringing
        assert not window.banner.isVisible()

        window.queue.select_case(case_id)
        box = window.detail.tip_box
        qtbot.waitUntil(lambda: box.isVisible() and box.case_id == case_id, timeout=5_000)
        facts = box.facts.text()
        assert "Category: Illegal drugs, liquor" in facts and "शराब" in facts and "वाराणसी" in facts
        assert "first tip from this tipster" in facts
        assert not window.detail.who.isVisible()  # no "Person" box for a tipster
        assert [m["kind"] for m in box.media] == ["image", "audio"] and len(box.media_buttons) == 2
        assert box.ask_button.isEnabled()
        assert timeline_entries(window)[:2] == ["Tip received", "Assigned"]

        # The photo: fetched from HQ (the police copy), shown, its temporary file already gone.
        box.media_buttons[0].click()
        qtbot.waitUntil(lambda: box.viewer is not None and box.viewer.isVisible(), timeout=10_000)
        photo = box.viewer
        assert photo.kind == "image" and not photo.image.pixmap().isNull()
        assert photo.image.pixmap().width() == 64 and not os.path.exists(photo.path)
        photo.close()
        # The voice note: played from a temporary file that is deleted when the player closes.
        box.media_buttons[1].click()
        qtbot.waitUntil(lambda: box.viewer is not None and box.viewer is not photo and box.viewer.isVisible(),
                        timeout=10_000)
        voice = box.viewer
        path = voice.path
        assert voice.kind == "audio" and voice.player is not None and os.path.exists(path)
        with open(path, "rb") as f:
            assert f.read(4) == b"OggS"
        voice.close()
        assert not os.path.exists(path)

        # The question, through the dialog, to the tipster by HQ's relay; the answer comes back.
        box.ask_button.click()
        dialog = box.dialog
        assert dialog is not None
        dialog.text.setPlainText("दुकान किसकी है?")
        dialog.buttons.accepted.emit()
        sim.wait_sent(11, timeout=30)
        assert "दुकान किसकी है?" in sim.texts_to(NUMBER)[-1]
        qtbot.waitUntil(lambda: "Question to the tipster" in timeline_entries(window), timeout=20_000)
        deliver(sim, hq.url, [sim.text(NUMBER, "रमेश की दुकान")])
        qtbot.waitUntil(lambda: "Tipster's answer" in timeline_entries(window), timeout=30_000)
        assert not window.alarm.is_ringing

        # Raised to suicide-risk (HQ's operator, on reading the answer): now it rings here.
        api = hq.login("hq")
        api.push([event(api, case_id, EventType.RISK_RAISED, {"reason": "the tipster says he will kill himself"})])
        qtbot.waitUntil(lambda: case_id in {r.case_id for r in window.alarm.ringing}, timeout=20_000)
    finally:
        stop_client(qtbot, client)
