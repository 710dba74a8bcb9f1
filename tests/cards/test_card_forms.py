"""Form and statement-of-work cards: hostile text stays intact, inputs and submit data exact,
every card under the size limit."""

from __future__ import annotations

import json

import pytest

from cards.forms import Button, Choice, Field, FormView, GoalLine, SowView, form_card, sow_card
from cards.library import wire_size
from cards.renderer import MAX_CARD_BYTES
from i18n import use_language
from tests.support.cards import walk

HOSTILE = 'Ada "Bobby" O\'Neil \\ </script> & <b>\n ${user} {{ x }} {% y %} **bold** 🎉'
BIG = (HOSTILE * 200)[:10_240]


def _form(text: str, n: int) -> FormView:
    fields = [Field("heading", "h", text)]
    for i in range(n):
        fields += [
            Field("text", f"t{i}", text, value=text, placeholder=text, required=True),
            Field("multiline", f"m{i}", text, value=text, max_length=2000),
            Field("date", f"d{i}", text, value="2026-12-31"),
            Field(
                "choice", f"c{i}", text, value="a", choices=[Choice("a", text), Choice("b", text)]
            ),
            Field("multichoice", f"x{i}", text, value="a,b", choices=[Choice("a", text)]),
        ]
    return FormView(
        title=text,
        intro=[text] * n,
        fields=fields,
        buttons=[
            Button(text, {"action": "form", "prompt": "k", "note": text}),
            Button("Skip", {"a": 1}, validate=False),
        ],
    )


def _sow(text: str, n: int) -> SowView:
    return SowView(
        customer=text,
        subtitle=text,
        workshops=[text] * n,
        goals=[GoalLine(text, text, text)] * n,
        factors=[(text, text)] * n,
        agreements=[text, text],
        buttons=[Button("Confirm", {"action": "agree_sow", "customer": "c"})],
        inputs=[Field("text", "agreed_by", text, value=text)],
    )


@pytest.mark.parametrize("n", [0, 1, 5])
def test_form_keeps_hostile_text_and_exact_submit_data(n: int) -> None:
    card = form_card(_form(HOSTILE, n))
    assert json.loads(json.dumps(card)) == card
    assert card["version"] == "1.5"
    runs = [node["text"] for node in walk(card) if node.get("type") == "TextRun"]
    assert HOSTILE in runs
    submits = [node for node in walk(card) if node.get("type") == "Action.Submit"]
    assert submits[0]["data"] == {"action": "form", "prompt": "k", "note": HOSTILE}
    assert submits[1]["associatedInputs"] == "none"
    inputs = [node for node in walk(card) if str(node.get("type", "")).startswith("Input.")]
    assert len(inputs) == 5 * n
    assert all(
        node.get("type") != "TextBlock" or HOSTILE not in node.get("text", "")
        for node in walk(card)
    )


@pytest.mark.parametrize("n", [0, 1, 5])
def test_sow_keeps_hostile_text(n: int) -> None:
    card = sow_card(_sow(HOSTILE, n))
    runs = [node["text"] for node in walk(card) if node.get("type") == "TextRun"]
    assert HOSTILE in runs
    assert [node["id"] for node in walk(card) if node.get("type") == "Input.Text"] == ["agreed_by"]


def test_huge_text_everywhere_still_fits() -> None:
    assert wire_size(form_card(_form(BIG, 5))) <= MAX_CARD_BYTES
    assert wire_size(sow_card(_sow(BIG, 5))) <= MAX_CARD_BYTES


def test_unknown_field_kind_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="unknown field kind"):
        form_card(FormView("t", [Field("slider", "s", "S")], []))


@pytest.mark.parametrize(
    ("language", "message"), [("en", "Attendees is required"), ("de", "Attendees ist erforderlich")]
)
def test_a_required_field_without_its_own_error_says_so_in_the_turns_language(
    language: str, message: str
) -> None:
    field = Field("text", "attendees", "Attendees", required=True)
    with use_language(language):
        card = form_card(FormView(title="T", fields=[field], buttons=[]))
    (element,) = [node for node in walk(card) if node.get("id") == "attendees"]
    assert element["errorMessage"] == message


@pytest.mark.parametrize(
    ("language", "placeholder"), [("en", "Select a date"), ("de", "Datum auswählen")]
)
def test_a_date_input_says_select_a_date_in_the_turns_language(
    language: str, placeholder: str
) -> None:
    """The card's own placeholder: the Agents Playground showed its English default to a German
    user (make e2e's German pass)."""
    field = Field("date", "due", "Due")
    with use_language(language):
        card = form_card(FormView(title="T", fields=[field], buttons=[]))
    (element,) = [node for node in walk(card) if node.get("id") == "due"]
    assert element["placeholder"] == placeholder
