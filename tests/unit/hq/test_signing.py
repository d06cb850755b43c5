"""HQ's Ed25519 signatures of the events it writes (hq.signing) and the envelope field that carries them."""

from __future__ import annotations

import dataclasses
import json
import stat
from pathlib import Path

import pytest

from core.errors import InvalidEvent
from core.events import Event
from hq import signing
from tests.unit.core.conftest import EventMaker


def _keys(tmp_path: Path, name: str = "hq.key", trusted: list[str] | None = None) -> signing.Keys:
    key = tmp_path / name
    signing.generate(key)
    listed = None
    if trusted is not None:
        listed = tmp_path / f"{name}.trusted"
        listed.write_text("# earlier keys\n\n" + "\n".join(trusted) + "\n")
    return signing.load(key, listed)


def test_a_signed_event_verifies_and_any_change_to_its_content_does_not(tmp_path: Path) -> None:
    keys = _keys(tmp_path)
    created = EventMaker("hq").created()
    sig = keys.sign(created)
    assert sig is not None and sig.startswith("ed25519:")
    signed = dataclasses.replace(created, signature=sig)
    assert keys.verify(signed)
    assert signed == created and signed.content_key() == created.content_key()  # an envelope field
    tampered = dataclasses.replace(signed, payload={**signed.payload, "summary": "changed"})
    assert not keys.verify(tampered)
    assert not keys.verify(dataclasses.replace(signed, author_id="someone-else"))
    assert not keys.verify(created)  # unsigned
    assert not keys.verify(dataclasses.replace(signed, signature=sig[:-4] + "AAA="))
    assert not keys.verify(dataclasses.replace(signed, signature="ed25519:0000000000000000:" + sig.split(":")[2]))
    assert not keys.verify(dataclasses.replace(signed, signature="rsa:x:y"))


def test_another_hqs_key_is_not_trusted_but_a_listed_earlier_key_is(tmp_path: Path) -> None:
    old = _keys(tmp_path, "old.key")
    stranger = _keys(tmp_path, "stranger.key")
    assert old.private is not None
    new = _keys(tmp_path, "new.key", trusted=[signing.public_text(old.private.public_key())])
    event = EventMaker("hq").created()
    by_old = dataclasses.replace(event, signature=old.sign(event))
    by_stranger = dataclasses.replace(event, signature=stranger.sign(event))
    assert new.verify(by_old)  # rotated: the old key still verifies what it signed
    assert not new.verify(by_stranger)
    assert new.sign(event) != by_old.signature  # but new events are signed by the new key
    verify_only = signing.load(None, tmp_path / "new.key.trusted")
    assert verify_only.sign(event) is None and verify_only.verify(by_old)


def test_a_new_key_file_is_private_and_never_overwritten(tmp_path: Path) -> None:
    key = tmp_path / "hq.key"
    public = signing.generate(key)
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert signing.public_text(signing.load_private(key).public_key()) == public
    before = key.read_bytes()
    with pytest.raises(FileExistsError):
        signing.generate(key)
    assert key.read_bytes() == before


def test_bad_key_files_are_refused_with_the_file_named(tmp_path: Path) -> None:
    bad = tmp_path / "bad.key"
    bad.write_text("not a key")
    with pytest.raises(signing.SigningKeyError, match=r"bad\.key"):
        signing.load(bad, None)
    listed = tmp_path / "trusted"
    listed.write_text("AAAA\n")
    with pytest.raises(signing.SigningKeyError, match="line 1"):
        signing.load(None, listed)
    with pytest.raises(signing.SigningKeyError, match="missing"):
        signing.load(tmp_path / "missing", None)


def test_current_follows_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(signing.ENV_SIGNING_KEY, raising=False)
    monkeypatch.delenv(signing.ENV_TRUSTED_KEYS, raising=False)
    event = EventMaker("hq").created()
    assert signing.sign(event) is None
    key = tmp_path / "hq.key"
    signing.generate(key)
    monkeypatch.setenv(signing.ENV_SIGNING_KEY, str(key))
    sig = signing.sign(event)
    assert sig is not None and signing.load(key, None).verify(dataclasses.replace(event, signature=sig))


def test_the_signature_travels_on_the_wire_and_is_checked(tmp_path: Path) -> None:
    keys = _keys(tmp_path)
    event = EventMaker("hq").created().with_seq(7)
    signed = dataclasses.replace(event, signature=keys.sign(event))
    wire = json.loads(json.dumps(signed.to_wire()))
    assert wire["signature"] == signed.signature
    back = Event.from_wire(wire)
    assert back.signature == signed.signature and keys.verify(back)
    assert "signature" not in json.loads(signed.content_key())
    assert "signature" not in event.to_wire()  # absent, not null, on unsigned events
    for bad in (5, "", "x" * 1000):
        with pytest.raises(InvalidEvent, match=r"event\.signature"):
            Event.from_wire({**wire, "signature": bad})
