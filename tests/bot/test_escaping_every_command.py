"""Every command of the routing table, run with a hostile customer name, answers without raw
Markdown from the name: no text reply and no Markdown TextBlock of a card renders a link, bold,
italics or a tag out of it (issue 15). The table itself is iterated, so a new command is covered."""

from __future__ import annotations

import re
from typing import Any

import pytest

from bot.commands import COMMANDS
from tests.support.cards import choice_sets, of_type, submit_data
from tests.support.connector import Sent
from tests.support.conversation import Conversation

LINK = "[Open SharePoint](https://evil.example)"
MARKUP = "**bold** <at>x</at> _y_"
# Markdown from the names that would render: unescaped link, bold, mention tag or italics.
RENDERED = re.compile(
    r"(?<!\\)\]\(https://evil|(?<![\\*])\*\*bold|(?<!\\)<at>x|(?<![\\\w])_y(?<!\\)_"
)
CODE_SPAN = re.compile(r"`[^`]*`")  # Markdown is not interpreted inside a code span
# Lines beyond each command's example: outcomes, undo, suggestions and confirmations.
EXTRA = (
    "renewal {name} done",
    "renewal {name} 2027-06-30",
    "renewal {name} lost price",
    "undo touch {name}",
    "undo delivery {name}",
    "touch {name} call: see {name}",
    "touches {name}",
    "undo touch {name}",
    "status {typo}",
    "touches {typo}",
    "quick check New {name}",
    "assess New {name}",
    "cancel",
)


async def _create(personal: Conversation, name: str) -> None:
    """An unnamed quick check saved to `name` (a card input, so `<at>` tags survive, which typed
    text loses with the mentions)."""
    card = (await personal.say("quick check"))[0].cards[0]
    value = dict(submit_data(card, "Show level"))
    for choice_set in choice_sets(card):
        value[choice_set["id"]] = choice_set["choices"][1]["value"]
    result = (await personal.submit(value))[-1].cards[0]
    replies = await personal.submit({**submit_data(result, "Save"), "customer_name": name})
    ask = replies[-1].cards[0]
    await personal.submit(submit_data(ask, f"Create {name}"))


def _markdown_texts(sent: Sent) -> list[str]:
    texts = [sent.text]
    for card in sent.cards:
        texts += [str(block.get("text", "")) for block in of_type(card, "TextBlock")]
    return texts


def _rendered(replies: list[Sent]) -> list[str]:
    return [
        text
        for sent in replies
        for text in _markdown_texts(sent)
        if RENDERED.search(CODE_SPAN.sub("", text))
    ]


def _lines(name: str) -> list[str]:
    typo = name[:-2]  # a near miss: "Did you mean …?"
    lines = []
    for command in COMMANDS:
        example = command.example
        lines.append(
            example.replace("Contoso", name) if "Contoso" in example else f"{command.name} {name}"
        )
        lines.append(example)
        if command.during_flow.value == "starts":
            lines.append("cancel")
    lines += [line.format(name=name, typo=typo) for line in EXTRA]
    return lines


@pytest.mark.parametrize("name", [LINK, MARKUP])
async def test_no_command_renders_markdown_from_a_customer_name(
    personal: Conversation, name: str
) -> None:
    await _create(personal, name)
    found: dict[str, Any] = {}
    for line in _lines(name):
        bad = _rendered(await personal.say(line))
        if bad:
            found[line] = bad
    assert found == {}, "\n".join(f"{k!r}: {v!r}" for k, v in found.items())
