"""Every system library the installed Qt needs resolves here, and scripts/setup.sh installs its package.

``ldd`` over the Qt files the client loads (ui/selfcheck.py ``QT_LIBRARY_FILES``), against the table of
libraries and packages (``SYSTEM_LIBRARY_PACKAGES``) and the apt list of scripts/setup.sh. A new Qt
plugin, a new ``PySide6.Qt*`` import in ui/ or a new PySide6 release with a new dependency fails here,
instead of on a fresh machine where Qt aborts naming the wrong package.
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ui.selfcheck import QT_LIBRARY_FILES, SYSTEM_LIBRARY_PACKAGES, missing_system_libraries, pyside_dir

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux") or shutil.which("ldd") is None or shutil.which("dpkg") is None,
    reason="ldd and dpkg: Debian only",
)
_RESOLVED = re.compile(r"^\s*(\S+) => (/\S+) \(0x[0-9a-f]+\)\s*$", re.MULTILINE)
# Libraries every Debian 12 has because apt, dpkg, grep and coreutils need them (minbase).
BASE_TOOLS = ("apt", "dpkg", "grep", "coreutils")


def setup_sh_packages() -> set[str]:
    text = (REPO / "scripts" / "setup.sh").read_text(encoding="utf-8")
    arrays = re.findall(r"^\s*\w+_packages(?:\+)?=\(([^)]*)\)", text, re.MULTILINE | re.DOTALL)
    return {word for body in arrays for word in body.split() if not word.startswith(('"', "$"))}


def ldd_system_libraries() -> dict[str, Path]:
    """soname -> resolved path, for every library outside the PySide6 wheel that the Qt files need."""
    files = [pyside_dir() / rel for rel in QT_LIBRARY_FILES]
    out = subprocess.run(["ldd", *map(str, files)], capture_output=True, text=True, check=True, timeout=60).stdout
    wheel = pyside_dir().parent
    return {name: Path(path) for name, path in _RESOLVED.findall(out) if not Path(path).resolve().is_relative_to(wheel)}


def owning_packages(paths: list[Path]) -> dict[Path, str]:
    """Debian package of each file (by the file a symlink leads to), from one ``dpkg -S`` call. On a
    merged-/usr system dpkg may know a file under /lib or under /usr/lib: both are asked."""
    real = {path: path.resolve() for path in paths}
    queries = {str(target) for target in real.values()}
    queries |= {str(target).removeprefix("/usr") for target in real.values()}
    out = subprocess.run(["dpkg", "-S", *sorted(queries)], capture_output=True, text=True, timeout=60)
    owner = {}
    for line in out.stdout.splitlines():
        package, _, file = line.partition(": ")
        owner[Path(file).name] = package.split(":")[0]
    return {path: owner.get(target.name, "?") for path, target in real.items()}


def test_every_qt_file_the_client_loads_exists_in_the_installed_pyside() -> None:
    absent = [rel for rel in QT_LIBRARY_FILES if not (pyside_dir() / rel).is_file()]
    assert absent == []


def test_every_pyside_module_ui_imports_is_checked() -> None:
    imported = set()
    for path in [REPO / "main.py", *(REPO / "ui").rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("PySide6.Qt"):
                imported.add(node.module.split(".")[1])
            elif isinstance(node, ast.Import):
                imported |= {a.name.split(".")[1] for a in node.names if a.name.startswith("PySide6.Qt")}
    assert imported, "the scan found no PySide6 import: it is broken"
    assert {f"{module}.abi3.so" for module in imported} <= set(QT_LIBRARY_FILES)


def test_every_library_qt_needs_resolves() -> None:
    assert missing_system_libraries() == {}
    assert missing_system_libraries([pyside_dir() / rel for rel in QT_LIBRARY_FILES]) == {}


def test_every_library_qt_needs_is_in_the_table_with_its_real_package() -> None:
    needed = ldd_system_libraries()
    assert "libxcb-shape.so.0" in needed, "the xcb plugin's libraries must be among those checked"
    unknown = sorted(set(needed) - set(SYSTEM_LIBRARY_PACKAGES))
    assert unknown == [], f"add these to ui/selfcheck.py SYSTEM_LIBRARY_PACKAGES and scripts/setup.sh: {unknown}"
    owners = owning_packages(list(needed.values()))
    wrong = {name: (SYSTEM_LIBRARY_PACKAGES[name], owners[path]) for name, path in needed.items()}
    assert {name: pair for name, pair in wrong.items() if pair[0] != pair[1]} == {}


def test_setup_installs_every_package_that_a_minimal_debian_lacks() -> None:
    if shutil.which("apt-cache") is None:
        pytest.skip("apt-cache: Debian only")
    closure = subprocess.run(
        ["apt-cache", "depends", "--recurse", "--no-recommends", "--no-suggests", "--no-conflicts", "--no-breaks",
         "--no-replaces", "--no-enhances", *BASE_TOOLS],
        capture_output=True, text=True, check=True, timeout=120,
    ).stdout
    base = {line.strip() for line in closure.splitlines() if line and not line.startswith(" ")}
    assert {"libc6", "libstdc++6"} <= base, "apt-cache gave no dependency closure: the check would pass blindly"
    needed = set(SYSTEM_LIBRARY_PACKAGES.values()) - base
    assert needed - setup_sh_packages() == set()
    assert {"libxcb-shape0", "libxcb-cursor0", "libpulse0"} <= needed


def test_a_missing_library_is_named(tmp_path: Path) -> None:
    """The xcb plugin with its DT_NEEDED entry for libxcb-shape renamed to a library no machine has
    (same length, so the ELF stays valid), next to the wheel's Qt libraries as its RUNPATH expects."""
    plugin = (pyside_dir() / "Qt/plugins/platforms/libqxcb.so").read_bytes()
    assert plugin.count(b"libxcb-shape.so.0\0") == 1
    (tmp_path / "lib").symlink_to(pyside_dir() / "Qt/lib")  # RUNPATH $ORIGIN/../../lib
    broken = tmp_path / "plugins" / "platforms" / "libqxcb.so"
    broken.parent.mkdir(parents=True)
    broken.write_bytes(plugin.replace(b"libxcb-shape.so.0\0", b"libxcb-shapX.so.0\0"))
    assert missing_system_libraries([broken]) == {"libxcb-shapX.so.0": None}
    broken.write_bytes(plugin)
    assert missing_system_libraries([broken]) == {}
