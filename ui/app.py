"""Start the desktop client: store key, encrypted store, login, sync engine, main window.

    run_gui(args) -> exit code          (main.py dispatches here; ``--demo`` goes to ``demo.client``)

Start-up order matters for safety:

1. The store key comes from the OS keyring (``StoreKey.load_or_create``). No keyring means the app
   stops with a dialog naming what to install; it never falls back to a plaintext key or store.
2. The encrypted store opens (migrations run); a wrong key or a broken disk stops with the reason.
3. A saved login is restored from the keyring, or the login dialog asks (first run).
4. The sync engine starts on its own threads; the window starts with whatever the store holds, so
   an unacknowledged case rings at once after a restart, before HQ is even reached.

``ClientApp`` owns these parts and tears them down in reverse order when the application quits.
"""

from __future__ import annotations

import logging
import signal
import socket
import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from core.errors import KeyringUnavailable, StoreUnavailable
from core.events import Author, tier_for_role
from core.hlc import HybridClock
from core.settings import Settings
from ui import gc_guard
from ui.context import ApplicationContext, ConsoleUser, SyncBridge
from ui.fonts import load_fonts
from ui.i18n import available_languages, install_translator
from ui.operations import TaskManager
from ui.operations.console import hlc_last, make_engine, open_store, restore_session

# The client's parts (sync, the login dialog, the main window, the reports) are imported by the
# functions that start them: ``main.py selfcheck`` calls ``make_app`` without loading them, and a first
# start shows the sign-in dialog before sync's HTTP stack and the reports are loaded.

log = logging.getLogger(__name__)

EXIT_NO_KEYRING = 2
EXIT_STORE = 3
EXIT_LOGIN_CANCELLED = 4


def make_app() -> QApplication:
    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Rakshak")
    app.setOrganizationName("Rakshak")
    # Cyclic garbage is collected on this (the GUI) thread only: a collection on a worker thread that
    # frees a Qt object crashes the client (ui/gc_guard.py). Before any worker thread starts.
    gc_guard.install(app)

    load_fonts(app)
    return app


def fatal(title: str, text: str) -> None:
    log.error("%s: %s", title, text)
    box = QMessageBox(QMessageBox.Icon.Critical, title, text)
    box.setObjectName("fatal-dialog")
    box.exec()


def keyring_help(exc: BaseException) -> str:
    return QApplication.translate(
        "App",
        "Rakshak keeps its database key in the operating system's keyring and cannot start without one.\n\n"
        "%1\n\n"
        "On Debian/Ubuntu: sudo apt install gnome-keyring, then log in to the desktop once so it is unlocked.\n\n"
        "No case data has been written.",
    ).replace("%1", str(exc))


