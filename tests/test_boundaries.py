"""The dependency direction of DESIGN.md, enforced: inner layers never import outer ones."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FRAMEWORKS = {"botbuilder", "botframework", "aiohttp", "jinja2", "tinydb", "jsonpickle"}
FORBIDDEN = {
    "engagement": FRAMEWORKS | {"bot", "dialogs", "cards", "store", "catalog"},
    "cards": (FRAMEWORKS - {"jinja2"}) | {"bot", "dialogs", "store", "engagement"},
    "catalog": FRAMEWORKS | {"bot", "dialogs", "cards", "store"},
    "store": {"aiohttp", "jinja2", "bot", "dialogs", "cards", "catalog"},
    "dialogs": {"aiohttp", "tinydb", "bot", "store"},
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
