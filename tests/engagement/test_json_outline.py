"""The outline of an export reads like `json.loads`: same values, same errors, entries located."""

from __future__ import annotations

import json
from typing import Any

import pytest

from engagement.json_outline import TooManyEntries, entry, outline
from engagement.slices import finish


def outlined(text: str, seen: list[Any] | None = None) -> tuple[Any, Any]:
    return finish(outline(text, "customers", (seen if seen is not None else []).append, 10))


@pytest.mark.parametrize(
    "text",
    [
        '{"format": "x", "customers": [{"id": "a"}, {"id": "b"}], "reminders": []}',
        ' \n{ "customers" : [ ] , "a" : [1, {"b": null}] }\n ',
        '{"customers": [{"id": "a"}], "customers": [{"id": "b"}, 3]}',
        '{"customers": "not an array", "x": 1.5e3}',
        "{}",
    ],
)
def test_the_outline_holds_what_json_loads_reads(text: str) -> None:
    expected = json.loads(text)
    fields, spans = outlined(text)
    if spans is not None:
        assert fields["customers"] == spans
        fields = {**fields, "customers": [entry(text, span) for span in spans]}
    assert fields == expected


def test_check_sees_every_entry_and_every_other_value_once() -> None:
    seen: list[Any] = []
    outlined('{"a": 1, "customers": [{"id": "x"}, [2]], "b": "c"}', seen)
    assert seen == [1, {"id": "x"}, [2], "c"]


def test_a_top_level_that_is_not_an_object_is_read_whole() -> None:
    assert outlined("[1, 2]") == ([1, 2], None)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "{",
        '{"a" 1}',
        '{"a": 1,}',
        '{"a": 1 "b": 2}',
        '{"customers": [1, 2,]}',
        '{"customers": [1 2]}',
        '{"customers": [1, 2}',
        '{"a": 1} x',
        '{"a": tru}',
        "{'a': 1}",
        '\ufeff{"a": 1}',
    ],
)
def test_broken_json_fails_as_json_loads_does(text: str) -> None:
    with pytest.raises(json.JSONDecodeError) as expected:
        json.loads(text)
    with pytest.raises(json.JSONDecodeError) as found:
        outlined(text)
    assert (found.value.msg, found.value.pos) == (expected.value.msg, expected.value.pos)


def test_an_array_longer_than_the_limit_is_not_read_to_its_end() -> None:
    assert outlined('{"customers": [' + ", ".join(["{}"] * 10) + "]}")[1] is not None
    with pytest.raises(TooManyEntries):
        outlined('{"customers": [' + ", ".join(["{}"] * 11) + ", this is not JSON")
