"""The installers' fast checks: the console .deb's Depends come from the selfcheck's library map, the
HQ's systemd unit passes ``systemd-analyze verify`` (and its offline security audit), the maintainer
scripts and launchers parse, the Windows installer script compiles with makensis against a stand-in
bundle, and the update-check policy the installers write is the one the console reads. The slow
checks (a fresh Debian chroot) are scripts/check_deb.sh and scripts/check_hq_deb.sh."""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from core import settings as settings_mod
from ui.selfcheck import SYSTEM_LIBRARY_PACKAGES

ROOT = Path(__file__).resolve().parents[2]
DEB = ROOT / "build" / "deb"


def load_make_deb() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_deb", ROOT / "build" / "make_deb.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def deb_field(deb: Path, field: str) -> str:
    out = subprocess.run(["dpkg-deb", "-f", str(deb), field], capture_output=True, text=True, check=True)
    return out.stdout.strip()


@pytest.mark.skipif(shutil.which("dpkg-deb") is None, reason="dpkg-deb is Debian's")
def test_console_deb_depends_on_every_package_of_the_selfcheck_map(tmp_path: Path) -> None:
    make_deb = load_make_deb()
    tree = tmp_path / "pkg"
    (tree / "DEBIAN").mkdir(parents=True)
    (tree / "DEBIAN" / "control").write_text(make_deb.render_console_control(1))
    deb = make_deb._dpkg_deb(tree, tmp_path / "rakshak.deb", 1_700_000_000)
    depends = {d.strip() for d in deb_field(deb, "Depends").split(",")}
    # Every package of the selfcheck's map, and those of the Python runtime's libraries (OpenSSL,
    # SQLite...), which the bundle also takes from the system.
    assert depends == set(SYSTEM_LIBRARY_PACKAGES.values()) | set(make_deb.PYTHON_RUNTIME_PACKAGES.values())
    assert {"libssl3", "libsqlite3-0"} <= depends
    # The packages the xcb plugin, sound and the keyring's D-Bus need, by name.
    assert {"libxcb-shape0", "libxcb-cursor0", "libxkbcommon-x11-0", "libpulse0", "libdbus-1-3"} <= depends
    assert deb_field(deb, "Package") == "rakshak"
    assert "pulseaudio" in deb_field(deb, "Recommends") and "gnome-keyring" in deb_field(deb, "Recommends")


def test_hq_requirements_are_the_locked_closure_without_the_desktop() -> None:
    make_deb = load_make_deb()
    reqs = make_deb.hq_requirements()
    pins = make_deb.lock_pins()
    assert all(pins[name] == version for name, version in reqs.items())
    assert {"fastapi", "uvicorn", "psycopg", "psycopg-binary", "sqlalchemy", "alembic", "cryptography"} <= set(reqs)
    assert not {"pyside6-essentials", "pyside6-addons", "shiboken6", "pytest", "sqlcipher3"} & set(reqs)


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze here")
def test_hq_unit_passes_systemd_analyze_verify_and_its_security_audit(tmp_path: Path) -> None:
    # verify checks that ExecStart's program exists: point it (and the environment file) at copies.
    launcher = tmp_path / "rakshak-hq"
    shutil.copy(DEB / "hq" / "rakshak-hq", launcher)
    launcher.chmod(0o755)
    shutil.copy(DEB / "hq" / "hq.env", tmp_path / "hq.env")
    unit_text = (DEB / "hq" / "rakshak-hq.service").read_text()
    unit = tmp_path / "rakshak-hq.service"
    unit.write_text(unit_text.replace("/usr/bin/rakshak-hq", str(launcher))
                    .replace("/etc/rakshak-hq/hq.env", str(tmp_path / "hq.env")))
    verify = subprocess.run(["systemd-analyze", "verify", str(unit)], capture_output=True, text=True, timeout=60)
    assert verify.returncode == 0 and verify.stderr.strip() == "", verify.stderr
    audit = subprocess.run(["systemd-analyze", "security", "--offline=true", "--threshold=25", str(unit)],
                           capture_output=True, text=True, timeout=60)
    assert audit.returncode == 0, audit.stdout[-2000:]
    for option in ("User=rakshak-hq", "ProtectSystem=strict", "NoNewPrivileges=yes", "PrivateTmp=yes",
                   "ProtectHome=yes", "CapabilityBoundingSet=\n", "ReadWritePaths=/var/lib/rakshak-hq"):
        assert option in unit_text


