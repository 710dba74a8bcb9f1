"""decode_json: refuses bodies nested deeper than allowed, whatever brackets strings hold."""

from __future__ import annotations

import json

import pytest

from bot.inbound import decode_json


def _nested(levels: int) -> bytes:
    return ("[" * levels + "]" * levels).encode()


def test_nesting_up_to_the_limit_is_read_and_one_level_more_is_refused() -> None:
    assert decode_json(_nested(5), max_depth=5) == [[[[[]]]]]
    with pytest.raises(ValueError, match="nested deeper than 5 levels"):
        decode_json(_nested(6), max_depth=5)


def test_brackets_inside_strings_are_not_levels() -> None:
    body = json.dumps({"text": "[{" * 50, "value": {"a": [1]}}).encode()
    assert decode_json(body, max_depth=3)["value"] == {"a": [1]}


def test_deep_nesting_behind_many_brackets_in_strings_is_still_refused() -> None:
    body = json.dumps({"text": "[{" * 50, "value": [[[[1]]]]}).encode()
    with pytest.raises(ValueError, match="nested deeper than 3 levels"):
        decode_json(body, max_depth=3)
