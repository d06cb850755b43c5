"""The HQ board's soft notification: a two-note chime when a district crosses into an alert.

Not the siren (``ui.alarm.sound``): the siren means "a life, now" and rings until someone acts; the
chime means "look at the board" and plays once. One ``QSoundEffect``, created and loaded with the
window (before any alarm can start: ``ui.alarm.sound`` explains why two players must never load
while the siren starts), reused for every chime. A chime that cannot play (no audio output) is
counted in ``failed`` and logged; the board's colour still shows the district.

Threading: GUI thread only.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, QUrl
from PySide6.QtMultimedia import QSoundEffect

from ui.fonts import resource_path

log = logging.getLogger(__name__)

NOTIFY_WAV = ("sounds", "notify.wav")
CHIME_VOLUME = 0.6


class BoardChime(QObject):
    def __init__(self, wav: Path | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.played = 0
        self.failed = 0
        self._effect = QSoundEffect(self)
        self._effect.setSource(QUrl.fromLocalFile(str(wav or resource_path(*NOTIFY_WAV))))
        self._effect.setLoopCount(1)
        self._effect.setVolume(CHIME_VOLUME)

    def play(self) -> bool:
        """Chime once; False (logged) when the sound cannot play."""
        if self._effect.status() == QSoundEffect.Status.Error:
            self.failed += 1
            log.warning("the board's chime cannot play (no audio output or an unreadable sound file)")
            return False
        self._effect.play()
        self.played += 1
        return True

    def stop(self) -> None:
        self._effect.stop()
