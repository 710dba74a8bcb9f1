"""Checking what people enter for a statement of work, for both the step-by-step dialog and the
one-card form, so that both produce the same Commitment and the same messages.

The raw input is a JSON-only "draft" dict (kept in dialog state between steps, or submitted by the
form card in one go):

    {"workshops": ["ads"], "goals": [{"title", "kpi", "owner_side", "owner_name", "due"}],
     "<factor>_status", "<factor>_owner", "<factor>_gap" for each success factor
     (stakeholders, scenarios, awareness, training), "start", "end", "customer_contact"}

A draft from before the success plan holds a factor's free text under `<factor>`: it is read as
the gap, in progress (as stored customers are read).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from dialogs.common.messages import date_problem
from engagement.dates import DateNotUnderstood, parse_date
from engagement.models import (
    Commitment,
    FactorStatus,
    Goal,
    GoalOwnerSide,
    SuccessFactor,
    SuccessFactors,
)
from engagement.success_plan import FACTOR_NAMES, factor_title, factors_of
from i18n import N_, _, current_language

MAX_GOALS = 5
SHORT_TEXT = 200
LONG_TEXT = 2000
_OWNER_WORDS = {
    "customer": GoalOwnerSide.CUSTOMER,
    "c": GoalOwnerSide.CUSTOMER,
    "client": GoalOwnerSide.CUSTOMER,
    "kunde": GoalOwnerSide.CUSTOMER,
    "kundin": GoalOwnerSide.CUSTOMER,
    "k": GoalOwnerSide.CUSTOMER,
    "partner": GoalOwnerSide.PARTNER,
    "p": GoalOwnerSide.PARTNER,
    "us": GoalOwnerSide.PARTNER,
    "we": GoalOwnerSide.PARTNER,
    "wir": GoalOwnerSide.PARTNER,
    "uns": GoalOwnerSide.PARTNER,
}


@dataclass(frozen=True)
class Problem:
    """One thing to fix: which field and what is wrong, worded for the user."""

    field: str
    message: str


class InputProblems(ValueError):
    """Everything wrong with one piece of input."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(p.message for p in self.problems))

    def reply(self) -> str:
        """What the user is told: every problem, one per line, and to submit again."""
        return (
            _("Please fix this and submit again:")
            + "\n\n"
            + "\n".join(f"- {p.message}" for p in self.problems)
        )


def text_value(raw: Any, field: str, label: str, limit: int, *, required: bool) -> str:
    """Collapsed text within `limit` characters; required text must not be empty."""
    text = " ".join(str(raw).split()) if isinstance(raw, str | int | float) else ""
    if required and not text:
        raise InputProblems([Problem(field, _("{label} is required.").format(label=label))])
    if len(text) > limit:
        raise InputProblems(
            [
                Problem(
                    field,
                    _("{label} is too long ({length} characters; at most {limit}).").format(
                        label=label, length=len(text), limit=limit
                    ),
                )
            ]
        )
    return text


def date_value(raw: Any, field: str, label: str, today: date, *, not_before: date | None) -> date:
    """A date in any accepted format, optionally not before a given day."""
    try:
        day = parse_date(str(raw or ""), today, current_language())
    except DateNotUnderstood as error:
        raise InputProblems(
            [
                Problem(
                    field, _("{label}: {problem}").format(label=label, problem=date_problem(error))
                )
            ]
        ) from error
    if not_before is not None and day < not_before:
        raise InputProblems(
            [
                Problem(
                    field,
                    _("{label} ({day}) is in the past; pick today or later.").format(
                        label=label, day=day.isoformat()
                    ),
                )
            ]
        )
    return day


def workshops_value(raw: Any, known: Mapping[str, str]) -> list[str]:
    """Workshop ids (from a multi-select: a list or "a,b"); at least one, all from the catalog."""
    ids = raw.split(",") if isinstance(raw, str) else raw if isinstance(raw, list) else []
    chosen = [str(i).strip() for i in ids if str(i).strip()]
    if not chosen:
        raise InputProblems([Problem("workshops", _("Pick at least one workshop."))])
    unknown = [i for i in chosen if i not in known]
    if unknown:
        raise InputProblems(
            [
                Problem(
                    "workshops",
                    _("Not in the catalog: {ids}.").format(ids=", ".join(unknown[:3])),
                )
            ]
        )
    return list(dict.fromkeys(chosen))


