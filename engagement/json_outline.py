"""A JSON object's top level read a piece at a time, one big array's entries only located. Pure.

`json.loads` of a 10 MB export is one call that holds the interpreter for a few hundred
milliseconds and builds every entry at once. `outline` parses the top-level fields one by one
and the entries of one named array one by one (each checked, then dropped), yielding between
them, and returns where each entry is in the text; the caller decodes each again when it needs
it. Same grammar, same error messages and positions as `json.loads` (`json.JSONDecodeError`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Generator
from typing import Any

Span = tuple[int, int]  # an entry's start and end in the text

_WHITESPACE = re.compile(r"[ \t\n\r]*")  # what the json module skips
_DECODER = json.JSONDecoder()


class TooManyEntries(ValueError):
    """The array has more entries than the caller takes (the rest was not read)."""


def outline(
    text: str, array: str, check: Callable[[Any], None], limit: int
) -> Generator[None, None, tuple[Any, list[Span] | None]]:
    """Steps that parse `text`; their result is (the top-level value, the entries' spans).

    When the top level is an object whose field `array` is a JSON array, that field's value in
    the result is the list of its entries' spans (also returned second); every other value is
    parsed as `json.loads` would. `check` sees each top-level value and each entry once.

    Raises:
        json.JSONDecodeError: `text` is not JSON.
        RecursionError: a value is nested too deeply.
    """
    position = _skip(text, 0)
    if not text.startswith("{", position):  # not an export: the caller refuses it
        value = json.loads(text)
        check(value)
        return value, None
    fields: dict[str, Any] = {}
    spans: list[Span] | None = None
    position = _skip(text, position + 1)
    while not text.startswith("}", position) or fields:  # `{}`, or until the closing `}`
        if not text.startswith('"', position):
            raise json.JSONDecodeError(
                "Expecting property name enclosed in double quotes", text, position
            )
        key, position = _DECODER.raw_decode(text, position)
        position = _skip(text, position)
        if not text.startswith(":", position):
            raise json.JSONDecodeError("Expecting ':' delimiter", text, position)
        position = _skip(text, position + 1)
        if key == array and text.startswith("[", position):
            spans, position = yield from _entries(text, position, check, limit)
            fields[key] = spans
        else:
            value, position = _DECODER.raw_decode(text, position)
            check(value)
            fields[key] = value
            spans = None if key == array else spans
        position = _skip(text, position)
        if text.startswith("}", position):
            break
        if not text.startswith(",", position):
            raise json.JSONDecodeError("Expecting ',' delimiter", text, position)
        position = _skip(text, position + 1)
        yield
    end = _skip(text, position + 1)
    if end != len(text):
        raise json.JSONDecodeError("Extra data", text, end)
    return fields, spans


def entry(text: str, span: Span) -> Any:
    """The entry at `span`, decoded."""
    return _DECODER.raw_decode(text, span[0])[0]


def _entries(
    text: str, position: int, check: Callable[[Any], None], limit: int
) -> Generator[None, None, tuple[list[Span], int]]:
    """The spans of the array's entries at `position` (its `[`), and the position after it."""
    spans: list[Span] = []
    position = _skip(text, position + 1)
    if text.startswith("]", position):
        return spans, position + 1
    while True:
        if len(spans) == limit:
            raise TooManyEntries(f"more than {limit} entries")
        value, end = _DECODER.raw_decode(text, position)
        check(value)
        spans.append((position, end))
        position = _skip(text, end)
        yield
        if text.startswith("]", position):
            return spans, position + 1
        if not text.startswith(",", position):
            raise json.JSONDecodeError("Expecting ',' delimiter", text, position)
        position = _skip(text, position + 1)


def _skip(text: str, position: int) -> int:
    match = _WHITESPACE.match(text, position)
    return match.end() if match else position
