"""``HQClient.ask_tipster`` and ``HQClient.tip_media``: a console's two tip line calls against HQ on
loopback, with the tip line driven by the WhatsApp Cloud API simulator; refusals by scope and role."""

from __future__ import annotations

import hashlib
import time
from typing import Any

import pytest

from core.events import Event, EventType
from sync.client import HQClient
from sync.errors import HQRefused
from tests.fixtures.hq import SEED_USERS
from tests.fixtures.whatsapp_sim import WhatsAppSim, photo_with_gps, whatsapp_sim

__all__ = ["whatsapp_sim"]

NUMBER = "919812345678"


def _file_tip(sim: WhatsAppSim, url: str) -> None:
    flow = [
        sim.text(NUMBER, "Hi"), sim.text(NUMBER, "2"), sim.text(NUMBER, "4"),
        sim.text(NUMBER, "Gambling den every night"), sim.text(NUMBER, "Lanka, Varanasi"),
        sim.text(NUMBER, "After 9 pm"), sim.image(NUMBER, photo_with_gps()), sim.text(NUMBER, "0"),
        sim.text(NUMBER, "yes"),
    ]  # fmt: skip
    for p in flow:
        assert sim.post(url, p).status_code == 200
    sim.wait_sent(9)


def _tip(client: HQClient, token: str) -> Event:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        for item in client.pull(token, 0).items:
            event = item.event
            if event is not None and event.type is EventType.CREATED and event.payload.get("kind") == "tip":
                return event
        time.sleep(0.1)
    raise AssertionError("no tip reached the console's feed")


def _login(client: HQClient, user: str) -> str:
    return client.login(user, SEED_USERS[user], f"dev-{user}", "console").access_token


def test_a_console_asks_a_tipster_and_fetches_the_police_copy_in_its_scope(
    whatsapp_sim: WhatsAppSim, hq_factory: Any
) -> None:
    sim = whatsapp_sim
    hq = hq_factory("sqlite")
    _file_tip(sim, hq.url)
    client = HQClient(hq.url)
    try:
        vns = _login(client, "demo-vns")
        created = _tip(client, vns)
        [photo] = created.payload["tip"]["media"]
        data = client.tip_media(vns, photo["id"])
        assert hashlib.sha256(data).hexdigest() == photo["sha256"] and data.startswith(b"\xff\xd8")
        question = client.ask_tipster(vns, created.case_id, "How many people gather there?")
        assert question.type is EventType.TIP_QUESTION and question.case_id == created.case_id
        assert question.payload == {"text": "How many people gather there?"}
        sim.wait_sent(10)
        assert "How many people gather there?" in sim.texts_to(NUMBER)[-1]

        lko = _login(client, "demo")  # another district: the tip does not exist for it
        with pytest.raises(HQRefused) as refused:
            client.tip_media(lko, photo["id"])
        assert refused.value.status == 404
        with pytest.raises(HQRefused) as refused:
            client.ask_tipster(lko, created.case_id, "?")
        assert refused.value.status == 404
        supervisor = _login(client, "supervisor")  # reads, but never questions a tipster
        with pytest.raises(HQRefused) as refused:
            client.ask_tipster(supervisor, created.case_id, "?")
        assert refused.value.status == 403
    finally:
        client.close()
