"""`commit <customer>` (and `commit <customer> form`): the statement of work, step by step or on
one form card, checked by the same rules, then confirmed by the partner side.

Flow (dialogs/commit/commit_dialog.mmd): customer -> check phase -> workshops -> goals (loop) ->
success factors -> dates and contact -> review (confirm / edit one part / cancel) -> save.
"Edit" restarts the waterfall with the draft and `only` set to one part, so the other steps pass
straight through. The draft lives in the options as JSON, so a restart resumes where it was.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Callable
from typing import Any

from botbuilder.core import MessageFactory
from botbuilder.dialogs import (
    ComponentDialog,
    DialogTurnResult,
    WaterfallStepContext,
)
from botbuilder.dialogs.prompts import PromptOptions, PromptValidatorContext, TextPrompt
from botbuilder.schema import Activity

from cards.forms import form_card, sow_card
from cards.text import escape_markdown
from dialogs.commit import commit_views as views
from dialogs.commit import review_words as words
from dialogs.commit.commit_answers import CommitAnswers, not_ready
from dialogs.commit.commitment_input import (
    InputProblems,
    commitment_from_draft,
    draft_of,
)
from dialogs.commit.goals_dialog import GoalsDialog, GoalsOptions
from dialogs.common.customer_names import did_you_mean, suggestions
from dialogs.common.messages import explain
from dialogs.common.prompts import CardFormPrompt
from dialogs.common.services import DialogServices
from dialogs.common.turn import card_message, tenant_of, user_of
from dialogs.common.waterfall import Waterfall
from engagement.customers import change
from engagement.errors import DomainError, InvalidCustomerName
from engagement.lifecycle import agree, record_commitment
from engagement.models import AgreementSide, Customer
from engagement.naming import clean_customer_name, customer_id_for
from engagement.success_plan import latest_plan
from i18n import _

_STEPS = "commit_steps"
_NAME = "commit_name"
_WORKSHOPS = "commit_workshops"
_FACTORS = "commit_factors"
_PERIOD = "commit_period"
_FORM = "commit_form"
_REVIEW = "commit_review"


class CommitDialog(ComponentDialog):
    """Captures the statement of work for a customer's current iteration."""

    def __init__(self, services: DialogServices) -> None:
        super().__init__(CommitDialog.__name__)
        self._services = services
        self._known = {w.id: w.name for w in services.catalog.workshops}
        answers = CommitAnswers(services.catalog, self._today)
        self.add_dialog(TextPrompt(_NAME))
        self.add_dialog(
            CardFormPrompt(
                _WORKSHOPS,
                self._check(answers.workshops, with_validations=True),
                self._render(views.workshops_form, "selected"),
            )
        )
        self.add_dialog(
            CardFormPrompt(
                _FACTORS, self._check(answers.factors), self._render(views.factors_form, "draft")
            )
        )
        self.add_dialog(
            CardFormPrompt(
                _PERIOD, self._check(answers.period), self._render(views.period_form, "draft")
            )
        )
        self.add_dialog(CardFormPrompt(_FORM, self._check(answers.full_form), self._render_full))
        self.add_dialog(CardFormPrompt(_REVIEW, self._check(answers.review), self._render_review))
        self.add_dialog(GoalsDialog(services))
        self.add_dialog(
            Waterfall(
                _STEPS,
                [
                    self.customer_step,
                    self.check_step,
                    self.workshops_step,
                    self.goals_step,
                    self.factors_step,
                    self.period_step,
                    self.review_step,
                    self.save_step,
                ],
            )
        )
        self.initial_dialog_id = _STEPS

    # --- steps, in the order they run -----------------------------------------------------

    async def customer_step(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Take the customer from the command, or ask for it."""
        options = dict(step.options or {})
        step.values["options"] = options
        if options.get("draft") is not None:  # an edit pass: the customer is known
            return await step.next(options["customer_name"])
        if options.get("customer"):
            return await step.next(options["customer"])
        return await step.prompt(
            _NAME,
            PromptOptions(
                prompt=MessageFactory.text(_("Which customer's statement of work? Type the name."))
            ),
        )

    async def check_step(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Only a customer in the commit phase (assessed) can commit; explain anything else."""
        options = step.values["options"]
        try:
            name = clean_customer_name(str(step.result))
        except InvalidCustomerName as error:
            await step.context.send_activity(explain(error))
            return await step.end_dialog()
        customer = await self._services.customers.get(
            tenant_of(step.context), customer_id_for(name)
        )
        problem = not_ready(customer, name)
        if customer is None:
            close = await suggestions(self._services.customers, tenant_of(step.context), name)
            problem = f"{problem}{did_you_mean(close, _('commit'))}"
        if problem:
            await step.context.send_activity(problem)
            return await step.end_dialog()
        assert customer is not None
        iteration = customer.current
        if options.get("draft") is None:
            existing = iteration.commitment
            plan = latest_plan(customer)  # a later iteration starts from the last plan
            draft = (
                views.draft_from_commitment(existing)
                if existing
                else {
                    "workshops": list(iteration.recommendations),
                    "goals": [],
                    **(draft_of(plan.factors) if plan else {}),
                }
            )
            if existing:
                await step.context.send_activity(
                    _(
                        "{customer} already has a statement of work in iteration {number}; what "
                        "you confirm now replaces it, and both sides agree again."
                    ).format(customer=escape_markdown(customer.name), number=iteration.number)
                )
            options.update(draft=draft, only=None, run=uuid.uuid4().hex[:10])
        options.update(
            customer_id=customer.id,
            customer_name=customer.name,
            carried=list(iteration.carried_over),
            iteration=iteration.number,
            recommended=list(iteration.recommendations),
            header=dataclasses.asdict(views.SowHeader.of(customer)),
        )
        if options.get("form"):
            return await step.prompt(_FORM, self._options("form", options))
        return await step.next(None)

    async def workshops_step(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Which workshops (skipped after the form, or when editing another part)."""
        options = step.values["options"]
        if step.result is not None:  # the full form was submitted: the draft is complete
            options["draft"] = step.result
            return await step.next(None)
        if not _asks(options, "workshops"):
            return await step.next(None)
        return await step.prompt(_WORKSHOPS, self._options("workshops", options))

    async def goals_step(self, step: WaterfallStepContext) -> DialogTurnResult:
        """One to five goals, in a loop of their own."""
        options = step.values["options"]
        if step.result is not None:
            options["draft"]["workshops"] = step.result
        if not _asks(options, "goals"):
            return await step.next(None)
        goals = GoalsOptions(
            customer_name=options["customer_name"],
            run=options["run"],
            suggested=options.get("carried", []),
            iteration=options.get("iteration", 0),
        )
        return await step.begin_dialog(GoalsDialog.__name__, goals.model_dump())

    async def factors_step(self, step: WaterfallStepContext) -> DialogTurnResult:
        """The success factors (optional; Skip keeps what was there)."""
        options = step.values["options"]
        if isinstance(step.result, list):
            options["draft"]["goals"] = step.result
        if not _asks(options, "factors"):
            return await step.next(None)
        return await step.prompt(_FACTORS, self._options("factors", options))

    async def period_step(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Start, end and the customer contact."""
        options = step.values["options"]
        if isinstance(step.result, dict):
            options["draft"].update(step.result)
        if not _asks(options, "period"):
            return await step.next(None)
        return await step.prompt(_PERIOD, self._options("period", options))

    async def review_step(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Show the draft statement of work: confirm, edit one part, or cancel."""
        options = step.values["options"]
        if isinstance(step.result, dict):
            options["draft"].update(step.result)
        try:
            commitment_from_draft(options["draft"], self._known, self._today())
        except InputProblems as error:  # e.g. a goal date that passed while editing
            await step.context.send_activity(error.reply())
            return await step.replace_dialog(_STEPS, {**options, "form": True})
        return await step.prompt(_REVIEW, self._options("review", options))

    async def save_step(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Save and record the partner's agreement, or go back to edit a part."""
        options = step.values["options"]
        decision = step.result
        if decision["choice"] == "edit":
            return await step.replace_dialog(
                _STEPS, {**options, "only": decision["part"], "form": False}
            )
        try:  # checked again: a date entered as "today" may have passed since the review
            commitment = commitment_from_draft(options["draft"], self._known, self._today())
        except InputProblems as error:
            await step.context.send_activity(error.reply())
            return await step.replace_dialog(_STEPS, {**options, "form": True})
        user, now = user_of(step.context), self._services.clock.now()

        def save(customer: Customer) -> None:
            record_commitment(customer, commitment, now)
            agree(customer, AgreementSide.PARTNER, user, now)

        try:
            saved, _unused = await change(
                self._services.customers, tenant_of(step.context), options["customer_id"], save
            )
        except DomainError as error:
            await step.context.send_activity(explain(error))
            return await step.end_dialog()
        stored = saved.current.commitment
        assert stored is not None
        card = sow_card(views.sow_view(self._services.catalog, views.SowHeader.of(saved), stored))
        await step.context.send_activity(
            card_message(
                card,
                text=_(
                    "Saved, and confirmed for the partner side. The customer's agreement is "
                    "still needed: record it on the card when they agree."
                ),
            )
        )
        return await step.end_dialog()

    # --- prompts: options, rendering, checks ----------------------------------------------

    def _options(self, part: str, options: dict[str, Any]) -> PromptOptions:
        return PromptOptions(
            validations={
                "key": f"{options['run']}:{part}",
                "customer_name": options["customer_name"],
                "draft": options["draft"],
                "recommended": options["recommended"],
                "header": options["header"],
                "retry_text": _("That button is from an older card. Please use the latest card."),
            }
        )

    def _render(
        self, build: Callable[..., Any], extra: str
    ) -> Callable[[dict[str, Any]], Activity]:
        def render(validations: dict[str, Any]) -> Activity:
            name, draft = validations["customer_name"], validations["draft"]
            if extra == "selected":
                choices = views.workshop_choices(self._services.catalog, validations["recommended"])
                view = build(validations["key"], name, choices, draft.get("workshops") or [])
            else:
                view = build(validations["key"], name, draft)
            return card_message(form_card(view))

        return render

    def _render_full(self, validations: dict[str, Any]) -> Activity:
        choices = views.workshop_choices(self._services.catalog, validations["recommended"])
        view = views.full_form(
            validations["key"], validations["customer_name"], choices, validations["draft"]
        )
        return card_message(form_card(view))

    def _render_review(self, validations: dict[str, Any]) -> Activity:
        draft = validations["draft"]
        try:
            commitment = commitment_from_draft(draft, self._known, self._today())
        except InputProblems as error:  # shown again later, after a date passed
            return MessageFactory.text(
                error.reply()
                + "\n\n"
                + _("Press Confirm on the draft to correct it in the form, or type `cancel`.")
            )
        view = views.sow_view(
            self._services.catalog,
            views.SowHeader(**validations["header"]),
            commitment,
            buttons=views.review_buttons(validations["key"]),
            inputs=[views.edit_part_field()],
            with_agreement_actions=False,
        )
        return card_message(sow_card(view), text=_(words.REVIEW_INTRO))

    def _check(
        self, parse: Callable[..., Any], *, with_validations: bool = False
    ) -> Callable[[PromptValidatorContext], Any]:
        async def validate(prompt: PromptValidatorContext) -> bool:
            if not prompt.recognized.succeeded:
                return False  # another card's button: the prompt re-asks with retry_text
            extra = (prompt.options.validations,) if with_validations else ()
            try:
                prompt.recognized.value = parse(prompt.recognized.value, *extra)
            except InputProblems as error:
                await prompt.context.send_activity(error.reply())
                return False
            return True

        return validate

    def _today(self) -> Any:
        return self._services.clock.now().date()


def _asks(options: dict[str, Any], part: str) -> bool:
    if options.get("form"):
        return False
    only = options.get("only")
    return only is None or only == part
