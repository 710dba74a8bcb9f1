"""Typed card submits: every button's data is a pydantic model named by its `action`.

The routing table (`bot.commands.CARD_ACTIONS`) names each action's model, and the models of the
table make one discriminated union on `action` (`submit_union`); the bot parses a submit once,
at the edge, and hands the model to the handler. A payload that does not fit its model (an old
card, a tampered one) is answered there with the model's `stale` reply (marked `N_`, shown as
`_(model.stale)` in the turn's language) and changes nothing. Teams adds fields of its own
(`msteams`), so unknown fields are ignored; form inputs arrive merged into the data and are
fields of the form's model. No field is named `key`, `msteams`, `id`, `type`, `title`, `verb`
or `data`: clients own those (the Agents Playground breaks on `key`).
"""

from __future__ import annotations

import functools
import operator
import typing
from collections.abc import Sequence
from datetime import datetime
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, TypeAdapter

from i18n import N_

Id = Annotated[str, Field(min_length=1, max_length=200)]
# What the user typed or picked: checked by the handler, which words the problems.
Input = Any


class Submit(BaseModel):
    """Every card submit: frozen, ignores fields the client adds."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    stale: ClassVar[str] = N_("That card is out of date, so nothing was changed.")

    @classmethod
    def action_name(cls) -> str:
        """The `action` this model's data names (its `action` field's one Literal value)."""
        (action,) = typing.get_args(cls.model_fields["action"].annotation)
        return str(action)


class FormSubmit(Submit):
    """A form whose inputs are named after catalog or goal ids (`q_<question>`,
    `status_<goal>`): those arrive as extra fields, read with `input`."""

    model_config = ConfigDict(extra="allow", frozen=True)

    def input(self, name: str) -> Input:
        """What was entered in the input named `name` (None: nothing)."""
        return (self.model_extra or {}).get(name)


def submit_union(models: Sequence[type[Submit]]) -> TypeAdapter[Submit]:
    """The discriminated union on `action` of `models` (each names its action as a Literal)."""
    union: Any = functools.reduce(operator.or_, models)
    return TypeAdapter(Annotated[union, Field(discriminator="action")])


class CancelSubmit(Submit):
    """A card's Cancel button: the same as typing `cancel`."""

    action: Literal["cancel"]


class RunCommandSubmit(Submit):
    """A button that types a command (`status Contoso`): routed as that command."""

    action: Literal["run_command"]
    command: Annotated[str, Field(min_length=1, max_length=100)]
    argument: Annotated[str, Field(max_length=2000)] = ""

    @property
    def line(self) -> str:
        """The command line the button stands for."""
        return f"{self.command} {self.argument}".strip()


class AgreeSubmit(Submit):
    """Confirm (partner) or Record customer agreement on a statement of work."""

    stale: ClassVar[str] = N_("That card is out of date, so nothing was recorded.")
    action: Literal["agree_sow"]
    customer: Id
    iteration: int
    revision: Annotated[str, Field(max_length=200)]
    side: Literal["partner", "customer"] = "partner"
    agreed_by: Input = None


class RecordDeliverySubmit(Submit):
    """The delivery form: the card's identity and what was typed."""

    stale: ClassVar[str] = N_("That card is out of date, so nothing was recorded.")
    action: Literal["record_delivery"]
    customer: Id
    iteration: int
    card: Annotated[str, Field(max_length=200)] = ""
    workshop: Input = None
    on: Input = None
    attendees: Input = None
    notes: Input = ""
    materials_url: Input = ""


# --- the buttons of a waiting prompt (dialogs.common.prompts): they belong to its flow ---------

PromptKey = Annotated[str, Field(min_length=1, max_length=200)]


class ChooseSubmit(Submit):
    """A choice prompt's option button: the prompt's key and the option's value."""

    action: Literal["choose"]
    prompt: PromptKey
    choice: Annotated[str, Field(max_length=200)]


class BackSubmit(Submit):
    """A choice prompt's Back button."""

    action: Literal["back"]
    prompt: PromptKey


class PromptFormSubmit(FormSubmit):
    """A form prompt's button: the prompt's key; the inputs (and the button's own fields, such as
    `choice` on Confirm) arrive as extra fields, checked by the step's validator."""

    action: Literal["form"]
    prompt: PromptKey


PROMPT_SUBMITS: tuple[type[Submit], ...] = (ChooseSubmit, BackSubmit, PromptFormSubmit)
PROMPT_SUBMIT = submit_union(PROMPT_SUBMITS)

# --- assess: the quick check ---------------------------------------------------------------


class QuickCheckSubmit(FormSubmit):
    """The quick-check card: its identity, the customer (if named) and the answers (`q_<id>`)."""

    stale: ClassVar[str] = N_(
        "That card is out of date, so I did not count it. Type `quick check` for a fresh one."
    )
    action: Literal["quick_check"]
    card: Id
    customer: Annotated[str, Field(max_length=200)] = ""
    iteration: StrictInt = 0
    create: StrictBool = False


