"""Hostile user text and the check that no reply renders Markdown from it (issue 15)."""

from __future__ import annotations

import re

from tests.support.cards import choice_sets, of_type, only_submit, submit_data
from tests.support.connector import Sent
from tests.support.conversation import Conversation

LINK = "[Open SharePoint](https://evil.example)"
MARKUP = "**bold** <at>x</at> _y_"
HOSTILE_NAMES = (LINK, MARKUP)
# Markdown from the names that would render: unescaped link, bold, mention tag or italics.
RENDERED = re.compile(
    r"(?<!\\)\]\(https://evil|(?<![\\*])\*\*bold|(?<!\\)<at>x|(?<![\\\w])_y(?<!\\)_"
)
CODE_SPAN = re.compile(r"`[^`]*`")  # Markdown is not interpreted inside a code span


def markdown_texts(sent: Sent) -> list[str]:
    """What Teams reads as Markdown in a message: its text and the cards' TextBlocks."""
    texts = [sent.text]
    for card in sent.cards:
        texts += [str(block.get("text", "")) for block in of_type(card, "TextBlock")]
    return texts


def rendered(replies: list[Sent]) -> list[str]:
    """The texts of these replies that render Markdown from the hostile text."""
    return [text for sent in replies for text in markdown_texts(sent) if renders(text)]


def renders(text: str) -> bool:
    """Whether Markdown from the hostile text would render in `text`."""
    return RENDERED.search(CODE_SPAN.sub("", text)) is not None


async def create_named(conversation: Conversation, name: str) -> None:
    """An unnamed quick check saved to `name` (a card input, so `<at>` tags survive, which typed
    text loses with the mentions)."""
    card = (await conversation.say("quick check"))[0].cards[0]
    value = dict(only_submit(card))
    for choice_set in choice_sets(card):
        value[choice_set["id"]] = choice_set["choices"][1]["value"]
    result = (await conversation.submit(value))[-1].cards[0]
    replies = await conversation.submit({**submit_data(result, "Save"), "customer_name": name})
    ask = replies[-1].cards[0]
    await conversation.submit(submit_data(ask, f"Create {name}"))
