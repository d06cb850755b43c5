"""User-interface language: Qt ``.ts`` sources compiled to ``.qm``, installed with a QTranslator.

Pipeline (``scripts/i18n.sh``): ``pyside6-lupdate`` extracts every ``self.tr(...)`` /
``QCoreApplication.translate(...)`` string under ``ui/`` into ``resources/i18n/rakshak_<lang>.ts``
(existing translations are kept); translators fill the ``.ts`` (Qt Linguist or a text editor);
``pyside6-lrelease`` compiles ``rakshak_<lang>.qm``, which is committed and shipped. English is
the source language and needs no file. A string without a translation shows in English.

Strings built with placeholders use Qt's ``%1``/``%2`` in the source text and ``str.replace`` after
``tr`` (PySide's ``tr`` has no ``arg``), so translators can move the placeholder within the sentence.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

from ui.fonts import resource_path

log = logging.getLogger(__name__)

SOURCE_LANGUAGE = "en"
# Languages the client knows how to name; one is offered only if its .qm is shipped (English always).
LANGUAGE_NAMES: dict[str, str] = {"en": "English", "hi": "हिन्दी"}
QM_PREFIX = "rakshak_"

_installed: list[QTranslator] = []


def qm_path(lang: str) -> Path:
    return resource_path("i18n", f"{QM_PREFIX}{lang}.qm")


def available_languages() -> dict[str, str]:
    """Language code -> name in that language, for the settings menu. English is always first."""
    out = {SOURCE_LANGUAGE: LANGUAGE_NAMES[SOURCE_LANGUAGE]}
    for code, name in LANGUAGE_NAMES.items():
        if code != SOURCE_LANGUAGE and qm_path(code).is_file():
            out[code] = name
    return out


def install_translator(app: QCoreApplication, lang: str) -> QTranslator | None:
    """Switch the UI to ``lang``. Removes a translator this function installed before.

    Returns the installed translator, or None for English or when the ``.qm`` cannot be loaded
    (logged as an error; the UI then stays English rather than failing to start). Widgets
    created afterwards are translated; existing ones need ``changeEvent(LanguageChange)``
    handling to retranslate, so prefer choosing the language before building the window.
    """
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    if lang == SOURCE_LANGUAGE:
        QLocale.setDefault(QLocale("en_IN"))
        return None
    if lang not in LANGUAGE_NAMES:
        log.error("unknown user interface language %r; staying in English", lang)
        return None
    translator = QTranslator(app)
    path = qm_path(lang)
    if not translator.load(str(path)):
        log.error("cannot load translations %s; staying in English", path)
        return None
    app.installTranslator(translator)
    _installed.append(translator)
    QLocale.setDefault(QLocale(lang))
    return translator


__all__ = ["available_languages", "install_translator", "qm_path", "resource_path"]
