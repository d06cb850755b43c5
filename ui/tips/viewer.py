"""Shows one tip media file: a photo in a dialog, a voice note or video played with ``QMediaPlayer``.

The file is the police copy (metadata removed) that ``ui.operations.tips.fetch_tip_media`` wrote to
a private temporary file; the viewer owns it and deletes it when it closes (a photo is read into
memory at once and its file deleted then). Nothing of a tip is left on the disk after viewing.

Threading: GUI thread only.
"""

from __future__ import annotations

import logging
import os

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QPixmap
from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer
from PySide6.QtMultimediaWidgets import QVideoWidget
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

log = logging.getLogger(__name__)

SUFFIX = {"image": ".jpg", "audio": ".ogg", "video": ".mp4"}
MIME_SUFFIX = {
    "image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp", "audio/ogg": ".ogg", "audio/mpeg": ".mp3",
    "audio/mp4": ".m4a", "audio/aac": ".aac", "audio/amr": ".amr", "video/mp4": ".mp4", "video/3gpp": ".3gp",
    "video/quicktime": ".mov",
}  # fmt: skip
MAX_IMAGE_PX = 900


def suffix_for(media: dict[str, object]) -> str:
    """A file name ending the player recognises, from the media's MIME type, else its kind."""
    return MIME_SUFFIX.get(str(media.get("mime") or ""), SUFFIX.get(str(media.get("kind")), ".bin"))


def remove_quietly(path: str) -> None:
    try:
        os.remove(path)
    except FileNotFoundError:
        pass
    except OSError as exc:
        log.warning("a tip media temporary file could not be deleted: %s", exc.__class__.__name__)


class MediaViewer(QDialog):
    """One file of a tip. ``path`` is deleted when the dialog is destroyed (or at once for a photo)."""

    def __init__(self, path: str, kind: str, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tip-media-viewer")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self.setWindowTitle(title)
        self.path = path
        self.kind = kind
        self.player: QMediaPlayer | None = None
        self.image = QLabel()
        self.image.setObjectName("tip-media-image")
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        if kind == "image":
            pixmap = QPixmap(path)
            remove_quietly(path)
            if pixmap.isNull():
                self.image.setText(self.tr("This photo cannot be shown."))
            else:
                self.image.setPixmap(
                    pixmap.scaled(MAX_IMAGE_PX, MAX_IMAGE_PX, Qt.AspectRatioMode.KeepAspectRatio,
                                  Qt.TransformationMode.SmoothTransformation)
                    if max(pixmap.width(), pixmap.height()) > MAX_IMAGE_PX else pixmap
                )
            layout.addWidget(self.image, 1)
        else:
            self.player = QMediaPlayer(self)
            self.audio = QAudioOutput(self)
            self.player.setAudioOutput(self.audio)
            if kind == "video":
                self.video = QVideoWidget(self)
                self.video.setMinimumSize(480, 320)
                self.player.setVideoOutput(self.video)
                layout.addWidget(self.video, 1)
            else:
                self.image.setText(self.tr("Voice note / audio"))
                layout.addWidget(self.image)
            self.player.setSource(QUrl.fromLocalFile(path))
            controls = QHBoxLayout()
            self.play_button = QPushButton(self.tr("Play"))
            self.play_button.setObjectName("tip-media-play")
            self.play_button.clicked.connect(self.player.play)
            self.pause_button = QPushButton(self.tr("Pause"))
            self.pause_button.clicked.connect(self.player.pause)
            controls.addWidget(self.play_button)
            controls.addWidget(self.pause_button)
            controls.addStretch(1)
            layout.addLayout(controls)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        if close is not None:
            close.setText(self.tr("Close"))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.finished.connect(self._release)

    def _release(self, _result: int = 0) -> None:
        """Stop playing and delete the file (the player lets go of it first)."""
        if self.player is not None:
            self.player.stop()
            self.player.setSource(QUrl())
        remove_quietly(self.path)