class SaveQuickCheckSubmit(Submit):
    """Save an unnamed quick check's answers to the customer typed on its result card."""

    stale: ClassVar[str] = QuickCheckSubmit.stale
    action: Literal["save_quick_check"]
    card: Id
    answers: dict[str, str]
    customer_name: Input = None
    create: StrictBool = False


class NewQuickCheckSubmit(Submit):
    """ "Create <name>": the quick-check card that creates the customer on submit."""

    action: Literal["quick_check_new"]
    customer: Annotated[str, Field(max_length=2000)] = ""


class UseAssessmentSubmit(Submit):
    """ "Use this quick check's level" instead of the full assessment's."""

    stale: ClassVar[str] = QuickCheckSubmit.stale
    action: Literal["use_assessment"]
    customer: Id
    assessed_at: datetime
    iteration: StrictInt = 0


# --- deliver and ensure -----------------------------------------------------------------------


class EnsureAnywaySubmit(Submit):
    """ "Move to ensure anyway" with committed workshops undelivered."""

    stale: ClassVar[str] = N_("That card is out of date, so nothing was recorded.")
    action: Literal["ensure_anyway"]
    customer: Id
    iteration: StrictInt


class ReviewSubmit(FormSubmit):
    """The ensure review: goal outcomes (`status_<goal>`, `evidence_<goal>`), satisfaction and
    next steps, checked by the handler, which words the problems under each input."""

    stale: ClassVar[str] = N_("That card is out of date, so nothing was recorded.")
    action: Literal["review"]
    customer: Id
    iteration: StrictInt
    card: Annotated[str, Field(max_length=200)] = ""
    csat_overall: Input = None
    csat_value: Input = None
    csat_team: Input = None
    nps: Input = None
    comment: Input = ""
    next_steps: Input = None


# --- readiness --------------------------------------------------------------------------------


class ReadinessSubmit(FormSubmit):
    """A readiness section card: where it is (`step`, the `answers` so far as digits, the
    assessment's `started` id, the checklist's fingerprint) and its scores (`r_<element>`)."""

    stale: ClassVar[str] = N_(
        "This readiness card is out of date (the checklist changed or the card was changed), so "
        "nothing was recorded. Type `readiness new` to start again."
    )
    action: Literal["readiness"]
    step: Annotated[StrictInt, Field(ge=0)]
    answers: Annotated[str, Field(pattern=r"^[1-5]*$", max_length=1000)]
    started: Annotated[str, Field(pattern=r"^[a-z0-9]{8,40}$")]
    checklist: Annotated[str, Field(max_length=200)]


# --- reminders --------------------------------------------------------------------------------

MAX_SNOOZE_DAYS = 30
REMINDER_OUT_OF_DATE = N_(
    "That card is out of date, so nothing was changed. Type `reminders` to see what is due."
)


class LogTouchSubmit(Submit):
    """Log touch: a touch on the customer now; the reminder counts as done."""

    stale: ClassVar[str] = REMINDER_OUT_OF_DATE
    action: Literal["log_touch"]
    customer: Id
    reminder: Annotated[str, Field(max_length=200)] = ""


class SnoozeSubmit(Submit):
    """Snooze: deliver the reminder again after `days` days."""

    stale: ClassVar[str] = REMINDER_OUT_OF_DATE
    action: Literal["snooze"]
    customer: Id
    reminder: Id
    days: Annotated[int, Field(ge=1, le=MAX_SNOOZE_DAYS)]


class DoneSubmit(Submit):
    """Done: never deliver this reminder again."""

    stale: ClassVar[str] = REMINDER_OUT_OF_DATE
    action: Literal["reminder_done"]
    customer: Id
    reminder: Id


ReminderSubmit = LogTouchSubmit | SnoozeSubmit | DoneSubmit


class SavePlanSubmit(Submit):
    """The success plan card (`plan <customer>`): the customer, the iteration whose statement of
    work holds the plan, and each factor's status, owner and gap as entered."""

    stale: ClassVar[str] = N_(
        "That success plan card is out of date (a newer statement of work holds the plan now), "
        "so nothing was changed."
    )
    action: Literal["save_plan"]
    customer: Id
    iteration: int
    stakeholders_status: Input = None
    stakeholders_owner: Input = ""
    stakeholders_gap: Input = ""
    scenarios_status: Input = None
    scenarios_owner: Input = ""
    scenarios_gap: Input = ""
    awareness_status: Input = None
    awareness_owner: Input = ""
    awareness_gap: Input = ""
    training_status: Input = None
    training_owner: Input = ""
    training_gap: Input = ""
