from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.settings import BY_NAME, DECLARED, DEFAULTS, HQ_DECLARED, HQSettings, Settings


def test_every_setting_declared_once_with_a_description() -> None:
    assert len(BY_NAME) == len(DECLARED)
    for s in DECLARED:
        assert s.description.strip(), s.name
        assert isinstance(s.default, s.type), s.name


def test_defaults_without_a_file(tmp_path: Path) -> None:
    settings = Settings.load(tmp_path)
    assert settings.get("idle_lock_min") == 15
    assert settings.get("language") == "en"


def test_save_and_load_round_trip(tmp_path: Path) -> None:
    settings = Settings.load(tmp_path)
    settings.set("language", "hi")
    settings.set("retry_cap_s", 3)
    settings.save()
    again = Settings.load(tmp_path)
    assert again.get("language") == "hi"
    assert again.get("retry_cap_s") == 3.0
    assert not (tmp_path / "settings.tmp").exists()


def test_wrong_type_in_file_falls_back_to_default(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    (tmp_path / "settings.json").write_text(json.dumps({"idle_lock_min": "soon", "dispatch_overdue_min": True}))
    settings = Settings.load(tmp_path)
    assert settings.get("idle_lock_min") == 15
    assert settings.get("dispatch_overdue_min") == 10
    assert "not a int" in caplog.text


def test_corrupt_file_gives_defaults(tmp_path: Path) -> None:
    (tmp_path / "settings.json").write_text("{not json")
    assert Settings.load(tmp_path).get("hq_url") == ""


def test_set_rejects_wrong_type(tmp_path: Path) -> None:
    with pytest.raises(TypeError):
        Settings.load(tmp_path).set("idle_lock_min", "15")


def test_every_declared_setting_has_a_typed_property_giving_its_default() -> None:
    settings = Settings()
    for s in DECLARED:
        value = getattr(settings, s.name)
        assert value == s.default and type(value) is s.type, s.name
    assert DEFAULTS.http_timeout_s == BY_NAME["http_timeout_s"].default


def test_typed_property_reads_the_file_and_falls_back_on_a_wrong_type(tmp_path: Path) -> None:
    (tmp_path / "settings.json").write_text(json.dumps({"http_timeout_s": 4, "idle_lock_min": "soon"}))
    settings = Settings.load(tmp_path)
    assert settings.http_timeout_s == 4.0 and isinstance(settings.http_timeout_s, float)
    assert settings.idle_lock_min == 15


def test_hq_settings_come_from_the_environment_when_read(caplog: pytest.LogCaptureFixture) -> None:
    for s in HQ_DECLARED:
        assert s.env and s.description.strip() and isinstance(s.default, s.type), s.name
    assert HQSettings({}).safety_requery_s == 5.0
    assert HQSettings({"RAKSHAK_HQ_SAFETY_REQUERY_S": "600"}).safety_requery_s == 600.0
    assert HQSettings({"RAKSHAK_HQ_SAFETY_REQUERY_S": "soon"}).safety_requery_s == 5.0
    assert "not a float" in caplog.text


def test_hq_waiters_read_the_safety_requery_when_they_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    from hq import db as hq_db

    monkeypatch.setenv("RAKSHAK_HQ_SAFETY_REQUERY_S", "42")
    assert hq_db._safety_requery_s() == 42.0
    monkeypatch.delenv("RAKSHAK_HQ_SAFETY_REQUERY_S")
    assert hq_db._safety_requery_s() == 5.0


def test_the_sync_client_defaults_to_the_declared_timeout() -> None:
    import inspect

    from sync.client import HQClient
    from sync.session import Session

    for cls in (HQClient, Session):
        assert inspect.signature(cls.__init__).parameters["timeout_s"].default == BY_NAME["http_timeout_s"].default
