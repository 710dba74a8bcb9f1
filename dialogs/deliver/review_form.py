"""The ensure review card and its answers: the form (each committed goal's outcome, evidence and
measured KPI value, each success factor's status now, CSAT and NPS, 1-5 next steps) and a
pydantic model that checks what comes back (CSAT and NPS all or none).

The model reads the card's flat input ids (`status_g1`, `evidence_g1`, `measured_g1`,
`stakeholders_status`, `csat_overall`, ...); the committed goals and the success plan come in
the validation context. Every problem is worded for the user and keyed by the input it belongs
to, so the card comes back filled in with each problem under its input (`ReviewForm.read`).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from cards.forms import Button, Choice, Field, FormView
from dialogs.commit.commitment_input import STATUS_PROBLEM, InputProblems, Problem
from dialogs.commit.success_plan_views import status_choices
from dialogs.common.messages import phase_name
from engagement.models import (
    Commitment,
    Customer,
    FactorStatus,
    Goal,
    GoalOutcome,
    GoalStatus,
    Phase,
    Satisfaction,
    SuccessFactors,
)
from engagement.success_plan import FACTOR_NAMES, factor_title, factors_of, metric_text
from i18n import N_, _, ngettext

MAX_NEXT_STEPS = 5
_GOAL_PARTS = ("status", "evidence", "measured")
_SATISFACTION = ("csat_overall", "csat_value", "csat_team", "nps", "comment")


def _problem(message: str, **values: object) -> PydanticCustomError:
    return PydanticCustomError("form", message, dict(values))


def _text(raw: object) -> str:
    """What was typed, whitespace collapsed ("" for anything that is not text or a number)."""
    return " ".join(str(raw).split()) if isinstance(raw, str | int | float) else ""


Text = Annotated[str, BeforeValidator(_text)]


def _at_most(text: str, limit: int, label: str) -> str:
    if len(text) > limit:
        raise _problem(
            _("{label} is too long ({length} characters; at most {limit})."),
            label=label,
            length=len(text),
            limit=limit,
        )
    return text


class GoalAnswer(BaseModel):
    """One committed goal as checked at ensure."""

    model_config = ConfigDict(frozen=True)
    goal_id: str
    title: str
    status: Text = ""
    evidence: Text = ""
    measured: Text = ""

    @field_validator("status")
    @classmethod
    def _picked(cls, status: str, info: ValidationInfo) -> str:
        if status not in {s.value for s in GoalStatus}:
            raise _problem(_("Pick the outcome of the goal '{title}'."), title=info.data["title"])
        return status

    @field_validator("evidence")
    @classmethod
    def _evidence(cls, evidence: str, info: ValidationInfo) -> str:
        label = _("The evidence for '{title}'").format(title=info.data["title"])
        return _at_most(evidence, 2000, label)

    @field_validator("measured")
    @classmethod
    def _measured(cls, measured: str, info: ValidationInfo) -> str:
        label = _("The measured value for '{title}'").format(title=info.data["title"])
        return _at_most(measured, 200, label)

    def outcome(self) -> GoalOutcome:
        """The goal's outcome for the review."""
        return GoalOutcome(
            goal_id=self.goal_id,
            status=GoalStatus(self.status),
            evidence=self.evidence,
            measured=self.measured,
        )


class FactorAnswers(BaseModel):
    """Each success factor's status as answered at ensure."""

    model_config = ConfigDict(frozen=True)
    stakeholders: FactorStatus
    scenarios: FactorStatus
    awareness: FactorStatus
    training: FactorStatus

    @field_validator(*FACTOR_NAMES, mode="before")
    @classmethod
    def _known(cls, raw: object, info: ValidationInfo) -> object:
        if raw not in {s.value for s in FactorStatus}:
            name = str(info.field_name)
            raise _problem(_(STATUS_PROBLEM), factor=factor_title(name))
        return raw


