"""The mailbox strip above the board: the health of each mailbox HQ reads Meta's e-mailed alerts
from (``Board.mailboxes``): when its server last answered, when a run last ended well, the last
error and when. A mailbox is shown red when its server has not answered for ``STALE_S`` seconds or
its last error is newer than its last good fetch (``mailbox_trouble``): alerts may be waiting there
that nobody at HQ will see.

Threading: GUI thread only; it paints what the board's fetch brought, with no fetch of its own.
"""

from __future__ import annotations

import enum
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QWidget

if TYPE_CHECKING:
    from sync.wire import Board, BoardMailbox

# The worker polls every 15 s, or IDLEs: Dovecot's keep-alive counts as contact every two minutes,
# and every IDLE is renewed after ``idle_renew_s`` (10 min), which is a run. A quiet server without
# keep-alives is thus heard from every 10 minutes: past 15, the mailbox is no longer being read.
STALE_S = 900
RED = "background: #8b0000; color: white; font-weight: bold; padding: 2px 6px;"
OK = "background: #e6f2e6; color: #1b4d1b; padding: 2px 6px;"
NONE = "color: #555; padding: 2px 6px;"


class Trouble(enum.StrEnum):
    NONE = ""
    NEVER = "never"  # the server has never answered
    STALE = "stale"  # no answer for STALE_S
    FAILING = "failing"  # the last error is newer than the last good fetch


def mailbox_trouble(m: BoardMailbox, now: datetime, stale_s: float = STALE_S) -> Trouble:
    """What is wrong with a mailbox at ``now`` (HQ's clock, the board's ``as_of``), worst first."""
    if m.last_contact_at is None:
        return Trouble.NEVER
    if m.failing or (m.last_error_at is not None and (m.last_fetch_at is None or m.last_error_at > m.last_fetch_at)):
        return Trouble.FAILING
    if now - m.last_contact_at > timedelta(seconds=stale_s):
        return Trouble.STALE
    return Trouble.NONE


def _clock(when: datetime | None) -> str:
    return when.astimezone().strftime("%H:%M:%S") if when is not None else "—"


def mailbox_text(m: BoardMailbox, trouble: Trouble) -> str:
    """One mailbox's line: its name, then what is wrong (first, so a narrow strip still shows it),
    then the last contact and the last good fetch."""
    parts = [QCoreApplication.translate("MailboxStrip", "Mailbox %1").replace("%1", m.mailbox)]
    if trouble is Trouble.NEVER:
        parts.append(QCoreApplication.translate("MailboxStrip", "HQ has never reached it"))
    elif trouble is Trouble.STALE:
        text = QCoreApplication.translate("MailboxStrip", "no answer for over %1 min")
        parts.append(text.replace("%1", str(STALE_S // 60)))
    if m.last_error_at is not None and trouble is not Trouble.NONE:
        error = (m.last_error or "").splitlines()[0][:80] if m.last_error else ""
        text = QCoreApplication.translate("MailboxStrip", "error at %1: %2")
        parts.append(text.replace("%1", _clock(m.last_error_at)).replace("%2", error))
    text = QCoreApplication.translate("MailboxStrip", "contact %1 · fetched %2")
    parts.append(text.replace("%1", _clock(m.last_contact_at)).replace("%2", _clock(m.last_fetch_at)))
    return " · ".join(parts)


class MailboxStrip(QWidget):
    """One label per mailbox, in a row above the board; red when it is in trouble."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mailbox-strip")
        self.setAccessibleName(self.tr("Mailbox health"))
        self._row = QHBoxLayout(self)
        self._row.setContentsMargins(0, 0, 0, 0)
        self.labels: list[QLabel] = []
        self.troubles: dict[str, Trouble] = {}
        self.hide()  # until the first board arrives

    def set_board(self, board: Board) -> None:
        while self._row.count():
            item = self._row.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.labels = []
        self.troubles = {}
        if not board.mailboxes:
            self._add(self.tr("No mailbox has been read at HQ yet."), NONE, "", 1)
        for m in board.mailboxes:
            trouble = mailbox_trouble(m, board.as_of)
            self.troubles[m.mailbox] = trouble
            bad = trouble is not Trouble.NONE
            self._add(mailbox_text(m, trouble), RED if bad else OK, m.last_error or "", 3 if bad else 1)
        self.show()

    def _add(self, text: str, style: str, tip: str, stretch: int) -> None:
        """A label; one in trouble gets three times the width of a healthy one."""
        label = QLabel(text)
        # the text never widens the window: a long error is cut at the label's edge (whole in the tooltip)
        label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        label.setMinimumWidth(0)
        label.setStyleSheet(style)
        label.setToolTip(f"{text}\n{tip}" if tip else text)
        self._row.addWidget(label, stretch)
        self.labels.append(label)


__all__ = ["STALE_S", "MailboxStrip", "Trouble", "mailbox_text", "mailbox_trouble"]
