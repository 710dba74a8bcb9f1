"""The vocabulary `make e2e` tells the two languages apart with (e2e/languages.py): built from
the catalogs and the seeds, so it finds what a user of one language must not read and spares
the names."""

from __future__ import annotations

from functools import cache

from e2e.languages import vocabulary, words


@cache
def _vocabulary() -> dict[str, dict[str, list[str]]]:
    return vocabulary()


def test_the_sentences_are_each_languages_messages_between_their_placeholders() -> None:
    english, german = (set(_vocabulary()[language]["sentences"]) for language in ("en", "de"))
    assert "Answer each question, then tap Show level" in english  # a card's message
    assert "is not in your customer list yet" in english  # "{name} is not in ..."
    assert "How much contact has the team had with Azure so far?" in english  # a seed
    assert "ist noch nicht in Ihrer Kundenliste" in german
    assert "Wie viel Kontakt hatte das Team bisher mit Azure?" in german
    assert "Show level" not in english  # too short to tell
    assert "Azure Governance Workshop" not in english | german  # both say it


def test_each_languages_words_are_those_it_uses_far_more_often() -> None:
    english, german = (set(_vocabulary()[language]["words"]) for language in ("en", "de"))
    assert {"the", "and", "yet", "renewal"} <= english
    assert {"und", "der", "noch", "verlängerung"} <= german
    assert not english & german
    assert "workshop" not in english | german  # both languages use it


def test_the_names_are_those_each_languages_users_see() -> None:
    english, german = (_vocabulary()[language]["names"] for language in ("en", "de"))
    assert {"Cloud is an option", "Azure Governance Workshop", "Pilot oder PoC"} <= set(german)
    assert "Pilot or PoC" not in german  # the seed gives a German name
    assert "Pilot or PoC" in english
    assert german == sorted(german, key=lambda name: (-len(name), name))  # longest removed first


def test_words_are_lower_case_letters_of_two_or_more() -> None:
    shown = "Partner's Ziel: 3 KPIs, ÜBERBLICK a"
    assert words(shown) == ["partner's", "ziel", "kpis", "überblick"]