def goal_value(raw: Mapping[str, Any], number: int, today: date) -> Goal:
    """One goal: a title, a measurable KPI, an owner side and a target date (today or later)."""
    problems: list[Problem] = []
    prefix = _("Goal {number}").format(number=number)
    values: dict[str, Any] = {}
    target_date = _("the target date")

    def short(name: str, label: str, *, required: bool) -> Callable[[], object]:
        return lambda: text_value(
            raw.get(name, ""), name, f"{prefix}: {_(label)}", SHORT_TEXT, required=required
        )

    checks: dict[str, Callable[[], object]] = {
        "title": short("title", N_("the goal"), required=True),
        "kpi": short("kpi", N_("the success criterion (KPI)"), required=True),
        "owner_side": lambda: _owner(raw.get("owner_side"), prefix),
        "owner_name": short("owner_name", N_("the owner's name"), required=False),
        "due": lambda: date_value(
            raw.get("due"), "due", f"{prefix}: {target_date}", today, not_before=today
        ),
        "baseline": short("baseline", N_("the KPI's baseline"), required=False),
        "target": short("target", N_("the KPI's target"), required=False),
    }
    for name, check in checks.items():
        try:
            values[name] = check()
        except InputProblems as error:
            problems += error.problems
    if problems:
        raise InputProblems(problems)
    return Goal(id=f"g{number}", **values)


def _owner(raw: Any, prefix: str) -> GoalOwnerSide:
    owner = _OWNER_WORDS.get(str(raw or "").strip().casefold())
    if owner is None:
        raise InputProblems(
            [
                Problem(
                    "owner_side",
                    _("{goal}: the owner must be customer or partner.").format(goal=prefix),
                )
            ]
        )
    return owner


def period_value(raw_start: Any, raw_end: Any, today: date) -> tuple[date, date]:
    """Start (today or later) and end (after the start) of the engagement."""
    start = date_value(raw_start, "start", _("The start date"), today, not_before=today)
    end = date_value(raw_end, "end", _("The end date"), today, not_before=today)
    if end <= start:
        raise InputProblems(
            [
                Problem(
                    "end",
                    _("The end date ({end}) must be after the start ({start}).").format(
                        end=end.isoformat(), start=start.isoformat()
                    ),
                )
            ]
        )
    return start, end


GOAL_FIELDS = ("title", "kpi", "owner_side", "due", "baseline", "target")


def goal_fields_from_text(text: str) -> dict[str, str]:
    """A goal typed on one line: `title | KPI | customer or partner | date`, optionally followed
    by the KPI's success metric: `| baseline | target`."""
    parts = [part.strip() for part in text.split("|")]
    if len(parts) not in (4, 5, 6):
        raise InputProblems(
            [
                Problem(
                    "goal",
                    _(
                        "Type the goal as: title | KPI | customer or partner | target date, "
                        "optionally | baseline | target of the KPI, e.g. "
                        "`Landing zone live | 3 subscriptions governed | partner | 2027-03-31` or "
                        "`Tagged resources | share tagged | partner | 2027-03-31 | 40 % | 95 %`."
                    ),
                )
            ]
        )
    return dict(zip(GOAL_FIELDS, parts, strict=False))


def commitment_from_draft(
    draft: Mapping[str, Any], known: Mapping[str, str], today: date
) -> Commitment:
    """The whole statement of work; every problem of every part is reported at once."""
    problems: list[Problem] = []
    parts: dict[str, Any] = {}
    try:
        parts["workshops"] = workshops_value(draft.get("workshops"), known)
    except InputProblems as error:
        problems += error.problems
    raw_goals = [g for g in draft.get("goals") or [] if isinstance(g, Mapping) and any(g.values())]
    if not raw_goals:
        problems.append(Problem("goals", _("Add at least one goal.")))
    if len(raw_goals) > MAX_GOALS:
        problems.append(Problem("goals", _("At most {count} goals.").format(count=MAX_GOALS)))
    goals = []
    for number, raw_goal in enumerate(raw_goals[:MAX_GOALS], start=1):
        try:
            goals.append(goal_value(raw_goal, number, today))
        except InputProblems as error:
            problems += error.problems
    for name, check in (
        ("success_factors", lambda: factors_value(draft)),
        ("period", lambda: period_value(draft.get("start"), draft.get("end"), today)),
        (
            "customer_contact",
            lambda: text_value(
                draft.get("customer_contact", ""),
                "customer_contact",
                _("The customer contact"),
                SHORT_TEXT,
                required=True,
            ),
        ),
    ):
        try:
            parts[name] = check()
        except InputProblems as error:
            problems += error.problems
    if problems:
        raise InputProblems(problems)
    start, end = parts["period"]
    return Commitment(
        workshops=parts["workshops"],
        goals=goals,
        success_factors=parts["success_factors"],
        start=start,
        end=end,
        customer_contact=parts["customer_contact"],
    )


