"""The turn's language and what `_`, `ngettext` and the formats make of it."""

from __future__ import annotations

import asyncio
from datetime import date

import pytest

from cards.renderer import environment
from cards.text import _environment as text_environment
from i18n import N_, _, current_language, language_of, ngettext, switch_language, use_language
from i18n.formats import format_date, format_fixed, format_number, format_percent

STALE = "This card is out of date"


@pytest.mark.parametrize(
    ("locale", "language"),
    [
        ("de-DE", "de"),
        ("de-AT", "de"),
        ("de_CH", "de"),
        ("DE", "de"),
        ("en-US", "en"),
        ("fr-FR", "en"),
        ("", "en"),
        (None, "en"),
        ("deu", "en"),
    ],
)
def test_german_locales_are_german_and_anything_else_english(
    locale: str | None, language: str
) -> None:
    assert language_of(locale) == language


def test_messages_follow_the_language_of_the_block() -> None:
    assert current_language() == "en"
    assert _(STALE) == STALE
    with use_language("de-DE"):
        assert current_language() == "de"
        assert _(STALE) == "Diese Karte ist veraltet"
        assert _(N_(STALE)) == "Diese Karte ist veraltet"
        with use_language("en"):
            assert _(STALE) == STALE
        assert _(STALE) == "Diese Karte ist veraltet"
    assert current_language() == "en"


def test_a_switch_lasts_to_the_end_of_the_enclosing_block() -> None:
    with use_language("en"):
        switch_language("de-DE")
        assert current_language() == "de"
        assert _(STALE) == "Diese Karte ist veraltet"
    assert current_language() == "en"


def test_unknown_messages_stay_as_written() -> None:
    with use_language("de"):
        assert _("No translation for this one") == "No translation for this one"
        assert ngettext("{n} thing", "{n} things", 2).format(n=2) == "2 things"


async def test_concurrent_turns_keep_their_own_language() -> None:
    async def turn(language: str) -> str:
        with use_language(language):
            await asyncio.sleep(0)  # the other turn runs here
            return _(STALE)

    assert await asyncio.gather(turn("de"), turn("en")) == ["Diese Karte ist veraltet", STALE]


def test_formats_follow_the_language() -> None:
    day = date(2027, 3, 31)
    assert (format_date(day), format_number(4.3), format_percent(0.75)) == (
        "March 31, 2027",
        "4.3",
        "75%",
    )
    with use_language("de"):
        assert (format_date(day), format_number(4.3), format_percent(0.75)) == (
            "31. März 2027",
            "4,3",
            "75\u00a0%",
        )
        assert format_number(1234.56) == "1.234,6"
        assert format_percent(0.755, decimals=1) == "75,5\u00a0%"
        assert (format_fixed(2.0), format_fixed(3.456), format_fixed(4, 0)) == ("2,00", "3,46", "4")
    assert (format_fixed(2.0), format_fixed(1234.5)) == ("2.00", "1234.50")


def test_card_templates_translate_in_the_turn_language() -> None:
    template = environment().from_string('{"text": {{ _("This card is out of date")|tojson }}}')
    assert template.render() == '{"text": "This card is out of date"}'
    with use_language("de"):
        assert template.render() == '{"text": "Diese Karte ist veraltet"}'


def test_text_templates_translate_in_the_turn_language() -> None:
    template = text_environment().from_string('{{ _("This card is out of date") }}')
    with use_language("de"):
        assert template.render() == "Diese Karte ist veraltet"
