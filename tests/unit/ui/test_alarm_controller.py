"""AlarmController: rows in, ringing set + siren out; the alarm survives a crash because its state is in the store."""

from __future__ import annotations

import dataclasses
import os
import signal
import subprocess
import sys
import textwrap
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pytestqt.qtbot import QtBot

from core.events import EventType, Tier, iso
from core.hlc import HybridClock
from core.store import CaseRow, LocalStore, StoreKey, record
from tests.e2e.kit import OPERATOR, add_cases_from_hq, created_event, open_store
from ui.alarm import AlarmController, AlarmSound, RingReason

REPO = Path(__file__).resolve().parents[3]


def row(case_id: str = "c1", **changes: object) -> CaseRow:
    now = datetime.now(UTC)
    base = CaseRow(
        case_id=case_id,
        kind="suicide_risk",
        status="new",
        priority=1,
        received_at=iso(now - timedelta(minutes=2)),
        district="Lucknow",
        police_station="Hazratganj",
        summary=None,
        subject_name="Ravi Kumar",
        needs_alarm=True,
        acknowledged_at=None,
        dispatched_at=None,
        muted_until=None,
        pending_count=0,
        rejected_count=0,
        updated_hlc=None,
        purged=False,
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def ack(r: CaseRow, minutes_ago: float = 0.0) -> CaseRow:
    at = iso(datetime.now(UTC) - timedelta(minutes=minutes_ago))
    return dataclasses.replace(r, status="acknowledged", needs_alarm=False, acknowledged_at=at)


class Recorded:
    def __init__(self, controller: AlarmController) -> None:
        self.started: list[str] = []
        self.stopped: list[str] = []
        self.changes: list[list[tuple[str, RingReason]]] = []
        controller.alarm_started.connect(self.started.append)
        controller.alarm_stopped.connect(self.stopped.append)
        controller.ringing_changed.connect(lambda rs: self.changes.append([(r.case_id, r.reason) for r in rs]))


def test_rings_for_new_case_and_stops_when_an_update_shows_it_acknowledged(qtbot: QtBot) -> None:
    controller = AlarmController(None)
    seen = Recorded(controller)
    a, b = row("a"), row("b", priority=2)
    controller.update_rows([a, b])
    assert [r.case_id for r in controller.ringing] == ["a", "b"]
    assert seen.started == ["a", "b"]
    controller.update_rows([a, b])  # same rows again: no new signals
    assert seen.started == ["a", "b"] and len(seen.changes) == 1
    controller.update_rows([ack(a), b])  # e.g. another workstation acknowledged "a" via HQ
    assert seen.stopped == ["a"]
    assert seen.changes[-1] == [("b", RingReason.UNACKNOWLEDGED)]
    controller.update_rows([ack(a), ack(b)])
    assert not controller.is_ringing
    assert seen.changes[-1] == []
    assert seen.stopped == ["a", "b"]


def test_changed_row_details_repaint_the_banner(qtbot: QtBot) -> None:
    controller = AlarmController(None)
    seen = Recorded(controller)
    controller.update_rows([row("a")])
    controller.update_rows([row("a", police_station="Aliganj")])  # reassigned by HQ
    assert len(seen.changes) == 2
    assert seen.started == ["a"]


def test_siren_follows_the_ringing_set(qtbot: QtBot) -> None:
    sound = AlarmSound(ramp_s=1)
    controller = AlarmController(sound)
    a = row("a")
    controller.update_rows([a])
    assert sound.is_playing
    controller.update_rows([ack(a)])
    assert not sound.is_playing
    controller.update_rows([ack(a, minutes_ago=11)])  # dispatch overdue: rings again
    assert sound.is_playing
    assert [(r.case_id, r.reason) for r in controller.ringing] == [("a", RingReason.DISPATCH_OVERDUE)]
    controller.update_rows([])
    assert not sound.is_playing


def test_rings_again_on_its_own_when_a_mute_runs_out(qtbot: QtBot) -> None:
    controller = AlarmController(None)
    muted = row("a", muted_until=iso(datetime.now(UTC) + timedelta(milliseconds=400)))
    controller.update_rows([muted])
    assert not controller.is_ringing
    with qtbot.waitSignal(controller.alarm_started, timeout=3000) as blocker:
        pass  # no new rows: the controller's own timer must re-decide when the mute ends
    assert blocker.args == ["a"]
    assert controller.is_ringing


def test_dispatch_falls_overdue_on_its_own(qtbot: QtBot) -> None:
    controller = AlarmController(None, dispatch_overdue_min=0.01)  # 0.6 s
    controller.update_rows([ack(row("a"))])
    assert not controller.is_ringing
    with qtbot.waitSignal(controller.alarm_started, timeout=3000):
        pass
    assert controller.ringing[0].reason is RingReason.DISPATCH_OVERDUE


# ------------------------------------------------------------------ restart / crash

CRASHING_CONSOLE = textwrap.dedent(
    """
    import os, sys, time
    from pathlib import Path
    from PySide6.QtWidgets import QApplication
    from core.store import LocalStore
    from ui.alarm import AlarmController, AlarmSound
    app = QApplication([])
    store = LocalStore.open(Path(sys.argv[1]), bytes.fromhex(os.environ["RAKSHAK_TEST_KEY"]))
    with store.unit_of_work() as uow:
        rows = uow.cases.alarming()
    controller = AlarmController(AlarmSound())
    controller.update_rows(rows)
    print("RINGING", ",".join(r.case_id for r in controller.ringing), flush=True)
    while True:  # ringing, unacknowledged, when the console dies
        app.processEvents()
        time.sleep(0.01)
    """
)


def test_alarm_resumes_after_the_console_is_killed(qtbot: QtBot, tmp_path: Path, pulse_server: object) -> None:
    key = StoreKey.ephemeral()
    store = open_store(tmp_path, key)
    hq = HybridClock("hq")
    case = created_event(hq, name="Anjali Verma", received_at=datetime.now(UTC) - timedelta(minutes=1))
    tip = created_event(hq, kind="tip")
    add_cases_from_hq(store, [case, tip])
    store_path = store.path
    store.close()

    env = {**os.environ, "RAKSHAK_TEST_KEY": key.hex(), "PYTHONPATH": str(REPO)}
    log = tmp_path / "console.log"
    with open(log, "w") as err:
        proc = subprocess.Popen(
            [sys.executable, "-c", CRASHING_CONSOLE, str(store_path)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=err,
            text=True,
        )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.strip() == f"RINGING {case.case_id}", log.read_text()
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        if proc.stdout is not None:
            proc.stdout.close()

    # "Restart": a new process state, the same store.
    reopened = LocalStore.open(store_path, key)
    try:
        sound = AlarmSound()
        controller = AlarmController(sound)
        with reopened.unit_of_work() as uow:
            controller.update_rows(uow.cases.alarming())
        assert [r.case_id for r in controller.ringing] == [case.case_id]
        assert sound.is_playing

        clock = HybridClock(reopened.device_id)
        record(reopened, clock, OPERATOR, case.case_id, EventType.ACKNOWLEDGED, {})
        with reopened.unit_of_work() as uow:
            controller.update_rows(uow.cases.alarming())
        assert not controller.is_ringing
        assert not sound.is_playing
    finally:
        reopened.close()


def test_row_delivery_to_decision_is_fast(qtbot: QtBot) -> None:
    """The controller adds no perceptible delay even with a state-wide backlog of alarming rows."""
    controller = AlarmController(None)
    rows = [row(f"c{i}", priority=1 + i % 4) for i in range(2000)]
    start = time.perf_counter()
    controller.update_rows(rows)
    elapsed = time.perf_counter() - start
    assert len(controller.ringing) == 2000
    assert elapsed < 0.5, elapsed


# ------------------------------------------------------------------ tiers and refused silencing


def test_an_hq_console_rings_until_hq_acknowledges_a_district_console_until_the_district(qtbot: QtBot) -> None:
    sound = AlarmSound(ramp_s=1)
    hq_console, district_console = AlarmController(sound, tier=Tier.HQ), AlarmController(None, tier=Tier.DISTRICT)
    fresh = row("a", hq_needs_alarm=True)
    hq_acked = dataclasses.replace(fresh, hq_needs_alarm=False, hq_acknowledged_at=iso(datetime.now(UTC)))
    for controller in (hq_console, district_console):
        controller.update_rows([fresh])
        assert [r.case_id for r in controller.ringing] == ["a"]
    hq_console.update_rows([hq_acked])
    district_console.update_rows([hq_acked])
    assert not hq_console.is_ringing and not sound.is_playing
    assert [r.case_id for r in district_console.ringing] == ["a"]  # HQ's receipt does not silence the district


def test_a_refused_acknowledgement_stops_the_local_siren_and_reports_the_refusal(
    qtbot: QtBot, tmp_path: Path
) -> None:
    """HQ refuses the console's acknowledgement (here: a restored HQ that does not know the case).
    The case is unacknowledged by HQ's truth, but the operator who acknowledged can silence it here."""
    store = open_store(tmp_path, StoreKey.ephemeral())
    try:
        case = created_event(HybridClock("hq"), received_at=datetime.now(UTC) - timedelta(minutes=1))
        add_cases_from_hq(store, [case])
        sound = AlarmSound(ramp_s=1)
        controller = AlarmController(sound)
        refusals: list[list[tuple[str, str, str]]] = []
        controller.refusals_changed.connect(lambda rs: refusals.append([(r.case_id, r.what, r.reason) for r in rs]))
        with store.reader() as uow:
            controller.update_rows(uow.cases.alarming())
        assert sound.is_playing
        ack_event = record(store, HybridClock(store.device_id), OPERATOR, case.case_id, EventType.ACKNOWLEDGED, {})
        with store.unit_of_work() as uow:
            uow.outbox.mark_rejected(ack_event.id, "HQ has no such case", "unknown_case")
            uow.commit()
        with store.reader() as uow:
            rows = uow.cases.alarming()
        assert [r.case_id for r in rows] == [case.case_id]  # still unacknowledged in the store
        controller.update_rows(rows)
        assert not controller.is_ringing and not sound.is_playing
        assert refusals == [[(case.case_id, "ack", "HQ has no such case")]]
        assert [(r.case_id, r.by) for r in controller.refusals] == [(case.case_id, OPERATOR.display_name)]
        # the refusal is what silences it: a row without one rings again
        controller.update_rows([dataclasses.replace(rows[0], refused_silence=None)])
        assert controller.is_ringing and refusals[-1] == []
    finally:
        store.close()
