"""`assess <customer>`: the full questionnaire, one question per turn, then the result card.

Flow (dialogs/assess/assess_dialog.mmd): name -> confirm new customer -> questions loop -> result.
Step values and dialog options hold JSON primitives only, so a conversation resumes at the same
question after a restart.
"""

from __future__ import annotations

import uuid
from typing import Any

from botbuilder.core import MessageFactory
from botbuilder.dialogs import (
    ComponentDialog,
    DialogTurnResult,
    WaterfallStepContext,
)
from botbuilder.dialogs.prompts import PromptOptions, PromptValidatorContext, TextPrompt
from botbuilder.schema import Activity

from cards import library
from cards.text import escape_markdown
from cards.views import ConfirmView
from dialogs.assess.questions_dialog import QuestionsDialog, QuestionsOptions
from dialogs.assess.views import saved_result_view
from dialogs.common.customer_names import did_you_mean, suggestions
from dialogs.common.messages import explain, name_problem, phase_name
from dialogs.common.prompts import YES_NO_ALIASES, CardChoicePrompt, choice_validations, choose_data
from dialogs.common.services import DialogServices
from dialogs.common.turn import card_message, tenant_of, user_of
from dialogs.common.waterfall import Waterfall
from engagement.assessing import save_assessment
from engagement.errors import DomainError, InvalidCustomerName
from engagement.models import AssessmentKind, Phase
from engagement.naming import clean_customer_name, customer_id_for
from i18n import _

_STEPS = "assess_steps"
_NAME_PROMPT = "assess_customer_name"
_CONFIRM_PROMPT = "assess_confirm_new"
_NAME = "customer_name"
_CREATE = "create"
_YES, _NO = "yes", "no"


def _confirm_new_customer(validations: dict[str, Any]) -> Activity:
    """The yes/no card asking to create an unknown customer (rendered when shown)."""
    name, key = str(validations["customer_name"]), str(validations["key"])
    card = library.confirm_card(
        ConfirmView(
            title=_("New customer: {name}").format(name=name),
            text=_("{name} is not in your customer list yet.").format(name=name)
            + did_you_mean(list(validations.get("similar") or []), _("assess"), markdown=False)
            + _(" Create {name} and start the assessment?").format(name=name),
            yes_data=choose_data(key, _YES),
            no_data=choose_data(key, _NO),
        )
    )
    return card_message(card)


class AssessDialog(ComponentDialog):
    """The full maturity assessment of one customer."""

    def __init__(self, services: DialogServices) -> None:
        super().__init__(AssessDialog.__name__)
        self._services = services
        self.add_dialog(TextPrompt(_NAME_PROMPT, AssessDialog._is_valid_name))
        self.add_dialog(CardChoicePrompt(_CONFIRM_PROMPT, _confirm_new_customer))
        self.add_dialog(QuestionsDialog(services))
        self.add_dialog(
            Waterfall(
                _STEPS,
                [self.name_step, self.confirm_step, self.questions_step, self.result_step],
            )
        )
        self.initial_dialog_id = _STEPS

    async def name_step(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Take the customer from the command, or ask for it."""
        options = step.options if isinstance(step.options, dict) else {}
        named = str(options.get("customer") or "")
        if named:
            try:
                return await step.next(clean_customer_name(named))
            except InvalidCustomerName as error:
                await step.context.send_activity(_name_problem(error))
        return await step.prompt(
            _NAME_PROMPT,
            PromptOptions(
                prompt=MessageFactory.text(
                    _("Which customer do you want to assess? Type the name.")
                ),
                retry_prompt=MessageFactory.text(
                    _("Please type the customer's name (up to 100 characters), or `cancel`.")
                ),
            ),
        )

    async def confirm_step(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Check the customer's phase; ask before creating a customer that does not exist."""
        name = clean_customer_name(str(step.result))
        step.values[_NAME] = name
        customer = await self._services.customers.get(
            tenant_of(step.context), customer_id_for(name)
        )
        if customer is None:
            step.values[_CREATE] = True
            key = f"new:{uuid.uuid4().hex[:12]}"
            return await step.prompt(
                _CONFIRM_PROMPT,
                PromptOptions(
                    validations={
                        **choice_validations(
                            key, [(_YES, _("Yes")), (_NO, _("No"))], False, YES_NO_ALIASES
                        ),
                        "customer_name": name,
                        "similar": await suggestions(
                            self._services.customers, tenant_of(step.context), name
                        ),
                        "retry_text": _(
                            "Create {name} and start the assessment? Answer yes or no."
                        ).format(name=escape_markdown(name)),
                    },
                ),
            )
        step.values[_CREATE] = False
        phase = customer.current.phase
        if phase not in (Phase.ASSESS, Phase.COMMIT):
            await step.context.send_activity(
                _(
                    "{customer} is in the {phase} phase of iteration {number}. Re-assessing "
                    "starts with the next iteration, after the ensure phase closes this one."
                ).format(
                    customer=escape_markdown(customer.name),
                    phase=phase_name(phase),
                    number=customer.current.number,
                )
            )
            return await step.end_dialog()
        if customer.current.assessment is not None:
            await step.context.send_activity(
                _(
                    "{customer} already has an assessment in iteration {number}; finishing this "
                    "one replaces that draft."
                ).format(customer=escape_markdown(customer.name), number=customer.current.number)
            )
        return await step.next(_YES)

    async def questions_step(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Run the question loop, unless the user declined to create the customer."""
        if step.result != _YES:
            await step.context.send_activity(_("OK, nothing was created."))
            return await step.end_dialog()
        options = QuestionsOptions(customer_name=step.values[_NAME], run=uuid.uuid4().hex[:12])
        return await step.begin_dialog(QuestionsDialog.__name__, options.model_dump())

    async def result_step(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Score and store the answers, then show the result card."""
        answers = step.result
        if not isinstance(answers, dict):
            return await step.end_dialog()
        services = self._services
        try:
            saved = await save_assessment(
                services.customers,
                services.catalog,
                tenant_id=tenant_of(step.context),
                customer_name=step.values[_NAME],
                answers=answers,
                kind=AssessmentKind.FULL,
                by=user_of(step.context),
                now=services.clock.now(),
                create_if_missing=bool(step.values[_CREATE]),
            )
        except DomainError as error:
            await step.context.send_activity(explain(error))
            return await step.end_dialog()
        if saved.replaced:
            await step.context.send_activity(_("This assessment replaces the earlier draft."))
        view = saved_result_view(services.catalog, saved)
        await step.context.send_activity(card_message(library.result_card(view)))
        return await step.end_dialog()

    @staticmethod
    async def _is_valid_name(prompt: PromptValidatorContext) -> bool:
        if not prompt.recognized.succeeded:
            return False
        try:
            clean_customer_name(str(prompt.recognized.value))
        except InvalidCustomerName as error:
            await prompt.context.send_activity(_name_problem(error))
            return False
        return True


def _name_problem(error: InvalidCustomerName) -> str:
    return _("That name does not work: it is {reason}. Please type the customer's name.").format(
        reason=name_problem(error)
    )
