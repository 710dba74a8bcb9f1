"""pyproject.toml ships every package, subpackage and data folder: a complete, quiet install.

setuptools warns (a long `BuildBackendWarning`) about every importable folder inside a shipped
package that the configuration does not list, and leaves a subpackage it does not list out of the
wheel. Both come down to one condition, checked here without building anything.
"""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_SKIP = {"__pycache__"}


def _setuptools() -> dict[str, object]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    section: dict[str, object] = config["tool"]["setuptools"]
    return section


def _shipped_packages() -> set[str]:
    """The packages the configuration ships (an explicit list, or a namespace find)."""
    packages = _setuptools().get("packages")
    if isinstance(packages, list):
        return set(packages)
    assert isinstance(packages, dict)
    include: list[str] = packages["find"]["include"]
    found = set()
    for folder in ROOT.rglob("*"):
        if not folder.is_dir() or _SKIP & set(folder.parts):
            continue
        name = ".".join(folder.relative_to(ROOT).parts)
        if any(fnmatch.fnmatchcase(name, pattern) for pattern in include):
            found.add(name)
    return found


def _importable_folders(top: str) -> set[str]:
    """Every folder under a top-level package that Python could import, the top one included."""
    folders = {top}
    for folder in (ROOT / top).rglob("*"):
        if folder.is_dir() and not _SKIP & set(folder.parts) and folder.name.isidentifier():
            folders.add(".".join(folder.relative_to(ROOT).parts))
    return folders


def test_every_importable_folder_of_a_shipped_package_is_shipped() -> None:
    shipped = _shipped_packages()
    tops = {name.split(".")[0] for name in shipped}
    expected = set().union(*(_importable_folders(top) for top in tops))
    assert expected - shipped == set()
    assert {"bot", "cards", "cards.templates", "cards.text", "catalog", "store"} <= shipped


def test_every_template_and_catalog_file_is_package_data() -> None:
    data = _setuptools()["package-data"]
    assert isinstance(data, dict)
    for package, patterns in data.items():
        folder = ROOT / package.replace(".", "/")
        assert any(list(folder.glob(p)) for p in patterns), package
    assert data["cards.templates"] == ["*.j2"]  # the package that holds the files, not its parent
    assert data["cards.text"] == ["*.j2"]
