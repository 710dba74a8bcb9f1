"""Typed card wrappers: view data in, Adaptive Card 1.5 dicts out (one function per card).

Never imports botbuilder, aiohttp, or the engagement, store, bot or dialogs packages.

Text from views is shown in `TextRun`s (which Teams renders without Markdown), in input labels,
choice titles and button titles, so customer names, catalog text and explanations appear exactly as
given. Only texts are shortened, never ids, option values or submit data: each text is cut to a
per-field limit (`clip`), and if the card is still over the size limit, all limits shrink together
until it fits. A card that cannot fit even then (only possible with huge ids or submit data) raises
`CardRenderError` rather than being rejected by Teams.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import orjson

from cards.renderer import MAX_CARD_BYTES, CardRenderError, render_card
from cards.views import (
    CommandHelp,
    ConfirmView,
    DimensionView,
    LevelCatalogView,
    PhaseHelp,
    QuestionView,
    QuickCheckView,
    ResultView,
    WorkshopView,
)
from i18n import N_, _, ngettext
from i18n.formats import format_fixed

ELLIPSIS = "…"

# Per-field text limits, in characters, before any shrinking.
SHORT_CHARS = 100  # names, labels, titles, durations, dates
LINE_CHARS = 300  # an explanation line, a workshop summary, a choice title
TEXT_CHARS = 600  # a question, its help, a level description
LONG_CHARS = 2_000  # the body of a confirm or notice card
URL_CHARS = 2_000  # longer URLs are dropped (a cut URL is a broken link), never shortened
MIN_CHARS = 20  # shrinking never cuts a text below this

# Display-only lists are capped (a note says how many were left out). Questions and options are
# never dropped: the answers they collect would silently go missing.
MAX_DIMENSIONS = 12
MAX_EXPLANATION_LINES = 8
MAX_RESULT_WORKSHOPS = 5
MAX_CATALOG_WORKSHOPS = 12
MAX_COMMANDS = 40
WELCOME_COMMANDS = 4

LEVELS = 4  # the framework's maturity levels, ranked 1 (least) to 4 (most mature)
_GAUGE_COLORS = ("attention", "warning", "categoricalBlue", "good")
_SHRINK_STEPS = (1.0, 0.5, 0.25, 0.1, 0.0)


def clip(text: str, limit: int) -> str:
    """`text` unchanged if it has at most `limit` characters, else its first `limit - 1`
    characters (trailing whitespace removed) followed by "…"."""
    if len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + ELLIPSIS


def wire_size(card: dict[str, Any]) -> int:
    """Bytes of the card as sent: compact JSON with non-ASCII escaped, as the Bot Framework
    connector (msrest, `json.dumps` defaults) serialises it. Never smaller than `card_size`."""
    return len(json.dumps(card, separators=(",", ":")))


def oversize(card: dict[str, Any]) -> int:
    """0 when the card is within MAX_CARD_BYTES on the wire, else its `wire_size`.

    Most cards are far below the limit, so a cheap bound comes first: escaping takes at most three
    bytes for each byte of compact UTF-8 JSON (é: 2 bytes, `\\u00e9`: 6), and orjson writes
    that UTF-8 about ten times faster than `json.dumps` writes the escaped form.
    """
    try:
        if 3 * len(orjson.dumps(card)) <= MAX_CARD_BYTES:
            return 0
    except (TypeError, orjson.JSONEncodeError):  # e.g. an int beyond 64 bits: measure exactly
        pass
    size = wire_size(card)
    return 0 if size <= MAX_CARD_BYTES else size


@dataclass(frozen=True)
class _Limits:
    """Text limits scaled down by `scale` (1.0 = the full per-field limits)."""

    scale: float

    def short(self, text: str) -> str:
        return self._clip(text, SHORT_CHARS)

    def line(self, text: str) -> str:
        return self._clip(text, LINE_CHARS)

    def text(self, text: str) -> str:
        return self._clip(text, TEXT_CHARS)

    def long(self, text: str) -> str:
        return self._clip(text, LONG_CHARS)

    def clip(self, text: str, limit: int) -> str:
        """`text` cut to `limit` characters scaled down like the others."""
        return self._clip(text, limit)

    def _clip(self, text: str, limit: int) -> str:
        return clip(text, max(MIN_CHARS, int(limit * self.scale)))


def _fitted(name: str, build: Callable[[_Limits], dict[str, Any]]) -> dict[str, Any]:
    """Build the card with full text limits, shrinking them until it is under MAX_CARD_BYTES."""
    size = 0
    for scale in _SHRINK_STEPS:
        card = build(_Limits(scale))
        size = oversize(card)
        if not size:
            return card
    raise CardRenderError(
        f"{name}.json.j2", f"{size} bytes with all text shortened, over {MAX_CARD_BYTES}"
    )


def _link(url: str) -> str:
    """The URL if it is a web link a button may open, else "" (no "Learn more" button)."""
    ok = url.startswith(("https://", "http://")) and len(url) <= URL_CHARS
    return url if ok else ""


def _commands(commands: Sequence[CommandHelp], lim: _Limits) -> list[dict[str, str]]:
    return [
        {"usage": lim.short(c.usage), "description": lim.line(c.description)}
        for c in commands[:MAX_COMMANDS]
    ]


def _phases(phases: Sequence[PhaseHelp], lim: _Limits) -> list[dict[str, str]]:
    return [{"name": lim.short(p.name), "description": lim.line(p.description)} for p in phases]


# How a workshop is delivered (the catalog's `format` values), as shown.
_FORMATS = {"on-site": N_("on-site"), "remote": N_("remote"), "hybrid": N_("hybrid")}


def _workshop(workshop: WorkshopView, lim: _Limits) -> dict[str, str]:
    delivery = _FORMATS.get(workshop.format, workshop.format)
    facts = (workshop.duration, workshop.audience, _(delivery))
    return {
        "name": lim.short(workshop.name),
        "summary": lim.line(workshop.summary),
        "meta": " · ".join(lim.short(fact) for fact in facts if fact),
        "url": _link(workshop.url),
    }


def _score(dimension: DimensionView, lim: _Limits) -> dict[str, Any]:
    return {
        "name": lim.short(dimension.name),
        "score": round(dimension.score, 2),
        "score_text": format_fixed(dimension.score, 1),
        "level_label": lim.short(dimension.level_label),
    }


def _more(shown: int, total: int, what: str) -> str:
    """A note for a capped list ("… and 3 more workshops"), or "" when nothing was left out.

    `what`: "commands", "dimensions" or "workshops"."""
    left = total - shown
    if left <= 0:
        return ""
    notes = {
        "commands": ngettext("… and {n} more command", "… and {n} more commands", left),
        "dimensions": ngettext("… and {n} more dimension", "… and {n} more dimensions", left),
        "workshops": ngettext("… and {n} more workshop", "… and {n} more workshops", left),
    }
    return notes[what].format(n=left)


def welcome_card(phases: Sequence[PhaseHelp], commands: Sequence[CommandHelp]) -> dict[str, Any]:
    """The first thing a new user sees: what the bot is, the phases, a few starter commands.

    Args:
        phases: the four phases, in order.
        commands: commands to feature; the first four are shown (the help card lists all).
    """

    def build(lim: _Limits) -> dict[str, Any]:
        return render_card(
            "welcome",
            phases=_phases(phases, lim),
            commands=_commands(commands[:WELCOME_COMMANDS], lim),
        )

    return _fitted("welcome", build)


def help_card(phases: Sequence[PhaseHelp], commands: Sequence[CommandHelp]) -> dict[str, Any]:
    """Every command with its usage and description, the four phases, and tips."""

    def build(lim: _Limits) -> dict[str, Any]:
        return render_card(
            "help",
            phases=_phases(phases, lim),
            commands=_commands(commands, lim),
            more_commands=_more(min(len(commands), MAX_COMMANDS), len(commands), "commands"),
        )

    return _fitted("help", build)


def question_card(view: QuestionView) -> dict[str, Any]:
    """One question of the full assessment: one button per option, plus Back and Cancel.

    Each numbered option line answers when tapped too (its text wraps on a phone, where a long
    button's title is cut), unless repeating the payloads would make the card too big.

    Raises:
        ValueError: `submit_data` does not have one payload per option.
    """
    if len(view.submit_data) != len(view.options):
        raise ValueError(f"{len(view.options)} options but {len(view.submit_data)} submit payloads")
    total = max(view.total, 1)
    number = min(max(view.number, 1), total)

    def build(lim: _Limits, tappable: bool = True) -> dict[str, Any]:
        options = [
            {"label": lim.line(option.label), "data": data}
            for option, data in zip(view.options, view.submit_data, strict=True)
        ]
        return render_card(
            "question",
            tappable=tappable,
            customer_name=lim.short(view.customer_name),
            progress=_("Question {number} of {total}").format(number=number, total=total),
            dimension=lim.short(view.dimension),
            done=number,
            left=total - number,
            text=lim.text(view.text),
            help_text=lim.text(view.help_text),
            options=options,
            back_data=view.back_data,
            cancel_data=view.cancel_data,
        )

    try:
        return _fitted("question", build)
    except CardRenderError:  # the tappable lines repeat each payload: without them it may fit
        return _fitted("question", lambda lim: build(lim, tappable=False))


def quick_check_card(view: QuickCheckView) -> dict[str, Any]:
    """The one-card quick check: a required compact choice set per question and "Show level"."""

    def build(lim: _Limits) -> dict[str, Any]:
        questions = [
            {
                "id": question.input_id,
                "text": lim.text(question.text),
                "choices": [
                    {"title": lim.line(option.label), "value": option.value}
                    for option in question.options
                ],
            }
            for question in view.questions
        ]
        return render_card(
            "quick_check",
            title=_("Quick check: {customer}").format(customer=lim.short(view.customer_name))
            if view.customer_name
            else _("Quick check"),
            questions=questions,
            submit_data=view.submit_data,
        )

    return _fitted("quick_check", build)


def result_card(view: ResultView) -> dict[str, Any]:
    """The level reached, a gauge and a bar chart (each with a fallback), why, and workshops."""
    rank = min(max(view.level_rank, 0), LEVELS)

    def build(lim: _Limits) -> dict[str, Any]:
        dimensions = view.dimensions[:MAX_DIMENSIONS]
        explanation = view.explanation[:MAX_EXPLANATION_LINES]
        workshops = view.workshops[:MAX_RESULT_WORKSHOPS]
        segments = [
            {"size": 1, "legend": _("Level {n}").format(n=n), "color": color}
            for n, color in enumerate(_GAUGE_COLORS, start=1)
        ]
        return render_card(
            "result",
            kind_label=lim.short(view.kind_label),
            customer_name=lim.short(view.customer_name),
            level_label=lim.short(view.level_label),
            level_rank=rank,
            level_of=_("Level {rank} of {levels}").format(rank=rank, levels=LEVELS),
            max_level=LEVELS,
            gauge_segments=segments,
            level_description=lim.text(view.level_description),
            previous_level_label=lim.short(view.previous_level_label),
            dimensions=[_score(d, lim) for d in dimensions],
            more_dimensions=_more(len(dimensions), len(view.dimensions), "dimensions"),
            explanation=[lim.line(line) for line in explanation],
            workshops=[_workshop(w, lim) for w in workshops],
            more_workshops=_more(len(workshops), len(view.workshops), "workshops"),
            commit_data=view.commit_data,
            save_data=view.save_data,
            assessed_by=lim.short(view.assessed_by),
            assessed_at=lim.short(view.assessed_at),
            notes=[lim.text(note) for note in view.notes],
            use_data=view.use_data,
            carried_heading=lim.short(view.carried_heading),
            carried_over=[lim.line(step) for step in view.carried_over],
        )

    return _fitted("result", build)


def catalog_card(levels: Sequence[LevelCatalogView]) -> dict[str, Any]:
    """The workshop catalog, level by level, stacked so that it reads on a phone."""
    total = sum(len(level.workshops) for level in levels)

    def build(lim: _Limits) -> dict[str, Any]:
        budget = MAX_CATALOG_WORKSHOPS
        shown: list[dict[str, Any]] = []
        for level in levels:
            workshops = level.workshops[: max(budget, 0)]
            budget -= len(workshops)
            shown.append(
                {
                    "label": lim.short(level.level_label),
                    "description": lim.text(level.level_description),
                    "workshops": [_workshop(w, lim) for w in workshops],
                }
            )
        count = sum(len(level["workshops"]) for level in shown)
        more = _more(count, total, "workshops")
        if more and len(levels) > 1:
            more = _(
                "{more}. Type catalog and a level (e.g. catalog 2) to see all of one level"
            ).format(more=more)
        return render_card("catalog", levels=shown, more_workshops=more)

    return _fitted("catalog", build)


def confirm_card(view: ConfirmView) -> dict[str, Any]:
    """A yes/no question with Yes and No buttons."""

    def build(lim: _Limits) -> dict[str, Any]:
        return render_card(
            "confirm",
            title=lim.short(view.title),
            text=lim.long(view.text),
            yes_data=view.yes_data,
            no_data=view.no_data,
        )

    return _fitted("confirm", build)


def notice_card(title: str, text: str) -> dict[str, Any]:
    """A small card for a notice or an error."""

    def build(lim: _Limits) -> dict[str, Any]:
        return render_card("notice", title=lim.short(title), text=lim.long(text))

    return _fitted("notice", build)
