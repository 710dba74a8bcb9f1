"""Every command of the routing table, run with a hostile customer name, answers without raw
Markdown from the name: no text reply and no Markdown TextBlock of a card renders a link, bold,
italics or a tag out of it (issue 15). The table itself is iterated, so a new command is covered."""

from __future__ import annotations

from typing import Any

import pytest

from bot.commands import COMMANDS
from tests.support.conversation import Conversation
from tests.support.escaping import HOSTILE_NAMES, create_named, rendered

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


@pytest.mark.parametrize("name", HOSTILE_NAMES)
async def test_no_command_renders_markdown_from_a_customer_name(
    personal: Conversation, name: str
) -> None:
    await create_named(personal, name)
    found: dict[str, Any] = {}
    for line in _lines(name):
        bad = rendered(await personal.say(line))
        if bad:
            found[line] = bad
    assert found == {}, "\n".join(f"{k!r}: {v!r}" for k, v in found.items())
