"""``python main.py --demo``: the real client against an embedded demo HQ, with synthetic data only.

* HQ runs in this process (``hq.embedded.start_embedded``) on loopback, in a temporary folder, seeded
  with the demo districts and users (``hq.demo.seed_demo``).
* The client's store uses an ephemeral key (``StoreKey.ephemeral()``, never written anywhere) in the
  same temporary folder; everything is deleted on exit. The title bar says "DEMO — synthetic data".
* The Varanasi range's tip desks are seeded too (``hq.demo.seed_range_demo``): an SP office and a DIG
  account, the district's officers and a few synthetic tips; ``--demo-user sp-varanasi`` (or
  ``dig-varanasi``) starts the demo at that desk instead.
* The demo district operator (Lucknow) is logged in automatically, through the same ``Session.login``
  a real workstation uses; its synthetic tokens go to an in-process keyring (``DemoKeyring``), so the
  demo runs on a machine with no Secret Service. A few older, non-urgent tips are in the queue from the start.
* A new synthetic suicide-risk alert is injected through HQ's intake every ``--demo-interval-s``
  seconds, the first after ``FIRST_ALERT_S``, so a newcomer hears the alarm and can walk the flow:
  acknowledge (Ctrl+K), dispatch (Ctrl+D), reached, outcome (Ctrl+O), counselling note (Ctrl+N).
"""

from __future__ import annotations

import logging
import random
import shutil
import socket
import tempfile
from pathlib import Path
from typing import Any

import keyring
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from core.settings import Settings
from core.store import STORE_FILE_NAME, LocalStore, StoreKey
from hq.demo import DEMO_INTAKE, DEMO_RANGE_USERS, DEMO_USERS, inject_alert, seed_demo, seed_range_demo, synthetic_alert
from hq.embedded import start_embedded
from hq.service import intake
from sync import Session
from ui.app import ClientApp, start_app
from ui.i18n import install_translator

log = logging.getLogger(__name__)

FIRST_ALERT_S = 5.0
DEMO_USER = "demo"
DEMO_PASSWORD = "demo-password"  # synthetic account of the embedded demo HQ only
DEMO_DISTRICT = "LKO"
BACKGROUND_TIPS = 4
# What the background tips and complaints say: ordinary reports, never a post about suicide (those
# are the alerts that ring).
BACKGROUND_TEXTS = (
    ("hi", "गली की स्ट्रीट लाइट एक हफ़्ते से बंद है, रात में चोरी का डर है।"),
    ("en", "My motorcycle was stolen from the market parking this evening."),
    ("hi", "मोहल्ले में आधी रात तक तेज़ आवाज़ में डीजे बजता है।"),
    ("en", "Traffic jam at the station crossing every morning and no one on duty."),
)


class DemoKeyring:
    """In-process keyring for the demo's synthetic login only: tokens die with the process.

    The demo must run on a fresh machine with no Secret Service; a real run never uses this
    (``ui.app`` uses the OS keyring and stops when there is none).
    """

    def __new__(cls) -> Any:
        # Defined on first use, not at import: keyring registers every KeyringBackend subclass as a
        # candidate backend, and this one must never be chosen in a process that only imports the demo.
        from keyring.backend import KeyringBackend

        class _Memory(KeyringBackend):
            priority = 1

            def __init__(self) -> None:
                super().__init__()
                self.secrets: dict[tuple[str, str], str] = {}

            def get_password(self, service: str, username: str) -> str | None:
                return self.secrets.get((service, username))

            def set_password(self, service: str, username: str, password: str) -> None:
                self.secrets[(service, username)] = password

            def delete_password(self, service: str, username: str) -> None:
                self.secrets.pop((service, username), None)

        return _Memory()


