"""``main.py selfcheck`` as an operator or installer runs it: a subprocess, no keyring, no data dir.

Offscreen, and on the platform a user really gets: xcb, on an X server (Xvfb) this test starts. The
missing-library case runs on a real machine with one library really gone: a private mount namespace
in which an overlay hides ``libxcb-shape.so.0`` (what a fresh Debian 12 lacked), so Qt's own loader
and ``ldd`` see the same thing a user's machine would.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from ui.selfcheck import QT_LIBRARY_FILES

ROOT = Path(__file__).resolve().parents[2]
LIB_DIR = Path("/usr/lib/x86_64-linux-gnu")
WHOLE = {
    "qt_files_checked": len(QT_LIBRARY_FILES),
    "fonts": True,
    "hindi_translation": True,
    "alarm_sound": True,
    "store": True,
}


def selfcheck(env: dict[str, str], prefix: list[str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*(prefix or []), sys.executable, str(ROOT / "main.py"), "selfcheck"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def report_of(proc: subprocess.CompletedProcess[str]) -> dict[str, object]:
    result: dict[str, object] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


@pytest.fixture
def x_display(tmp_path: Path) -> Iterator[str]:
    """A private Xvfb server; yields its DISPLAY value."""
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        pytest.skip("Xvfb is not installed (scripts/setup.sh installs it)")
    read_fd, write_fd = os.pipe()
    server = subprocess.Popen(
        [xvfb, "-displayfd", str(write_fd), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        pass_fds=(write_fd,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_fd)
    try:
        with os.fdopen(read_fd) as pipe:
            number = pipe.readline().strip()
        assert number.isdigit(), "Xvfb did not report a display"
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_selfcheck_reports_every_part_whole(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path)}
    proc = selfcheck(env)
    assert proc.returncode == 0, proc.stderr
    assert report_of(proc) == {"ok": True, "missing_libraries": {}, "qt": "offscreen", **WHOLE}
    assert not list(tmp_path.iterdir()), "selfcheck must not write into the user's home"


def test_selfcheck_runs_the_client_on_xcb_when_a_display_is_set(tmp_path: Path, x_display: str) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY")}
    proc = selfcheck({**env, "DISPLAY": x_display, "HOME": str(tmp_path)})
    assert proc.returncode == 0, proc.stderr
    assert report_of(proc) == {"ok": True, "missing_libraries": {}, "qt": "xcb", **WHOLE}


def test_selfcheck_without_any_display_says_so_instead_of_aborting(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")}
    proc = selfcheck({**env, "HOME": str(tmp_path)})
    assert proc.returncode == 1, (proc.returncode, proc.stderr)
    assert report_of(proc)["ok"] is False
    assert "xvfb-run" in proc.stderr and "QT_QPA_PLATFORM=offscreen" in proc.stderr


def test_selfcheck_names_the_library_xcb_really_lacks(tmp_path: Path, x_display: str) -> None:
    """A machine without libxcb-shape0: Qt alone aborts (exit 134) naming libxcb-cursor0; selfcheck
    names libxcb-shape.so.0 and its package, and exits 1 without starting Qt."""
    if os.geteuid() != 0 or shutil.which("unshare") is None or not (LIB_DIR / "libxcb-shape.so.0").exists():
        pytest.skip("needs root, unshare and Debian's library folder to hide a library in a mount namespace")
    upper, work = tmp_path / "upper", tmp_path / "work"
    upper.mkdir()
    work.mkdir()
    for lib in LIB_DIR.glob("libxcb-shape.so.0*"):
        os.mknod(upper / lib.name, 0o600 | 0o020000, os.makedev(0, 0))  # an overlay "whiteout": the file is gone
    hide = (
        "mount --make-rprivate / && "
        f"mount -t overlay overlay -o lowerdir={LIB_DIR},upperdir={upper},workdir={work} {LIB_DIR} && "
        'exec "$@"'
    )
    prefix = ["unshare", "--mount", "sh", "-c", hide, "hide-libxcb-shape"]
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY")}
    env |= {"DISPLAY": x_display, "HOME": str(tmp_path / "home")}
    probe = subprocess.run([*prefix, "true"], capture_output=True, text=True, timeout=30)
    if probe.returncode != 0:  # e.g. inside a chroot, where / is not a mount point of its own
        pytest.skip(f"cannot hide a library in a private mount namespace here: {probe.stderr.strip()}")

    # Control: Qt on its own, in the same namespace, aborts with the misleading message.
    qt_alone = subprocess.run(
        [*prefix, sys.executable, "-c", "from PySide6.QtWidgets import QApplication; QApplication([])"],
        env=env, capture_output=True, text=True, timeout=60,
    )
    assert qt_alone.returncode != 0 and "xcb" in qt_alone.stderr, (qt_alone.returncode, qt_alone.stderr)

    proc = selfcheck(env, prefix)
    assert proc.returncode == 1, (proc.returncode, proc.stderr)
    report = report_of(proc)
    assert report["ok"] is False
    assert report["missing_libraries"] == {"libxcb-shape.so.0": "libxcb-shape0"}
    assert "apt-get install -y libxcb-shape0" in proc.stderr
    assert "cursor" not in proc.stderr, proc.stderr
    assert (LIB_DIR / "libxcb-shape.so.0").exists(), "the library must be hidden only inside the namespace"
