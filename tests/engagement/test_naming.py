"""Customer names and ids."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engagement.errors import InvalidCustomerName
from engagement.naming import MAX_ID_LENGTH, clean_customer_name, customer_id_for, similar_names


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Contoso", "contoso"),
        ("Contoso Ltd.", "contoso-ltd"),
        ("Müller & Söhne AG", "muller-sohne-ag"),
        ("  Fabrikam   Inc  ", "fabrikam-inc"),
    ],
)
def test_ids_are_slugs(name: str, expected: str) -> None:
    assert customer_id_for(clean_customer_name(name)) == expected


def test_a_name_in_a_non_latin_script_gets_a_stable_id() -> None:
    assert customer_id_for("東京電力") == customer_id_for("東京電力")
    assert customer_id_for("東京電力").startswith("c-")


@pytest.mark.parametrize("name", ["", "   ", "!!!", "x" * 101, "\u0000\u200b"])
def test_unusable_names_are_refused(name: str) -> None:
    with pytest.raises(InvalidCustomerName):
        clean_customer_name(name)


@given(st.text(max_size=120))
def test_any_accepted_name_gives_a_valid_id(name: str) -> None:
    try:
        cleaned = clean_customer_name(name)
    except InvalidCustomerName:
        return
    customer_id = customer_id_for(cleaned)
    assert 0 < len(customer_id) <= MAX_ID_LENGTH
    assert customer_id[0].isalnum()
    assert customer_id.isascii()


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Contso", ["Contoso"]),
        ("contoso", ["Contoso"]),
        ("Fabrikam", ["Fabrikam Ltd"]),
        ("Tailspin", []),
        ("", []),
    ],
)
def test_similar_names_offer_what_was_probably_meant(typed: str, expected: list[str]) -> None:
    known = ["Contoso", "Fabrikam Ltd", "Northwind Traders", "Litware"]
    assert similar_names(typed, known) == expected


@given(st.text(max_size=40), st.lists(st.text(max_size=40), max_size=8))
def test_similar_names_are_known_names_at_most_three(typed: str, known: list[str]) -> None:
    found = similar_names(typed, known)
    assert len(found) <= 3
    assert set(found) <= set(known)
