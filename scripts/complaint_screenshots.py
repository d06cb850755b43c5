"""Screenshots of the console's complaint queue (countdowns with warnings and breaches) and of the
composer with a canned reply filled, English and Hindi, then the Claims and Register views
(``scripts/screenshots_claims.py``), for docs/screenshots/.

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python scripts/complaint_screenshots.py --platform xcb
    .venv/bin/python scripts/complaint_screenshots.py          # offscreen (QWidget.grab), no display needed

A real HQ runs embedded on loopback over a fresh SQLite database (the demo users). Complaints enter
through HQ's own take path (``hq.complaints.take.take_item``) with platform times 5 to 125 minutes
ago, some triaged and routed; the console's replica gets HQ's events as a pull applies them, and the
queue view reads it through the operations layer, signed in to HQ as the demo HQ operator.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from shots import OUT, ROOT, memory_keyring, set_up_display, shot, tear_down, wait_until

# platform, kind, minutes ago, handle, text, category, district
COMPLAINTS = [
    ("x", "mention", 126, "rahul_patna", "@BiharPolice mera mobile Patna Junction par chheen liya, FIR kaise karein?",
     "crime_report", "LKO"),
    ("facebook", "comment", 121, "Sunita Devi", "गांधी मैदान के पास रोज़ शाम को जाम लगता है, कोई ट्रैफिक पुलिस नहीं रहती।",
     "traffic", "KNP"),
    ("instagram", "comment", 104, "anjali.k", "Someone is sending obscene messages to my sister from a fake account",
     "womens_safety", "VNS"),
    ("x", "mention", 95, "vikas_1990", "Got a call claiming to be from SBI, lost ₹48,000. Which helpline?",
     "cyber_fraud", None),
    ("youtube", "comment", 70, "@RameshKumarVlogs", "थाने में शिकायत लेने से मना कर दिया गया, कहाँ जाएँ?",
     "police_conduct", "LKO"),
    ("facebook", "comment", 40, "Md. Arif", "Passport verification ke liye kitne din lagte hain?",
     "information_request", "KNP"),
    ("x", "direct_message", 12, "priya_s", "मेरे भाई की बाइक चोरी हो गई है, कोतवाली में किससे मिलें?", None, None),
    ("instagram", "mention", 5, "city.watch", "Loud DJ after 11 pm every night near Boring Road", None, None),
]


def fill_hq(db_url: str) -> None:
    from core.events import ItemKind, Source, utcnow
    from hq.claims.cli import _principal
    from hq.complaints import queue, replies
    from hq.complaints.take import IncomingItem, take_item
    from hq.db import Database

    db = Database(db_url, pool_size=1)
    who = _principal(db, "hq")
    now = utcnow()
    for i, (platform, kind, ago, handle, text, category, district) in enumerate(COMPLAINTS):
        taken = take_item(db, IncomingItem(
            platform=Source(platform), item=ItemKind(kind), platform_id=f"shot{i}",
            posted_at=now - timedelta(minutes=ago), text=text, author_id=f"a{i}", author_handle=handle,
            author_url=f"https://{platform}.example/{handle.strip('@')}", post_url=f"https://{platform}.example/p/{i}",
        ), now=now)  # fmt: skip
        if category or district:
            queue.triage(db, who, taken.case_id, category=category, district=district)
        if i == 4:
            replies.draft(db, who, taken.case_id, "आपकी शिकायत पुलिस अधीक्षक को भेज दी गई है।", True)
    db.dispose()


def replica(db_url: str, data_dir: Path) -> object:
    """The console's replica with every HQ event, applied as a pull applies them."""
    from sqlalchemy import select

    from core.store import LocalStore, StoreKey
    from hq.db import Database
    from hq.feed import case_history
    from hq.schema import cases

    store = LocalStore.open(data_dir / "rakshak.db", StoreKey.ephemeral())
    db = Database(db_url, pool_size=1)
    with db.reader() as conn:
        events = [e for cid in conn.execute(select(cases.c.id)).scalars() for e in case_history(conn, cid)]
    db.dispose()
    with store.unit_of_work() as uow:
        uow.events.apply_remote(sorted(events, key=lambda e: e.hq_seq or 0))
        uow.commit()
    return store


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--platform", default="offscreen")
    parser.add_argument("--langs", default="en,hi")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--no-claims", action="store_true", help="skip the Claims and Register screenshots")
    args = parser.parse_args()
    wm = set_up_display(args.platform)
    memory_keyring()

    from core.events import Author, Tier
    from core.hlc import HybridClock
    from core.settings import Settings
    from hq.db import Database, sqlite_url
    from hq.demo import seed_demo
    from hq.embedded import start_server
    from sync.session import Session
    from ui.app import make_app
    from ui.complaints import ComplaintQueueView
    from ui.context import ApplicationContext, ConsoleUser, SyncBridge
    from ui.i18n import install_translator
    from ui.operations import TaskManager
    from ui.places import PlaceNames

    work = Path(tempfile.mkdtemp(prefix="rakshak-complaint-shots-"))
    db_url = sqlite_url(work / "hq.sqlite3")
    db = Database(db_url, pool_size=1)
    db.migrate()
    seed_demo(db)
    db.dispose()
    fill_hq(db_url)
    server = start_server(db_url)
    app = make_app()
    store = replica(db_url, work)
    session = Session(server.url, "shots-1")
    user = session.login(server.url, "hq", "hq-password", "shots-1", "screenshots")
    places = PlaceNames()
    places.update(PlaceNames.from_districts(session.call(lambda tok: session.client.districts(tok))))
    taskman = TaskManager()
    for lang in args.langs.split(","):
        install_translator(app, lang)
        ctx = ApplicationContext(
            data_dir=work, settings=Settings({}), store=store, clock=HybridClock(store.device_id),  # type: ignore[attr-defined]
            user=ConsoleUser(Author(user.id, user.display_name, Tier.HQ), "hq", "hq_operator", None),
            device_id=store.device_id, taskman=taskman, bridge=SyncBridge(taskman), session=session,  # type: ignore[attr-defined]
            hq_url=server.url, lang=lang, places=places,
        )  # fmt: skip
        view = ComplaintQueueView(ctx)
        view.setWindowTitle("Rakshak — " + view.tr("Complaints") if lang == "en" else "रक्षक — शिकायतें")
        view.resize(1366, 740)
        view.showMaximized()
        wait_until(lambda v=view: v.loaded and v.model.rowCount() == len(COMPLAINTS))
        first = view.model.row_at(0).case_id
        view.open_case(first)
        shot(view, args.out / f"complaints-queue-{lang}.png", args.platform)
        warned = next(r for r in view.model.rows if r.author_handle == "vikas_1990")
        view.open_case(warned.case_id)
        composer = view.composer
        wait_until(lambda c=composer: c.canned.count() == 3)
        composer.canned.setCurrentIndex(composer.canned.findData("helplines"))
        composer.language.setCurrentIndex(composer.language.findData(lang))
        composer.insert_button.click()
        shot(view, args.out / f"complaint-composer-{lang}.png", args.platform)
        view.stop()
        view.close()
    taskman.shutdown()
    server.stop()
    store.close()  # type: ignore[attr-defined]
    tear_down(wm)
    if not args.no_claims:
        subprocess.run([sys.executable, str(ROOT / "scripts" / "screenshots_claims.py"), "--platform", args.platform,
                        "--langs", args.langs, "--out", str(args.out)], check=True)  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