class ClientApp:
    """Owns the store, session, sync engine and window of one running client."""

    def __init__(self, app: QApplication, data_dir: Path, settings: Settings, store: Any, *, lang: str,
                 demo: bool = False, with_sound: bool = True) -> None:
        self.app = app
        self.data_dir = data_dir
        self.settings = settings
        self.store = store
        self.lang = lang
        self.demo = demo
        self.with_sound = with_sound
        self.taskman = TaskManager()
        self.bridge = SyncBridge(self.taskman)
        self.ctx: ApplicationContext | None = None
        self.window: Any = None
        self.engine: Any = None
        self._stopped = False
        app.aboutToQuit.connect(self.stop)

    # ---- login -------------------------------------------------------------------------------------
    def restore_session(self) -> Any:
        """The saved login for this workstation, or None (first run, expired, other HQ)."""
        return restore_session(self.settings, self.store.device_id)

    def ask_login(self, message: str = "") -> tuple[Any, Any, str] | None:
        """First run: the login dialog (modal at start-up: there is nothing else to show yet)."""
        from ui.login import LoginDialog

        dialog = LoginDialog(
            self.taskman,
            self.store.device_id,
            hq_url=self.settings.hq_url,
            lang=self.lang,
            languages=available_languages(),
            ca_bundle=self.settings.ca_bundle or None,
            timeout_s=self.settings.http_timeout_s,
            message=message,
        )
        dialog.language_chosen.connect(self._language_at_login)
        # a quit asked for before the dialog's loop started (during start-up) closes it at once
        QTimer.singleShot(0, dialog, lambda: dialog.close() if quit_requested(self.app) else None)
        if dialog.exec() != LoginDialog.DialogCode.Accepted or dialog.result_value is None:
            return None
        session, _user, _password = dialog.result_value
        self.settings.set("hq_url", session.hq_url)
        self.settings.set("language", dialog.lang)
        self.settings.save()
        return dialog.result_value

    def _language_at_login(self, lang: str) -> None:
        self.lang = lang
        install_translator(self.app, lang)

    # ---- start -------------------------------------------------------------------------------------
    def start(self, session: Any, password: str | None = None, *, start_engine: bool = True) -> Any:
        """Build the context, start sync and show the window. ``password`` (just typed) seeds the lock."""
        from ui.operations.report_sources import console_report_loader  # the main window's reports

        user = session.user
        clock = HybridClock(self.store.device_id, last=hlc_last(self.store))
        self.engine = make_engine(self.store, session, clock, self.settings, self.bridge)
        self.ctx = ApplicationContext(
            data_dir=self.data_dir,
            settings=self.settings,
            store=self.store,
            clock=clock,
            user=ConsoleUser(
                Author(user.id, user.display_name, tier_for_role(user.role)), user.username, user.role, user.district
            ),
            device_id=self.store.device_id,
            taskman=self.taskman,
            bridge=self.bridge,
            session=session,
            engine=self.engine,
            hq_url=session.hq_url,
            demo=self.demo,
            lang=self.lang,
            reports=console_report_loader(self.store, session, self.data_dir, user.display_name),
        )
        self.show_window()
        if password is not None:
            self.window.save_verifier(user.username, password)
        if start_engine:
            self.engine.start()
        return self.window

    def show_window(self) -> Any:
        from ui.main_window import MainWindow

        assert self.ctx is not None
        old = self.window
        self.window = MainWindow(self.ctx, with_sound=self.with_sound)
        self.window.language_change_requested.connect(self.change_language)
        if old is not None:
            self.window.setGeometry(old.geometry())
            old.close()
            old.deleteLater()
        self.window.show()
        return self.window

    def change_language(self, lang: str) -> None:
        """Switch language: rebuild the window (its state lives in the store; drafts are saved on close)."""
        self.settings.set("language", lang)
        self.settings.save()
        self.lang = lang
        install_translator(self.app, lang)
        if self.ctx is not None:
            self.ctx = self.ctx.with_language(lang)
            self.show_window()

    def stop(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        if self.window is not None:
            self.window.close_forms()
        if self.engine is not None:
            self.engine.stop()
        self.taskman.shutdown()
        if self.ctx is not None and self.ctx.session is not None:
            self.ctx.session.close()
        self.store.close()


QUIT_REQUESTED = "rakshak-quit-requested"  # a QApplication property: SIGTERM/SIGINT arrived


def quit_requested(app: QApplication) -> bool:
    return bool(app.property(QUIT_REQUESTED))


def quit_on_signals(app: QApplication) -> None:
    """SIGTERM/SIGINT (OS shutdown, service stop, Ctrl+C) quit through Qt, so ``ClientApp.stop`` runs:
    drafts are flushed, the engine stops, the store closes. A short timer gives Python the chance to
    run its signal handlers while Qt's event loop is in C++."""
    def handler(signum: int, _frame: Any) -> None:
        log.warning("signal %s: quitting", signum)
        # Before the main loop runs (the login dialog at first start, a fatal message) app.quit() does
        # nothing: close the modal dialog, whose own loop then returns, and let run_gui see the request.
        app.setProperty(QUIT_REQUESTED, True)
        modal = QApplication.activeModalWidget()
        if modal is not None:
            modal.close()
        app.quit()

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)
    timer = QTimer(app)
    timer.setInterval(250)
    timer.timeout.connect(lambda: None)
    timer.start()


def start_app() -> QApplication:
    """Logging, the QApplication and the quit signals: what every GUI run (the demo too) starts with."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("apscheduler").setLevel(logging.WARNING)  # one INFO line per job run otherwise
    app = make_app()
    quit_on_signals(app)
    return app


def run_gui(args: Any) -> int:
    app = start_app()

    data_dir = Path(args.data_dir)
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)  # the user's alone (core.store.store)
    settings = Settings.load(data_dir)
    lang = args.lang or settings.language
    install_translator(app, lang)
    try:
        store = open_store(data_dir)
    except KeyringUnavailable as exc:
        fatal(QApplication.translate("App", "Rakshak cannot start: no OS keyring"), keyring_help(exc))
        return EXIT_NO_KEYRING
    except StoreUnavailable as exc:
        fatal(QApplication.translate("App", "Rakshak cannot open its local store"), str(exc))
        return EXIT_STORE
    client = ClientApp(app, data_dir, settings, store, lang=lang)
    session = client.restore_session()
    password = None
    if session is None:
        result = client.ask_login()
        if result is None:
            client.stop()
            return 0 if quit_requested(app) else EXIT_LOGIN_CANCELLED
        session, _user, password = result
    client.start(session, password)
    log.info("client started on %s as %s", socket.gethostname(), session.user.username if session.user else "?")
    if quit_requested(app):  # asked to quit while starting: the main loop would never hear it
        client.stop()
        return 0
    return int(app.exec())
