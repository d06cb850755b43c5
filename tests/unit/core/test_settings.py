from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.settings import BY_NAME, DECLARED, Settings


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
