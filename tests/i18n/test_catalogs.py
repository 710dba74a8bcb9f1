"""The German catalogs are complete: every message in the code is in its domain's `.po`, and
every entry has a German translation (not fuzzy) with exactly the original's placeholders.

When these fail: `make translations`, then translate the empty `msgstr ""` entries it added.
"""

from __future__ import annotations

import gettext
import re
import string
from pathlib import Path

import pytest
from babel.messages.catalog import Message

from i18n.catalogs import DOMAINS, catalog_path
from scripts.translations import TARGET_LANGUAGES, compile_catalog, extract, read_catalog

# `{name}` (str.format, Python code) and `%(name)s` (jinja2's newstyle gettext, templates)
_PERCENT = re.compile(r"%\((\w+)\)[sdif]|%%")
_CASES = [(language, domain) for language in TARGET_LANGUAGES for domain in DOMAINS]


def placeholders(text: str) -> list[str]:
    """The placeholders of a message, sorted, each as often as it occurs."""
    found = [f"{{{field}}}" for _, field, _, _ in string.Formatter().parse(text) if field]
    found += [match.group(0) for match in _PERCENT.finditer(text)]
    return sorted(found)


def _forms(message: Message) -> tuple[list[str], list[str]]:
    ids = [message.id] if isinstance(message.id, str) else list(message.id)
    strings = [message.string] if isinstance(message.string, str) else list(message.string)
    return ids, strings


@pytest.mark.parametrize(("language", "domain"), _CASES)
def test_every_message_has_a_translation(language: str, domain: str) -> None:
    catalog = read_catalog(language, domain)
    untranslated = [
        message.id
        for message in catalog
        if message.id and (message.fuzzy or not all(_forms(message)[1]))
    ]
    assert untranslated == []


@pytest.mark.parametrize(("language", "domain"), _CASES)
def test_translations_keep_the_placeholders(language: str, domain: str) -> None:
    catalog = read_catalog(language, domain)
    differing = {}
    for message in catalog:
        if not message.id:
            continue
        ids, strings = _forms(message)
        expected = set(placeholders(ids[0])) | set(placeholders(ids[-1]))
        # a plural's singular may leave out the number ("Ein Kunde"); its plural may not
        if strings[-1] and set(placeholders(strings[-1])) != expected:
            differing[ids[0]] = strings[-1]
        for form in strings:
            if not set(placeholders(form)) <= expected:
                differing[ids[0]] = form
    assert differing == {}


@pytest.mark.parametrize(("language", "domain"), _CASES)
def test_every_message_in_the_code_is_in_the_catalog(language: str, domain: str) -> None:
    catalog = read_catalog(language, domain)
    extracted = extract(domain)
    missing = [message.id for message in extracted if message.id and message.id not in catalog]
    assert missing == [], "run `make translations` and translate the new entries"


def test_placeholders_are_read_in_both_styles() -> None:
    assert placeholders("Saved {name} ({n})") == ["{name}", "{n}"]
    assert placeholders("%(num)d workshops for %(name)s, 5%%") == ["%%", "%(name)s", "%(num)d"]
    assert placeholders("{{literal}} braces") == []


def test_the_install_step_compiles_a_catalog_gettext_reads(tmp_path: Path) -> None:
    mo = tmp_path / "bot.mo"
    compile_catalog(catalog_path("de", "bot"), mo)
    with mo.open("rb") as file:
        german = gettext.GNUTranslations(file)
    assert german.gettext("This card is out of date") == "Diese Karte ist veraltet"
