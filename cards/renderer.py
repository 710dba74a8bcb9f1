"""Render `cards/templates/<name>.json.j2` into an Adaptive Card dict.

Imports only jinja2, orjson and the standard library: never botbuilder, aiohttp, or the
engagement, store, bot or dialogs packages. Every `{{ }}` in a template ends in `|tojson` (a test
walks the templates' syntax trees), so a value can never break the JSON or inject elements; the
output is always parsed, so a broken template fails here and in tests rather than in Teams.
"""

from __future__ import annotations

import functools
import json
from typing import Any

import jinja2
import orjson

from i18n import _, ngettext

MAX_CARD_BYTES = 28_000
"""Teams rejects bigger cards; the wrappers in `cards.library` truncate text to stay under it."""


class CardRenderError(Exception):
    """A card template is missing, lacks a value, or did not produce a JSON object."""

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"card template {name!r}: {reason}")
        self.name = name
        self.reason = reason


_SCALARS = frozenset({str, int, bool, type(None)})


def _orjson_writes_as_json_does(value: Any) -> bool:
    """True for text, whole numbers, booleans, None, and lists and string-keyed dicts of them:
    values orjson writes as `json.dumps` does (a number beyond 64 bits makes orjson raise)."""
    kind = type(value)
    if kind in _SCALARS:
        return True
    if kind is list:
        for item in value:
            if type(item) not in _SCALARS and not _orjson_writes_as_json_does(item):
                return False
        return True
    if kind is dict:
        for key, item in value.items():
            if type(key) is not str:
                return False
            if type(item) not in _SCALARS and not _orjson_writes_as_json_does(item):
                return False
        return True
    return False  # floats (NaN), dates, enums, subclasses...: json.dumps decides, as before


def _tojson(value: Any, indent: int | None = None) -> str:
    """The value as a JSON literal, like jinja2's `tojson`, minus its HTML escaping.

    jinja2 also escapes `<`, `>`, `&` and `'` (as `\\u003c`...) for HTML pages; the output here
    is parsed as JSON, where both forms are the same string, and the escaping cost a third of a
    card's rendering. A missing value names itself instead of raising a vague TypeError.
    Plain values go through orjson, a few times faster (UTF-8 instead of `\\u` escapes: the same
    value once parsed); anything else, or what orjson refuses (a lone surrogate), through
    json.dumps.
    """
    if indent is None and _orjson_writes_as_json_does(value):
        try:
            return orjson.dumps(value).decode()
        except orjson.JSONEncodeError:
            pass
    if isinstance(value, jinja2.Undefined):
        str(value)  # StrictUndefined raises UndefinedError("'x' is undefined") here
    return json.dumps(value, indent=indent)


@functools.cache
def environment() -> jinja2.Environment:
    """The one template environment, built on first use.

    Templates are part of the installed code, so each is compiled once and never checked again:
    jinja2's default `auto_reload` stats the template file twice on every render (about a tenth
    of an assess turn's time on the event loop when the disk is busy with state writes).
    """
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("cards", "templates"),
        auto_reload=False,
        extensions=["jinja2.ext.i18n"],  # {{ _("Text")|tojson }} in the turn's language
        autoescape=False,  # HTML escaping would corrupt JSON; `tojson` does the escaping
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters["tojson"] = _tojson
    env.install_gettext_callables(_, ngettext, newstyle=True)  # type: ignore[attr-defined]
    return env


def _template(name: str) -> jinja2.Template:
    """The compiled template, its globals a plain dict: jinja2 keeps them as a ChainMap over the
    environment's, which each render copies key by key in Python (a KeyError per global). The
    environment's globals are all set when it is built, so the copy stays equal to them."""
    template = environment().get_template(name)
    if type(template.globals) is not dict:
        template.globals = dict(template.globals)
    return template


def render_card(name: str, **context: Any) -> dict[str, Any]:
    """Render `templates/<name>.json.j2` with `context` and parse the result.

    Raises:
        CardRenderError: the template does not exist, a value is missing or not JSON-serialisable,
            or the output is not a JSON object.
    """
    template_name = f"{name}.json.j2"
    try:
        text = _template(template_name).render(**context)
    except jinja2.TemplateNotFound as exc:
        raise CardRenderError(template_name, "no such template") from exc
    except (jinja2.TemplateError, TypeError) as exc:
        # TypeError: `tojson` was given something json.dumps cannot serialise.
        raise CardRenderError(template_name, str(exc)) from exc
    try:
        card = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        raise CardRenderError(template_name, f"output is not valid JSON: {exc}") from exc
    if not isinstance(card, dict):
        raise CardRenderError(template_name, "output is not a JSON object")
    return card


def card_size(card: dict[str, Any]) -> int:
    """Size in bytes of the card as compact UTF-8 JSON (what counts against MAX_CARD_BYTES)."""
    return len(json.dumps(card, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))
