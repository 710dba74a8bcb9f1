"""How the code calls gettext, checked on its syntax trees: messages are extracted and
translated only when written as `_("literal")` (placeholders filled in afterwards), and a module
that imports `_` must never bind the name to something else (`saved, _ = ...` would make every
`_("...")` of that function fail)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
PACKAGES = ("bot", "dialogs", "cards", "engagement", "i18n")
GETTEXT = {"_", "N_", "ngettext"}


def _modules() -> list[Path]:
    return sorted(path for package in PACKAGES for path in (ROOT / package).rglob("*.py"))


def _imports_gettext(tree: ast.Module) -> bool:
    return any(
        isinstance(node, ast.ImportFrom)
        and node.module == "i18n"
        and any(alias.name == "_" for alias in node.names)
        for node in ast.walk(tree)
    )


def _rebinds_underscore(tree: ast.Module) -> list[int]:
    stored = (
        node
        for node in ast.walk(tree)
        if (isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store) and node.id == "_")
        or (isinstance(node, ast.arg) and node.arg == "_")
    )
    return [node.lineno for node in stored]


def _bad_messages(tree: ast.Module) -> list[int]:
    """Lines where a gettext call's message is built (f-string, +, %, .format, a conditional)
    instead of written: extraction would miss it."""
    lines = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
            continue
        if node.func.id not in GETTEXT:
            continue
        messages = node.args[:2] if node.func.id == "ngettext" else node.args[:1]
        if any(
            isinstance(arg, ast.JoinedStr | ast.BinOp | ast.Call | ast.IfExp) for arg in messages
        ):
            lines.append(node.lineno)
    return lines


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_gettext_is_called_with_written_messages(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    assert _bad_messages(tree) == []
    if _imports_gettext(tree):
        assert _rebinds_underscore(tree) == [], "name the value `_unused`, not `_`"
