"""The closest commands to a mistyped one."""

from __future__ import annotations

import pytest

from bot.commands import COMMANDS
from bot.suggest import closest_commands, unknown_text_line

NAMES = [command.name for command in COMMANDS]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("stauts Fabrikam", ["status Fabrikam"]),
        ("quik chek Contoso", ["quick check Contoso"]),
        ("histroy Contoso", ["history Contoso"]),
        ("portfolo", ["portfolio"]),
        ("what is the weather", []),  # nothing close: no guess
        ("hello there", []),  # help is the card's button, never a suggestion
    ],
)
def test_closest_commands(typed: str, expected: list[str]) -> None:
    assert closest_commands(typed, NAMES) == expected


def test_the_line_quotes_long_text_shortened() -> None:
    line = unknown_text_line("x" * 200, [])
    assert len(line) < 120
    assert line.endswith("Type `help` for what I can do.")
