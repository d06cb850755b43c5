"""The tip line end to end: Meta's webhook (from the WhatsApp simulator on loopback) into HQ, the
bot's conversation, the tip case at the district, police copies of media, the two-way relay."""

from __future__ import annotations

import io
import json
import re
import time
from typing import Any

import pytest
from PIL import Image
from sqlalchemy import func, select

from core.events import Event, EventType
from core.fold import fold
from hq.schema import audit, tip_inbox, tip_senders, tips
from tests.fixtures.hq import API, HQServer
from tests.fixtures.whatsapp_sim import WhatsAppSim, photo_with_gps, voice_note, whatsapp_sim
from tests.integration.hq.helpers import event

__all__ = ["whatsapp_sim"]

NUMBER = "919876543210"
RECEIPT = re.compile(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}")


@pytest.fixture
def tipline(whatsapp_sim: WhatsAppSim, hq_factory: Any, backend: str) -> tuple[WhatsAppSim, HQServer]:
    return whatsapp_sim, hq_factory(backend)


def _count(hq: HQServer, table: Any) -> int:
    db = hq.database()
    try:
        with db.reader() as conn:
            return int(conn.execute(select(func.count()).select_from(table)).scalar_one())
    finally:
        db.dispose()


def _deliver(sim: WhatsAppSim, hq: HQServer, payloads: list[dict[str, Any]]) -> None:
    for p in payloads:
        r = sim.post(hq.url, p)
        assert r.status_code == 200, r.text


def _tip_cases(items: list[dict[str, Any]]) -> dict[str, list[Event]]:
    out: dict[str, list[Event]] = {}
    for item in items:
        if item.get("kind") == "event":
            e = Event.from_wire(item["event"])
            out.setdefault(e.case_id, []).append(e)
    return {k: v for k, v in out.items() if v[0].type is EventType.CREATED and v[0].payload["kind"] == "tip"}


def _wait_for_case(client: Any, timeout: float = 20.0) -> tuple[str, list[Event]]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = _tip_cases(client.pull_all()[0])
        if found:
            (case_id, history), *_ = found.items()
            return case_id, history
        time.sleep(0.05)
    raise AssertionError("no tip case reached the console")


def hindi_tip(sim: WhatsAppSim, number: str = NUMBER) -> list[dict[str, Any]]:
    return [
        sim.text(number, "नमस्ते"),
        sim.text(number, "1"),  # हिंदी
        sim.text(number, "2"),  # illegal drugs and liquor
        sim.text(number, "गाँव में हर रात अवैध शराब बेची जा रही है"),
        sim.text(number, "गाँव सारनाथ, थाना कैंट, वाराणसी"),
        sim.text(number, "हर रात 9 बजे के बाद"),
        sim.image(number, photo_with_gps(), caption="दुकान के पीछे"),
        sim.audio(number, voice_note()),
        sim.text(number, "0"),
        sim.text(number, "हाँ"),
    ]


