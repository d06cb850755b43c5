"""Idle lock: after ``idle_lock_min`` without keyboard or mouse input, personal data leaves the screen.

* ``IdleWatcher`` filters the application's input events; it emits ``idle`` once per idle period.
* ``LockScreen`` replaces the window's content: no name, no phone, no post text anywhere in the
  widget tree (the main window also clears the detail pane and masks the queue model), only the
  user and a password box. The alarm keeps sounding; its banner shows "New alert waiting" only.
* Unlock: online, the password is checked by HQ (a fresh login); offline (or HQ unreachable), against
  a PBKDF2-SHA256 verifier kept in the *encrypted* store's meta table. The password itself is never
  stored, in plaintext or otherwise.
* Shift change: the lock screen takes any operator's user name, not only the locked user's. Online,
  HQ decides (a login as that user); offline, only a user who signed in on this console before can
  come in, against that user's own verifier (``user_verifier_key``) and the identity HQ gave at that
  sign-in (``user_identity_key``: id, name, role, district). HQ accepts the events such a user records
  offline on this device (docs/HQ.md, shift change). A user of another district is refused: the
  console's encrypted replica holds only its own district's cases.
* While an alert rings, "Sign in and acknowledge" signs in and acknowledges the ringing case in one
  step, in the name of whoever signed in.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

PBKDF2_ITERATIONS = 310_000  # OWASP 2023 guidance for PBKDF2-HMAC-SHA256
VERIFIER_META_KEY = "unlock_verifier"  # the last user's verifier (kept: older stores have only this)
USER_VERIFIER_PREFIX = "unlock_verifier:"
USER_IDENTITY_PREFIX = "unlock_user:"
CHECK_INTERVAL_MS = 5_000
COLUMN_W = 520

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


def user_verifier_key(username: str) -> str:
    return USER_VERIFIER_PREFIX + username.strip().lower()


def user_identity_key(username: str) -> str:
    return USER_IDENTITY_PREFIX + username.strip().lower()


def identity_json(user_id: str, username: str, display_name: str, role: str, district: str | None) -> str:
    return json.dumps({"id": user_id, "username": username, "display_name": display_name, "role": role,
                       "district": district}, ensure_ascii=False, sort_keys=True)


def parse_identity(text: str | None) -> dict[str, Any] | None:
    try:
        data = json.loads(text or "")
    except ValueError:
        return None
    if not isinstance(data, dict) or not all(isinstance(data.get(k), str) and data[k] for k in ("id", "username")):
        return None
    return data


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
    """The locked console. ``unlock_requested(username, password, acknowledge)``; the window verifies
    and calls ``fail``. ``set_alert(True)`` (an unacknowledged alert rings) shows "Sign in and
    acknowledge", which asks to acknowledge the ringing case right after signing in."""

    unlock_requested = Signal(str, str, bool)

    def __init__(self, user_label: str, parent: QWidget | None = None, *, username: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("lock-screen")
        title = QLabel(self.tr("Console locked"))
        f = QFont(title.font())
        f.setPointSizeF(f.pointSizeF() * 2)
        f.setBold(True)
        title.setFont(f)
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        note = QLabel(
            self.tr("Personal data is hidden. Alarms still sound. Any operator of this console can sign in "
                    "here with their own user name and password.")
        )
        note.setWordWrap(True)
        note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.user = QLabel(user_label)
        self.user.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.user.setWordWrap(True)
        self.username = QLineEdit(username)
        self.username.setObjectName("lock-username")
        self.username.setAccessibleName(self.tr("User name"))
        self.username.setPlaceholderText(self.tr("User name"))
        self.username.setFixedWidth(320)
        self._locked_username = username
        self.password = QLineEdit()
        self.password.setObjectName("lock-password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName(self.tr("Password"))
        self.password.setPlaceholderText(self.tr("Password"))
        self.password.setFixedWidth(320)
        self.password.textEdited.connect(lambda _t: self.clear_error())
        self.username.textEdited.connect(lambda _t: self.clear_error())
        self.button = QPushButton(self.tr("Unlock"))
        self.button.setObjectName("lock-unlock")
        self.button.setAccessibleName(self.tr("Unlock"))
        self.button.setFixedWidth(320)
        self.button.clicked.connect(lambda: self._submit(False))
        self.ack_button = QPushButton(self.tr("Sign in and acknowledge the alert"))
        self.ack_button.setObjectName("lock-acknowledge")
        self.ack_button.setAccessibleName(self.tr("Sign in and acknowledge the alert"))
        self.ack_button.setStyleSheet("background: #b00020; color: white; font-weight: bold; padding: 8px;")
        self.ack_button.setMinimumWidth(320)
        self.ack_button.clicked.connect(lambda: self._submit(True))
        self.ack_button.setVisible(False)
        # Enter signs in; while an alert rings it also acknowledges (that is why the operator came running).
        self.password.returnPressed.connect(lambda: self._submit(self.ack_button.isVisible()))
        self.error = QLabel()
        self.error.setObjectName("lock-error")
        self.error.setStyleSheet("color: #a00000; font-weight: bold;")
        self.error.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.error.setWordWrap(True)
        # One centred column of fixed width: wrapped texts inside it get their full height.
        column = QWidget()
        column.setFixedWidth(COLUMN_W)
        inner = QVBoxLayout(column)
        inner.setContentsMargins(0, 0, 0, 0)
        for w in (title, note, self.user):
            inner.addWidget(w)
        for field in (self.username, self.password, self.ack_button, self.button):
            inner.addWidget(field, 0, Qt.AlignmentFlag.AlignHCenter)
        inner.addWidget(self.error)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(column)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(2)

    def set_user(self, user_label: str, username: str) -> None:
        """The console's user changed (shift change): show and prefill the new one."""
        self.user.setText(user_label)
        self._locked_username = username
        self.username.setText(username)

    def set_alert(self, ringing: bool) -> None:
        """An unacknowledged alert rings: offer to sign in and acknowledge it in one step."""
        self.ack_button.setVisible(ringing)

    def _submit(self, acknowledge: bool) -> None:
        password = self.password.text()
        username = self.username.text().strip()
        if not password or not username:
            return
        self.button.setEnabled(False)
        self.ack_button.setEnabled(False)
        self.error.setText(self.tr("Checking…"))
        self.unlock_requested.emit(username, password, acknowledge)

    def fail(self, message: str) -> None:
        self.button.setEnabled(True)
        self.ack_button.setEnabled(True)
        self.password.clear()
        self.password.setFocus()
        self.error.setText(message)

    def clear_error(self) -> None:
        """Forget an old "Wrong password." (the next person typing, a new alarm): it was about an earlier try."""
        if self.button.isEnabled():  # not while a check is running: "Checking…" stays until it answers
            self.error.clear()

    def reset(self) -> None:
        self.button.setEnabled(True)
        self.ack_button.setEnabled(True)
        self.password.clear()
        self.username.setText(self._locked_username)
        self.error.clear()
        self.password.setFocus()
