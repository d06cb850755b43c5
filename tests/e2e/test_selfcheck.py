"""``main.py selfcheck`` as an operator or installer runs it: a subprocess, no keyring, no data dir."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_selfcheck_reports_every_part_whole(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path)}
    proc = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "selfcheck"], env=env, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    assert report == {
        "ok": True,
        "qt": "offscreen",
        "fonts": True,
        "hindi_translation": True,
        "alarm_sound": True,
        "store": True,
    }
    assert not list(tmp_path.iterdir()), "selfcheck must not write into the user's home"
