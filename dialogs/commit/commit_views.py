"""Form and statement-of-work card views for the commit phase."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from cards.forms import Button, Choice, Field, FormView, GoalLine, SowView
from dialogs.commit.commitment_input import (
    FACTORS_TYPED_HINT,
    GOAL_FIELDS,
    MAX_GOALS,
    draft_of,
    goal_draft,
)
from dialogs.commit.review_words import PARTS
from dialogs.commit.success_plan_views import factor_field_ids, factor_fields, factor_lines
from dialogs.common.messages import day_text
from dialogs.common.prompts import form_data
from engagement.catalog import Catalog
from engagement.models import AgreementSide, Commitment, Customer
from engagement.success_plan import kpi_text
from i18n import N_, _

OWNER_CHOICES = (Choice("partner", N_("Partner (us)")), Choice("customer", N_("Customer")))
AGREE_ACTION = "agree_sow"
_OWNER_SIDES = {"partner": N_("partner"), "customer": N_("customer")}


def workshop_choices(catalog: Catalog, recommended: Sequence[str]) -> list[Choice]:
    """Recommended workshops first (in their order), then the rest of the catalog, numbered as
    shown: typed numbers (`1, 3`) pick by these numbers (`picked_by_number`)."""
    ordered = [w for w in (catalog.workshop(i) for i in recommended) if w is not None]
    ordered += [w for w in catalog.workshops if w.id not in recommended]
    labels = {level: level.label for level in {lvl for w in ordered for lvl in w.levels}}
    return [
        Choice(w.id, f"{number}. {w.name} ({', '.join(labels[lvl] for lvl in w.levels)})")
        for number, w in enumerate(ordered, start=1)
    ]


def picked_by_number(choices: Sequence[Choice], typed: str) -> list[str] | None:
    """The workshop ids for typed numbers ("1, 3") in the card's order; None if not numbers."""
    picked = [p.strip() for p in typed.split(",")]
    if not all(p.isdigit() and 1 <= int(p) <= len(choices) for p in picked):
        return None
    return list(dict.fromkeys(choices[int(p) - 1].value for p in picked))


def _cancel() -> Button:
    return Button(_("Cancel"), {"action": "cancel"}, validate=False)


def workshops_form(
    key: str, customer: str, choices: Sequence[Choice], selected: Sequence[str]
) -> FormView:
    """Step 1: which workshops."""
    return FormView(
        title=_("Commit · {customer} · workshops").format(customer=customer),
        intro=[
            _(
                "The assessment's recommendations are listed first. Pick one or more, or type "
                "their numbers (e.g. 1, 3)."
            )
        ],
        fields=[
            Field(
                "multichoice",
                "workshops",
                _("Workshops"),
                value=",".join(selected),
                required=True,
                choices=choices,
                error=_("Pick at least one workshop"),
            )
        ],
        buttons=[Button(_("Next"), form_data(key), positive=True), _cancel()],
    )


def goal_form(key: str, customer: str, number: int, goal: Mapping[str, Any]) -> FormView:
    """Step 2 (repeated): one goal with its KPI, owner and target date."""
    return FormView(
        title=_("Commit · {customer} · goal {number} of up to {count}").format(
            customer=customer, number=number, count=MAX_GOALS
        ),
        intro=[
            _(
                "A goal needs a measurable success criterion; its baseline and target make it a "
                "success metric, measured at ensure. You can also type it on one line: "
                "title | KPI | customer or partner | target date (| baseline | target)"
            )
        ],
        fields=_goal_fields("", goal, required=True),
        buttons=[Button(_("Save goal"), form_data(key), positive=True), _cancel()],
    )


def _goal_fields(prefix: str, goal: Mapping[str, Any], *, required: bool) -> list[Field]:
    return [
        Field(
            "text",
            f"{prefix}title",
            _("Goal"),
            str(goal.get("title", "")),
            _("e.g. Landing zone live"),
            required,
        ),
        Field(
            "text",
            f"{prefix}kpi",
            _("Success criterion (KPI)"),
            str(goal.get("kpi", "")),
            _("e.g. 3 subscriptions under policy"),
            required,
        ),
        Field(
            "choice",
            f"{prefix}owner_side",
            _("Owner"),
            str(goal.get("owner_side", "partner")),
            choices=[Choice(c.value, _(c.title)) for c in OWNER_CHOICES],
        ),
        Field(
            "text",
            f"{prefix}owner_name",
            _("Owner's name (optional)"),
            str(goal.get("owner_name", "")),
        ),
        Field(
            "date", f"{prefix}due", _("Target date"), str(goal.get("due", "")), required=required
        ),
        *(
            Field("text", f"{prefix}{name}", label, str(goal.get(name, "")), example)
            for name, label, example in (
                (
                    "baseline",
                    _("KPI baseline, today (optional)"),
                    _("e.g. 40 % of resources tagged"),
                ),
                ("target", _("KPI target (optional)"), _("e.g. 95 %")),
            )
        ),
    ]


