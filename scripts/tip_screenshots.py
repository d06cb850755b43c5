"""Screenshots of a tip in the case detail pane (1366×768), in English and Hindi, for docs/screenshots/.

    xvfb-run -a -s "-screen 0 1366x768x24" sh -c 'openbox & sleep 1; .venv/bin/python scripts/tip_screenshots.py'

The real main window of a district operator over an encrypted store with an ephemeral key, holding
one tip as HQ's relay files it (category, pseudonym, a photo and a video, a question and the
tipster's answer). No HQ is contacted. Writes ``tip-detail-1366x768-<lang>.png``.

Then the SP office's desk of Varanasi: its tip queue (four tips of its district: categories, ages,
statuses, one from a tipster seen before) and one tip with its media, the officer it was passed to,
an action and the outcome. Writes ``sp-tip-desk-1366x768-<lang>.png``.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
OUT = ROOT / "docs" / "screenshots"
W, H = 1366, 768


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--langs", default="en,hi")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "xcb")

    from PySide6.QtCore import QEventLoop, QTimer

    from core.events import Author, EventType, Tier, new_event
    from core.hlc import HybridClock
    from core.store import LocalStore, StoreKey
    from tests.e2e.kit import UiEnv, add_cases_from_hq, make_context
    from tests.unit.ui.test_tips import RELAY_AUTHOR, tip_events
    from ui.app import make_app
    from ui.i18n import install_translator
    from ui.main_window import MainWindow

    officer = Author("hq-op-2", "Insp. Verma (HQ)", Tier.HQ)
    app = make_app()
    args.out.mkdir(parents=True, exist_ok=True)

    def wait(ms: int) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    for lang in args.langs.split(","):
        install_translator(app, lang)
        with tempfile.TemporaryDirectory() as tmp:
            store = LocalStore.open(Path(tmp) / "rakshak.db", StoreKey.ephemeral())
            env = UiEnv(Path(tmp), store, b"", HybridClock("hq"))
            events = tip_events(env, prior=1)
            case_id = events[0].case_id
            question = new_event(case_id=case_id, type=EventType.TIP_QUESTION,
                                 payload={"text": "अड्डा किसका है? / Who runs it?"},
                                 author=officer, device_id="hq", hlc=env.hq_clock.now())
            answer = new_event(case_id=case_id, type=EventType.TIP_ANSWER,
                               payload={"question_id": question.id, "text": "मोहल्ले का एक दुकानदार"},
                               author=RELAY_AUTHOR, device_id="hq", hlc=env.hq_clock.now())
            add_cases_from_hq(store, [*events, question, answer])
            ctx = make_context(env)
            win = MainWindow(ctx, with_sound=False)
            win.showMaximized()
            wait(1000)
            win.queue.select_case(case_id)
            wait(1000)
            path = args.out / f"tip-detail-{W}x{H}-{lang}.png"
            app.primaryScreen().grabWindow(0).save(str(path))
            print(path)
            win.close()
            wait(200)
            ctx.taskman.shutdown()
            store.close()
        with tempfile.TemporaryDirectory() as tmp:
            path = args.out / f"sp-tip-desk-{W}x{H}-{lang}.png"
            sp_desk(Path(tmp), path, wait)
            print(path)
    return 0


def sp_desk(tmp: Path, path: Path, wait: object) -> None:
    """The SP office's window over a replica of its district's tips (as its stream delivers them)."""
    import uuid
    from datetime import UTC, datetime, timedelta

    from PySide6.QtWidgets import QApplication

    from core.events import Author, EventType, Tier, iso, new_event
    from core.hlc import HybridClock
    from core.settings import Settings
    from core.store import LocalStore, StoreKey
    from tests.e2e.kit import add_cases_from_hq
    from ui.context import ApplicationContext, ConsoleUser, SyncBridge
    from ui.main_window import MainWindow
    from ui.operations import TaskManager

    relay = Author("tipline-relay", "Tip line relay", Tier.HQ)
    sp = Author("sp-vns", "SP Office Varanasi", Tier.HQ)
    clock = HybridClock("hq")
    now = datetime.now(UTC)
    digest = "a" * 64
    tips = [
        ("drugs_liquor", 0, "गाँव में हर रात अवैध शराब बेची जा रही है", "सारनाथ, थाना कैंट", 25, True),
        ("gambling", 2, "हर शाम मंदिर के पीछे सट्टा", "लंका", 70, False),
        ("illegal_mining", 0, "Sand lifted from the river bank at night", "Ramnagar ghat", 180, False),
        ("extortion", 0, "दुकानदारों से हफ़्ता वसूली", "चौक", 600, False),
    ]
    events = []
    shown = ""
    for category, prior, what, place, age_min, media in tips:
        case_id = str(uuid.uuid4())
        shown = shown or case_id
        received = now - timedelta(minutes=age_min)
        items = [
            {"id": str(uuid.uuid4()), "kind": "image", "sha256": digest, "bytes": 48_213, "original_sha256": "b" * 64},
            {"id": str(uuid.uuid4()), "kind": "audio", "sha256": digest, "bytes": 21_904, "original_sha256": "c" * 64},
        ] if media else []
        tip = {"category": category, "pseudonym": f"Tipster {uuid.uuid4().hex[:4].upper()}", "prior_tips": prior,
               "language": "hi", "what": what, "place": place, "when": "हर रात", "media": items, "confirmed": True,
               "place_unclear": False}  # fmt: skip
        events.append(new_event(
            case_id=case_id, type=EventType.CREATED,
            payload={"kind": "tip", "source": "whatsapp_tipline", "upstream_ref": f"tipline:{uuid.uuid4().hex}",
                     "received_at": iso(received), "priority": 3, "subject": {}, "location": {"text": place},
                     "district": "VNS", "summary": f"{category}: {what}"[:1000], "tip": tip},
            author=relay, device_id="hq", hlc=clock.now(), wall_time=received,
        ))  # fmt: skip
    work = [
        (EventType.TIP_OFFICER_ASSIGNED, {"officer_id": str(uuid.uuid4()), "name": "Ravi Kumar", "rank": "SI",
                                          "station": "Cantonment"}),
        (EventType.TIP_ACTION, {"text": "थाना कैंट की टीम ने दुकान पर निगरानी रखी / Watch kept on the shop"}),
        (EventType.TIP_OUTCOME, {"outcome": "fir_registered", "detail": "FIR 112/2026, PS Cantonment"}),
    ]  # fmt: skip
    for etype, payload in work:
        events.append(new_event(case_id=shown, type=etype, payload=payload, author=sp, device_id="hq",
                                hlc=clock.now()))  # fmt: skip
    store = LocalStore.open(tmp / "rakshak.db", StoreKey.ephemeral())
    add_cases_from_hq(store, events)
    taskman = TaskManager()
    ctx = ApplicationContext(
        data_dir=tmp, settings=Settings.load(tmp), store=store, clock=HybridClock(store.device_id),
        user=ConsoleUser(sp, "sp-vns", "sp_office", "VNS"), device_id=store.device_id, taskman=taskman,
        bridge=SyncBridge(taskman),
    )  # fmt: skip
    win = MainWindow(ctx, with_sound=False)
    win.showMaximized()
    wait(1000)  # type: ignore[operator]
    win.queue.select_case(shown)
    wait(1200)  # type: ignore[operator]
    screen = QApplication.primaryScreen()
    screen.grabWindow(0).save(str(path))
    win.close()
    wait(200)  # type: ignore[operator]
    taskman.shutdown()
    store.close()


if __name__ == "__main__":
    raise SystemExit(main())
