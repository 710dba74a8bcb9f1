"""Reading rendered Adaptive Cards in tests: find buttons, inputs and text."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

# User text that tries to break JSON, Markdown, templates and HTML (cards must show it as is).
HOSTILE = (
    'Ada "Bobby" O\'Neil \\ </script> & <b>\n ${user} {{ x }} {% y %} **bold** [link](http://x) 🎉'
)
BIG = (HOSTILE * 200)[:10_240]  # a 10 KB string
MARK = "Bobby"  # in HOSTILE and BIG, and in none of the cards' own text


def walk(node: Any) -> Iterator[dict[str, Any]]:
    """Every JSON object in a card, depth first (fallbacks included)."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for item in node:
            yield from walk(item)


def strings(node: object, *, skip: str = "") -> Iterator[str]:
    """Every string value (not key) in `node`, leaving out values under the key `skip`."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for key, value in node.items():
            if key != skip:
                yield from strings(value, skip=skip)
    elif isinstance(node, list):
        for item in node:
            yield from strings(item, skip=skip)


def of_type(card: Any, kind: str) -> list[dict[str, Any]]:
    """Every element of one type (e.g. "Action.Submit", "Input.ChoiceSet"), in order."""
    return [node for node in walk(card) if node.get("type") == kind]


def runs(card: Any) -> list[str]:
    """The text of every TextRun, in order (where cards put user text)."""
    return [str(node["text"]) for node in of_type(card, "TextRun")]


def submit_actions(card: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(title, data) of every Action.Submit in the card, in order."""
    return [
        (str(node.get("title", "")), node.get("data") or {})
        for node in walk(card)
        if node.get("type") == "Action.Submit"
    ]


def only_submit(card: dict[str, Any]) -> dict[str, Any]:
    """The data of the card's one Action.Submit (a quick check's "Show level", in any language)."""
    ((_title, data),) = submit_actions(card)
    return data


def submit_data(card: dict[str, Any], title: str) -> dict[str, Any]:
    """The data of the Action.Submit button with this exact title."""
    for action_title, data in submit_actions(card):
        if action_title == title:
            return data
    raise AssertionError(f"no button {title!r} in {[t for t, _ in submit_actions(card)]}")


def choice_sets(card: dict[str, Any]) -> list[dict[str, Any]]:
    """Every Input.ChoiceSet in the card."""
    return [node for node in walk(card) if node.get("type") == "Input.ChoiceSet"]


def texts(card: dict[str, Any]) -> str:
    """All visible text of a card joined, for `in` assertions."""
    parts = []
    for node in walk(card):
        for key in ("text", "title", "label", "value"):
            if isinstance(node.get(key), str):
                parts.append(node[key])
    return "\n".join(parts)


# Fields a Teams client or the Agents Playground owns in submit data: the Playground throws
# "Cannot assign to read only property 'key'" on a button whose data has `key` and sends nothing;
# Teams adds `msteams` and reads it itself; the rest are Action and Input property names.
CLIENT_OWNED_FIELDS = frozenset({"key", "msteams", "id", "type", "title", "verb", "data"})


def client_owned_fields(card: Any) -> set[str]:
    """Client-owned field names used in the data of any Action.Submit/Action.Execute in `card`."""
    found: set[str] = set()
    for node in walk(card):
        if node.get("type") in ("Action.Submit", "Action.Execute") and isinstance(
            node.get("data"), dict
        ):
            found |= CLIENT_OWNED_FIELDS & set(node["data"])
    return found
