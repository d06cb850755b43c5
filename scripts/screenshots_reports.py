"""Screenshots of the Reports view and of a PDF export's pages, English and Hindi, for docs/screenshots/.

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python scripts/screenshots_reports.py --platform xcb
    .venv/bin/python scripts/screenshots_reports.py          # offscreen (QWidget.grab), no display needed

The figures are the published shape (740 alerts, 457 lives saved, Jan 2023 – Jun 2024) from the test
suite's report fakes (tests/unit/ui/reports/fakes.py), over 12 districts; the view is the real one.
On xcb an openbox window manager is started on the display and the whole screen is captured
(``import -window root``), so the window's frame and its fit to a 1,366 x 768 screen show.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
OUT = ROOT / "docs" / "screenshots"


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
            # the window manager draws the title bar with the system's fonts: give it the bundled
            # Devanagari font too, or a Hindi title shows as boxes on a machine without one
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
    from PySide6.QtCore import QEventLoop, QSize, QTimer
    from PySide6.QtGui import QColor, QImage, QPainter
    from PySide6.QtPdf import QPdfDocument

    from core.reports import ReportSource
    from tests.unit.ui.reports.fakes import PUBLISHED_PERIOD, FakeLoader
    from ui.app import make_app
    from ui.i18n import install_translator
    from ui.operations import TaskManager
    from ui.reports import ReportsView

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

    def shot(view: ReportsView, name: str) -> None:
        wait(400)
        path = args.out / f"{name}.png"
        if args.platform == "offscreen":
            view.grab().save(str(path))
        else:
            subprocess.run(["import", "-window", "root", str(path)], check=True)
        print("saved", path)

    def pdf_pages(path: Path, name: str) -> None:
        doc = QPdfDocument()
        doc.load(str(path))
        for page, suffix in ((0, ""), (doc.pageCount() - 1, "-charts")):
            size = doc.pagePointSize(page)
            rendered = doc.render(page, QSize(1600, int(1600 * size.height() / size.width())))
            paper = QImage(rendered.size(), QImage.Format.Format_RGB32)
            paper.fill(QColor("white"))
            painter = QPainter(paper)
            painter.drawImage(0, 0, rendered)
            painter.end()
            paper.save(str(args.out / f"{name}{suffix}.png"))
            print("saved", args.out / f"{name}{suffix}.png")
        doc.close()

    taskman = TaskManager()
    for lang in args.langs.split(","):
        install_translator(app, lang)
        for source, suffix in ((ReportSource.HQ, ""), (ReportSource.REPLICA, "-replica")):
            view = ReportsView(FakeLoader(n=12, source=source), taskman, today=lambda: date(2024, 7, 15))
            view.showMaximized()
            view.period.set_period(*PUBLISHED_PERIOD)
            wait_until(lambda v=view: "outcomes" in v.reports and len(v.tab_by_kind["outcomes"].points) == 18)
            if suffix:
                shot(view, f"reports-outcomes{suffix}-{lang}")
                view.close()
                continue
            shot(view, f"reports-outcomes-{lang}")
            view.tabs.setCurrentWidget(view.tab_by_kind["timing"])
            wait_until(lambda v=view: "timing" in v.reports)
            shot(view, f"reports-timing-{lang}")
            view.tabs.setCurrentWidget(view.tab_by_kind["outcomes"])
            pdf = Path(tempfile.mkdtemp(prefix="rakshak-pdf-")) / "report.pdf"
            view.export("pdf", pdf)
            wait_until(lambda p=pdf, v=view: p.exists() and v.job is None)
            pdf_pages(pdf, f"report-pdf-{lang}")
            view.close()
    taskman.shutdown()
    if wm is not None:
        wm.terminate()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