def factors_form(key: str, customer: str, draft: Mapping[str, Any]) -> FormView:
    """Step 3: the success plan, the four success factors with status, owner and gap."""
    return FormView(
        title=_("Commit · {customer} · success factors").format(customer=customer),
        intro=[
            _(
                "The success plan: how far stakeholders, scenarios, awareness and training are "
                "in place, who owns each and what is still missing."
            ),
            _(FACTORS_TYPED_HINT) + ".",
        ],
        fields=factor_fields(draft),
        buttons=[
            Button(_("Save"), form_data(key), positive=True),
            Button(_("Skip"), form_data(key, skip=True), validate=False),
            _cancel(),
        ],
    )


def period_form(key: str, customer: str, draft: Mapping[str, Any]) -> FormView:
    """Step 4: start and end of the engagement and the customer contact who agrees."""
    return FormView(
        title=_("Commit · {customer} · dates and contact").format(customer=customer),
        intro=[_("Or type: start | end | contact, e.g. 2026-12-01 | 2027-01-31 | Carla Diaz")],
        fields=_period_fields(draft),
        buttons=[Button(_("Next"), form_data(key), positive=True), _cancel()],
    )


def _period_fields(draft: Mapping[str, Any]) -> list[Field]:
    return [
        Field(
            "date",
            "start",
            _("Start of the engagement"),
            str(draft.get("start", "")),
            required=True,
        ),
        Field("date", "end", _("End of the engagement"), str(draft.get("end", "")), required=True),
        Field(
            "text",
            "customer_contact",
            _("Customer contact who agrees"),
            str(draft.get("customer_contact", "")),
            _("Name, role"),
            required=True,
        ),
    ]


def full_form(
    key: str, customer: str, choices: Sequence[Choice], draft: Mapping[str, Any]
) -> FormView:
    """Everything on one card, for people who prefer forms."""
    goals = list(draft.get("goals") or [])
    fields: list[Field] = [
        Field("heading", "h-workshops", _("Workshops")),
        Field(
            "multichoice",
            "workshops",
            _("Workshops"),
            ",".join(draft.get("workshops") or []),
            choices=choices,
        ),
    ]
    for number in range(1, MAX_GOALS + 1):
        goal = goals[number - 1] if number <= len(goals) else {}
        title = _("Goal {number} (optional)").format(number=number)
        fields.append(Field("heading", f"h-goal{number}", title if number > 1 else _("Goal 1")))
        fields += _goal_fields(f"goal{number}_", goal, required=False)
    fields.append(Field("heading", "h-factors", _("Success plan (status, owner, gap)")))
    fields += factor_fields(draft)
    fields.append(Field("heading", "h-period", _("Dates and contact")))
    fields += _period_fields(draft)
    return FormView(
        title=_("Statement of work · {customer}").format(customer=customer),
        intro=[_("Fill in at least one workshop, one goal, the dates and the contact.")],
        fields=fields,
        buttons=[Button(_("Review"), form_data(key), positive=True), _cancel()],
    )


def draft_from_form(value: Mapping[str, Any]) -> dict[str, Any]:
    """The draft dict from a submitted full form."""
    goals = []
    for number in range(1, MAX_GOALS + 1):
        prefix = f"goal{number}_"
        goal = {name: value.get(prefix + name, "") for name in (*GOAL_FIELDS, "owner_name")}
        if any(goal[name] for name in ("title", "kpi", "due")):
            goals.append(goal)
    draft: dict[str, Any] = {
        "workshops": [w for w in str(value.get("workshops") or "").split(",") if w],
        "goals": goals,
    }
    for name in (*factor_field_ids(), "start", "end", "customer_contact"):
        draft[name] = value.get(name, "")
    return draft


