"""SIGTERM (a shutdown, an upgrade's stop, Ctrl+C) while the first-start login dialog is open ends
the client at once and cleanly: before the main loop runs, ``QApplication.quit`` alone does nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
KEYRING_DIR = ROOT / "tests" / "integration" / "sync"  # file_keyring.FileKeyring: shared with a child


@pytest.mark.parametrize("after_s", [0.0, 4.0])  # during start-up, and with the dialog's loop running
def test_sigterm_at_the_login_dialog_quits(tmp_path: Path, after_s: float) -> None:
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHONUNBUFFERED": "1",
        "PYTHON_KEYRING_BACKEND": "file_keyring.FileKeyring",
        "RAKSHAK_TEST_KEYRING": str(tmp_path / "keyring.json"),
        "PYTHONPATH": os.pathsep.join([str(KEYRING_DIR), str(ROOT)]),
    }
    log_path = tmp_path / "client.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "main.py", "--data-dir", str(tmp_path / "data"), "--lang", "en"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
    try:
        # the store is made and the login dialog is up once the store key is in the keyring
        deadline = time.monotonic() + 60
        while not (tmp_path / "keyring.json").exists() or not (tmp_path / "data").exists():
            assert proc.poll() is None, log_path.read_text(errors="replace")[-3000:]
            assert time.monotonic() < deadline, "the client did not start"
            time.sleep(0.2)
        time.sleep(after_s)
        assert proc.poll() is None, log_path.read_text(errors="replace")[-3000:]
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=20) == 0, log_path.read_text(errors="replace")[-3000:]
        text = log_path.read_text(errors="replace")
        assert "signal 15: quitting" in text and "Traceback" not in text
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
