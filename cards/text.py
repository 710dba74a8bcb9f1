"""Markdown documents (statement of work, reports) from jinja2 text templates in `cards/text/`.

The documents use what Teams renders in a text message (bold, lists, links; no tables or
headings), so they read well in the chat and paste cleanly into a document. Values from users go
through the `md` filter, which escapes Markdown, so a customer's name can neither break a line nor
inject links or formatting; `evidence` makes a plain web address a link and escapes anything else.
"""

from __future__ import annotations

import functools
import re
from typing import Any

import jinja2

from i18n import _, ngettext

# Inline Markdown and table syntax. Values never start a line in our templates (they follow
# "- ", "| " or "**label:** "), so line-start syntax (#, -, 1.) needs no escaping.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|<>~])")


def escape_markdown(value: object) -> str:
    """Plain text safe inside Markdown paragraphs and table cells (one line)."""
    text = " ".join(str(value).split())
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def code_span(value: object) -> str:
    """Text for inside a `code span`, where Markdown is not interpreted: one line, no backticks
    (a backtick would end the span)."""
    return " ".join(str(value).split()).replace("`", "'")


_URL = re.compile(r"https?://[^\s()<>\[\]`|*]+")


def evidence_markdown(value: object) -> str:
    """A web address alone becomes a link; any other evidence is escaped text."""
    text = " ".join(str(value).split())
    if _URL.fullmatch(text):
        return f"[{escape_markdown(text)}]({text})"
    return escape_markdown(text)


@functools.cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("cards", "text"),
        auto_reload=False,  # installed code: compiled once, no file checks per render
        extensions=["jinja2.ext.i18n"],  # {% trans %}, {{ _("Text") }} in the turn's language
        autoescape=False,  # Markdown, not HTML: the `md` filter escapes what matters
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = escape_markdown
    env.filters["evidence"] = evidence_markdown
    env.install_gettext_callables(_, ngettext, newstyle=True)  # type: ignore[attr-defined]
    return env


def render_text(name: str, **context: Any) -> str:
    """Render `cards/text/<name>.md.j2`."""
    return _environment().get_template(f"{name}.md.j2").render(**context)
