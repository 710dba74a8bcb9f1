"""The dependency direction of DESIGN.md, enforced: inner layers never import outer ones, store/
imports no SDK, and the SDK's private internals are touched in bot/sdk_internals.py only."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SDK = {"botbuilder", "botframework", "msrest"}
FRAMEWORKS = SDK | {"aiohttp", "jinja2", "tinydb", "jsonpickle"}
FORBIDDEN = {
    "engagement": FRAMEWORKS | {"bot", "dialogs", "cards", "store", "catalog"},
    "cards": (FRAMEWORKS - {"jinja2"}) | {"bot", "dialogs", "store", "engagement"},
    "catalog": FRAMEWORKS | {"bot", "dialogs", "cards", "store"},
    "store": SDK | {"aiohttp", "jinja2", "bot", "dialogs", "cards", "catalog"},
    "dialogs": {"aiohttp", "tinydb", "bot", "store"},
    "i18n": FRAMEWORKS | {"bot", "dialogs", "cards", "store", "catalog", "engagement"},
}


def _imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_imports_only_inward(package: str) -> None:
    files = sorted((ROOT / package).rglob("*.py"))
    assert files, f"{package}/ has no modules"
    offenders = {
        str(path.relative_to(ROOT)): sorted(_imported_roots(path) & FORBIDDEN[package])
        for path in files
        if _imported_roots(path) & FORBIDDEN[package]
    }
    assert offenders == {}


SOURCES = ["app.py", "bench", "bot", "cards", "catalog", "dialogs", "engagement", "manifest"]
SOURCES += ["store", "i18n"]
SDK_INTERNALS = "bot/sdk_internals.py"


def _source_files() -> list[Path]:
    files: list[Path] = []
    for name in SOURCES:
        path = ROOT / name
        files.extend(sorted(path.rglob("*.py")) if path.is_dir() else [path])
    return files


def _own_private_names(files: list[Path]) -> set[str]:
    """Every `_name` our code defines: functions, classes, attributes, variables, parameters."""
    names: set[str] = set()
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names.add(node.name)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                names.add(node.attr)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
            elif isinstance(node, ast.arg):
                names.add(node.arg)
            elif isinstance(node, ast.alias):
                names.add(node.asname or node.name.split(".")[-1])
    return names


def _is_private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _foreign_private_uses(path: Path, own: set[str]) -> list[str]:
    """`x._name` (or getattr(x, "_name")) where `_name` is not ours: the SDK's internals."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        name = None
        if isinstance(node, ast.Attribute) and _is_private(node.attr):
            name = node.attr
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in {"getattr", "hasattr", "setattr"}
            and len(node.args) > 1
            and isinstance(node.args[1], ast.Constant)
            and isinstance(node.args[1].value, str)
            and _is_private(node.args[1].value)
        ):
            name = node.args[1].value
        if name is not None and name not in own:
            found.append(f"{name} (line {getattr(node, 'lineno', 0)})")
    return found


def test_sdk_internals_are_used_in_one_module_only() -> None:
    """Modules that import the SDK use none of its private names; bot/sdk_internals.py does."""
    files = _source_files()
    own = _own_private_names(files)
    offenders = {
        str(path.relative_to(ROOT)): uses
        for path in files
        if str(path.relative_to(ROOT)) != SDK_INTERNALS
        and _imported_roots(path) & SDK
        and (uses := _foreign_private_uses(path, own))
    }
    assert offenders == {}
    assert _foreign_private_uses(ROOT / SDK_INTERNALS, own), "the module that says why is empty"


# Application logic and the outbound rules in bot/ that must stay free of the SDK (and of the
# modules that import it), so a move to another SDK leaves them as they are.
SDK_FREE = ["bot/reminder_sweep.py", "bot/outbound/retry.py", "bot/outbound/pacing.py"]


@pytest.mark.parametrize("module", SDK_FREE)
def test_sdk_free_modules_load_no_sdk(module: str) -> None:
    name = module.removesuffix(".py").replace("/", ".")
    check = (
        f"import sys, {name}; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in {'botbuilder', 'botframework'}))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", check], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()
    assert loaded == "[]"
