"""A place in the case's detail pane: its words, its coordinates to copy, and a map link
(``LocationBox``: the alert's probable location and the traced one)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from ui.entry_text import coords_text, map_link


class LocationBox(QGroupBox):
    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.place = QLabel()
        self.place.setWordWrap(True)
        self.place.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.coords = QLineEdit()
        self.coords.setReadOnly(True)
        self.coords.setMinimumWidth(260)
        self.coords.setAccessibleName(title + " — " + self.tr("coordinates"))
        self.copy = QPushButton(self.tr("Copy"))
        self.copy.setAccessibleName(self.tr("Copy coordinates"))
        self.copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(self.coords.text()))
        self.link = QLabel()
        self.link.setOpenExternalLinks(True)
        self.link.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        row = QHBoxLayout()
        row.addWidget(self.coords, 1)
        row.addWidget(self.copy)
        row.addWidget(self.link)
        layout = QVBoxLayout(self)
        layout.addWidget(self.place)
        layout.addLayout(row)

    def show_location(self, location: Any, extra: str = "") -> None:
        loc = location if isinstance(location, dict) else {}
        text = str(loc.get("text") or "")
        self.place.setText(" — ".join(x for x in (text, extra) if x) or self.tr("not known yet"))
        self.coords.setText(coords_text(loc))
        url = map_link(loc)
        self.coords.setVisible(bool(url))
        self.copy.setVisible(bool(url))
        label = self.tr("Open in map")
        self.link.setText(f'<a href="{url}">{label}</a>' if url else "")
        self.link.setToolTip(url or "")
