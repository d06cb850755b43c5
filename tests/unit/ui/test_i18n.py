"""Translations: the shipped Hindi .qm loads and translates; the alarm's strings are all translated and current."""

from __future__ import annotations

import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from ui.alarm import AlarmBanner, MuteDialog, NoAudioWarning
from ui.fonts import resource_path
from ui.i18n import available_languages, install_translator, qm_path

REPO = Path(__file__).resolve().parents[3]
TS = resource_path("i18n", "rakshak_hi.ts")
ALARM_CONTEXTS = {"AlarmBanner", "NoAudioWarning", "MuteDialog", "Attention"}
ALARM_SOURCES = sorted(str(p) for p in (REPO / "ui" / "alarm").glob("*.py"))


def messages(ts: Path) -> dict[tuple[str, str], ET.Element]:
    out = {}
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            out[(name, message.findtext("source") or "")] = message.find("translation")
    return out  # type: ignore[return-value]


@pytest.fixture
def hindi(qtbot: QtBot) -> Iterator[QApplication]:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    assert install_translator(app, "hi") is not None
    yield app
    install_translator(app, "en")


def test_hindi_is_offered_because_its_qm_ships() -> None:
    assert qm_path("hi").is_file()
    assert available_languages() == {"en": "English", "hi": "हिन्दी"}


def test_hindi_translates_a_known_string_and_english_restores(hindi: QApplication) -> None:
    assert QCoreApplication.translate("AlarmBanner", "Acknowledge (Ctrl+K)") == "स्वीकार करें (Ctrl+K)"
    install_translator(hindi, "en")
    assert QCoreApplication.translate("AlarmBanner", "Acknowledge (Ctrl+K)") == "Acknowledge (Ctrl+K)"


def test_alarm_widgets_speak_hindi(hindi: QApplication, qtbot: QtBot) -> None:
    banner = AlarmBanner()
    warning = NoAudioWarning()
    dialog = MuteDialog("P1")
    for widget in (banner, warning, dialog):
        qtbot.addWidget(widget)
    assert banner.ack_button.text() == "स्वीकार करें (Ctrl+K)"
    assert warning.title.text().startswith("अलार्म नहीं बज सकता")
    assert dialog.ok_button().text() == "मौन करें"
    assert dialog.windowTitle() == "अलार्म मौन करें"


def test_unknown_or_english_language_installs_nothing(qtbot: QtBot) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    assert install_translator(app, "en") is None
    assert install_translator(app, "xx") is None
    assert QCoreApplication.translate("AlarmBanner", "Open case") == "Open case"


def test_every_alarm_string_has_a_hindi_translation_with_its_placeholders() -> None:
    shipped = {k: v for k, v in messages(TS).items() if k[0] in ALARM_CONTEXTS}
    assert len(shipped) >= 20
    for (context, source), translation in shipped.items():
        assert translation is not None
        assert translation.get("type") is None, f"{context}: {source!r} is {translation.get('type')}"
        text = translation.text or ""
        assert text.strip(), f"{context}: {source!r} has no Hindi"
        for placeholder in ("%1", "%2"):
            assert (placeholder in source) == (placeholder in text), (context, source, text)


def test_the_ts_holds_every_current_alarm_string(tmp_path: Path) -> None:
    """A string added to ui/alarm without running scripts/i18n.sh would show in English: catch it."""
    fresh = tmp_path / "fresh.ts"
    subprocess.run(
        [str(REPO / ".venv/bin/pyside6-lupdate"), "-silent", "-locations", "none", *ALARM_SOURCES, "-ts", str(fresh)],
        check=True,
        timeout=60,
    )
    current = {k for k in messages(fresh) if k[0] in ALARM_CONTEXTS}
    shipped = {k for k in messages(TS) if k[0] in ALARM_CONTEXTS}
    assert current - shipped == set(), "run scripts/i18n.sh and translate the new strings"


def test_the_shipped_qm_is_compiled_from_the_shipped_ts(tmp_path: Path) -> None:
    rebuilt = tmp_path / "rakshak_hi.qm"
    subprocess.run(
        [str(REPO / ".venv/bin/pyside6-lrelease"), "-silent", str(TS), "-qm", str(rebuilt)], check=True, timeout=60
    )
    assert rebuilt.read_bytes() == qm_path("hi").read_bytes(), "run scripts/i18n.sh to recompile the .qm"