def draft_from_commitment(commitment: Commitment) -> dict[str, Any]:
    """A draft to edit an existing statement of work."""
    return {
        "workshops": list(commitment.workshops),
        "goals": [goal_draft(g) for g in commitment.goals],
        **draft_of(commitment.success_factors),
        "start": commitment.start.isoformat(),
        "end": commitment.end.isoformat(),
        "customer_contact": commitment.customer_contact,
    }


def revision(commitment: Commitment) -> str:
    """A short fingerprint of the statement's content (agreements left out), for stale cards."""
    content = commitment.model_dump(mode="json", exclude={"agreements"})
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()[:12]


def _day(value: date | datetime) -> str:
    return day_text(value)


@dataclass(frozen=True)
class SowHeader:
    """Who and where a statement of work belongs to."""

    customer_id: str
    customer_name: str
    iteration: int
    level_label: str

    @classmethod
    def of(cls, customer: Customer) -> SowHeader:
        """The header for a customer's current iteration."""
        assessment = customer.current.assessment
        level = assessment.level.label if assessment else _("not assessed")
        return cls(customer.id, customer.name, customer.current.number, level)


def sow_view(
    catalog: Catalog,
    header: SowHeader,
    commitment: Commitment,
    *,
    buttons: Sequence[Button] = (),
    inputs: Sequence[Field] = (),
    with_agreement_actions: bool = True,
) -> SowView:
    """The statement of work card for a customer's current iteration."""
    agreed = {a.side: a for a in commitment.agreements}
    agreements = []
    for side, label in (
        (AgreementSide.PARTNER, _("Partner")),
        (AgreementSide.CUSTOMER, _("Customer")),
    ):
        agreement = agreed.get(side)
        agreements.append(
            _("{side}: agreed by {name} on {day}").format(
                side=label, name=agreement.by.name or agreement.by.id, day=_day(agreement.at)
            )
            if agreement
            else _("{side}: not agreed yet").format(side=label)
        )
    all_inputs = list(inputs)
    all_buttons = list(buttons)
    if with_agreement_actions and len(agreed) < len(AgreementSide):
        data: dict[str, object] = {
            "action": AGREE_ACTION,
            "customer": header.customer_id,
            "iteration": header.iteration,
            "revision": revision(commitment),
        }
        if AgreementSide.PARTNER not in agreed:
            all_buttons.append(
                Button(
                    _("Confirm (partner)"),
                    {**data, "side": "partner"},
                    validate=False,
                    positive=True,
                )
            )
        if AgreementSide.CUSTOMER not in agreed:
            all_inputs.append(
                Field(
                    "text",
                    "agreed_by",
                    _("Customer agreement given by"),
                    commitment.customer_contact,
                    _("Name, role"),
                )
            )
            all_buttons.append(Button(_("Record customer agreement"), {**data, "side": "customer"}))
    names = {w.id: w.name for w in catalog.workshops}
    workshops = [names.get(w, w) for w in commitment.workshops]
    return SowView(
        customer=header.customer_name,
        subtitle=_("Iteration {number} · {level} · {start} to {end} · contact: {contact}").format(
            number=header.iteration,
            level=header.level_label,
            start=_day(commitment.start),
            end=_day(commitment.end),
            contact=commitment.customer_contact,
        ),
        workshops=workshops,
        goals=[
            GoalLine(
                title=g.title,
                kpi=kpi_text(g),
                meta=(
                    _("Owner: {side} ({name}) · due {day}")
                    if g.owner_name
                    else _("Owner: {side} · due {day}")
                ).format(
                    side=_(_OWNER_SIDES[g.owner_side.value]), name=g.owner_name, day=_day(g.due)
                ),
            )
            for g in commitment.goals
        ],
        factors=factor_lines(commitment.success_factors),
        agreements=agreements,
        buttons=all_buttons,
        inputs=all_inputs,
    )


def review_buttons(key: str) -> list[Button]:
    """Confirm / edit one part / cancel, under the draft statement of work."""
    return [
        Button(_("Confirm"), form_data(key, choice="confirm"), validate=False, positive=True),
        Button(_("Edit"), form_data(key, choice="edit")),
        _cancel(),
    ]


def edit_part_field() -> Field:
    """Which part to re-enter, shown under the draft."""
    return Field(
        "choice",
        "edit_part",
        _("To edit, pick a part, then press Edit"),
        "goals",
        choices=[Choice(value, _(title)) for value, title in PARTS],
    )
