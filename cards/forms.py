"""Form cards (inputs + submit buttons) and the statement-of-work card.

Same rules as `cards.library`: view data in, Adaptive Card dicts out; text from views goes into
TextRuns, labels and titles, never Markdown; cards are fitted under the size limit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from cards.library import _fitted, _Limits
from cards.renderer import render_card
from i18n import _

MAX_INPUT_CHARS = 2000


@dataclass(frozen=True)
class Choice:
    """One option of a choice input."""

    value: str
    title: str


@dataclass(frozen=True)
class Field:
    """One form input: `kind` is text, multiline, date, choice, multichoice or heading."""

    kind: str
    id: str
    label: str
    value: str = ""
    placeholder: str = ""
    required: bool = False
    max_length: int = 200
    choices: Sequence[Choice] = ()
    error: str = ""
    problem: str = ""  # what is wrong with the submitted value, shown under the input


@dataclass(frozen=True)
class Button:
    """A submit button; `validate` False submits without checking required inputs (Skip, Cancel)."""

    title: str
    data: dict[str, object]
    validate: bool = True
    positive: bool = False


@dataclass(frozen=True)
class FormView:
    """A whole form card."""

    title: str
    fields: Sequence[Field]
    buttons: Sequence[Button]
    intro: Sequence[str] = ()


@dataclass(frozen=True)
class GoalLine:
    """A goal on the statement of work."""

    title: str
    kpi: str
    meta: str  # "Owner: partner (Ada) · due 31 Mar 2027"


@dataclass(frozen=True)
class SowView:
    """The statement of work card."""

    customer: str
    subtitle: str  # "Iteration 1 · Cloud is a solution · 1 Dec 2026 - 31 Jan 2027 · contact: …"
    workshops: Sequence[str]
    goals: Sequence[GoalLine]
    factors: Sequence[tuple[str, str]]  # (name, text), only the filled ones
    agreements: Sequence[str]  # "Partner: agreed by Ada on 2 Nov 2026", "Customer: pending"
    buttons: Sequence[Button] = field(default_factory=tuple)
    inputs: Sequence[Field] = field(default_factory=tuple)


def _element(item: Field, lim: _Limits) -> dict[str, Any]:
    element: dict[str, Any] = {"id": item.id, "label": lim.short(item.label), "spacing": "Medium"}
    if item.required:
        element["isRequired"] = True
        error = item.error or _("{label} is required").format(label=item.label)
        element["errorMessage"] = lim.line(error)
    if item.kind in ("text", "multiline"):
        element.update(
            type="Input.Text",
            maxLength=min(item.max_length, MAX_INPUT_CHARS),
            isMultiline=item.kind == "multiline",
        )
        if item.placeholder:
            element["placeholder"] = lim.short(item.placeholder)
        if item.value:  # a pre-filled value is only cut when the card would not fit otherwise
            element["value"] = lim.clip(item.value, min(item.max_length, MAX_INPUT_CHARS))
    elif item.kind == "date":
        # The card's own placeholder: a client's default ("Select a date...") may not follow
        # the language the user chose.
        element.update(
            type="Input.Date", placeholder=lim.short(item.placeholder or _("Select a date"))
        )
        if item.value:
            element["value"] = item.value
    elif item.kind in ("choice", "multichoice"):
        element.update(
            type="Input.ChoiceSet",
            style="compact" if item.kind == "choice" else "expanded",
            isMultiSelect=item.kind == "multichoice",
            choices=[{"title": lim.line(c.title), "value": c.value} for c in item.choices],
        )
        if item.placeholder and item.kind == "choice":
            element["placeholder"] = lim.short(item.placeholder)
        if item.value:
            element["value"] = item.value
    else:
        raise ValueError(f"unknown field kind {item.kind!r}")
    return element


def _actions(buttons: Sequence[Button], lim: _Limits) -> list[dict[str, Any]]:
    actions = []
    for button in buttons:
        action: dict[str, Any] = {
            "type": "Action.Submit",
            "title": lim.short(button.title),
            "data": button.data,
        }
        if not button.validate:
            action["associatedInputs"] = "none"
        if button.positive:
            action["style"] = "positive"
        actions.append(action)
    return actions


def refilled(view: FormView, values: Mapping[str, object], problems: Mapping[str, str]) -> FormView:
    """The form again with every value the user entered and each problem under its input (a
    heading shows the problems of its group: `csat` under `h-csat`). A client shows a submitted
    card with its first values again, so without this the user would type everything anew."""
    fields = []
    for f in view.fields:
        if f.kind == "heading":
            fields.append(replace(f, problem=problems.get(f.id.removeprefix("h-"), "")))
            continue
        entered = values.get(f.id, f.value)
        fields.append(
            replace(
                f, value="" if entered is None else str(entered), problem=problems.get(f.id, "")
            )
        )
    return replace(view, fields=fields)


def form_card(view: FormView) -> dict[str, Any]:
    """A form with inputs and submit buttons."""

    def build(lim: _Limits) -> dict[str, Any]:
        fields = [
            {"kind": "heading", "label": lim.short(f.label), "problem": lim.line(f.problem)}
            if f.kind == "heading"
            else {"kind": f.kind, "element": _element(f, lim), "problem": lim.line(f.problem)}
            for f in view.fields
        ]
        return render_card(
            "form",
            title=lim.short(view.title),
            intro=[lim.text(line) for line in view.intro],
            fields=fields,
            actions=_actions(view.buttons, lim),
        )

    return _fitted("form", build)


def sow_card(view: SowView) -> dict[str, Any]:
    """The statement of work with its agreement state and actions."""

    def build(lim: _Limits) -> dict[str, Any]:
        return render_card(
            "sow",
            customer=lim.short(view.customer),
            subtitle=lim.line(view.subtitle),
            workshops=[lim.short(w) for w in view.workshops],
            goals=[
                {"title": lim.line(g.title), "kpi": lim.line(g.kpi), "meta": lim.line(g.meta)}
                for g in view.goals
            ],
            factors=[{"name": lim.short(n), "text": lim.text(t)} for n, t in view.factors],
            agreements=[lim.line(a) for a in view.agreements],
            inputs=[_element(f, lim) for f in view.inputs],
            actions=_actions(view.buttons, lim),
        )

    return _fitted("sow", build)
