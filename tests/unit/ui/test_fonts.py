"""Hindi renders from the shipped font, including on a machine that has no Devanagari font at all."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication, QTextLayout
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from ui.fonts import DEVANAGARI_FAMILY, FONT_FILES, load_fonts, resource_path

REPO = Path(__file__).resolve().parents[3]
HINDI = "आत्महत्या-जोखिम अलर्ट — अभी स्वीकार करें"
CONJUNCT = "क्ष"  # KA + VIRAMA + SSA: one ligature glyph when OpenType shaping works


def glyph_report(text: str, font: QFont) -> dict[str, object]:
    """Which font each run of ``text`` was drawn with, and whether any glyph is .notdef (a box)."""
    layout = QTextLayout(text, font)
    layout.beginLayout()
    layout.createLine()
    layout.endLayout()
    runs = layout.glyphRuns()
    families = sorted({run.rawFont().familyName() for run in runs})
    glyphs = [g for run in runs for g in run.glyphIndexes()]
    return {"families": families, "glyphs": len(glyphs), "notdef": glyphs.count(0)}


@pytest.fixture
def app_font(qtbot: QtBot) -> Iterator[QApplication]:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    saved = QFont(app.font())
    yield app
    app.setFont(saved)


def test_resource_path_works_from_source_and_from_a_pyinstaller_bundle(monkeypatch: pytest.MonkeyPatch) -> None:
    assert resource_path("fonts", FONT_FILES[0]).is_file()
    assert resource_path("sounds", "alarm.wav").is_file()
    monkeypatch.setattr(sys, "_MEIPASS", "/opt/rakshak/_internal", raising=False)
    assert resource_path("i18n", "rakshak_hi.qm") == Path("/opt/rakshak/_internal/resources/i18n/rakshak_hi.qm")


def test_licence_ships_with_the_font() -> None:
    licence = resource_path("fonts", "OFL.txt").read_text(encoding="utf-8")
    assert "SIL Open Font License" in licence and "Noto Sans Devanagari" in licence


def test_load_fonts_registers_devanagari_and_the_app_font_falls_back_to_it(app_font: QApplication) -> None:
    families = load_fonts(app_font)
    assert DEVANAGARI_FAMILY in families
    assert DEVANAGARI_FAMILY in QFontDatabase.families(QFontDatabase.WritingSystem.Devanagari)
    assert app_font.font().families()[-1] == DEVANAGARI_FAMILY
    report = glyph_report(HINDI, app_font.font())
    assert report["notdef"] == 0, report
    assert DEVANAGARI_FAMILY in report["families"], report  # type: ignore[operator]
    # Shaping: the conjunct is one glyph (ligature), not three boxes or three loose letters.
    assert glyph_report(CONJUNCT, app_font.font())["glyphs"] == 1
    load_fonts(app_font)  # idempotent: no duplicate fallback
    assert app_font.font().families().count(DEVANAGARI_FAMILY) == 1


PROBE = textwrap.dedent(
    """
    import json, sys
    from PySide6.QtGui import QFontDatabase, QGuiApplication, QTextLayout
    app = QGuiApplication([])
    if sys.argv[1] == "load":
        from ui.fonts import load_fonts
        load_fonts(app)
    layout = QTextLayout(sys.argv[2], app.font())
    layout.beginLayout(); layout.createLine(); layout.endLayout()
    runs = layout.glyphRuns()
    def family(run):
        # Qt's box font (family "", no style) claims every character; Qt 6.11 crashes in its familyName().
        raw = run.rawFont()
        return raw.familyName() if raw.styleName() else ""
    # A run drawn in a font that does not declare Devanagari is boxes.
    deva = set(QFontDatabase.families(QFontDatabase.WritingSystem.Devanagari))
    supported = bool(runs) and all(
        family(r) in deva for r in runs if any("\u0900" <= c <= "\u097f" for c in sys.argv[2])
    )
    glyphs = [g for run in runs for g in run.glyphIndexes()]
    print(json.dumps({"families": sorted({family(r) for r in runs}), "supported": supported, "glyphs": glyphs}))
    """
)


def run_probe(mode: str, tmp_path: Path) -> dict[str, object]:
    """A fresh process whose fontconfig sees only DejaVu: a control-room PC with no Hindi font."""
    conf = tmp_path / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n<fontconfig>\n'
        f"  <dir>/usr/share/fonts/truetype/dejavu</dir>\n  <cachedir>{tmp_path / 'fc-cache'}</cachedir>\n"
        "</fontconfig>\n",
        encoding="utf-8",
    )
    env = {**os.environ, "FONTCONFIG_FILE": str(conf), "PYTHONPATH": str(REPO), "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, mode, HINDI], env=env, capture_output=True, text=True, timeout=60, cwd=REPO
    )
    assert proc.returncode == 0, proc.stderr
    result: dict[str, object] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def test_on_a_machine_without_a_hindi_font_the_shipped_font_makes_the_difference(tmp_path: Path) -> None:
    bare = run_probe("bare", tmp_path)
    loaded = run_probe("load", tmp_path)
    # Control: without load_fonts this "machine" draws boxes (the test can fail).
    assert bare["supported"] is False, bare
    assert DEVANAGARI_FAMILY not in bare["families"]  # type: ignore[operator]
    # With the shipped font: every Devanagari character has a real glyph.
    assert loaded["supported"] is True, loaded
    assert DEVANAGARI_FAMILY in loaded["families"]  # type: ignore[operator]
    assert 0 not in loaded["glyphs"]  # type: ignore[operator]
    assert len(set(loaded["glyphs"])) > 10  # type: ignore[arg-type]  # real letters, not one box repeated
    assert len(set(bare["glyphs"])) <= 2  # type: ignore[arg-type]


def test_hindi_paints_pixels(app_font: QApplication) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QColor, QImage, QPainter

    load_fonts(app_font)
    image = QImage(600, 60, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setFont(app_font.font())
    painter.setPen(QColor("black"))
    painter.drawText(image.rect(), Qt.AlignmentFlag.AlignCenter, HINDI)
    painter.end()
    dark = sum(1 for x in range(0, 600, 2) for y in range(0, 60, 2) if QColor(image.pixel(x, y)).lightness() < 128)
    assert dark > 100, dark
    assert isinstance(QGuiApplication.instance(), QApplication)
