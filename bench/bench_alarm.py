"""Delay from AlarmController receiving rows to the siren's first samples in the audio sink.

    .venv/bin/python bench/bench_alarm.py [--trials 10] [--json]

Starts a private PulseAudio null sink (tests/fixtures/pulse.py), records its monitor with parecord,
and for each trial: notes how many frames the recording holds, calls
``AlarmController.update_rows([alarming row])``, lets the siren play 0.6 s, acknowledges, waits for
silence. Afterwards it finds, in the recording, the first sample above 5 % of full scale after each
trial's mark. ``delay = (onset frame - frames on disk at the mark) / 48 kHz``. parecord writes
with ~10 ms latency, so frames on disk lag the sink by up to that much: the figure is an upper
bound, pessimistic by about the recorder's latency.

One extra "cold" trial first: the player is created and the rows delivered at once, as after a
restart with an unacknowledged case in the store (WAV loading included).

Also reports the wall time of ``update_rows`` itself, with 1 and with 2 000 alarming rows.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.fixtures.pulse import RATE_HZ, Recorder, first_loud_frame, read_samples, start_pulse  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=10)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    base = Path(tempfile.mkdtemp(prefix="rakshak-bench-alarm-"))
    server = start_pulse(base)
    os.environ["PULSE_SERVER"] = server.server  # before QtMultimedia initialises
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    try:
        return run(args, server, base)
    finally:
        server.stop()
        shutil.rmtree(base, ignore_errors=True)


def run(args: argparse.Namespace, server: object, base: Path) -> int:
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from core.events import iso
    from core.store import CaseRow
    from ui.alarm import AlarmController, AlarmSound

    app = QApplication([])

    def wait(ms: int) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    now = datetime.now(UTC)
    row = CaseRow(
        case_id="bench-1",
        kind="suicide_risk",
        status="new",
        priority=1,
        received_at=iso(now - timedelta(minutes=1)),
        district="Lucknow",
        police_station="Hazratganj",
        summary=None,
        subject_name="Bench",
        needs_alarm=True,
        acknowledged_at=None,
        dispatched_at=None,
        muted_until=None,
        pending_count=0,
        rejected_count=0,
        updated_hlc=None,
        purged=False,
    )
    acked = dataclasses.replace(row, status="acknowledged", needs_alarm=False, acknowledged_at=iso(now))

    marks: list[int] = []
    call_ms: list[float] = []
    recording = base / "bench.wav"
    with Recorder(server, recording) as rec:  # type: ignore[arg-type]
        wait(200)
        # Cold: the client has just started and the store already holds an unacknowledged case
        # (restart after a crash): player construction and WAV loading are inside the measurement.
        rec.mark()
        cold_mark = rec.timeline[-1][1]
        sound = AlarmSound(max_volume=1.0, ramp_s=20)
        controller = AlarmController(sound)
        controller.update_rows([row])
        wait(600)
        controller.update_rows([acked])
        wait(500)
        for _ in range(args.trials):
            rec.mark()
            t0 = time.perf_counter()
            controller.update_rows([row])
            call_ms.append((time.perf_counter() - t0) * 1000)
            marks.append(rec.timeline[-1][1])
            wait(600)
            controller.update_rows([acked])
            wait(500)
    samples = read_samples(recording)
    cold = first_loud_frame(samples[cold_mark : marks[0] if marks else len(samples)], threshold=0.05)
    cold_ms = None if cold is None else round(cold / RATE_HZ * 1000, 1)
    delays_ms: list[float] = []
    for i, mark in enumerate(marks):
        end = marks[i + 1] if i + 1 < len(marks) else len(samples)
        onset = first_loud_frame(samples[mark:end], threshold=0.05)
        if onset is None:
            print(f"trial {i}: NO SOUND", file=sys.stderr)
            continue
        delays_ms.append(onset / RATE_HZ * 1000)

    many = [dataclasses.replace(row, case_id=f"c{i}", priority=1 + i % 4) for i in range(2000)]
    quiet = AlarmController(None)
    t0 = time.perf_counter()
    quiet.update_rows(many)
    many_ms = (time.perf_counter() - t0) * 1000
    del app

    result = {
        "trials": args.trials,
        "sounded": len(delays_ms),
        "cold_start_delay_ms": cold_ms,
        "delay_ms_median": round(statistics.median(delays_ms), 1) if delays_ms else None,
        "delay_ms_max": round(max(delays_ms), 1) if delays_ms else None,
        "delay_ms_min": round(min(delays_ms), 1) if delays_ms else None,
        "update_rows_ms_median_1_row": round(statistics.median(call_ms), 2),
        "update_rows_ms_2000_rows": round(many_ms, 1),
        "python": sys.version.split()[0],
    }
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key:32} {value}")
    return 0 if len(delays_ms) == args.trials and cold_ms is not None else 1


if __name__ == "__main__":
    sys.exit(main())
