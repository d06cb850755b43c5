"""The layers import only downwards (docs/ARCHITECTURE.md): read from the source, every import
statement, also those inside functions and under ``TYPE_CHECKING``.

- ``core/`` imports no Qt, no HTTP library, nothing from ``sync/``, ``hq/`` or ``ui/``;
- ``sync/`` imports no Qt and nothing from ``ui/`` or ``hq/``;
- ``hq/`` imports no Qt and nothing from ``ui/`` or ``sync/``;
- ``ui/`` imports nothing from ``hq/``.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

QT = {"PySide6", "PyQt5", "PyQt6", "shiboken6"}
HTTP = {"httpx", "requests", "urllib3", "aiohttp", "fastapi", "starlette", "uvicorn", "http", "urllib"}

FORBIDDEN: dict[str, set[str]] = {
    "core": QT | HTTP | {"sync", "hq", "ui"},
    "sync": QT | {"ui", "hq"},
    "hq": QT | {"ui", "sync"},
    "ui": {"hq"},  # the desktop reaches HQ over HTTP only (sync/); the embedded demo HQ lives in demo/
}


def imported_modules(path: Path, root: Path) -> Iterator[tuple[int, str]]:
    """(line, absolute module name) of every import in ``path``, relative imports resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = path.relative_to(root).parts[:-1]  # the package a relative import in this file starts from
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                yield node.lineno, ".".join([*base, node.module] if node.module else base)
            else:
                yield node.lineno, node.module or ""
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute | ast.Name):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id
            first = node.args[0] if node.args else None
            by_name = name in {"import_module", "__import__"}
            if by_name and isinstance(first, ast.Constant) and isinstance(first.value, str):
                yield node.lineno, first.value


def violations(package: str, root: Path = ROOT) -> list[str]:
    found = []
    for path in sorted((root / package).rglob("*.py")):
        for line, module in imported_modules(path, root):
            if module.split(".")[0] in FORBIDDEN[package]:
                found.append(f"{path.relative_to(root).as_posix()}:{line} imports {module}")
    return found


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_the_package_imports_only_what_its_layer_allows(package: str) -> None:
    assert (ROOT / package / "__init__.py").exists()
    assert violations(package) == []


def test_the_check_sees_imports_in_functions_relative_and_by_name(tmp_path: Path) -> None:
    """The scan is not blind: a Qt import inside a function, a relative import of ui from a
    subpackage and an ``importlib.import_module`` of hq are each caught."""
    (tmp_path / "core" / "store").mkdir(parents=True)
    (tmp_path / "core" / "store" / "probe.py").write_text(
        "import importlib\n\n\ndef f():\n    from PySide6 import QtCore\n    from ...ui import app\n"
        "    from . import engine\n    return importlib.import_module('hq.service')\n"
    )
    assert violations("core", tmp_path) == [
        "core/store/probe.py:5 imports PySide6",
        "core/store/probe.py:6 imports ui",
        "core/store/probe.py:8 imports hq.service",
    ]


@pytest.mark.parametrize("package", ["core", "sync", "hq", "ui"])
def test_a_file_over_500_lines_says_why_it_is_kept_in_one_file(package: str) -> None:
    """A reader can hold a module; one that grows past 500 lines is split, or its opening says why not."""
    long = []
    for path in sorted((ROOT / package).rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        head = "\n".join(text.splitlines()[:25]).lower()
        if text.count("\n") > 500 and "kept in one file because" not in " ".join(head.split()):
            long.append(f"{path.relative_to(ROOT).as_posix()} ({text.count(chr(10))} lines)")
    assert long == []
