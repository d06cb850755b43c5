"""Password hashes cost what the ``password_hash_profile`` setting says; the default is argon2-cffi's own
(RFC 9106 low-memory: argon2id, 3 passes over 64 MiB, 4 lanes). The test suite runs with the cheapest
profile (tests/conftest.py), so this file checks the production default explicitly."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher, profiles

from core.settings import HQSettings
from hq import security


def test_the_production_default_is_argon2_cffis_own_cost() -> None:
    assert HQSettings({}).password_hash_profile == "RFC_9106_LOW_MEMORY"
    hasher = security.password_hasher(HQSettings({}).password_hash_profile)
    default = PasswordHasher()
    assert (hasher.time_cost, hasher.memory_cost, hasher.parallelism) == (3, 65536, 4)
    assert (hasher.time_cost, hasher.memory_cost, hasher.parallelism, hasher.hash_len, hasher.salt_len) == (
        default.time_cost, default.memory_cost, default.parallelism, default.hash_len, default.salt_len
    )
    made = hasher.hash("correct horse")
    assert made.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert hasher.verify(made, "correct horse")


def test_an_unknown_profile_name_gets_the_default_not_a_cheaper_one() -> None:
    setting = HQSettings({"RAKSHAK_HQ_PASSWORD_HASH_PROFILE": "fast please"}).password_hash_profile
    hasher = security.password_hasher(setting)
    assert (hasher.time_cost, hasher.memory_cost, hasher.parallelism) == (3, 65536, 4)


def test_a_hash_is_verified_with_the_cost_it_was_made_with() -> None:
    """Lowering or raising the setting never locks out a user whose hash was made at another cost."""
    cheap = security.password_hasher("CHEAPEST")
    full = security.password_hasher("RFC_9106_LOW_MEMORY")
    full_hash = full.hash("s3cret")
    assert cheap.verify(full_hash, "s3cret")
    assert full.verify(cheap.hash("s3cret"), "s3cret")


def test_the_service_hashes_at_the_setting_read_when_first_used(monkeypatch: pytest.MonkeyPatch) -> None:
    cheapest = profiles.CHEAPEST
    monkeypatch.setenv("RAKSHAK_HQ_PASSWORD_HASH_PROFILE", "CHEAPEST")
    security._hasher.cache_clear()
    security._dummy_hash.cache_clear()
    try:
        made = security.hash_password("pw")
        cost = f"m={cheapest.memory_cost},t={cheapest.time_cost},p={cheapest.parallelism}"
        assert made.startswith(f"$argon2id$v=19${cost}$")
        assert security.verify_password(made, "pw") and not security.verify_password(made, "other")
        assert not security.verify_password(None, "pw")  # an unknown user: one verification, refused
    finally:
        security._hasher.cache_clear()
        security._dummy_hash.cache_clear()
