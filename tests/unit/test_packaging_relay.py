"""The HQ package's second unit, the tip line's relay (docs/TIPLINE.md, "Load"): it passes systemd's
verify and security audit like rakshak-hq.service, keeps that unit's hardening, runs the relay at a
lower CPU priority, does not restart when the tip line is not configured, and is installed."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEB = ROOT / "build" / "deb"
UNIT = "rakshak-hq-tipline-relay.service"


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze here")
def test_relay_unit_passes_systemd_analyze_verify_and_its_security_audit(tmp_path: Path) -> None:
    launcher = tmp_path / "rakshak-hq"
    shutil.copy(DEB / "hq" / "rakshak-hq", launcher)
    launcher.chmod(0o755)
    shutil.copy(DEB / "hq" / "hq.env", tmp_path / "hq.env")
    text = (DEB / "hq" / UNIT).read_text()
    unit = tmp_path / UNIT
    text = text.replace("/usr/bin/rakshak-hq", str(launcher))
    text = text.replace("/etc/rakshak-hq/hq.env", str(tmp_path / "hq.env"))
    unit.write_text(text)
    verify = subprocess.run(["systemd-analyze", "verify", str(unit)], capture_output=True, text=True, timeout=60)
    assert verify.returncode == 0 and verify.stderr.strip() == "", verify.stderr
    audit = subprocess.run(["systemd-analyze", "security", "--offline=true", "--threshold=25", str(unit)],
                           capture_output=True, text=True, timeout=60)  # fmt: skip
    assert audit.returncode == 0, audit.stdout[-2000:]


def test_relay_unit_runs_the_relay_niced_with_the_main_units_hardening() -> None:
    relay = (DEB / "hq" / UNIT).read_text()
    main = (DEB / "hq" / "rakshak-hq.service").read_text()
    assert "ExecStart=/usr/bin/rakshak-hq tipline-relay\n" in relay
    assert "Nice=10\n" in relay and "RestartPreventExitStatus=2\n" in relay
    hardening = [line for line in main.splitlines() if line.startswith(("Protect", "Restrict", "Private", "User="))]
    assert hardening and all(line in relay.splitlines() for line in hardening)
    assert "tipline-relay)" in (DEB / "hq" / "rakshak-hq").read_text()  # the launcher passes hq.env's database
    assert f'"{UNIT}"' in (ROOT / "build" / "make_deb.py").read_text()
