"""Screenshots of a tip in the case detail pane (1366×768), in English and Hindi, for docs/screenshots/.

    xvfb-run -a -s "-screen 0 1366x768x24" sh -c 'openbox & sleep 1; .venv/bin/python scripts/tip_screenshots.py'

The real main window of a district operator over an encrypted store with an ephemeral key, holding
one tip as HQ's relay files it (category, pseudonym, a photo and a video, a question and the
tipster's answer). No HQ is contacted. Writes ``tip-detail-1366x768-<lang>.png``.
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

    from core.events import EventType, new_event
    from core.hlc import HybridClock
    from core.store import LocalStore, StoreKey
    from tests.e2e.kit import HQ_AUTHOR, UiEnv, add_cases_from_hq, make_context
    from tests.unit.ui.test_tips import tip_events
    from ui.app import make_app
    from ui.i18n import install_translator
    from ui.main_window import MainWindow

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
                                 author=HQ_AUTHOR, device_id="hq", hlc=env.hq_clock.now())
            answer = new_event(case_id=case_id, type=EventType.TIP_ANSWER,
                               payload={"question_id": question.id, "text": "मोहल्ले का एक दुकानदार"},
                               author=HQ_AUTHOR, device_id="hq", hlc=env.hq_clock.now())
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
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