class SatisfactionAnswers(BaseModel):
    """The short CSAT (1-5 three times) and the NPS (0-10): all of them or none."""

    model_config = ConfigDict(frozen=True)
    csat_overall: Text = ""
    csat_value: Text = ""
    csat_team: Text = ""
    nps: Text = ""
    comment: Text = ""

    @field_validator("comment")
    @classmethod
    def _comment(cls, comment: str) -> str:
        return _at_most(comment, 2000, _("The comment"))

    @model_validator(mode="after")
    def _all_or_none(self) -> SatisfactionAnswers:
        answers = [self.csat_overall, self.csat_value, self.csat_team, self.nps]
        if not any(answers):
            return self
        if not all(answers):
            raise _problem(
                _("Answer all three satisfaction questions and the NPS, or none of them.")
            )
        if not all(a.isdigit() for a in answers):
            raise _problem(_("Satisfaction answers must be numbers."))
        if not all(1 <= int(a) <= 5 for a in answers[:3]) or not 0 <= int(self.nps) <= 10:
            raise _problem(_("Satisfaction is 1-5 and NPS is 0-10."))
        return self

    def value(self) -> Satisfaction | None:
        """CSAT and NPS, or None when the customer gave none."""
        if not self.nps:
            return None
        return Satisfaction(
            overall=int(self.csat_overall),
            value=int(self.csat_value),
            team=int(self.csat_team),
            nps=int(self.nps),
            comment=self.comment,
        )


class ReviewForm(BaseModel):
    """The whole ensure card, checked; `read` turns a submitted card into one."""

    model_config = ConfigDict(frozen=True)
    goals: list[GoalAnswer]
    factors: FactorAnswers
    satisfaction: SatisfactionAnswers
    next_steps: list[str]

    @model_validator(mode="before")
    @classmethod
    def _from_card(cls, raw: Any, info: ValidationInfo) -> Any:
        """Regroup the card's flat inputs: one answer per committed goal, one status per
        success factor (the plan's status when the card had none), the satisfaction answers,
        next steps one per line."""
        value: Mapping[str, Any] = raw if isinstance(raw, Mapping) else {}
        commitment: Commitment = (info.context or {})["commitment"]
        plan = commitment.success_factors
        return {
            "goals": [
                {
                    "goal_id": goal.id,
                    "title": goal.title,
                    **{part: value.get(f"{part}_{goal.id}", "") for part in _GOAL_PARTS},
                }
                for goal in commitment.goals
            ],
            "factors": {
                name: value.get(f"{name}_status") or getattr(plan, name).status.value
                for name in FACTOR_NAMES
            },
            "satisfaction": {name: value.get(name, "") for name in _SATISFACTION},
            "next_steps": [
                " ".join(line.split())
                for line in str(value.get("next_steps") or "").splitlines()
                if line.strip()
            ],
        }

    @field_validator("next_steps")
    @classmethod
    def _steps(cls, steps: list[str]) -> list[str]:
        if not steps:
            raise _problem(_("Add at least one next step (one per line)."))
        if len(steps) > MAX_NEXT_STEPS:
            raise _problem(_("At most {n} next steps."), n=MAX_NEXT_STEPS)
        if any(len(step) > 200 for step in steps):
            raise _problem(_("Each next step can have at most 200 characters."))
        return steps

    def outcomes(self) -> list[GoalOutcome]:
        """Each committed goal's outcome."""
        return [answer.outcome() for answer in self.goals]

    def plan(self, before: SuccessFactors) -> SuccessFactors:
        """The success plan with each factor's status as answered (owners and gaps kept)."""
        return SuccessFactors(
            **{
                name: getattr(before, name).model_copy(
                    update={"status": getattr(self.factors, name)}
                )
                for name in FACTOR_NAMES
            }
        )

    @classmethod
    def read(cls, value: Mapping[str, Any], commitment: Commitment) -> ReviewForm:
        """The checked answers of a submitted card; InputProblems naming every wrong input."""
        try:
            return cls.model_validate(value, context={"commitment": commitment})
        except ValidationError as error:
            problems = [_problem_of(e["loc"], e["msg"], commitment) for e in error.errors()]
            raise InputProblems(problems) from error


def _problem_of(loc: tuple[int | str, ...], message: str, commitment: Commitment) -> Problem:
    """The card input a pydantic error belongs to (`status_g1`, `training_status`, `csat`...)."""
    where = [str(part) for part in loc]
    if where[:1] == ["goals"] and len(where) >= 3:
        return Problem(f"{where[2]}_{commitment.goals[int(where[1])].id}", message)
    if where[:1] == ["factors"] and len(where) >= 2:
        return Problem(f"{where[1]}_status", message)
    if where[:1] == ["satisfaction"]:
        return Problem("comment" if where[-1] == "comment" else "csat", message)
    return Problem(where[0] if where else "review", message)


# ---------------------------------------------------------------- the cards