class DemoRunner:
    """Owns the embedded HQ and the alert injector of one demo run."""

    def __init__(self, app: QApplication, *, lang: str, interval_s: float, first_alert_s: float = FIRST_ALERT_S,
                 with_sound: bool = True, seed: int | None = None, user: str | None = None) -> None:
        accounts = {u: p for u, p, *_ in (*DEMO_USERS, *DEMO_RANGE_USERS)} | {DEMO_USER: DEMO_PASSWORD}
        user = user or DEMO_USER  # read at call time: scripts/screenshots.py sets DEMO_USER for HQ's shots
        if user not in accounts:
            raise ValueError(f"no demo account {user!r}; one of {', '.join(sorted(accounts))}")
        self.user, self.password = user, accounts[user]

        self.app = app
        self.tmp = Path(tempfile.mkdtemp(prefix="rakshak-demo-"))
        self.rng = random.Random(seed)
        self.hq = start_embedded(self.tmp / "hq")
        seed_demo(self.hq.database)
        seed_range_demo(self.hq.database)
        self._seed_background()
        client_dir = self.tmp / "client"
        client_dir.mkdir()
        settings = Settings({"hq_url": self.hq.url, "retry_cap_s": 2.0, "language": lang})  # not saved: no path
        store = LocalStore.open(client_dir / STORE_FILE_NAME, StoreKey.ephemeral())
        self.client = ClientApp(app, client_dir, settings, store, lang=lang, demo=True, with_sound=with_sound)
        app.aboutToQuit.connect(self.stop)  # after the client's own stop (connected first)
        self.interval_s = interval_s
        self.first_alert_s = first_alert_s
        self.injected: list[str] = []
        self.timer = QTimer()
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.inject)
        self._stopped = False

    def _seed_background(self) -> None:
        for i in range(BACKGROUND_TIPS):
            body = synthetic_alert(self.rng, DEMO_DISTRICT)
            body["kind"] = "tip" if i % 2 else "complaint"
            body["priority"] = 3
            body["summary"] = "Synthetic demo tip (no alarm)."
            language, text = BACKGROUND_TEXTS[i % len(BACKGROUND_TEXTS)]
            body["subject"] |= {"post_text": text, "language": language}
            intake(self.hq.database, DEMO_INTAKE, body)

    def login(self) -> Any:
        """Log the demo operator in on the network pool (not the GUI thread) and wait for it."""
        hq_url, device_id, user, password = self.hq.url, self.client.store.device_id, self.user, self.password

        def login() -> Any:
            session = Session(hq_url, device_id)
            session.login(hq_url, user, password, device_id, f"demo on {socket.gethostname()}")
            return session

        return self.client.taskman.run_net_blocking(login)

    def start(self) -> Any:
        session = self.login()
        window = self.client.start(session, self.password)
        self.timer.start(int(self.first_alert_s * 1000))
        log.info("demo: HQ at %s, data in %s; first alert in %.0f s", self.hq.url, self.tmp, self.first_alert_s)
        return window

    def inject(self) -> None:
        """One new suicide-risk alert through HQ's intake (on the network pool), then re-arm."""
        hq, rng = self.hq, self.rng

        def done(fut: Any) -> None:
            if fut.exception() is None:
                self.injected.append(fut.result())
            else:
                log.error("demo: could not inject an alert: %s", fut.exception())

        if not self._stopped:
            self.client.taskman.run_net(lambda: inject_alert(hq, rng, DEMO_DISTRICT), done)
            if self.interval_s > 0:
                self.timer.start(int(self.interval_s * 1000))

    def stop(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        self.timer.stop()
        self.client.stop()
        self.hq.stop()
        shutil.rmtree(self.tmp, ignore_errors=True)


def run_demo(args: Any) -> int:
    app = start_app()
    keyring.set_keyring(DemoKeyring())

    lang = args.lang or "en"
    install_translator(app, lang)
    runner = DemoRunner(app, lang=lang, interval_s=float(args.demo_interval_s),
                        user=getattr(args, "demo_user", None))
    runner.start()
    try:
        return int(app.exec())
    finally:
        runner.stop()
