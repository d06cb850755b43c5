"""With no audio server the alarm cannot sound, and the console must say so, permanently.

QtMultimedia binds to the audio server once per process, so each case runs in its own process:
one pointed at nowhere, and the same script against the real null sink as the control that proves
the test can tell the difference.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.fixtures.pulse import PulseServer

pytestmark = [pytest.mark.sound, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[3]

CONSOLE = textwrap.dedent(
    """
    import json
    from datetime import UTC, datetime
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget
    from core.events import iso
    from core.store import CaseRow
    from ui.alarm import AlarmController, AlarmSound, NoAudioWarning

    app = QApplication([])
    window = QWidget()
    warning = NoAudioWarning(window)
    QVBoxLayout(window).addWidget(warning)
    sound = AlarmSound()
    failures = []
    verdicts = []
    sound.playback_failed.connect(failures.append)
    sound.audio_ok_changed.connect(verdicts.append)
    sound.audio_checked.connect(warning.set_check)
    window.show()
    first = sound.start_monitoring()

    controller = AlarmController(sound)
    row = CaseRow("c1", "suicide_risk", "new", 1, iso(datetime.now(UTC)), "Lucknow", "Hazratganj", None,
                  "Ravi Kumar", True, None, None, None, 0, 0, None, False)
    controller.update_rows([row])
    loop = QEventLoop()
    QTimer.singleShot(500, loop.quit)
    loop.exec()
    print(json.dumps({
        "first_ok": first.ok,
        "detail": first.detail,
        "verdicts": verdicts,
        "failures": failures,
        "ringing": controller.is_ringing,
        "sound_playing": sound.is_playing,
        "warning_visible": warning.isVisible(),
        "warning_text": warning.title.text(),
    }))
    """
)


def run_console(env_changes: dict[str, str]) -> dict[str, object]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "QT_QPA_PLATFORM": "offscreen", **env_changes}
    proc = subprocess.run(
        [sys.executable, "-c", CONSOLE], env=env, capture_output=True, text=True, timeout=60, cwd=REPO
    )
    assert proc.returncode == 0, proc.stderr
    result: dict[str, object] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def test_no_audio_server_shows_the_permanent_warning(tmp_path: Path) -> None:
    empty_runtime = tmp_path / "runtime"
    empty_runtime.mkdir(mode=0o700)
    result = run_console({"PULSE_SERVER": f"unix:{tmp_path / 'no-such-server'}", "XDG_RUNTIME_DIR": str(empty_runtime)})
    assert result["first_ok"] is False
    assert "no audio output" in str(result["detail"])
    assert result["verdicts"] == [False]
    assert result["ringing"] is True  # the case still rings on screen...
    assert result["sound_playing"] is False  # ...but the siren cannot, and nobody pretends it does
    assert result["failures"], "start() on a dead audio path must report a playback failure"
    assert result["warning_visible"] is True
    assert "ALARM CANNOT SOUND" in str(result["warning_text"])


def test_control_with_the_null_sink_shows_no_warning(pulse_server: PulseServer) -> None:
    result = run_console(pulse_server.env())
    assert result["first_ok"] is True, result
    assert result["verdicts"] == [True]
    assert result["failures"] == []
    assert result["sound_playing"] is True
    assert result["warning_visible"] is False