REVIEW_ACTION = "review"
ENSURE_ANYWAY_ACTION = "ensure_anyway"
_STATUSES = (
    (GoalStatus.ACHIEVED.value, N_("Achieved")),
    (GoalStatus.PARTIALLY.value, N_("Partially achieved")),
    (GoalStatus.NOT_ACHIEVED.value, N_("Not achieved")),
)
_SCALE = tuple(Choice(str(n), f"{n}") for n in range(1, 6))
_NPS = tuple(Choice(str(n), f"{n}") for n in range(0, 11))


def _goal_fields(goal: Goal) -> list[Field]:
    metric = metric_text(goal)
    measured = (
        _("KPI measured now ({metric})").format(metric=metric)
        if metric
        else _("KPI measured now (optional)")
    )
    return [
        Field(
            "heading",
            f"h-{goal.id}",
            _("Goal: {title} (KPI: {kpi})").format(title=goal.title, kpi=goal.kpi),
        ),
        Field(  # nothing preselected: an outcome is recorded only once someone picks it
            "choice",
            f"status_{goal.id}",
            _("Outcome"),
            placeholder=_("Choose the outcome"),
            required=True,
            choices=tuple(Choice(value, _(label)) for value, label in _STATUSES),
            error=_("Pick the outcome of '{title}'").format(title=goal.title),
        ),
        Field("text", f"evidence_{goal.id}", _("Evidence (text or link)"), max_length=2000),
        Field("text", f"measured_{goal.id}", measured, max_length=200),
    ]


def review_form_view(customer: Customer) -> FormView:
    """The ensure card of the customer's current iteration."""
    iteration = customer.current
    commitment = iteration.commitment
    assert commitment is not None
    fields = [field for goal in commitment.goals for field in _goal_fields(goal)]
    heading = _("Success plan: the status of each factor now")
    fields.append(Field("heading", "h-factors", heading))
    fields += [
        Field(
            "choice",
            f"{name}_status",
            factor_title(name),
            factor.status.value,
            choices=status_choices(),
        )
        for name, factor in factors_of(commitment.success_factors)
    ]
    fields += [
        Field("heading", "h-csat", _("Customer satisfaction (1 = poor, 5 = excellent)")),
        Field("choice", "csat_overall", _("Overall satisfaction"), choices=_SCALE),
        Field("choice", "csat_value", _("Value for the effort"), choices=_SCALE),
        Field("choice", "csat_team", _("The partner team's performance"), choices=_SCALE),
        Field("choice", "nps", _("How likely to recommend us (0-10)"), choices=_NPS),
        Field("multiline", "comment", _("Comment (optional)"), max_length=2000),
        Field("heading", "h-next", _("Next steps")),
        Field("multiline", "next_steps", _("One per line (1-5)"), required=True, max_length=1200),
    ]
    data = {"action": REVIEW_ACTION, "customer": customer.id, "iteration": iteration.number}
    return FormView(
        title=_("Ensure · {customer} · iteration {number}").format(
            customer=customer.name, number=iteration.number
        ),
        intro=[
            _(
                "Check each committed goal against what was delivered, with the KPI's value now, "
                "and where each success factor stands. Leave all satisfaction answers empty if "
                "the customer gave none."
            )
        ],
        fields=fields,
        buttons=[
            Button(_("Close the iteration"), {**data, "card": uuid.uuid4().hex[:16]}, positive=True)
        ],
    )


def undelivered_view(customer: Customer, names: Mapping[str, str]) -> FormView:
    """Some committed workshops have no delivery: record one first, or move to ensure anyway."""
    left = [names.get(w, w) for w in customer.current.undelivered]
    return FormView(
        title=_("Not everything is delivered · {customer}").format(customer=customer.name),
        intro=[
            ngettext(
                "{n} committed workshop has no recorded delivery: {workshops}. Moving to {phase} "
                "ends deliveries for this iteration; the proof of execution will list it as "
                "never delivered.",
                "{n} committed workshops have no recorded delivery: {workshops}. Moving to "
                "{phase} ends deliveries for this iteration; the proof of execution will list "
                "them as never delivered.",
                len(left),
            ).format(n=len(left), workshops=", ".join(left), phase=phase_name(Phase.ENSURE))
        ],
        fields=[],
        buttons=[
            Button(
                _("Record a delivery first"),
                {"action": "run_command", "command": "deliver", "argument": customer.name},
                validate=False,
                positive=True,
            ),
            Button(
                _("Move to ensure anyway"),
                {
                    "action": ENSURE_ANYWAY_ACTION,
                    "customer": customer.id,
                    "iteration": customer.current.number,
                },
                validate=False,
            ),
        ],
    )
