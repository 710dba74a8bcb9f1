"""recognize_choice: buttons of this prompt, numbers, labels, aliases and `back`."""

from __future__ import annotations

import pytest

from dialogs.common.prompts import (
    BACK,
    YES_NO_ALIASES,
    back_data,
    choice_validations,
    choose_data,
    recognize_choice,
)

CHOICES = [("none", "No contact yet"), ("trial", "Tried it"), ("prod", "Runs production")]
VALIDATIONS = choice_validations("run1:q1", CHOICES, allow_back=True)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1", "none"),
        (" 3 ", "prod"),
        ("tried it", "trial"),
        ("RUNS PRODUCTION.", "prod"),
        ("prod", "prod"),
        ("back", BACK),
        ("Back", BACK),
        ("zurück", BACK),
        ("Zurueck", BACK),
        ("0", None),
        ("4", None),
        ("tried", None),
        ("", None),
        ("-1", None),
    ],
)
def test_typed_answers(text: str, expected: str | None) -> None:
    assert recognize_choice(VALIDATIONS, text, None) == expected


def test_own_buttons_count_and_others_do_not() -> None:
    assert recognize_choice(VALIDATIONS, "", choose_data("run1:q1", "trial")) == "trial"
    assert recognize_choice(VALIDATIONS, "", choose_data("run0:q1", "trial")) is None
    assert recognize_choice(VALIDATIONS, "", choose_data("run1:q1", "made-up")) is None
    assert recognize_choice(VALIDATIONS, "", back_data("run1:q1")) == BACK
    assert recognize_choice(VALIDATIONS, "", {"action": "choose"}) is None
    assert recognize_choice(VALIDATIONS, "", {"prompt": ["not", "hashable"]}) is None


def test_back_only_where_allowed() -> None:
    first = choice_validations("k", CHOICES, allow_back=False)
    assert recognize_choice(first, "back", None) is None
    assert recognize_choice(first, "", back_data("k")) is None


def test_yes_no_aliases() -> None:
    confirm = choice_validations("k", [("yes", "Yes"), ("no", "No")], False, YES_NO_ALIASES)
    assert [recognize_choice(confirm, t, None) for t in ("y", "Sure", "nope", "2")] == [
        "yes",
        "yes",
        "no",
        "no",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("ja", "yes"), ("Ja.", "yes"), ("j", "yes"), ("nein", "no"), ("Nö", "no"), ("1", "yes")],
)
def test_yes_and_no_in_german(text: str, expected: str) -> None:
    confirm = choice_validations("k", [("yes", "Yes"), ("no", "No")], False, YES_NO_ALIASES)
    assert recognize_choice(confirm, text, None) == expected
