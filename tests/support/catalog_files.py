"""Broken copies of the shipped catalog: copy it, edit one file, check the error names the
file, the entry and the field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import catalog
from catalog import LEVELS_FILE, QUESTIONNAIRE_FILE, WORKSHOPS_FILE, CatalogError, load_catalog

PACKAGE_DIR = Path(catalog.__file__).parent
FILES = (LEVELS_FILE, WORKSHOPS_FILE, QUESTIONNAIRE_FILE)


def copy_catalog(target: Path) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    for name in FILES:
        shutil.copy(PACKAGE_DIR / name, target / name)
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} must occur exactly once in {path.name}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def assert_broken_copy_names(
    directory: Path, edited: tuple[str, str, str], entry: str | None, field: str, reason: str
) -> None:
    """A copy in `directory` with `edited` = (file, old, new) fails naming entry and field."""
    file, old, new = edited
    edit(copy_catalog(directory) / file, old, new)
    with pytest.raises(CatalogError) as raised:
        load_catalog(directory)
    error = raised.value
    assert error.file == file
    assert any(
        p.entry == entry and p.field == field and reason in p.reason for p in error.problems
    ), str(error)
    message = str(error)
    assert message.startswith(f"{file}: ")
    assert f"field {field!r}" in message
    if entry is not None:
        assert f"{entry}: field {field!r}" in message
