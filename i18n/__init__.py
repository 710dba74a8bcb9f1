"""The user's language and the translated text: English (the msgids) or German (gettext catalogs).

The language is a context variable, set once per turn by the bot (the user's stored choice, or
else the activity's `locale`) and per recipient by the reminder sweep; `use_language` sets it for
a block. `_`, `ngettext` and `N_` are what every module imports:

    from i18n import N_, _, ngettext
    _("Saved {name}.").format(name=customer.name)      # placeholders str.format style
    ngettext("{n} customer", "{n} customers", n).format(n=n)
    TITLE = N_("Quick check")                           # a module constant, shown as _(TITLE)

The catalogs are `i18n/locales/de/LC_MESSAGES/<domain>.po`, one domain per area (DOMAINS); all of
them are chained into one translation per language (`i18n.catalogs`). Imports no framework, so
every package may use it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from i18n.catalogs import translation

ENGLISH = "en"
GERMAN = "de"
LANGUAGES = (ENGLISH, GERMAN)

_language: ContextVar[str] = ContextVar("language", default=ENGLISH)


def language_of(locale: str | None) -> str:
    """The language for a locale or language name: German for `de`, `de-DE`, `de_AT`...;
    anything else (empty, `en-US`, `fr-FR`) is English."""
    code = (locale or "").strip().replace("_", "-").split("-")[0].lower()
    return GERMAN if code == GERMAN else ENGLISH


def current_language() -> str:
    """The language of the current turn (English outside any)."""
    return _language.get()


@contextmanager
def use_language(language: str) -> Iterator[None]:
    """Texts in `language` inside the block (a turn, one reminder's recipient, a test)."""
    token = _language.set(language_of(language))
    try:
        yield
    finally:
        _language.reset(token)


def switch_language(language: str) -> None:
    """Texts in `language` from here to the end of the enclosing `use_language` block, which
    then restores the language before it (the `language` command: the rest of its turn, a
    flow's next prompt included, speaks the language just chosen)."""
    _language.set(language_of(language))


def _(message: str) -> str:
    """`message` in the current language (itself in English or when it has no translation)."""
    return translation(_language.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for `n` in the current language; format `{n}` yourself."""
    return translation(_language.get()).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Marks a module-level constant for extraction; translate it where shown: `_(CONSTANT)`."""
    return message


__all__ = [
    "ENGLISH",
    "GERMAN",
    "LANGUAGES",
    "N_",
    "_",
    "current_language",
    "language_of",
    "ngettext",
    "switch_language",
    "use_language",
]
