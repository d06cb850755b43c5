"""The UI's layering, read from the source (AST): widgets reach the store and HQ only through the
named operations in ``ui/operations/``, and ``ui`` imports nothing from ``hq``."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
UI = ROOT / "ui"
OPERATIONS = UI / "operations"
FORBIDDEN_OUTSIDE_OPERATIONS = ("core.store", "sync")
STORE_CALLS = ("reader", "unit_of_work")


def _ui_modules() -> list[Path]:
    return sorted(UI.rglob("*.py"))


def _type_only(tree: ast.AST) -> set[int]:
    """ids of the nodes under ``if TYPE_CHECKING:`` (imported for annotations only, never at run time)."""
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            skip |= {id(n) for stmt in node.body for n in ast.walk(stmt)}
    return skip


def _imports(tree: ast.AST, *, runtime_only: bool = False, package: tuple[str, ...] = ()) -> list[tuple[int, str]]:
    """(line, absolute module) of each import; a relative one is resolved from ``package``, the
    package of the file the tree was read from."""
    found = []
    skip = _type_only(tree) if runtime_only else set()
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
        elif isinstance(node, ast.ImportFrom) and node.level:
            base = package[: len(package) - (node.level - 1)]
            if node.module:
                found.append((node.lineno, ".".join([*base, node.module])))
            else:  # ``from .. import x``: each name may be a module of that package
                found += [(node.lineno, ".".join([*base, alias.name])) for alias in node.names]
    return found


def _package(path: Path) -> tuple[str, ...]:
    return path.relative_to(ROOT).parts[:-1]


def _is_under(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def test_only_operations_import_the_store_or_sync_or_open_units_of_work() -> None:
    offences = []
    for path in _ui_modules():
        if path.is_relative_to(OPERATIONS):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        rel = path.relative_to(ROOT)
        for line, module in _imports(tree, runtime_only=True, package=_package(path)):
            if any(_is_under(module, p) for p in FORBIDDEN_OUTSIDE_OPERATIONS):
                offences.append(f"{rel}:{line} imports {module}")
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in STORE_CALLS
            ):
                offences.append(f"{rel}:{node.lineno} calls .{node.func.attr}(")
    assert offences == []


def test_ui_imports_nothing_from_hq_or_the_demo() -> None:
    offences = []
    for path in _ui_modules():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for line, module in _imports(tree, package=_package(path)):
            if _is_under(module, "hq") or _is_under(module, "demo"):
                offences.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    assert offences == []


def test_the_check_sees_an_offence() -> None:
    """The AST walk finds what it looks for (so an empty result above means something)."""
    tree = ast.parse(
        "from core.store import LocalStore\nimport sync.errors\nwith s.reader() as r: pass\n"
        "if TYPE_CHECKING:\n    from sync import Session\n"
    )
    assert [m for _l, m in _imports(tree, runtime_only=True)] == ["core.store", "sync.errors"]
    assert [m for _l, m in _imports(tree)] == ["core.store", "sync.errors", "sync"]
    relative = ast.parse("from ..operations import base\nfrom ... import sync\n")
    assert [m for _l, m in _imports(relative, package=("ui", "alarm"))] == ["ui.operations", "sync"]
    calls = [n.func.attr for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)]
    assert calls == ["reader"]


def test_no_ui_file_over_500_lines_without_its_reason() -> None:
    long_files = []
    for path in _ui_modules():
        text = path.read_text(encoding="utf-8")
        if text.count("\n") > 500 and "kept in one file because" not in text[:600]:
            long_files.append(f"{path.relative_to(ROOT)}: {text.count(chr(10))} lines")
    assert long_files == []
