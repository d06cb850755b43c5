"""HQ signs the events it writes, with a key kept outside its database; consoles receive the signature."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from core.events import Event
from hq import signing
from hq.db import sqlite_url
from tests.fixtures.hq import HQFactory
from tests.fixtures.postgres import free_port
from tests.integration.hq.helpers import ack
from tests.integration.hq.test_cli import hq_cli


def test_signing_key_commands(tmp_path: Path) -> None:
    key = tmp_path / "hq-signing.pem"
    made = hq_cli("admin", "signing-key", "new", str(key))
    assert made.returncode == 0, made.stderr
    public = json.loads(made.stdout)["public_key"]
    shown = hq_cli("admin", "signing-key", "public", str(key))
    assert json.loads(shown.stdout)["public_key"] == public
    again = hq_cli("admin", "signing-key", "new", str(key))
    assert again.returncode == 1 and "never overwritten" in again.stderr
    assert signing.public_text(signing.load_private(key).public_key()) == public
    bad = tmp_path / "bad.pem"
    bad.write_text("nonsense")
    db = ["--db", sqlite_url(tmp_path / "hq.sqlite3")]
    refused = hq_cli("serve", *db, "--port", str(free_port()), "--signing-key", str(bad))
    assert refused.returncode == 2 and "bad.pem" in refused.stderr
    listed = hq_cli("admin", *db, "repair-refused")
    assert listed.returncode == 0 and json.loads(listed.stdout) == []


@pytest.mark.slow
def test_hq_signs_what_it_writes_and_not_what_consoles_push(hq_factory: HQFactory, tmp_path: Path) -> None:
    key = tmp_path / "hq-signing.pem"
    signing.generate(key)
    keys = signing.load(key, None)
    hq = hq_factory("sqlite", mode="process", env={signing.ENV_SIGNING_KEY: str(key)})
    case_id = hq.intake("LKO")
    client = hq.login("demo")
    items, _ = client.pull_all()
    mine = [Event.from_wire(i["event"]) for i in items if i["kind"] == "event" and i["event"]["case_id"] == case_id]
    assert [str(e.type) for e in mine] == ["created", "assigned"]
    assert all(e.signature and keys.verify(e) for e in mine)
    stranger = tmp_path / "stranger.pem"
    signing.generate(stranger)
    acked = ack(client, case_id)  # a console's event, with a signature of its own making
    forged = dataclasses.replace(acked, signature=signing.load(stranger, None).sign(acked))
    assert client.push([forged])["results"][0]["status"] == "accepted"
    items, _ = client.pull_all()
    back = [Event.from_wire(i["event"]) for i in items if i["kind"] == "event" and i["event"]["id"] == acked.id]
    assert len(back) == 1 and back[0].signature is None  # HQ signs only what it writes, keeps no other