def test_a_hindi_conversation_with_a_photo_and_a_voice_note_becomes_a_tip_at_the_district(
    tipline: tuple[WhatsAppSim, HQServer],
) -> None:
    sim, hq = tipline
    _deliver(sim, hq, hindi_tip(sim))
    sent = sim.wait_sent(10)
    replies = sim.texts_to(NUMBER)
    assert "भाषा चुनें" in replies[0]
    assert "शराब" in replies[1]  # the category menu, in Hindi
    assert "धन्यवाद" in replies[-1] and RECEIPT.search(replies[-1]), replies[-1]
    assert all(s["to"] == NUMBER for s in sent)
    receipt = RECEIPT.search(replies[-1]).group(0)  # type: ignore[union-attr]

    vns = hq.login("demo-vns")
    case_id, history = _wait_for_case(vns)
    created = history[0].payload
    assert created["kind"] == "tip" and created["source"] == "whatsapp_tipline"
    assert [e.type for e in history] == [EventType.CREATED, EventType.ASSIGNED]
    assert history[1].payload["district"] == "VNS"
    tip = created["tip"]
    assert tip["category"] == "drugs_liquor" and tip["language"] == "hi" and tip["confirmed"] is True
    assert tip["pseudonym"].startswith("Tipster ") and tip["prior_tips"] == 0
    assert "शराब" in tip["what"] and "दुकान के पीछे" in tip["what"] and "वाराणसी" in tip["place"]
    assert [m["kind"] for m in tip["media"]] == ["image", "audio"]
    # Tips never ring the suicide siren.
    state = fold(case_id, history)
    assert not state.needs_alarm and not state.hq_needs_alarm
    # HQ's stream has it too; another district's does not.
    assert case_id in _tip_cases(hq.login("hq").pull_all()[0])
    assert not _tip_cases(hq.login("demo").pull_all()[0])

    # The police copy of the photo: no EXIF, no GPS, no camera; its digest is the one in the case.
    photo_ref, voice_ref = tip["media"]
    r = vns.http.get(f"{API}/tips/media/{photo_ref['id']}")
    assert r.status_code == 200 and r.headers["content-type"] == "image/jpeg"
    import hashlib

    assert hashlib.sha256(r.content).hexdigest() == photo_ref["sha256"]
    assert photo_ref["original_sha256"] != photo_ref["sha256"]  # the sealed original, kept as evidence
    img = Image.open(io.BytesIO(r.content))
    assert not img.getexif() and "exif" not in img.info and b"TipsterPhoneMaker" not in r.content
    assert img.size == (64, 48)
    voice = vns.http.get(f"{API}/tips/media/{voice_ref['id']}")
    assert voice.status_code == 200 and voice.content.startswith(b"OggS")
    assert b"LOCATION=" not in voice.content and b"OpusHead" in voice.content
    # Another district cannot fetch it.
    assert hq.login("demo").http.get(f"{API}/tips/media/{photo_ref['id']}").status_code == 404

    db = hq.database()
    try:
        with db.reader() as conn:
            row = conn.execute(select(tips).where(tips.c.case_id == case_id)).one()
            sender = conn.execute(select(tip_senders)).one()
            audits = [json.dumps(list(a)) for a in conn.execute(select(audit))]
    finally:
        db.dispose()
    assert receipt not in row.receipt_hash and len(row.receipt_hash) == 64  # only a keyed hash is kept
    assert sender.tips == 1 and sender.pseudonym == tip["pseudonym"]
    assert NUMBER.encode() not in bytes(sender.sealed_number)
    assert not any(NUMBER in a for a in audits)


def test_a_forged_or_missing_signature_gets_401_and_nothing_is_stored(tipline: tuple[WhatsAppSim, HQServer]) -> None:
    sim, hq = tipline
    payload = sim.text(NUMBER, "Hi")
    raw = json.dumps(payload, ensure_ascii=False).encode()
    forged = [
        None,  # no header
        sim.sign(raw, secret="not-the-app-secret"),
        "sha256=" + "0" * 64,
        "sha1=" + "0" * 40,
        sim.sign(raw)[:-2],
    ]
    for signature in forged:
        r = sim.post(hq.url, payload, signature=signature)
        assert r.status_code == 401, (signature, r.text)
        assert r.json()["code"] == "unauthenticated"
    # A body changed after signing (the signature of another body).
    tampered = sim.text(NUMBER, "Hi there")
    r = sim.post(hq.url, tampered, signature=sim.sign(raw))
    assert r.status_code == 401
    time.sleep(0.3)
    assert _count(hq, tip_inbox) == 0 and _count(hq, tip_senders) == 0 and not sim.sent
    db = hq.database()
    try:
        with db.reader() as conn:
            rows = conn.execute(select(audit).where(audit.c.action == "tipline_webhook")).all()
    finally:
        db.dispose()
    assert len(rows) == 6 and {r.outcome for r in rows} == {"unauthenticated"}
    causes = {json.loads(r.detail)["cause"] for r in rows}
    assert causes == {"missing", "mismatch", "malformed"}
    assert not any(NUMBER in (r.detail or "") or "Hi" in (r.detail or "") for r in rows)


def test_a_redelivered_message_makes_no_twin_and_statuses_and_reactions_are_ignored(
    tipline: tuple[WhatsAppSim, HQServer],
) -> None:
    sim, hq = tipline
    hello = sim.text(NUMBER, "Hi")
    for _ in range(3):
        assert sim.post(hq.url, hello).status_code == 200
    assert sim.post(hq.url, sim.status(NUMBER)).status_code == 200
    assert sim.post(hq.url, sim.reaction(NUMBER, "wamid.x")).status_code == 200
    sim.wait_sent(1)
    time.sleep(0.5)
    assert len(sim.sent) == 1 and _count(hq, tip_inbox) == 1
    # A whole conversation redelivered after it was filed makes one tip, not two.
    flow = hindi_tip(sim, "919000000001")
    _deliver(sim, hq, flow)
    sim.wait_sent(11)
    _deliver(sim, hq, flow)
    time.sleep(1.0)
    assert _count(hq, tips) == 1 and len(sim.sent) == 11


