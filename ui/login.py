"""First run and re-login: HQ address, username, password, language.

The login itself (``sync.Session.login``: registers the device, keeps the tokens in the OS keyring)
runs on the network pool; the dialog stays responsive and shows HQ's refusal or the link problem in
words an operator can act on. On success ``logged_in`` carries ``(session, user, password)``; the
caller stores the unlock verifier and never keeps the password.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from core.settings import DEFAULTS
from ui.operations import TaskManager, alive
from ui.operations.console import LoginFailure, login, login_failure


def login_error_text(exc: BaseException, hq_url: str) -> str:
    """HQ's refusal or the link problem, as an operator reads it."""
    kind = login_failure(exc)
    if kind in (LoginFailure.INSECURE, LoginFailure.INVALID):
        return str(exc)
    if kind is LoginFailure.LOCKED:
        return QCoreApplication.translate(
            "LoginDialog", "This account is locked after repeated wrong passwords. Ask your supervisor."
        )
    if kind is LoginFailure.WRONG:
        return QCoreApplication.translate("LoginDialog", "Wrong username or password.")
    if kind is LoginFailure.REFUSED:
        return QCoreApplication.translate("LoginDialog", "HQ refused the login: %1").replace(
            "%1", str(getattr(exc, "detail", exc))
        )
    if kind is LoginFailure.UNREACHABLE:
        return QCoreApplication.translate(
            "LoginDialog", "HQ cannot be reached at %1. Check the address and the network."
        ).replace("%1", hq_url)
    return QCoreApplication.translate("LoginDialog", "Login failed: %1").replace("%1", str(exc))


class LoginDialog(QDialog):
    """The login form. Choosing a language here switches the application's translator at once
    (``language_chosen``); the dialog then retranslates itself on Qt's ``LanguageChange``.
    """

    logged_in = Signal(object, object, str)  # session, user, password
    language_chosen = Signal(str)

    def __init__(
        self,
        taskman: TaskManager,
        device_id: str,
        *,
        hq_url: str = "",
        username: str = "",
        lang: str = "en",
        languages: dict[str, str] | None = None,
        ca_bundle: str | None = None,
        timeout_s: float = DEFAULTS.http_timeout_s,
        message: str = "",
        session: Any = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._taskman = taskman
        self._device_id = device_id
        self._ca_bundle = ca_bundle
        self._timeout_s = timeout_s
        self.setObjectName("login-dialog")
        self.setMinimumWidth(440)
        self.result_value: tuple[Any, Any, str] | None = None

        self._message = message  # the caller's (already translated) reason for asking, kept as given
        self._error_text: Callable[[], str] | None = None  # re-run on a language change
        self.intro = intro = QLabel()
        intro.setWordWrap(True)
        self.hq_url = QLineEdit(hq_url)
        self.hq_url.setObjectName("login-hq")
        self.hq_url.setPlaceholderText("https://hq.example.gov.in:8443")
        self.username = QLineEdit(username)
        self.username.setObjectName("login-username")
        self.password = QLineEdit()
        self.password.setObjectName("login-password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.language = QComboBox()
        self.language.setObjectName("login-language")
        for code, name in (languages or {"en": "English", "hi": "हिन्दी"}).items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(0, self.language.findData(lang)))
        self.language.currentIndexChanged.connect(lambda _i: self.language_chosen.emit(self.language.currentData()))

        self.hq_label = QLabel()
        self.username_label = QLabel()
        self.password_label = QLabel()
        self.language_label = QLabel()
        form = QFormLayout()
        form.addRow(self.hq_label, self.hq_url)
        form.addRow(self.username_label, self.username)
        form.addRow(self.password_label, self.password)
        form.addRow(self.language_label, self.language)
        self.error = QLabel()
        self.error.setObjectName("login-error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #a00000; font-weight: bold;")
        # Own buttons, not standard ones: on LanguageChange a QDialogButtonBox resets its standard
        # buttons to Qt's catalogue ("OK"/"Cancel", not shipped in Hindi), overwriting our texts.
        self.buttons = QDialogButtonBox()
        self.ok = self.buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel = self.buttons.addButton("", QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.retranslate()
        if hq_url and username:
            self.password.setFocus()

    def retranslate(self) -> None:
        """Set every text of the dialog in the current language (at construction and on LanguageChange)."""
        self.setWindowTitle(self.tr("Rakshak — log in"))
        self.intro.setText(
            self._message or self.tr("Log in with the account HQ gave you. This workstation is registered with HQ.")
        )
        self.hq_label.setText(self.tr("HQ address"))
        self.username_label.setText(self.tr("Username"))
        self.password_label.setText(self.tr("Password"))
        self.language_label.setText(self.tr("Language / भाषा"))
        self.hq_url.setAccessibleName(self.tr("HQ address"))
        self.username.setAccessibleName(self.tr("Username"))
        self.password.setAccessibleName(self.tr("Password"))
        self.language.setAccessibleName(self.tr("Language"))
        self.ok.setText(self.tr("Log in"))
        self.cancel.setText(self.tr("Cancel"))
        if self._error_text is not None:
            self.error.setText(self._error_text())

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _show_error(self, text: Callable[[], str]) -> None:
        self._error_text = text
        self.error.setText(text())

    @property
    def lang(self) -> str:
        return str(self.language.currentData())

    def submit(self) -> None:
        url = self.hq_url.text().strip().rstrip("/")
        username = self.username.text().strip()
        password = self.password.text()
        if not url or not username or not password:
            self._show_error(lambda: self.tr("Fill in the HQ address, your username and your password."))
            return
        self.ok.setEnabled(False)
        self._show_error(lambda: self.tr("Logging in…"))
        device_id, ca, existing = self._device_id, self._ca_bundle, self._session

        def done(result: tuple[Any, Any]) -> None:
            if not alive(self):
                return
            session, user = result
            self.result_value = (session, user, password)
            self.logged_in.emit(session, user, password)
            self.accept()

        def failed(exc: BaseException) -> None:
            if not alive(self):
                return
            self.ok.setEnabled(True)
            self.password.clear()
            self._show_error(lambda: login_error_text(exc, url))

        login(
            url, username, password, device_id, ca_bundle=ca, timeout_s=self._timeout_s, session=existing,
            success=done, failure=failed,
        ).run(self._taskman)