FACTORS_TYPED_HINT = N_(  # shown as _(FACTORS_TYPED_HINT)
    "Or type the four factors in this order, `|` between them, each as status, owner: gap "
    "(status: in place, in progress or missing; owner and gap optional), e.g. `in place, "
    "Carla Diaz | in progress, Ben: one scenario so far | missing | missing`"
)
STATUS_PROBLEM = N_("{factor}: the status is in place, in progress or missing.")
_STATUS_WORDS = {  # English and German
    "in place": FactorStatus.IN_PLACE,
    "in progress": FactorStatus.IN_PROGRESS,
    "missing": FactorStatus.MISSING,
    "vorhanden": FactorStatus.IN_PLACE,
    "in arbeit": FactorStatus.IN_PROGRESS,
    "fehlt": FactorStatus.MISSING,
}
_TYPED = re.compile(
    r"^(in\s+place|in\s+progress|missing|vorhanden|in\s+arbeit|fehlt)\b\s*(.*)$",
    re.IGNORECASE | re.DOTALL,
)


def factors_value(raw: Mapping[str, Any]) -> SuccessFactors:
    """The success plan from a draft or a submitted card; every problem at once."""
    problems: list[Problem] = []
    values: dict[str, SuccessFactor] = {}
    for name in FACTOR_NAMES:
        try:
            values[name] = _checked(raw, name)
        except InputProblems as error:
            problems += error.problems
    if problems:
        raise InputProblems(problems)
    return SuccessFactors(**values)


def _checked(raw: Mapping[str, Any], name: str) -> SuccessFactor:
    title = factor_title(name)
    legacy = raw.get(name)
    if f"{name}_status" not in raw and isinstance(legacy, str):
        label = _("{factor}: the gap").format(factor=title)
        gap = text_value(legacy, f"{name}_gap", label, LONG_TEXT, required=False)
        return SuccessFactor.from_text(gap)
    status = str(raw.get(f"{name}_status") or FactorStatus.MISSING.value).strip()
    if status not in {s.value for s in FactorStatus}:
        raise InputProblems([Problem(f"{name}_status", _(STATUS_PROBLEM).format(factor=title))])
    problems: list[Problem] = []
    texts = {"owner": "", "gap": ""}
    labels = {"owner": _("{factor}: the owner"), "gap": _("{factor}: the gap")}
    for part, limit in (("owner", SHORT_TEXT), ("gap", LONG_TEXT)):
        field = f"{name}_{part}"
        label = labels[part].format(factor=title)
        try:
            texts[part] = text_value(raw.get(field, ""), field, label, limit, required=False)
        except InputProblems as error:
            problems += error.problems
    if problems:
        raise InputProblems(problems)
    return SuccessFactor(status=FactorStatus(status), **texts)


def typed_factors(text: str) -> dict[str, str]:
    """The factors typed on one line, `|` between them: each `status, owner: gap`; a part
    without a status word is its gap, in progress (as stored free text is read); an empty or
    left-out part is missing. The draft keys are checked by `factors_value`."""
    parts = [part.strip() for part in text.split("|")]
    if len(parts) > len(FACTOR_NAMES):
        raise InputProblems([Problem("factors", _(FACTORS_TYPED_HINT) + ".")])
    draft: dict[str, str] = {}
    for name, part in zip(FACTOR_NAMES, parts, strict=False):
        status, owner, gap = _typed_factor(part)
        draft |= {f"{name}_status": status, f"{name}_owner": owner, f"{name}_gap": gap}
    return draft


def _typed_factor(part: str) -> tuple[str, str, str]:
    match = _TYPED.match(part)
    if match is None:  # free text: the gap, in progress
        status = FactorStatus.IN_PROGRESS if part else FactorStatus.MISSING
        return status.value, "", part
    status = _STATUS_WORDS[" ".join(match.group(1).casefold().split())]
    rest = match.group(2).strip()
    owner, gap = "", rest.removeprefix(":")
    if rest.startswith(","):
        owner, _colon, gap = rest.removeprefix(",").partition(":")
    elif not rest.startswith(":"):
        gap = rest
    return status.value, owner.strip(), gap.strip()


def draft_of(plan: SuccessFactors) -> dict[str, str]:
    """The draft keys of a stored plan, to edit it."""
    draft: dict[str, str] = {}
    for name, factor in factors_of(plan):
        draft |= {
            f"{name}_status": factor.status.value,
            f"{name}_owner": factor.owner,
            f"{name}_gap": factor.gap,
        }
    return draft


def goal_draft(goal: Goal) -> dict[str, str]:
    """A goal as draft keys (JSON only, for dialog state), to keep or edit it."""
    return {
        "title": goal.title,
        "kpi": goal.kpi,
        "owner_side": goal.owner_side.value,
        "owner_name": goal.owner_name,
        "due": goal.due.isoformat(),
        "baseline": goal.baseline,
        "target": goal.target,
    }