def test_the_webhook_verification_handshake(tipline: tuple[WhatsAppSim, HQServer]) -> None:
    sim, hq = tipline
    import httpx

    ok = {"hub.mode": "subscribe", "hub.verify_token": sim.verify_token, "hub.challenge": "1158201444"}
    r = httpx.get(f"{hq.url}{API}/tipline/webhook", params=ok)
    assert r.status_code == 200 and r.text == "1158201444"
    bad = ok | {"hub.verify_token": "guess"}
    assert httpx.get(f"{hq.url}{API}/tipline/webhook", params=bad).status_code == 403


def _file_english_tip(sim: WhatsAppSim, hq: HQServer, number: str) -> str:
    flow = [
        sim.text(number, "Hi"), sim.text(number, "2"), sim.text(number, "3"),
        sim.text(number, "Country-made pistols are being made in a shed"),
        sim.text(number, "Behind the brick kiln, Lanka, Varanasi"), sim.text(number, "Every Sunday"),
        sim.text(number, "0"), sim.text(number, "yes"),
    ]  # fmt: skip
    _deliver(sim, hq, flow)
    sim.wait_sent(8)
    return RECEIPT.search(sim.texts_to(number)[-1]).group(0)  # type: ignore[union-attr]


def test_an_officers_question_reaches_the_tipster_and_the_answer_comes_back_on_the_tip(
    tipline: tuple[WhatsAppSim, HQServer],
) -> None:
    sim, hq = tipline
    _file_english_tip(sim, hq, NUMBER)
    vns = hq.login("demo-vns")
    case_id, _ = _wait_for_case(vns)
    # Only operators of the tip's district (or HQ) may ask; a supervisor reads but does not write.
    assert hq.login("demo").http.post(f"{API}/tips/{case_id}/questions", json={"text": "?"}).status_code == 404
    assert hq.login("supervisor").http.post(f"{API}/tips/{case_id}/questions", json={"text": "?"}).status_code == 403
    sim.fail_sends = 1  # the first attempt fails; the relay retries
    r = vns.http.post(f"{API}/tips/{case_id}/questions", json={"text": "How many people work in the shed?"})
    assert r.status_code == 201, r.text
    question = r.json()["event"]
    assert question["type"] == "tip_question" and question["author_name"]
    sim.wait_sent(9, timeout=30)
    assert "How many people work in the shed?" in sim.texts_to(NUMBER)[-1]
    _deliver(sim, hq, [sim.text(NUMBER, "About six, and two guards")])
    sim.wait_sent(10)
    assert "passed to police" in sim.texts_to(NUMBER)[-1]
    deadline = time.monotonic() + 20
    answers: list[Event] = []
    while not answers and time.monotonic() < deadline:
        history = _tip_cases(vns.pull_all()[0]).get(case_id, [])
        answers = [e for e in history if e.type is EventType.TIP_ANSWER]
        time.sleep(0.05)
    assert answers and answers[0].payload == {"question_id": question["id"], "text": "About six, and two guards"}
    assert answers[0].author_id == "tipline-relay"
    # A message within the bundling window after filing is added to the same tip.
    _deliver(sim, hq, [sim.text(NUMBER, "They also store liquor there")])
    sim.wait_sent(11)
    assert "Added" in sim.texts_to(NUMBER)[-1]
    assert _count(hq, tips) == 1


def test_a_console_cannot_push_tip_line_entries(tipline: tuple[WhatsAppSim, HQServer]) -> None:
    sim, hq = tipline
    _file_english_tip(sim, hq, NUMBER)
    vns = hq.login("demo-vns")
    case_id, _ = _wait_for_case(vns)
    forged = event(vns, case_id, EventType.TIP_ANSWER, {"question_id": case_id, "text": "made up"})
    result = vns.push([forged])["results"][0]
    assert result["status"] == "rejected" and result["code"] == "forbidden"


def test_text_hq_cannot_store_in_the_tip_line(tipline: tuple[WhatsAppSim, HQServer]) -> None:
    """HQ's text rule at the tip line's routes (tests/integration/hq/test_input_text.py lists them)."""
    sim, hq = tipline
    number = "919811122233"
    _file_english_tip(sim, hq, number)
    vns = hq.login("demo-vns")
    case_id, _ = _wait_for_case(vns)
    # An officer's question with a NUL: 422 naming the field; nothing is sent.
    r = vns.http.post(f"{API}/tips/{case_id}/questions", json={"text": "Which\u0000day?"})
    assert r.status_code == 422 and r.json()["code"] == "invalid" and "text" in r.json()["detail"]
    assert vns.http.get(f"{API}/tips/media/a%01b").status_code == 422
    assert vns.http.get(f"{API}/tips/{case_id}/questions").status_code == 405
    # A tipster's words with characters no event takes: accepted (200), kept with U+FFFD in the case.
    r = vns.http.post(f"{API}/tips/{case_id}/questions", json={"text": "Which day?"})
    assert r.status_code == 201
    sim.wait_sent(9)
    assert sim.post(hq.url, sim.text(number, "Mon\u0000day\u0007 night")).status_code == 200
    deadline = time.monotonic() + 20
    answers: list[Event] = []
    while not answers and time.monotonic() < deadline:
        answers = [e for e in _tip_cases(vns.pull_all()[0])[case_id] if e.type is EventType.TIP_ANSWER]
        time.sleep(0.05)
    assert answers[0].payload["text"] == "Mon\ufffdday\ufffd night"
    assert len(sim.sent) == 10


