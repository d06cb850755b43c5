"""Screenshots of the HQ workstation on its Complaints tab (every district's complaints, their
countdowns and the breach signal, one open in the pane with the composer), then a new suicide-risk
alert ringing, which brings the Cases tab forward; English and Hindi, for docs/screenshots/.

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python scripts/hq_alarm_screenshots.py --platform xcb
    .venv/bin/python scripts/hq_alarm_screenshots.py          # offscreen (QWidget.grab)

The real demo runs (an embedded HQ on loopback, the demo HQ operator signed in, its replica filled by
sync). Complaints enter through HQ's take path (``scripts/district_complaint_screenshots.py``'s
``fill_hq``, ``scripts/complaint_screenshots.py``'s set).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from complaint_screenshots import COMPLAINTS
from district_complaint_screenshots import fill_hq
from shots import OUT, set_up_display, shot, tear_down, wait_until


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--platform", default="offscreen")
    parser.add_argument("--langs", default="en,hi")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    wm = set_up_display(args.platform)

    import keyring

    from demo.client import DemoKeyring, DemoRunner
    from ui.app import make_app
    from ui.hq.layout import CASES_TAB, COMPLAINTS_TAB, HQLayout
    from ui.i18n import install_translator

    app = make_app()
    keyring.set_keyring(DemoKeyring())
    for lang in args.langs.split(","):
        install_translator(app, lang)
        runner = DemoRunner(app, lang=lang, interval_s=0, first_alert_s=3600, with_sound=False, seed=5, user="hq")
        fill_hq(runner.hq.database)
        window = runner.start()
        hq = window.tabs
        assert isinstance(hq, HQLayout)
        view = hq.complaints
        taken = len(COMPLAINTS)
        wait_until(lambda v=view, n=taken: v.loaded and sum(bool(r.author_handle) for r in v.model.all_rows) == n, 30)
        assert not window.alarm.is_ringing  # the demo's own cases are tips: nothing rings before the new alert
        view.open_case(view.model.row_at(0).case_id)
        hq.open_complaints()
        assert hq.currentIndex() == COMPLAINTS_TAB
        runner.inject()  # a suicide-risk alert: it rings, and the Cases tab comes forward
        wait_until(lambda w=window, t=hq: w.alarm.is_ringing and t.currentIndex() == CASES_TAB, 30)
        shot(window, args.out / f"hq-alarm-over-complaints-{lang}.png", args.platform)
        runner.stop()
    tear_down(wm)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
