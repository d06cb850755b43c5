"""Real parts start only for the tests that use them: a run of core tests alone starts neither the
PulseAudio daemon nor a QApplication.

The root conftest asserts this at the end of every run that has no ``qt`` test; a whole-suite run
has some, so this test makes such a run in a subprocess and needs it to pass.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_core_tests_alone_start_neither_the_audio_daemon_nor_qt(tmp_path: Path) -> None:
    files = ["tests/unit/core/test_ids.py", "tests/unit/core/test_store_drafts.py"]
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", *files, "-q", "-p", "no:randomly", f"--basetemp={tmp_path / 'run'}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert " passed" in proc.stdout and " error" not in proc.stdout, proc.stdout[-4000:]
