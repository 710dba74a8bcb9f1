"""The question loop of the full assessment: one question per turn, `back` steps back one.

Each turn's position lives in the waterfall options (`index`, `answers`), and the loop advances
with `replace_dialog`, so the stack never grows and a restart resumes at the same question.
Flow: dialogs/assess/questions_dialog.mmd.
"""

from __future__ import annotations

from typing import Any

from botbuilder.dialogs import (
    ComponentDialog,
    DialogTurnResult,
    WaterfallStepContext,
)
from botbuilder.dialogs.prompts import PromptOptions
from botbuilder.schema import Activity
from pydantic import BaseModel, ConfigDict

from cards import library
from dialogs.assess.views import question_view
from dialogs.common.prompts import BACK, CardChoicePrompt, choice_validations
from dialogs.common.services import DialogServices
from dialogs.common.turn import card_message
from dialogs.common.waterfall import Waterfall
from i18n import _

_STEPS = "question_steps"
_ANSWER_PROMPT = "question_answer"


class QuestionsOptions(BaseModel):
    """Where the loop is: kept in the dialog state as JSON (`model_dump`), read back typed."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    customer_name: str
    run: str
    index: int = 0
    answers: dict[str, str] = {}


class QuestionsDialog(ComponentDialog):
    """Asks every question of the questionnaire in order; returns {question id: option id}."""

    def __init__(self, services: DialogServices) -> None:
        super().__init__(QuestionsDialog.__name__)
        self._questions = services.catalog.questionnaire.questions
        self._services = services
        self.add_dialog(CardChoicePrompt(_ANSWER_PROMPT, self._question_message))
        self.add_dialog(Waterfall(_STEPS, [self.ask_step, self.answer_step]))
        self.initial_dialog_id = _STEPS

    async def ask_step(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Show the current question as a card with a button per option."""
        state = QuestionsOptions.model_validate(step.options)
        index = state.index
        question = self._questions[index]
        shown = self._services.catalog.questionnaire.questions[index]  # turn's language
        key = f"{state.run}:{question.id}"
        choices = [(option.id, option.label) for option in shown.options]
        # an option's text is understood in either language, whichever the user reads
        aliases = {
            option.id: [option.label.casefold(), (option.label_de or option.label).casefold()]
            for option in self._services.loaded_catalog.questionnaire.questions[index].options
        }
        listed = "; ".join(f"{n}. {label}" for n, (_value, label) in enumerate(choices, start=1))
        retry = (
            _(
                "Question {number} of {total}: please press a button on the latest card or type "
                "a number: {options}. Type `cancel` to stop, `back` for the previous question."
            )
            if index > 0
            else _(
                "Question {number} of {total}: please press a button on the latest card or type "
                "a number: {options}. Type `cancel` to stop."
            )
        )
        return await step.prompt(
            _ANSWER_PROMPT,
            PromptOptions(
                validations={
                    "retry_text": retry.format(
                        number=index + 1, total=len(self._questions), options=listed
                    ),
                    **choice_validations(key, choices, allow_back=index > 0, aliases=aliases),
                    "index": index,
                    "customer_name": state.customer_name,
                },
            ),
        )

    def _question_message(self, validations: dict[str, Any]) -> Activity:
        """The question card, rebuilt from the prompt's JSON state whenever it is shown."""
        index = int(validations["index"])
        catalog = self._services.catalog
        view = question_view(
            catalog,
            str(validations["customer_name"]),
            index,
            str(validations["key"]),
            catalog.questionnaire.questions[index],
        )
        return card_message(library.question_card(view))

    async def answer_step(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Record the answer and move on (or back); end with all answers after the last one."""
        state = QuestionsOptions.model_validate(step.options)
        index, answers = state.index, dict(state.answers)
        if step.result == BACK:
            previous = max(index - 1, 0)
            answers.pop(self._questions[previous].id, None)
            moved = {**state.model_dump(), "index": previous, "answers": answers}
            return await step.replace_dialog(_STEPS, moved)
        answers[self._questions[index].id] = str(step.result)
        if index + 1 >= len(self._questions):
            return await step.end_dialog(answers)
        moved = {**state.model_dump(), "index": index + 1, "answers": answers}
        return await step.replace_dialog(_STEPS, moved)
