"""The sealed identity (hq.tipline.identity) and the webhook's signature check."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from hq.tipline.identity import IdentityError, Sealer, new_receipt_code, normalise_number
from hq.tipline.settings import TiplineConfigError, TiplineSettings
from hq.tipline.webhook import parse_notification, signature_ok
from tests.fixtures.whatsapp_sim import WhatsAppSim

KEYS = Sealer(seal_key=bytes(range(32)), pseudonym_key=bytes(range(32, 64)))


def test_pseudonyms_and_refs_are_keyed_and_stable() -> None:
    e164 = normalise_number("919876543210")
    assert e164 == "+919876543210"
    assert KEYS.pseudonym(e164) == KEYS.pseudonym(e164) and KEYS.pseudonym(e164).startswith("Tipster ")
    other_key = Sealer(seal_key=bytes(32), pseudonym_key=bytes(32))
    assert other_key.pseudonym(e164) != KEYS.pseudonym(e164) or other_key.sender_ref(e164) != KEYS.sender_ref(e164)
    unkeyed = {hashlib.sha256(e164.encode()).hexdigest(), hashlib.sha256(b"919876543210").hexdigest()}
    assert KEYS.sender_ref(e164) not in unkeyed
    with pytest.raises(IdentityError):
        normalise_number("not-a-number")


def test_a_sealed_number_opens_only_with_the_key_for_its_row() -> None:
    sealed = KEYS.seal(b"+919876543210", "ref-a")
    assert b"9876543210" not in sealed and KEYS.unseal(sealed, "ref-a") == b"+919876543210"
    with pytest.raises(IdentityError):
        KEYS.unseal(sealed, "ref-b")
    with pytest.raises(IdentityError):
        Sealer(seal_key=bytes(32), pseudonym_key=bytes(32)).unseal(sealed, "ref-a")


def test_receipt_codes_are_random_and_only_their_keyed_hash_is_comparable() -> None:
    a, b = new_receipt_code(), new_receipt_code()
    assert a != b and len(a) == 14
    assert KEYS.receipt_hash(a) == KEYS.receipt_hash(a.lower().replace("-", " "))
    assert a not in KEYS.receipt_hash(a)


def test_the_signature_is_an_hmac_of_the_raw_body() -> None:
    raw = b'{"object":"whatsapp_business_account"}'
    good = "sha256=" + hmac.new(b"secret", raw, hashlib.sha256).hexdigest()
    assert signature_ok(b"secret", raw, good) is None
    assert signature_ok(b"secret", raw + b" ", good) == "mismatch"
    assert signature_ok(b"other", raw, good) == "mismatch"
    assert signature_ok(b"secret", raw, None) == "missing"
    assert signature_ok(b"secret", raw, "sha1=abc") == "malformed"


def test_parsing_keeps_messages_and_drops_statuses_reactions_and_profile_names() -> None:
    sim = WhatsAppSim()
    items = parse_notification(sim.text("919876543210", "hello"))
    assert len(items) == 1 and items[0].body == {"kind": "text", "text": "hello"}
    assert "Ramesh" not in repr(items)
    assert parse_notification(sim.status("919876543210")) == []
    assert parse_notification(sim.reaction("919876543210", "wamid.x")) == []
    assert parse_notification({"object": "page"}) == [] and parse_notification([1, 2]) == []


def test_settings_need_every_secret_and_refuse_malformed_keys() -> None:
    assert TiplineSettings.from_env({}) is None
    env = WhatsAppSim().env(GRAPH_URL="http://127.0.0.1:9/v21.0")
    settings = TiplineSettings.from_env(env)
    assert settings is not None and "secret" not in repr(settings).lower().replace("app_secret", "")
    assert env["RAKSHAK_TIPLINE_SEAL_KEY"] not in repr(settings)
    with pytest.raises(TiplineConfigError):
        TiplineSettings.from_env(env | {"RAKSHAK_TIPLINE_SEAL_KEY": "abcd"})
    with pytest.raises(TiplineConfigError):
        TiplineSettings.from_env({k: v for k, v in env.items() if not k.endswith("MEDIA_KEY")})
