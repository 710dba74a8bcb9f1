"""`make translations`: extract every domain's messages, update its German catalog, compile it.

    .venv/bin/python -m scripts.translations          # what `make translations` runs
    .venv/bin/python -m scripts.translations compile X.po X.mo   # what `make` runs per catalog

Each domain (`i18n.catalogs.DOMAINS`) is extracted from its own sources (SOURCES) with Babel;
`i18n/locales/de/LC_MESSAGES/<domain>.po` then gains the new messages (empty, to translate) and
loses the ones no longer in the code. The catalogs are written sorted by msgid and without source
locations, so two people adding messages rarely touch the same lines. The tests call `extract`
to check that no message in the code is missing from its catalog. Catalogs are compiled here
rather than with the `pybabel` command: the `pybabel` of Babel 2.9.1 (pinned by
botbuilder-dialogs) needs distutils, which Python 3.12 no longer has.
"""

from __future__ import annotations

import io
import sys
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from i18n.catalogs import DOMAINS, catalog_path

ROOT = Path(__file__).resolve().parent.parent
TARGET_LANGUAGES = ("de",)
_JINJA = "jinja2.ext:babel_extract"
_JINJA_OPTIONS = {
    "extensions": "jinja2.ext.i18n",
    "newstyle_gettext": "true",
    "trim_blocks": "true",
    "lstrip_blocks": "true",
}
# domain -> its folder and (pattern, extraction method) pairs inside it
SOURCES: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "bot": ("bot", [("**.py", "python")]),
    "dialogs": ("dialogs", [("**.py", "python")]),
    "cards": ("cards", [("**.py", "python"), ("templates/**.j2", _JINJA), ("text/**.j2", _JINJA)]),
    "engagement": ("engagement", [("**.py", "python")]),
}
_CREATED = datetime(2026, 12, 4, tzinfo=UTC)  # fixed, so updates do not rewrite the header


def extract(domain: str) -> Catalog:
    """Every message the domain's sources pass to `_`, `N_` or `ngettext` (a template catalog)."""
    folder, method_map = SOURCES[domain]
    options = {pattern: _JINJA_OPTIONS for pattern, method in method_map if method == _JINJA}
    template = Catalog(domain=domain, creation_date=_CREATED)
    keywords = dict(DEFAULT_KEYWORDS)
    for filename, lineno, message, comments, context in extract_from_dir(
        str(ROOT / folder), method_map, options, keywords, comment_tags=("TRANSLATORS:",)
    ):
        location = (f"{folder}/{filename}", lineno)
        template.add(message, None, [location], auto_comments=comments, context=context)
    return template


def read_catalog(language: str, domain: str) -> Catalog:
    """The domain's catalog in `language` (an empty one when it does not exist yet)."""
    path = catalog_path(language, domain)
    if not path.exists():
        return Catalog(
            locale=language,
            domain=domain,
            project="csf-bot",
            version="0.1.0",
            header_comment=f"# {domain}: the {language} translations (`make translations` updates)",
            creation_date=_CREATED,
            revision_date=_CREATED,
            fuzzy=False,
        )
    with path.open("rb") as file:
        return read_po(file, locale=language, domain=domain)


def write_catalog(language: str, catalog: Catalog) -> None:
    """Write the `.po` (sorted, no locations, no obsolete entries) and compile its `.mo`."""
    assert catalog.domain is not None
    po = catalog_path(language, catalog.domain)
    po.parent.mkdir(parents=True, exist_ok=True)
    text = io.BytesIO()
    write_po(text, catalog, no_location=True, sort_output=True, ignore_obsolete=True)
    po.write_bytes(text.getvalue())
    with catalog_path(language, catalog.domain, ".mo").open("wb") as mo:
        write_mo(mo, catalog)


def update(domain: str) -> None:
    template = extract(domain)
    for language in TARGET_LANGUAGES:
        catalog = read_catalog(language, domain)
        template.creation_date = catalog.creation_date
        catalog.update(template, no_fuzzy_matching=True)
        write_catalog(language, catalog)


def compile_catalog(po: Path, mo: Path) -> None:
    """Compile one `.po` into its `.mo` (untranslated and fuzzy entries left out)."""
    with po.open("rb") as source:
        catalog = read_po(source)
    with mo.open("wb") as target:
        write_mo(target, catalog)


def _translated(message: Message) -> bool:
    """Whether every form of the message (both of a plural) has its translation."""
    strings = message.string if isinstance(message.string, tuple | list) else [message.string]
    return all(strings)


def main(arguments: list[str]) -> None:
    if arguments[:1] == ["compile"] and len(arguments) == 3:
        compile_catalog(Path(arguments[1]), Path(arguments[2]))
        return
    for domain in DOMAINS:
        update(domain)
        for language in TARGET_LANGUAGES:
            catalog = read_catalog(language, domain)
            missing = sum(1 for message in catalog if message.id and not _translated(message))
            print(f"{catalog_path(language, domain).relative_to(ROOT)}: {missing} to translate")  # noqa: T201


if __name__ == "__main__":
    main(sys.argv[1:])
