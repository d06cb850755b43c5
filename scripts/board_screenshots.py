"""Screenshots of the HQ layout's board, in English and Hindi, for docs/screenshots/.

    xvfb-run -a -s "-screen 0 1920x1080x24" sh -c 'openbox & sleep 1; .venv/bin/python scripts/board_screenshots.py'
    xvfb-run -a -s "-screen 0 1366x768x24" sh -c 'openbox & sleep 1; .venv/bin/python scripts/board_screenshots.py'

The real main window of an HQ account (its layout: the board first), maximised by the window manager
on the X screen, over an encrypted store with an ephemeral key, showing a synthetic board of Uttar
Pradesh's 75 districts with 200 consoles (``tests/unit/ui/hq/boards.py``: every severity present).
No HQ is contacted: the board's own fetch is stopped and the synthetic board is shown instead.
Writes ``board-<width>x<height>-<lang>.png`` (the whole screen, window frame included) and
``board-consoles-<width>x<height>-<lang>.png`` (a district's consoles dialog over it).
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
    from datetime import UTC, datetime

    from PySide6.QtCore import QEventLoop, QTimer

    from core.events import Author, Tier
    from core.hlc import HybridClock
    from core.store import LocalStore, StoreKey
    from tests.e2e.kit import UiEnv, make_context
    from tests.unit.ui.hq.boards import up_board
    from ui.app import make_app
    from ui.i18n import install_translator
    from ui.main_window import MainWindow

    app = make_app()
    args.out.mkdir(parents=True, exist_ok=True)

    def wait(ms: int) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    screen = app.primaryScreen()
    size = screen.size()
    for lang in args.langs.split(","):
        install_translator(app, lang)
        with tempfile.TemporaryDirectory() as tmp:
            store = LocalStore.open(Path(tmp) / "rakshak.db", StoreKey.ephemeral())
            ctx = make_context(UiEnv(Path(tmp), store, b"", HybridClock("hq")))
            ctx.user.author = Author("hq-1", "Inspector R. Verma", Tier.HQ)
            ctx.user.username, ctx.user.role, ctx.user.district = "hq", "hq_operator", None
            win = MainWindow(ctx, with_sound=False)
            assert win.hq is not None
            board = win.hq.board
            board._poll.stop()
            win.showMaximized()
            wait(1500)
            board.show_board(up_board(75, 200, datetime.now(UTC)))
            wait(1500)
            path = args.out / f"board-{size.width()}x{size.height()}-{lang}.png"
            screen.grabWindow(0).save(str(path))
            print(path)
            dialog = board.open_consoles(board.model.row_at(3).code)  # a district whose consoles are mixed
            wait(800)
            if dialog is not None:
                path = args.out / f"board-consoles-{size.width()}x{size.height()}-{lang}.png"
                screen.grabWindow(0).save(str(path))
                print(path)
                dialog.close()
            win.close()
            wait(200)
            ctx.taskman.shutdown()
            store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
