"""Every waterfall is drawn as a Mermaid diagram beside its module (dialogs/<module>.mmd), cited
from the module docstring, and the diagram names each step function of the waterfall, so a step
added, renamed or removed without redrawing the flow fails here."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
SOURCES = ["bot", "dialogs"]


def _waterfall_steps(tree: ast.Module) -> list[list[str]]:
    """The step names of each `Waterfall(id, [self.step, ...])` (or the SDK's
    `WaterfallDialog`) built in a module."""
    waterfalls = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        called = node.func
        name = called.id if isinstance(called, ast.Name) else getattr(called, "attr", "")
        if name not in ("Waterfall", "WaterfallDialog") or len(node.args) < 2:
            continue
        steps = node.args[1]
        assert isinstance(steps, ast.List), "waterfall steps are listed literally"
        waterfalls.append(
            [
                step.attr if isinstance(step, ast.Attribute) else ast.unparse(step)
                for step in steps.elts
            ]
        )
    return waterfalls


def _waterfall_modules() -> dict[Path, list[list[str]]]:
    found = {}
    for package in SOURCES:
        for path in sorted((ROOT / package).rglob("*.py")):
            steps = _waterfall_steps(ast.parse(path.read_text(encoding="utf-8")))
            if steps:
                found[path] = steps
    return found


MODULES = _waterfall_modules()


def test_the_waterfalls_are_found() -> None:
    assert len(MODULES) >= 4
    assert all(steps for waterfalls in MODULES.values() for steps in waterfalls)


@pytest.mark.parametrize("path", sorted(MODULES), ids=lambda path: path.stem)
def test_each_waterfall_has_its_diagram_naming_every_step(path: Path) -> None:
    diagram = path.with_suffix(".mmd")
    cited = str(diagram.relative_to(ROOT))
    docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    assert cited in docstring, f"{path.name}'s docstring cites {cited}"
    assert diagram.is_file(), f"{cited} exists"
    text = diagram.read_text(encoding="utf-8")
    assert "flowchart" in text, f"{cited} is a Mermaid flowchart"
    named = set(re.findall(r"\w+", text))
    missing = [step for steps in MODULES[path] for step in steps if step not in named]
    assert missing == [], f"{cited} names every step of its waterfall"


def test_every_diagram_belongs_to_a_waterfall() -> None:
    diagrams = {path for package in SOURCES for path in (ROOT / package).rglob("*.mmd")}
    assert diagrams == {path.with_suffix(".mmd") for path in MODULES}