def test_hq_configuration_reads_as_shell_and_names_what_the_unit_uses(tmp_path: Path) -> None:
    env_file = DEB / "hq" / "hq.env"
    out = subprocess.run(["sh", "-c", f'set -a; . "{env_file}"; env'], capture_output=True, text=True, check=True)
    values = dict(line.split("=", 1) for line in out.stdout.splitlines() if line.startswith("RAKSHAK_HQ_"))
    assert values["RAKSHAK_HQ_DB"].startswith("postgresql://rakshak-hq@/rakshak_hq?host=")
    assert values["RAKSHAK_HQ_SERVE_ARGS"].split()[:2] == ["--host", "127.0.0.1"]
    assert "$RAKSHAK_HQ_SERVE_ARGS" in (DEB / "hq" / "rakshak-hq.service").read_text()


@pytest.mark.parametrize(
    "script", ["hq/rakshak-hq", "hq/postinst", "hq/prerm", "hq/postrm", "console/rakshak.sh"]
)
def test_package_scripts_parse_and_are_executable(script: str) -> None:
    path = DEB / script
    assert path.stat().st_mode & 0o111
    assert subprocess.run(["sh", "-n", str(path)], capture_output=True, text=True).returncode == 0


def test_hq_removal_never_touches_the_data() -> None:
    postrm = (DEB / "hq" / "postrm").read_text()
    removed = re.findall(r"rm -rf (\S+)", postrm)
    assert removed == ["/opt/rakshak-hq/venv"]
    assert "dropdb" not in postrm and "/var/lib/rakshak-hq" not in " ".join(removed)


@pytest.mark.skipif(shutil.which("makensis") is None, reason="apt install nsis")
def test_windows_installer_script_compiles_with_makensis(tmp_path: Path) -> None:
    stand_in = tmp_path / "rakshak"
    (stand_in / "_internal").mkdir(parents=True)
    (stand_in / "rakshak.exe").write_bytes(b"MZ stand-in")
    (stand_in / "_internal" / "python311.dll").write_bytes(b"stand-in")
    setup = tmp_path / "rakshak-0.1.0-setup.exe"
    proc = subprocess.run(
        ["makensis", "-V4", "-WX", "-DVERSION=0.1.0", f"-DBUNDLE={stand_in}", f"-DOUTFILE={setup}",
         str(ROOT / "build" / "windows" / "rakshak.nsi")],
        capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr
    assert setup.stat().st_size > 10_000 and setup.read_bytes()[:2] == b"MZ"
    # Both stand-in files went in, the uninstaller is written, user data is not deleted.
    assert 'File: "rakshak.exe"' in proc.stdout and 'File: "python311.dll"' in proc.stdout
    assert "WriteUninstaller" in proc.stdout
    script = (ROOT / "build" / "windows" / "rakshak.nsi").read_text()
    uninstall = script[script.index('Section "Uninstall"'):]
    assert "$LOCALAPPDATA" not in uninstall and "$APPDATA" not in uninstall
    assert "RMDir /r \"$INSTDIR\"" not in uninstall


def test_installers_write_the_update_policy_the_console_reads(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    script = (ROOT / "build" / "windows" / "rakshak.nsi").read_text()
    assert f'!define POLICY_KEY "{settings_mod.POLICY_REGISTRY_KEY}"' in script
    assert 'WriteRegDWORD HKLM "${POLICY_KEY}" "UpdateCheck" 0' in script
    shipped = DEB / "console" / "policy.json"
    assert not settings_mod.machine_allows_update_check(shipped)

    policy = tmp_path / "policy.json"
    monkeypatch.setattr(settings_mod, "POLICY_FILE", policy)
    wants = settings_mod.Settings({"update_check": True})
    assert wants.update_check  # no policy file: the console's own setting decides
    assert not settings_mod.Settings().update_check  # off by default
    policy.write_text('{"update_check": false}')
    assert not wants.update_check
    policy.write_text('{"update_check": true}')
    assert wants.update_check
    policy.write_text("{not json")
    assert not wants.update_check  # an unreadable policy never turns checks on


def test_make_deb_is_runnable_as_a_script() -> None:
    proc = subprocess.run([sys.executable, str(ROOT / "build" / "make_deb.py"), "--help"], capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 0 and "console" in proc.stdout
