"""The README's run command, as a process: ``python main.py --demo`` rings for an injected alert and
shuts down cleanly on SIGTERM (drafts flushed, engine stopped, demo folder deleted)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_demo_rings_and_stops_cleanly(tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONUNBUFFERED": "1"}
    log_path = tmp_path / "demo.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "main.py", "--demo", "--demo-interval-s", "30"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 45
        text = ""
        while "alarm started for case" not in text:
            assert proc.poll() is None, log_path.read_text(errors="replace")[-3000:]
            assert time.monotonic() < deadline, text[-3000:]
            time.sleep(0.2)
            text = log_path.read_text(errors="replace")
        folder = re.search(r"data in (\S+);", text)
        assert folder is not None
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0, log_path.read_text(errors="replace")[-3000:]
        assert not Path(folder.group(1)).exists()  # synthetic data and ephemeral store are gone
        assert "Traceback" not in log_path.read_text(errors="replace")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
