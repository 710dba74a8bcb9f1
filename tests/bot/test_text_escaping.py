"""User text (customer names, notes, what was typed) never becomes Markdown in a text reply: a
customer called `[Open SharePoint](https://evil.example)` is no link for the colleagues who list
customers (issue 15). Cards show text as plain text already; this is about `text` messages."""

from __future__ import annotations

import re

from tests.support.cards import choice_sets, submit_data
from tests.support.connector import Sent
from tests.support.conversation import Conversation

NAME = "Evil [Open SharePoint](https://evil.example) **Co** <b>x</b>"
# Markdown that would render: an unescaped link, bold or HTML tag from the name or a note.
RENDERED = re.compile(r"(?<!\\)\]\(https://evil|(?<![\\*])\*\*Co|(?<!\\)<b>|(?<!\\)\[click\]")


async def _create(personal: Conversation) -> None:
    card = (await personal.say(f"quick check {NAME}"))[0].cards[0]
    card = (await personal.submit(submit_data(card, f"Create {NAME}")))[0].cards[0]
    value = dict(submit_data(card, "Show level"))
    for choice_set in choice_sets(card):
        value[choice_set["id"]] = choice_set["choices"][1]["value"]
    await personal.submit(value)


CODE_SPAN = re.compile(r"`[^`]*`")  # Markdown is not interpreted inside a code span


def _rendered(replies: list[Sent]) -> list[str]:
    return [s.text for s in replies if RENDERED.search(CODE_SPAN.sub("", s.text))]


async def test_customer_names_and_notes_are_escaped_in_every_text_reply(
    personal: Conversation,
) -> None:
    await _create(personal)
    lines = [
        "customers",
        f"status {NAME}",
        f"touch {NAME} call: see [click](https://evil.example/x) **now**",
        f"renewal {NAME} 2027-06-30",
        f"renewal {NAME} none",
        f"licenses {NAME} 10 20",
        f"health {NAME}",
        f"history {NAME}",
        f"report {NAME}",
        f"sow {NAME}",
        f"deliver {NAME}",
        f"ensure {NAME}",
        f"assess {NAME}",
        "cancel",
        f"commit {NAME}",
        "cancel",
        f"quick check {NAME}",
        "reminders",
        "kpis",
        "portfolio",
        "status Other [click](https://evil.example/x)",
        "catalog [click](https://evil.example/x)",
        "frobnicate [click](https://evil.example/x) **Co**",
    ]
    found: dict[str, list[str]] = {}
    for line in lines:
        bad = _rendered(await personal.say(line))
        if bad:
            found[line] = bad
    assert found == {}, "\n".join(f"{k!r}: {v!r}" for k, v in found.items())
