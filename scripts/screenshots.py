"""Screenshots of the desktop client's main states, in English and Hindi, for docs/screenshots/.

    .venv/bin/python scripts/screenshots.py            # offscreen (QWidget.grab), no display needed
    xvfb-run -a -s "-screen 0 1366x800x24" .venv/bin/python scripts/screenshots.py --platform xcb

Runs the real demo (embedded HQ on loopback, synthetic data, ephemeral store key) and drives it as
an operator would: an alert arrives and rings, is muted (the mute notice), the case is opened and
acknowledged, a counselling note is recorded and read from the timeline, the outcome form is filled, HQ
goes away (offline, one change waiting), and the console locks while a new alert rings. Then an HQ
operator's console: the manual intake form, the same form finding the alert already a case, and a
case routed and forwarded to 112 with its chain. Offscreen, the screen is 1,366 x 768, and the window
sizes itself to it.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
OUT = ROOT / "docs" / "screenshots"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--platform", default="offscreen", help="Qt platform: offscreen (default) or xcb")
    parser.add_argument("--langs", default="en,hi")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    if args.platform == "offscreen":
        # A 1,366 x 768 screen, the control room's laptop: the window must fit it (it sizes itself to it).
        screen = Path(tempfile.mkdtemp(prefix="rakshak-shots-")) / "screen.json"
        screen.write_text('{"screens": [{"name": "laptop", "x": 0, "y": 0, "width": 1366, "height": 768}]}')
        os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={screen}"
    else:
        os.environ["QT_QPA_PLATFORM"] = args.platform
    from datetime import UTC, datetime, timedelta

    import keyring
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QWidget

    from core.events import EventType, iso
    from demo.client import DemoKeyring, DemoRunner
    from ui.app import make_app
    from ui.i18n import install_translator

    app = make_app()
    keyring.set_keyring(DemoKeyring())
    args.out.mkdir(parents=True, exist_ok=True)

    def wait(ms: int) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    def wait_until(cond: Callable[[], bool], timeout_s: float = 15.0, what: str = "") -> None:
        deadline = time.monotonic() + timeout_s
        while not cond():
            if time.monotonic() > deadline:
                raise TimeoutError(f"timed out waiting for {what}")
            wait(30)

    def shot(widget: QWidget, name: str) -> None:
        wait(150)
        path = args.out / name
        widget.grab().save(str(path))
        print("saved", path)

    def capture(lang: str) -> None:
        install_translator(app, lang)
        runner = DemoRunner(app, lang=lang, interval_s=0, first_alert_s=0.3, with_sound=False, seed=7)
        window = runner.start()
        wait_until(lambda: window.alarm.is_ringing, what="the alarm")
        case_id = window.alarm.ringing[0].case_id
        window.open_case(case_id)
        wait_until(lambda: window.detail.state is not None and window.detail.case_id == case_id, what="detail")
        shot(window, f"queue-alarm-{lang}.png")

        until = iso(datetime.now(UTC) + timedelta(minutes=5))
        window.record(case_id, EventType.ALARM_MUTED, {"reason": "caller on the line", "until": until})
        wait_until(lambda: window.mute_notice.isVisible(), what="the mute notice")
        shot(window, f"muted-{lang}.png")

        window.acknowledge(case_id)
        wait_until(lambda: not window.alarm.is_ringing, what="alarm to stop")
        wait_until(lambda: window.detail.state is not None and window.detail.state.acknowledged_at, what="ack")
        window.record(case_id, EventType.DISPATCHED, {"officer": "SI Rakesh Yadav", "phone": "9000000555",
                                                      "team": "PRV 112-07"})
        wait_until(lambda: window.detail.state is not None and window.detail.state.dispatched_at, what="dispatch")
        shot(window, f"case-detail-{lang}.png")
        window.record(case_id, EventType.REACHED, {"at": iso(datetime.now(UTC)), "place": "his home"})
        wait_until(lambda: window.detail.state is not None and window.detail.state.reached_at, what="reached")
        window.record(case_id, EventType.OUTCOME_RECORDED, {"outcome": "safe_counselled"})
        wait_until(lambda: window.detail.state is not None and window.detail.state.outcome, what="outcome")
        wait(1100)  # the counselling comes a moment later: the chain shows how long it took

        window.record(case_id, EventType.COUNSELLING_NOTE, {
            "officer_name": "R. Singh", "officer_rank": "DSP", "family_contacted": True,
            "referral": "Tele-MANAS 14416",
            "text": "Spoke with him for forty minutes on the phone. He failed an exam and could not face his "
                    "family. His uncle came over and stays with him tonight. He agreed to call Tele-MANAS "
                    "tomorrow morning; follow up in two days.",
        })
        wait_until(lambda: window.detail.state is not None and window.detail.state.counselling_notes, what="note")
        timeline = window.detail.timeline
        wait_until(lambda: timeline.rowCount() > 0 and timeline.item(timeline.rowCount() - 1, 1) is not None
                   and timeline.item(timeline.rowCount() - 1, 1).text() != "", what="the note in the timeline")
        timeline.itemActivated.emit(timeline.item(timeline.rowCount() - 1, 3))
        entry = window.detail._entry_dialog
        assert entry is not None
        shot(entry, f"timeline-entry-{lang}.png")
        entry.close()

        form = window.open_form("outcome")
        assert form is not None
        form.set_values({"outcome": "not_reached", "detail": "Team at the address; door locked, neighbours called."})
        form.resize(520, form.sizeHint().height())
        shot(form, f"outcome-form-{lang}.png")
        form.close()

        wait_until(lambda: window.detail.chain.links and window.detail.chain.links[7].at, what="the chain")
        shot(window.detail.chain, f"chain-{lang}.png")

        runner.hq.stop()
        window.ctx.engine.sync_now()
        window.record(case_id, EventType.FOLLOW_UP_SCHEDULED, {"due": iso(datetime.now(UTC) + timedelta(days=2))})
        wait_until(lambda: str(getattr(window.status.status, "state", "")) == "offline", 30, "offline status")
        wait_until(lambda: getattr(window.status.status, "pending", 0) >= 1, 10, "pending count")
        shot(window, f"offline-{lang}.png")

        window.lock()
        window.alarm.update_rows([*window.alarm_rows, _fake_alert_row(case_id)])
        shot(window, f"locked-{lang}.png")
        window.alarm.update_rows([])
        runner.stop()

    def capture_hq(lang: str) -> None:
        import demo.client as demo_client
        from hq.demo import DEMO_USERS

        install_translator(app, lang)
        # an HQ operator's console (the demo logs in its district operator otherwise)
        demo_client.DEMO_USER, demo_client.DEMO_PASSWORD = next((u, p) for u, p, r, *_ in DEMO_USERS
                                                                 if r == "hq_operator")
        runner = DemoRunner(app, lang=lang, interval_s=0, first_alert_s=0.3, with_sound=False, seed=11)
        window = runner.start()
        wait_until(lambda: window.alarm.is_ringing, what="the alarm at HQ")
        case_id = window.alarm.ringing[0].case_id
        window.open_case(case_id)
        wait_until(lambda: window.detail.state is not None and window.detail.case_id == case_id, what="detail")

        form = window.opener.open_intake(window)
        wait_until(lambda: form.places_loaded and form.draft_found is not None, what="the districts")
        form.set_values({
            "source": "facebook", "upstream_ref": "META-UP-2026-118734", "kind": "suicide_risk", "priority": "1",
            "subject.name": "Sunita Devi (synthetic)", "subject.phones": "9000000811, 9000000812",
            "subject.profile_url": "https://example.invalid/profile/811",
            "subject.post_url": "https://example.invalid/post/4471",
            "subject.post_text": "अब और नहीं सहा जाता। सब ख़त्म कर रही हूँ।",
            "location.text": "Near Alambagh bus stand, Lucknow (Meta estimate)",
            "district": "LKO", "police_station": "ALM",
        })
        form.resize(620, form.sizeHint().height())
        shot(form, f"intake-form-{lang}.png")
        form.set_values({"upstream_ref": str(window.detail.state.upstream_ref)})
        form.look_up_reference()
        wait_until(lambda: form.existing_box.isVisible(), what="the existing case")
        form.resize(620, form.sizeHint().height())
        shot(form, f"intake-twin-{lang}.png")
        form.reject()

        window.acknowledge(case_id)
        wait_until(lambda: window.detail.state is not None and window.detail.state.hq_acknowledged_at, what="ack")
        window.record(case_id, EventType.FORWARDED, {"to": "erss_112", "reference": "112-UP-55120"})
        wait_until(lambda: window.detail.state is not None and window.detail.state.forwards, what="forward")
        wait_until(lambda: window.detail.chain.links and window.detail.chain.links[4].at, what="the chain")
        from PySide6.QtWidgets import QScrollArea

        scroll = window.detail.findChild(QScrollArea)
        assert scroll is not None
        scroll.ensureWidgetVisible(window.detail.chain)  # scrolled to the chain, as an operator would
        shot(window, f"hq-case-chain-{lang}.png")
        runner.stop()

    for lang in args.langs.split(","):
        capture(lang)
    for lang in args.langs.split(","):
        capture_hq(lang)
    return 0


def _fake_alert_row(template_case: str) -> object:
    """A ringing row for the locked screenshot (HQ is stopped, so no new alert can arrive)."""
    from datetime import UTC, datetime

    from core.store import CaseRow

    return CaseRow(case_id="00000000-0000-4000-8000-000000000001", kind="suicide_risk", status="new", priority=1,
                   received_at=datetime.now(UTC).isoformat(), district="LKO", police_station="HAZ", summary=None,
                   subject_name="Hidden Name (synthetic)", needs_alarm=True, acknowledged_at=None, dispatched_at=None,
                   muted_until=None, pending_count=0, rejected_count=0, updated_hlc=None, purged=False)


if __name__ == "__main__":
    sys.exit(main())
