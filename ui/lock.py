"""Idle lock: after ``idle_lock_min`` without keyboard or mouse input, personal data leaves the screen.

* ``IdleWatcher`` filters the application's input events; it emits ``idle`` once per idle period.
* ``LockScreen`` replaces the window's content: no name, no phone, no post text anywhere in the
  widget tree (the main window also clears the detail pane and masks the queue model), only the
  user and a password box. The alarm keeps sounding; its banner shows "New alert waiting" only.
* Unlock: online, the password is checked by HQ (a fresh login); offline (or HQ unreachable), against
  a PBKDF2-SHA256 verifier of the last successful login kept in the *encrypted* store's meta table.
  The password itself is never stored, in plaintext or otherwise.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

PBKDF2_ITERATIONS = 310_000  # OWASP 2023 guidance for PBKDF2-HMAC-SHA256
VERIFIER_META_KEY = "unlock_verifier"
CHECK_INTERVAL_MS = 5_000

_INPUT_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
    }
)


def make_verifier(username: str, password: str, iterations: int = PBKDF2_ITERATIONS) -> str:
    """``pbkdf2_sha256$iterations$salt$hash`` (hex). Runs on the DB worker: it takes ~0.3 s on purpose."""
    salt = secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", f"{username}\x00{password}".encode(), salt, iterations)
    return f"pbkdf2_sha256${iterations}${salt.hex()}${digest.hex()}"


def check_verifier(verifier: str | None, username: str, password: str) -> bool:
    if not verifier:
        return False
    try:
        algo, iterations, salt_hex, digest_hex = verifier.split("$")
        if algo != "pbkdf2_sha256":
            return False
        digest = hashlib.pbkdf2_hmac(
            "sha256", f"{username}\x00{password}".encode(), bytes.fromhex(salt_hex), int(iterations)
        )
    except ValueError:
        return False
    return hmac.compare_digest(digest.hex(), digest_hex)


class IdleWatcher(QObject):
    """Emits ``idle`` when no input arrived for ``idle_s`` seconds. Install on the QApplication."""

    idle = Signal()

    def __init__(self, idle_s: float, parent: QObject | None = None, check_interval_ms: int = CHECK_INTERVAL_MS):
        super().__init__(parent)
        self.idle_s = idle_s
        self._last_input = time.monotonic()
        self._fired = False
        self._timer = QTimer(self)
        self._timer.setInterval(check_interval_ms)
        self._timer.timeout.connect(self.check)
        self._timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _INPUT_EVENTS:
            self.touch()
        return False

    def set_check_interval_ms(self, ms: int) -> None:
        self._timer.setInterval(ms)

    def touch(self) -> None:
        self._last_input = time.monotonic()
        self._fired = False

    def idle_for_s(self) -> float:
        return time.monotonic() - self._last_input

    def check(self) -> None:
        if not self._fired and self.idle_s > 0 and self.idle_for_s() >= self.idle_s:
            self._fired = True
            self.idle.emit()


class LockScreen(QWidget):
    """The locked console. ``unlock_requested(password)``; the window verifies and calls ``fail``."""

    unlock_requested = Signal(str)

    def __init__(self, user_label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lock-screen")
        title = QLabel(self.tr("Console locked"))
        f = QFont(title.font())
        f.setPointSizeF(f.pointSizeF() * 2)
        f.setBold(True)
        title.setFont(f)
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        note = QLabel(
            self.tr("Personal data is hidden. Alarms still sound. Enter your password to continue.")
        )
        note.setWordWrap(True)
        note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        note.setFixedWidth(520)
        self.user = QLabel(user_label)
        self.user.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.password = QLineEdit()
        self.password.setObjectName("lock-password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName(self.tr("Password"))
        self.password.setPlaceholderText(self.tr("Password"))
        self.password.setFixedWidth(320)
        self.password.returnPressed.connect(self._submit)
        self.password.textEdited.connect(lambda _t: self.clear_error())
        self.button = QPushButton(self.tr("Unlock"))
        self.button.setObjectName("lock-unlock")
        self.button.setAccessibleName(self.tr("Unlock"))
        self.button.setFixedWidth(320)
        self.button.clicked.connect(self._submit)
        self.error = QLabel()
        self.error.setObjectName("lock-error")
        self.error.setStyleSheet("color: #a00000; font-weight: bold;")
        self.error.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        for w in (title, note, self.user, self.password, self.button, self.error):
            layout.addWidget(w, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)

    def _submit(self) -> None:
        password = self.password.text()
        if not password:
            return
        self.button.setEnabled(False)
        self.error.setText(self.tr("Checking…"))
        self.unlock_requested.emit(password)

    def fail(self, message: str) -> None:
        self.button.setEnabled(True)
        self.password.clear()
        self.password.setFocus()
        self.error.setText(message)

    def clear_error(self) -> None:
        """Forget an old "Wrong password." (the next person typing, a new alarm): it was about an earlier try."""
        if self.button.isEnabled():  # not while a check is running: "Checking…" stays until it answers
            self.error.clear()

    def reset(self) -> None:
        self.button.setEnabled(True)
        self.password.clear()
        self.error.clear()
        self.password.setFocus()
