"""What each step of the commit dialog accepts: a card's submit or the text typed instead, checked
and turned into the draft's JSON values, with every problem named (`InputProblems`). The
waterfall (dialogs/commit/commit_dialog.py) asks and sends; this module only checks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from cards.text import code_span, escape_markdown
from dialogs.commit import commit_views as views
from dialogs.commit import review_words as words
from dialogs.commit.commitment_input import (
    InputProblems,
    Problem,
    commitment_from_draft,
    draft_of,
    factors_value,
    period_value,
    text_value,
    typed_factors,
    workshops_value,
)
from dialogs.common.messages import phase_name
from dialogs.common.prompts import TEXT_KEY
from engagement.catalog import Catalog
from engagement.models import Customer, Phase
from i18n import _


@dataclass(frozen=True)
class CommitAnswers:
    """The checks of the commit dialog's prompts, over the catalog's workshops and today's date."""

    catalog: Catalog
    today: Callable[[], date]
    _known: dict[str, str] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_known", {w.id: w.name for w in self.catalog.workshops})

    def workshops(self, value: dict[str, Any], validations: dict[str, Any]) -> list[str]:
        if TEXT_KEY in value:  # typed numbers, e.g. "1, 3", as the card numbers them
            choices = views.workshop_choices(self.catalog, validations["recommended"])
            picked = views.picked_by_number(choices, value[TEXT_KEY])
            if picked is None:
                raise InputProblems(
                    [
                        Problem(
                            "workshops",
                            _("Pick workshops on the card (or type their numbers, e.g. 1, 3)."),
                        )
                    ]
                )
            return picked
        return workshops_value(value.get("workshops"), self._known)

    def factors(self, value: dict[str, Any]) -> dict[str, str]:
        if value.get("skip") or str(value.get(TEXT_KEY, "")).casefold().strip() in words.SKIP_WORDS:
            return {}
        typed = typed_factors(value[TEXT_KEY]) if TEXT_KEY in value else value
        return draft_of(factors_value(typed))

    def period(self, value: dict[str, Any]) -> dict[str, str]:
        if TEXT_KEY in value:
            parts = [p.strip() for p in value[TEXT_KEY].split("|")]
            if len(parts) != 3:
                raise InputProblems(
                    [
                        Problem(
                            "period",
                            _(
                                "Type: start | end | contact, "
                                "e.g. 2026-12-01 | 2027-01-31 | Carla Diaz."
                            ),
                        )
                    ]
                )
            value = dict(zip(("start", "end", "customer_contact"), parts, strict=True))
        start, end = period_value(value.get("start"), value.get("end"), self.today())
        contact = text_value(
            value.get("customer_contact"),
            "customer_contact",
            _("The customer contact"),
            200,
            required=True,
        )
        return {"start": start.isoformat(), "end": end.isoformat(), "customer_contact": contact}

    def full_form(self, value: dict[str, Any]) -> dict[str, Any]:
        if TEXT_KEY in value:
            raise InputProblems([Problem("form", _("Please fill in the card and press Review."))])
        draft = views.draft_from_form(value)
        commitment_from_draft(draft, self._known, self.today())  # every problem at once
        return draft

    def review(self, value: dict[str, Any]) -> dict[str, str]:
        choice = value.get("choice") or str(value.get(TEXT_KEY, "")).casefold().strip()
        if choice in words.CONFIRM_WORDS:
            return {"choice": "confirm"}
        part = value.get("edit_part")
        edit = next((w for w in words.EDIT_WORDS if choice.startswith(w)), None)
        if TEXT_KEY in value and edit:  # "edit goals", "edit 3", "bearbeiten ziele"
            part = words.part_named(choice.removeprefix(edit))
            choice = "edit"
        if choice == "edit" and isinstance(part, str) and part in dict(words.PARTS):
            return {"choice": "edit", "part": part}
        raise InputProblems([Problem("review", _(words.REVIEW_PROBLEM))])


def not_ready(customer: Customer | None, name: str) -> str | None:
    if customer is None:
        return _(
            "I don't know {customer} yet. Assess them first: `assess {name}` or "
            "`quick check {name}`."
        ).format(customer=escape_markdown(name), name=code_span(name))
    iteration = customer.current
    if iteration.phase is Phase.ASSESS or iteration.assessment is None:
        return _(
            "{customer} is not assessed yet in iteration {number}. Type `assess {name}` (or "
            "`quick check {name}`) first; the statement of work starts from the assessment's "
            "recommendations."
        ).format(
            customer=escape_markdown(customer.name),
            number=iteration.number,
            name=code_span(customer.name),
        )
    if iteration.phase is not Phase.COMMIT:
        return _(
            "{customer}'s statement of work for iteration {number} is already agreed (now in "
            "the {phase} phase). Type `sow {name}` to see it."
        ).format(
            customer=escape_markdown(customer.name),
            number=iteration.number,
            phase=phase_name(iteration.phase),
            name=code_span(customer.name),
        )
    return None
