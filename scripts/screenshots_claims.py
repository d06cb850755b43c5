"""Screenshots of the Claims view (a claim with its rebuttals and suggested posts) and of the Register
view, English and Hindi, for docs/screenshots/.

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python scripts/screenshots_claims.py --platform xcb
    .venv/bin/python scripts/screenshots_claims.py          # offscreen (QWidget.grab), no display needed

A real HQ runs embedded on loopback over a fresh SQLite database (the demo users), filled through
the same service calls the API makes; the views read it through a signed-in session.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
OUT = ROOT / "docs" / "screenshots"

CLAIMS = [
    (
        "पटना में कल से तीन दिन का कर्फ्यू, सभी दुकानें और स्कूल बंद रहेंगे। अपने परिवार को सूचित करें!",
        "पटना में कोई कर्फ्यू नहीं है। दुकानें और स्कूल सामान्य रूप से खुले हैं। यह संदेश फ़र्ज़ी है।",
        ["facebook", "x", "whatsapp"],
        ["LKO"],
    ),
    (
        "Child kidnappers gang active in Gaya, 5 children missing since Sunday, share widely",
        "No child is missing in Gaya. The video is from another state in 2019.",
        ["facebook", "youtube"],
        ["KNP"],
    ),
    ("गंगा पुल में दरार, सोमवार से सभी वाहनों के लिए बंद", "", ["x"], ["VNS"]),
]
POSTS = [
    ("fb:9001", "पटना मे कल से तीन दिन का कर्फ़्यू सभी दुकाने और स्कूल बंद रहेंगे"),
    ("x:77123", "Is this true?? पटना में कल से तीन दिन का कर्फ्यू, सभी दुकानें और स्कूल बंद रहेंगे। अपने परिवार को सूचित करें"),
]
ACCOUNTS = [
    ("x", "https://x.com/Patna_Khabar_Live", ["fake_news", "communal_content"], "LKO"),
    ("facebook", "https://www.facebook.com/sach.ki.awaaz.bihar", ["fake_news"], "KNP"),
    ("instagram", "@loan.turant.help", ["fraud", "impersonation"], None),
    ("youtube", "https://www.youtube.com/@DangaNewsTV", ["incitement"], "VNS"),
]


def fill(db_url: str) -> None:
    from datetime import UTC, datetime

    from hq.claims import accounts as register
    from hq.claims import service
    from hq.claims.cli import _principal
    from hq.db import Database

    db = Database(db_url, pool_size=1)
    who = _principal(db, "hq")
    ids = []
    for text, official, platforms, districts in CLAIMS:
        c = service.create_claim(
            db, who, {"text": text, "official_version": official, "platforms": platforms, "districts": districts}
        )
        ids.append(c["id"])
        if official:
            for p in platforms[:2]:
                service.add_rebuttal(
                    db,
                    who,
                    c["id"],
                    p,
                    f"https://{p}.com/BiharPolice/posts/{abs(hash(text)) % 10**6}",
                    datetime.now(UTC).isoformat(),
                )
            service.update_claim(db, who, c["id"], {"status": "rebutted"})
    for ref, text in POSTS:
        service.propose(db, who, ref, text, link=f"https://example.org/{ref}")
    first = service.read_claim(db, who, ids[0])
    service.decide_suggestion(db, who, ids[0], first["suggestions"][-1]["id"], True)
    for platform, handle, reasons, district in ACCOUNTS:
        body = {"platform": platform, "handle": handle, "reasons": reasons, "url": handle if "/" in handle else None}
        if district:
            body["district"] = district
        a = register.add_account(db, who, {k: v for k, v in body.items() if v is not None})
        if "fake_news" in reasons:
            register.add_action(db, who, a["id"], {"kind": "reported_to_platform", "on_date": "2026-11-20"})
            register.add_action(
                db,
                who,
                a["id"],
                {"kind": "fir_registered", "reference": "FIR 412/2026 Kotwali", "on_date": "2026-11-24"},
            )
            register.update_account(db, who, a["id"], {"links": [{"kind": "claim", "ref": ids[0]}]})
    register.flag_on_arrival(db, "x", "@patna_khabar_live", source="complaint")
    db.dispose()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--platform", default="offscreen")
    parser.add_argument("--langs", default="en,hi")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    wm = None
    if args.platform == "offscreen":
        screen = Path(tempfile.mkdtemp(prefix="rakshak-shots-")) / "screen.json"
        screen.write_text('{"screens": [{"name": "laptop", "x": 0, "y": 0, "width": 1366, "height": 768}]}')
        os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={screen}"
    else:
        os.environ["QT_QPA_PLATFORM"] = args.platform
        if shutil.which("openbox"):
            conf = Path(tempfile.mkdtemp(prefix="rakshak-fc-")) / "fonts.conf"
            conf.write_text(
                '<?xml version="1.0"?><fontconfig><include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
                f"<dir>{ROOT / 'resources' / 'fonts'}</dir></fontconfig>"
            )
            wm = subprocess.Popen(
                ["openbox"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                env={**os.environ, "FONTCONFIG_FILE": str(conf)},
            )
            time.sleep(0.5)
    import keyring
    from keyring.backend import KeyringBackend
    from PySide6.QtCore import QEventLoop, QTimer

    from hq.db import Database, sqlite_url
    from hq.demo import seed_demo
    from hq.embedded import start_server
    from sync.session import Session
    from ui.accounts.view import RegisterView
    from ui.app import make_app
    from ui.claims.view import ClaimsView
    from ui.i18n import install_translator
    from ui.operations import TaskManager
    from ui.operations.claims import HQClaimsSource

    class MemoryKeyring(KeyringBackend):
        priority = 1  # type: ignore[assignment]
        store: dict[tuple[str, str], str] = {}

        def get_password(self, service: str, username: str) -> str | None:
            return self.store.get((service, username))

        def set_password(self, service: str, username: str, password: str) -> None:
            self.store[(service, username)] = password

        def delete_password(self, service: str, username: str) -> None:
            self.store.pop((service, username), None)

    keyring.set_keyring(MemoryKeyring())
    db_url = sqlite_url(Path(tempfile.mkdtemp(prefix="rakshak-claims-")) / "hq.sqlite3")
    db = Database(db_url, pool_size=1)
    db.migrate()
    seed_demo(db)
    db.dispose()
    fill(db_url)
    server = start_server(db_url)
    app = make_app()
    args.out.mkdir(parents=True, exist_ok=True)

    def wait(ms: int) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    def wait_until(cond: object, timeout_s: float = 20.0) -> None:
        end = time.monotonic() + timeout_s
        while not cond():  # type: ignore[operator]
            if time.monotonic() > end:
                raise TimeoutError("screenshot state not reached")
            wait(50)

    def shot(view: object, name: str) -> None:
        wait(500)
        path = args.out / f"{name}.png"
        if args.platform == "offscreen":
            view.grab().save(str(path))  # type: ignore[attr-defined]
        else:
            subprocess.run(["import", "-window", "root", str(path)], check=True)
        print("saved", path)

    session = Session(server.url, "shots-1")
    session.login(server.url, "hq", "hq-password", "shots-1", "screenshots")
    source = HQClaimsSource(session)
    taskman = TaskManager()
    for lang in args.langs.split(","):
        install_translator(app, lang)
        view = ClaimsView(source, taskman, can_decide=True)
        view.showMaximized()
        view.refresh()
        wait_until(lambda v=view: v.list.rowCount() == 3)
        view.list.selectRow(2)  # the oldest: the Patna curfew rumour
        wait_until(lambda v=view: v.suggestions.rowCount() == 2)
        view.suggestions.selectRow(0)
        shot(view, f"claim-{lang}")
        view.close()
        reg = RegisterView(source, taskman)
        reg.showMaximized()
        reg.refresh()
        wait_until(lambda r=reg: r.list.rowCount() == 4)
        for row in range(4):
            if reg.list.item(row, 1).text() == "patna_khabar_live":
                reg.list.selectRow(row)
        wait_until(lambda r=reg: r.action_table.rowCount() == 2)
        shot(reg, f"register-{lang}")
        reg.close()
    taskman.shutdown()
    server.stop()
    if wm is not None:
        wm.terminate()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
