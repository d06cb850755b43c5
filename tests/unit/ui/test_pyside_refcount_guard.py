"""Guard: the installed PySide6 must not lose references to None or True.

PySide6 6.12.0 on CPython 3.11 returns ``None`` from every Qt method that returns nothing, and ``True``
from every ``Signal.emit``, without a reference; a console with a ringing alarm aborted with
``none_dealloc`` within the hour. The pin in pyproject.toml avoids that release, and no module works
around it by touching reference counts. This test fails if a PySide6 with such a loss is installed:
a subprocess makes a few hundred thousand of the calls a console makes all day and reports how the
reference counts of None and True moved.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
CALLS = 300_000
# Reference counts move a little as the interpreter caches things; a leaking binding moves them by one
# per call, i.e. by hundreds of thousands here.
TOLERANCE = 1_000

CALLER = textwrap.dedent(
    """
    import json, sys
    from PySide6.QtCore import QObject, QTimer, Signal
    from PySide6.QtWidgets import QApplication, QLabel

    class Source(QObject):
        changed = Signal(str)
        ticked = Signal()

    app = QApplication([])
    label, timer, source = QLabel(), QTimer(), Source()
    seen = []
    source.changed.connect(seen.append)
    calls = int(sys.argv[1])
    start = {"none": sys.getrefcount(None), "true": sys.getrefcount(True)}
    for i in range(calls):
        label.setText("x")       # Qt calls that return nothing: None
        timer.start(1000)
        timer.stop()
        source.changed.emit("x")  # emit returns True
        source.ticked.emit()
        seen.clear()
    end = {"none": sys.getrefcount(None), "true": sys.getrefcount(True)}
    import PySide6
    print(json.dumps({"version": PySide6.__version__, "start": start, "end": end}), flush=True)
    """
)


def test_installed_pyside_loses_no_reference_to_none_or_true() -> None:
    proc = subprocess.run(
        [sys.executable, "-c", CALLER, str(CALLS)],
        capture_output=True,
        text=True,
        timeout=240,
        cwd=REPO,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"},
    )
    # A leaking PySide6 aborts inside the loop ("none_dealloc" / "bool_dealloc", exit -6).
    assert proc.returncode == 0, (proc.returncode, proc.stderr[-2000:])
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    for name in ("none", "true"):
        lost = report["start"][name] - report["end"][name]
        assert lost < TOLERANCE, f"PySide6 {report['version']} lost {lost} references to {name} in {CALLS} calls"


def test_no_module_touches_reference_counts() -> None:
    """Reference counts belong to CPython: no client, sync, core or HQ module imports ctypes (the only
    way from Python to write them)."""
    offenders = []
    for path in [REPO / "main.py", *(p for pkg in ("core", "sync", "hq", "ui") for p in (REPO / pkg).rglob("*.py"))]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if any(n == "ctypes" or n.startswith("ctypes.") for n in names):
                offenders.append(str(path.relative_to(REPO)))
    assert offenders == []
