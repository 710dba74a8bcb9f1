"""Temporary files a crash left behind, removed when the store opens.

A write interrupted between creating its temporary file and renaming it (`write_text_atomic`),
and an import interrupted before its commit point (`store/imports.py`), leave hidden files that
nothing reads. The store runs in one process per data directory, so when it opens no write is in
flight and every such file is garbage. Walking the tree reads directory entries only (no stat, no
file content).
"""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

from store.atomic_storage import TEMP_SUFFIX, fsync_directory
from store.imports import JOURNAL, STAGED_MARK

logger = logging.getLogger(__name__)


def is_leftover(name: str) -> bool:
    """True for the hidden temporary files of an atomic write, and the staging directories (and
    staged files) of an uncommitted import."""
    if not name.startswith(".") or name == JOURNAL:
        return False
    return name.endswith(TEMP_SUFFIX) or STAGED_MARK in name


def remove_leftovers(root: Path) -> int:
    """Delete every leftover temporary file under `root` (run before anything writes there);
    returns how many were removed. Run it after interrupted imports are recovered."""
    removed = 0
    pending = [str(root)]
    while pending:
        directory = pending.pop()
        try:
            with os.scandir(directory) as entries:
                listed = list(entries)
        except (FileNotFoundError, NotADirectoryError):
            continue
        found = False
        for entry in listed:
            if entry.is_dir(follow_symlinks=False):
                if is_leftover(entry.name):  # an import's staging directory
                    shutil.rmtree(entry.path, ignore_errors=True)
                    removed += 1
                    found = True
                else:
                    pending.append(entry.path)
            elif is_leftover(entry.name):
                try:
                    os.unlink(entry.path)
                except FileNotFoundError:
                    continue
                removed += 1
                found = True
        if found:
            fsync_directory(Path(directory))
    if removed:
        logger.warning(
            "removed %d temporary files left by an interrupted write in %s", removed, root
        )
    return removed
