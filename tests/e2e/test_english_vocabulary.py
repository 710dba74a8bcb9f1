"""The vocabulary `make e2e`'s German pass reads English with (e2e/english.py): built from the
catalogs and the seeds, so it finds what a German user must not read and spares the names."""

from __future__ import annotations

from functools import cache

from e2e.english import vocabulary, words


@cache
def _vocabulary() -> dict[str, list[str]]:
    return vocabulary()


def test_the_sentences_are_the_english_messages_between_their_placeholders() -> None:
    sentences = set(_vocabulary()["sentences"])
    assert "Answer each question, then tap Show level" in sentences  # a card's message
    assert "is not in your customer list yet" in sentences  # "{name} is not in ..."
    assert "How much contact has the team had with Azure so far?" in sentences  # a seed
    assert "Show level" not in sentences  # too short to tell
    assert "Azure Governance Workshop" not in sentences  # the German text says it too


def test_english_and_german_words_are_those_mostly_used_in_one_language() -> None:
    english, german = set(_vocabulary()["english_words"]), set(_vocabulary()["german_words"])
    assert {"the", "and", "yet", "renewal"} <= english
    assert {"und", "der", "noch", "verlängerung"} <= german
    assert not english & german
    assert "workshop" not in english | german  # both languages use it


def test_the_names_are_those_a_german_user_sees() -> None:
    names = _vocabulary()["names"]
    assert {"Cloud is an option", "Azure Governance Workshop", "Pilot oder PoC"} <= set(names)
    assert "Pilot or PoC" not in names  # the seed gives a German name
    assert names == sorted(names, key=lambda name: (-len(name), name))  # longest removed first


def test_words_are_lower_case_letters_of_two_or_more() -> None:
    shown = "Partner's Ziel: 3 KPIs, ÜBERBLICK a"
    assert words(shown) == ["partner's", "ziel", "kpis", "überblick"]
