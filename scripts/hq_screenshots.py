"""Screenshots of the HQ layout's board with its mailbox strip and of the escalation policy editor,
in English and Hindi, for docs/screenshots/.

    xvfb-run -a -s "-screen 0 1366x768x24" sh -c 'openbox & sleep 1; .venv/bin/python scripts/hq_screenshots.py'

The real main window of an HQ account, maximised by the window manager, over an encrypted store with
an ephemeral key. No HQ is contacted: the board gets a synthetic board of Uttar Pradesh's districts
with two mailboxes, one healthy and one whose last run failed (``tests/unit/ui/hq/boards.py``); the
policy editor (opened as an admin) gets a synthetic stored policy and duty contacts for Lucknow, as
HQ would answer.
Writes ``board-mailboxes-<w>x<h>-<lang>.png``, ``policy-editor-<w>x<h>-<lang>.png`` and
``policy-editor-breach-<w>x<h>-<lang>.png`` (the complaints' breach policy, HQ's default).
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


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--langs", default="en,hi")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "xcb")
    from datetime import UTC, datetime, timedelta

    from PySide6.QtCore import QEventLoop, QTimer

    from core.escalation import COMPLAINT_BREACH_KEY, DEFAULT_POLICY, Policy
    from core.events import Author, Tier
    from core.hlc import HybridClock
    from core.store import LocalStore, StoreKey
    from hq.escalation.policy import COMPLAINT_BREACH_POLICY
    from sync.wire import DutyContact, EscalationPolicy
    from tests.e2e.kit import UiEnv, make_context
    from tests.unit.ui.hq.boards import UP_DISTRICTS, up_board
    from ui.app import make_app
    from ui.i18n import install_translator
    from ui.main_window import MainWindow
    from ui.operations.routing import District

    app = make_app()
    args.out.mkdir(parents=True, exist_ok=True)

    def wait(ms: int) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    screen = app.primaryScreen()
    size = screen.size()
    districts = [District(name.upper().replace(" ", "")[:6], name, ()) for name, _ in UP_DISTRICTS]
    lucknow = next(d.code for d in districts if d.name == "Lucknow")
    steps = DEFAULT_POLICY.to_json()["steps"]
    steps[0] = {"action": "wait", "minutes": 3}
    own = Policy.from_json({"steps": steps, "dispatch_overdue_min": 10})
    for lang in args.langs.split(","):
        install_translator(app, lang)
        with tempfile.TemporaryDirectory() as tmp:
            store = LocalStore.open(Path(tmp) / "rakshak.db", StoreKey.ephemeral())
            ctx = make_context(UiEnv(Path(tmp), store, b"", HybridClock("hq")))
            ctx.user.author = Author("hq-admin", "DSP K. Mishra", Tier.HQ)
            ctx.user.username, ctx.user.role, ctx.user.district = "admin", "admin", None
            win = MainWindow(ctx, with_sound=False)
            assert win.hq is not None
            board = win.hq.board
            board._poll.stop()
            win.showMaximized()
            wait(1500)
            board.show_board(up_board(75, 200, datetime.now(UTC), with_mailboxes=True))
            wait(1500)
            path = args.out / f"board-mailboxes-{size.width()}x{size.height()}-{lang}.png"
            screen.grabWindow(0).save(str(path))
            print(path)

            editor = win.hq.open_policies()
            wait(500)
            editor._set_districts(districts)
            editor.select_district(lucknow)
            wait(300)
            editor._loaded(EscalationPolicy(lucknow, own, 3, False, datetime.now(UTC) - timedelta(days=2), "admin"))
            editor.show_contacts([
                DutyContact("sp_control_room", "SP Control Room Lucknow", None, "+91 522 000 0100", "spcr@up.example"),
                DutyContact("sho", "Insp. A. Yadav (SHO)", "Hazratganj", "+91 522 000 0200", None),
                DutyContact("range_dig", "DIG Lucknow Range", None, "+91 522 000 0300", "dig.lko@up.example"),
            ])  # fmt: skip
            editor.step_list.setCurrentRow(3)  # a notify step: roles and channels shown
            wait(800)
            path = args.out / f"policy-editor-{size.width()}x{size.height()}-{lang}.png"
            screen.grabWindow(0).save(str(path))
            print(path)
            editor.select_district(COMPLAINT_BREACH_KEY)  # the complaints' breach policy, HQ's default
            wait(300)
            editor._loaded(EscalationPolicy(COMPLAINT_BREACH_KEY, COMPLAINT_BREACH_POLICY, 0, True, None, None))
            editor.show_contacts([DutyContact("hq_duty", "Social media desk supervisor", None, "+91 522 000 0900",
                                              "smdesk@up.example")])  # fmt: skip
            editor.step_list.setCurrentRow(0)
            wait(800)
            path = args.out / f"policy-editor-breach-{size.width()}x{size.height()}-{lang}.png"
            screen.grabWindow(0).save(str(path))
            print(path)
            win.close()
            wait(200)
            ctx.taskman.shutdown()
            store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
