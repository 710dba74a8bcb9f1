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
    FACTOR_TITLES,
    factor_text,
    factors_of,
    latest_plan,
    plan_summary,
)

FACTOR_LABELS = {
    "stakeholders": "Stakeholders (names, roles, executive sponsor)",
    "scenarios": "Scenarios",
    "awareness": "Awareness plan",
    "training": "Training plan",
}
STATUS_CHOICES = (  # least to most mature, as every choice in the bot
    Choice(FactorStatus.MISSING.value, "Missing"),
    Choice(FactorStatus.IN_PROGRESS.value, "In progress"),
    Choice(FactorStatus.IN_PLACE.value, "In place"),
)


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
                FACTOR_LABELS[name],
                factor.status.value,
                choices=STATUS_CHOICES,
            ),
            Field("text", f"{name}_owner", "Owner (optional)", factor.owner, "Name, role"),
            Field(
                "multiline",
                f"{name}_gap",
                "Gap: what is still missing (optional)",
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
    return [(FACTOR_TITLES[name], factor_text(factor)) for name, factor in factors_of(plan)]


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
        f"Success plan (iteration {plan.iteration.number}): {plan_summary(plan.factors)}",
        facts=[
            Fact(FACTOR_TITLES[name], factor_text(factor), _STATUS_COLORS[factor.status])
            for name, factor in factors_of(plan.factors)
        ],
    )
