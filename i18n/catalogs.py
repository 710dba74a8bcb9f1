"""One gettext translation per language, chaining every domain's compiled catalog.

`make run`/`make test` compile `locales/<lang>/LC_MESSAGES/<domain>.po` into `.mo` files
(`scripts/translations.py compile`, the install step). A `.mo` that is missing or older than its
`.po` (a catalog edited since) is compiled from the `.po` in memory instead, with a warning in
the log, so a test run never reads stale translations.
"""

from __future__ import annotations

import functools
import gettext
import io
import logging
from pathlib import Path

logger = logging.getLogger(__name__)

LOCALES = Path(__file__).resolve().parent / "locales"
# One catalog per area, so people working on different areas never edit the same file.
DOMAINS = ("bot", "dialogs", "cards", "engagement")
SOURCE_LANGUAGE = "en"


def catalog_path(language: str, domain: str, suffix: str = ".po") -> Path:
    """Where the catalog of `domain` in `language` lives (`.po` source or `.mo` compiled)."""
    return LOCALES / language / "LC_MESSAGES" / f"{domain}{suffix}"


def _compiled(language: str, domain: str) -> gettext.GNUTranslations | None:
    po, mo = catalog_path(language, domain), catalog_path(language, domain, ".mo")
    if not po.exists():
        return None
    if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
        with mo.open("rb") as file:
            return gettext.GNUTranslations(file)
    logger.warning("%s is missing or older than its .po; compiling it in memory (make does)", mo)
    # Imported here: Babel 2.9.1's messages package needs the cgi module (gone in Python 3.13).
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as file:
        catalog = read_po(file, locale=language, domain=domain)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


@functools.cache
def translation(language: str) -> gettext.NullTranslations:
    """Every domain's messages in `language`; English (the msgids) for the source language."""
    chained = gettext.NullTranslations()
    if language == SOURCE_LANGUAGE:
        return chained
    for domain in DOMAINS:
        compiled = _compiled(language, domain)
        if compiled is not None:
            chained.add_fallback(compiled)
    return chained
