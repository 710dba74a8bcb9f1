"""The success plan on cards: each factor's status, owner and gap as inputs, as lines (the
statement of work) and as a section (`status`, `plan`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cards.forms import Choice, Field
from cards.summary import Fact, Section
from dialogs.commit.commitment_input import InputProblems, factors_value
from engagement.models import Customer, FactorStatus, SuccessFactors
from engagement.success_plan import (
    FACTOR_NAMES,
    factor_text,
    factor_title,
    factors_of,
    latest_plan,
    plan_summary,
    status_title,
)
from i18n import N_, _

FACTOR_LABELS = {  # shown as _(FACTOR_LABELS[name])
    "stakeholders": N_("Stakeholders (names, roles, executive sponsor)"),
    "scenarios": N_("Scenarios"),
    "awareness": N_("Awareness plan"),
    "training": N_("Training plan"),
}


def status_choices() -> list[Choice]:
    """Missing, in progress, in place: least to most mature, as every choice in the bot."""
    return [Choice(status.value, status_title(status)) for status in FactorStatus]


def factor_fields(draft: Mapping[str, Any]) -> list[Field]:
    """Status, owner and gap of each factor, filled from a draft (a clean plan when the draft
    does not check)."""
    try:
        plan = factors_value(draft)
    except InputProblems:
        plan = SuccessFactors()
    fields: list[Field] = []
    for name, factor in factors_of(plan):
        fields += [
            Field(
                "choice",
                f"{name}_status",
                _(FACTOR_LABELS[name]),
                factor.status.value,
                choices=status_choices(),
            ),
            Field("text", f"{name}_owner", _("Owner (optional)"), factor.owner, _("Name, role")),
            Field(
                "multiline",
                f"{name}_gap",
                _("Gap: what is still missing (optional)"),
                factor.gap,
                max_length=2000,
            ),
        ]
    return fields


def factor_field_ids() -> list[str]:
    """The ids of every factor input, as a submitted card carries them."""
    return [f"{name}_{part}" for name in FACTOR_NAMES for part in ("status", "owner", "gap")]


def factor_lines(plan: SuccessFactors) -> list[tuple[str, str]]:
    """(title, `in progress · owner: … · gap: …`) for each factor, in SSAT order."""
    return [(factor_title(name), factor_text(factor)) for name, factor in factors_of(plan)]


_STATUS_COLORS = {
    FactorStatus.MISSING: "attention",
    FactorStatus.IN_PROGRESS: "warning",
    FactorStatus.IN_PLACE: "good",
}


def plan_section(customer: Customer) -> Section | None:
    """The latest success plan as a summary-card section (for `status` and `plan`), or None
    before any statement of work."""
    plan = latest_plan(customer)
    if plan is None:
        return None
    return Section(
        _("Success plan (iteration {number}): {summary}").format(
            number=plan.iteration.number, summary=plan_summary(plan.factors)
        ),
        facts=[
            Fact(factor_title(name), factor_text(factor), _STATUS_COLORS[factor.status])
            for name, factor in factors_of(plan.factors)
        ],
    )