def test_a_closed_tips_sealed_number_is_destroyed_after_the_retention_time_and_that_is_audited(
    tipline: tuple[WhatsAppSim, HQServer],
) -> None:
    from datetime import timedelta

    from hq.tipline.identity import destroy_expired

    sim, hq = tipline
    _file_english_tip(sim, hq, NUMBER)
    vns = hq.login("demo-vns")
    case_id, _ = _wait_for_case(vns)
    db = hq.database()
    try:
        with db.transaction() as conn:  # an open tip keeps its sealed number, whatever the retention
            assert destroy_expired(conn, timedelta(0)) == 0
        closed = vns.push([event(vns, case_id, EventType.CLOSED, {"reason": "raid done"})])["results"][0]
        assert closed["status"] == "accepted", closed
        with db.transaction() as conn:  # closed, but not yet past the retention time
            assert destroy_expired(conn, timedelta(days=90)) == 0
        with db.transaction() as conn:
            assert destroy_expired(conn, timedelta(0)) == 1
        with db.reader() as conn:
            sender = conn.execute(select(tip_senders)).one()
            rows = conn.execute(select(audit).where(audit.c.action == "tip_identity_destroyed")).all()
    finally:
        db.dispose()
    assert sender.sealed_number is None and sender.destroyed_at is not None
    assert len(rows) == 1 and json.loads(rows[0].detail)["pseudonym"] == sender.pseudonym
    # No question can reach the tipster any more, and the officer is told why.
    r = vns.http.post(f"{API}/tips/{case_id}/questions", json={"text": "Still there?"})
    assert r.status_code == 409 and "destroyed" in r.json()["detail"]


@pytest.mark.postgres
def test_the_relay_can_run_as_its_own_process(
    whatsapp_sim: WhatsAppSim, hq_factory: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``serve`` with RUN_RELAY=0 only takes webhooks; ``python -m hq tipline-relay`` runs the bot."""
    import os
    import signal
    import subprocess
    import sys

    from tests.fixtures.hq import ROOT

    sim = whatsapp_sim
    monkeypatch.setenv("RAKSHAK_TIPLINE_RUN_RELAY", "0")
    hq = hq_factory("postgres")
    assert sim.post(hq.url, sim.text(NUMBER, "Hi")).status_code == 200
    time.sleep(0.5)
    assert not sim.sent and _count(hq, tip_inbox) == 1  # taken, and waiting for a relay
    env = {**os.environ, "RAKSHAK_TIPLINE_RUN_RELAY": "1"}
    relay = subprocess.Popen([sys.executable, "-m", "hq", "tipline-relay", "--db", hq.db_url], cwd=ROOT, env=env)
    try:
        sim.wait_sent(1, timeout=30)
        assert "Choose a language" in sim.texts_to(NUMBER)[0]
    finally:
        relay.send_signal(signal.SIGTERM)
        assert relay.wait(timeout=30) == 0


def test_a_question_outside_the_24_hour_window_goes_as_the_approved_template(
    tipline: tuple[WhatsAppSim, HQServer],
) -> None:
    from sqlalchemy import update

    from hq.schema import tip_conversations

    sim, hq = tipline
    _file_english_tip(sim, hq, NUMBER)
    vns = hq.login("demo-vns")
    case_id, _ = _wait_for_case(vns)
    db = hq.database()
    try:
        with db.transaction() as conn:  # the tipster last wrote two days ago
            conn.execute(update(tip_conversations).values(last_inbound_at="2026-01-01T00:00:00.000Z"))
    finally:
        db.dispose()
    r = vns.http.post(f"{API}/tips/{case_id}/questions", json={"text": "Is the shed still in use?"})
    assert r.status_code == 201, r.text
    sent = sim.wait_sent(9)[-1]
    assert sent["type"] == "template" and sent["to"] == NUMBER
    assert sent["template"]["name"] == "tipline_followup" and sent["template"]["language"]["code"] == "en"
    params = sent["template"]["components"][0]["parameters"]
    assert "Is the shed still in use?" in params[0]["text"]
