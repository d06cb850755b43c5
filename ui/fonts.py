"""Fonts shipped with the client, and where bundled resources live.

Hindi must render on a control-room PC that has no Devanagari font installed (a stock Windows
image often has only Nirmala UI or nothing usable; a minimal Linux has only DejaVu, where Hindi
becomes empty boxes). The client therefore ships Noto Sans Devanagari (SIL OFL 1.1, licence in
``resources/fonts/OFL.txt``) and registers it with Qt at start-up and appends it to the application font's family list
(``QFont.setFamilies``), so text in any widget that inherits the application font falls back to it
for characters the first family lacks. (PySide6 6.12 does not expose
``QFontDatabase.addApplicationFallbackFontFamily``; QChar.Script is not bound.)
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication

log = logging.getLogger(__name__)

DEVANAGARI_FAMILY = "Noto Sans Devanagari"
FONT_FILES = ("NotoSansDevanagari-Regular.ttf", "NotoSansDevanagari-Bold.ttf")


def resource_path(*parts: str) -> Path:
    """Absolute path of a file under ``resources/``, from a source tree or a PyInstaller bundle.

    In a bundle, PyInstaller unpacks data to ``sys._MEIPASS``; the spec must add the
    ``resources`` folder as ``("resources", "resources")``.
    """
    bundle = getattr(sys, "_MEIPASS", None)
    base = Path(bundle) / "resources" if bundle else Path(__file__).resolve().parent.parent / "resources"
    return base.joinpath(*parts)


def load_fonts(app: QGuiApplication) -> list[str]:
    """Register the shipped fonts and make Devanagari fall back to them. Returns the families added.

    Call once, after the QApplication exists and before building widgets. A missing or unreadable
    font file is logged as an error and skipped: Hindi may then show boxes, English still works.
    """
    families: list[str] = []
    for name in FONT_FILES:
        path = resource_path("fonts", name)
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id < 0:
            log.error("cannot load font %s", path)
            continue
        for family in QFontDatabase.applicationFontFamilies(font_id):
            if family not in families:
                families.append(family)
    if DEVANAGARI_FAMILY in families:
        font = QFont(app.font())
        base = [f for f in font.families() if f != DEVANAGARI_FAMILY] or [font.family()]
        font.setFamilies([*base, DEVANAGARI_FAMILY])
        app.setFont(font)
    return families
