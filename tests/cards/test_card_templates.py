"""The template environment and renderer: lint every template, fail loudly on every mistake."""

from __future__ import annotations

import json
from pathlib import Path

import jinja2
import pytest
from jinja2 import nodes

from cards import renderer
from cards.renderer import MAX_CARD_BYTES, CardRenderError, card_size, render_card

TEMPLATES = sorted((Path(renderer.__file__).parent / "templates").glob("*.json.j2"))


def unescaped_outputs(source: str) -> list[str]:
    """Every `{{ }}` in `source` that does not end in `|tojson`, as jinja source-ish text."""
    tree = renderer.environment().parse(source)
    return [
        repr(child)
        for output in tree.find_all(nodes.Output)
        for child in output.nodes
        if not isinstance(child, nodes.TemplateData)
        and not (isinstance(child, nodes.Filter) and child.name == "tojson")
    ]


def test_there_are_templates() -> None:
    assert len(TEMPLATES) >= 8


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.name)
def test_every_interpolation_ends_in_tojson(path: Path) -> None:
    assert unescaped_outputs(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    "source",
    [
        '{"a": "{{ x }}"}',
        '{"a": {{ x|e }}}',
        '{"a": {{ x|tojson|safe }}}',
        '{"a": {{ "lit" }}}',
        '{% for i in xs %}{"a": {{ i }}}{% endfor %}',
    ],
)
def test_lint_catches_unescaped_output(source: str) -> None:
    assert unescaped_outputs(source)


def test_lint_accepts_tojson_over_any_expression() -> None:
    assert unescaped_outputs('{"a": {{ (n ~ ". ")|tojson }}, "b": {{ v.x|tojson }}}') == []


def test_environment_is_built_once_with_the_safe_settings() -> None:
    env = renderer.environment()
    assert env is renderer.environment()
    assert env.autoescape is False
    assert env.undefined is jinja2.StrictUndefined
    assert env.trim_blocks
    assert env.lstrip_blocks
    assert not env.auto_reload  # no file checks per render


def test_templates_render_from_a_plain_copy_of_the_environments_globals() -> None:
    template = renderer._template("question.json.j2")
    assert type(template.globals) is dict  # not jinja2's ChainMap, copied key by key per render
    assert template.globals["_"] is renderer.environment().globals["_"]
    assert renderer._template("question.json.j2") is template


def test_missing_variable_in_tojson_names_it() -> None:
    with pytest.raises(CardRenderError, match=r"notice\.json\.j2.*'title' is undefined"):
        render_card("notice", text="hello")


def test_missing_variable_in_condition_raises() -> None:
    with pytest.raises(CardRenderError, match="'text' is undefined"):
        render_card("notice", title="hello")


def test_missing_attribute_raises() -> None:
    with pytest.raises(CardRenderError, match="has no attribute 'text'"):
        render_card(
            "quick_check", title="t", questions=[{"id": "q1", "choices": []}], submit_data={}
        )


def test_unknown_template_raises() -> None:
    with pytest.raises(CardRenderError, match=r"no_such_card\.json\.j2.*no such template"):
        render_card("no_such_card")


def test_value_json_cannot_encode_raises() -> None:
    with pytest.raises(CardRenderError, match="not JSON serializable"):
        render_card("notice", title=object(), text="")


def _with_templates(monkeypatch: pytest.MonkeyPatch, templates: dict[str, str]) -> None:
    env = jinja2.Environment(
        loader=jinja2.DictLoader(templates), undefined=jinja2.StrictUndefined, autoescape=False
    )
    monkeypatch.setattr(renderer, "environment", lambda: env)


def test_broken_template_output_raises_naming_the_template(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _with_templates(monkeypatch, {"broken.json.j2": '{"text": {{ x|tojson }},}'})
    with pytest.raises(CardRenderError, match=r"broken\.json\.j2.*not valid JSON"):
        render_card("broken", x="a")


def test_output_must_be_an_object(monkeypatch: pytest.MonkeyPatch) -> None:
    _with_templates(monkeypatch, {"list.json.j2": "[{{ x|tojson }}]"})
    with pytest.raises(CardRenderError, match="not a JSON object"):
        render_card("list", x="a")


def test_tojson_keeps_hostile_text_valid_json() -> None:
    hostile = 'O\'Neil "x" \\ </script> & <b>\n {{ y }} {% z %} ${u} 🎉 \u0000 \u2028'
    card = render_card("notice", title=hostile, text=hostile)
    assert card["body"][0]["inlines"][0]["text"] == hostile
    assert card["body"][1]["inlines"][0]["text"] == hostile


@pytest.mark.parametrize(
    "value",
    [
        'O\'Neil "x" \\ é 🎉 \u0000 \u2028',
        "\ud800 alone",
        2**70,
        1.5,
        None,
        True,
        {"a": ["é", 1, False, None], "b": {"c": "\n"}},
        {1: "a number as a key"},
        ["x", 2**70, 0.25],
    ],
)
def test_tojson_reads_back_as_the_value_json_dumps_gives(value: object) -> None:
    assert json.loads(renderer._tojson(value)) == json.loads(json.dumps(value))


def test_card_size_is_compact_utf8_bytes() -> None:
    assert card_size({"a": "é", "b": [1, 2]}) == len('{"a":"é","b":[1,2]}'.encode())
    assert MAX_CARD_BYTES == 28_000
