"""Screenshots of a district's console with its Complaints tab (the complaints HQ routed to Lucknow,
their countdowns and the breach signal, the pane with "Open as a case" and no composer), then a new
alert ringing, which brings the Cases tab forward; English and Hindi, for docs/screenshots/.

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python scripts/district_complaint_screenshots.py --platform xcb
    .venv/bin/python scripts/district_complaint_screenshots.py          # offscreen (QWidget.grab)

The real demo runs (an embedded HQ on loopback, the demo operator of Lucknow signed in, its replica
filled by sync). Complaints enter through HQ's take path with platform times 5 to 126 minutes ago
and are routed by HQ's triage (``scripts/complaint_screenshots.py``'s set; only Lucknow's reach
this console).
"""

from __future__ import annotations

import argparse
import sys
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from complaint_screenshots import COMPLAINTS
from shots import OUT, set_up_display, shot, tear_down, wait_until


def fill_hq(db: object) -> int:
    """HQ's complaints (every district's); returns how many are routed to Lucknow."""
    from core.events import ItemKind, Source, utcnow
    from hq.claims.cli import _principal
    from hq.complaints import queue
    from hq.complaints.take import IncomingItem, take_item

    who = _principal(db, "hq")
    now = utcnow()
    for i, (platform, kind, ago, handle, text, category, district) in enumerate(COMPLAINTS):
        taken = take_item(db, IncomingItem(  # type: ignore[arg-type]
            platform=Source(platform), item=ItemKind(kind), platform_id=f"dshot{i}",
            posted_at=now - timedelta(minutes=ago), text=text, author_id=f"a{i}", author_handle=handle,
            author_url=f"https://{platform}.example/{handle.strip('@')}", post_url=f"https://{platform}.example/p/{i}",
        ), now=now)  # fmt: skip
        if category or district:
            queue.triage(db, who, taken.case_id, category=category, district=district)  # type: ignore[arg-type]
    return sum(1 for c in COMPLAINTS if c[6] == "LKO")


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
    from ui.district_layout import CASES_TAB, DistrictLayout
    from ui.i18n import install_translator

    app = make_app()
    keyring.set_keyring(DemoKeyring())
    for lang in args.langs.split(","):
        install_translator(app, lang)
        runner = DemoRunner(app, lang=lang, interval_s=0, first_alert_s=3600, with_sound=False, seed=5)
        routed = fill_hq(runner.hq.database)
        window = runner.start()
        tabs = window.tabs
        assert isinstance(tabs, DistrictLayout) and tabs.complaints is not None
        view = tabs.complaints
        # the demo's own complaints (from its Meta intake, no handle) are Lucknow's too
        wait_until(lambda v=view, n=routed: v.loaded and sum(bool(r.author_handle) for r in v.model.all_rows) == n, 30)
        view.open_case(view.model.row_at(0).case_id)
        tabs.open_complaints()
        shot(window, args.out / f"district-complaints-{lang}.png", args.platform)
        runner.inject()  # a suicide-risk alert: it rings, and the Cases tab comes forward
        wait_until(lambda w=window, t=tabs: w.alarm.is_ringing and t.currentIndex() == CASES_TAB, 30)
        shot(window, args.out / f"district-alarm-over-complaints-{lang}.png", args.platform)
        runner.stop()
    tear_down(wm)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
