"""CardChoicePrompt: a choice answered by a card button, a number or the option's text.

Botbuilder's ChoicePrompt shows suggested actions, which Teams renders only in personal chats,
and it ignores card submits. This prompt sends an Adaptive Card with a button per option (works in
personal chat, group chat and channels) and accepts:
- an Action.Submit whose data is `{"action": "choose", "prompt": <key>, "choice": <value>}` for
  the prompt's own key (a button from an older card carries another key and is not accepted);
- a typed number (`2`), the option's label or value, case-insensitively;
- `back` (`zurück`) when the prompt allows it (result BACK).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from botbuilder.core import MessageFactory, TurnContext
from botbuilder.dialogs.prompts import Prompt, PromptOptions, PromptRecognizerResult
from botbuilder.schema import Activity
from pydantic import ValidationError

from dialogs.common.card_actions import (
    PROMPT_SUBMIT,
    BackSubmit,
    ChooseSubmit,
    PromptFormSubmit,
    Submit,
)
from dialogs.common.turn import message_text

BACK = "__back__"
CHOOSE_ACTION = "choose"
BACK_ACTION = "back"
# The submit data field naming the prompt a button belongs to. Never `key`: the Agents Playground
# throws "Cannot assign to read only property 'key'" on such a button and sends nothing.
PROMPT_FIELD = "prompt"


# Typed answers are understood in English and German for everyone (no word means different
# things in the two languages).
YES_NO_ALIASES = {
    "yes": ["y", "yes", "yeah", "yep", "ok", "okay", "sure", "ja", "j", "jawohl", "klar", "gerne"],
    "no": ["n", "no", "nope", "nein", "nee", "nö"],
}
BACK_WORDS = frozenset({"back", "zurück", "zurueck"})


def choice_validations(
    key: str,
    choices: list[tuple[str, str]],
    allow_back: bool,
    aliases: dict[str, list[str]] | None = None,
) -> dict[str, Any]:
    """The prompt's JSON-only configuration, kept in dialog state."""
    return {
        "key": key,
        "choices": [list(choice) for choice in choices],
        "allow_back": allow_back,
        "aliases": aliases or {},
    }


def choose_data(key: str, value: str) -> dict[str, object]:
    """Submit data for the button that picks `value`."""
    return {"action": CHOOSE_ACTION, PROMPT_FIELD: key, "choice": value}


def back_data(key: str) -> dict[str, object]:
    """Submit data for a Back button."""
    return {"action": BACK_ACTION, PROMPT_FIELD: key}


def recognize_choice(validations: dict[str, Any], text: str, value: Any) -> str | None:
    """The chosen value (or BACK), or None when the input is not one of the choices."""
    choices: list[list[str]] = validations["choices"]
    if isinstance(value, dict):
        submit = _prompt_submit(value)
        if submit is None or getattr(submit, PROMPT_FIELD) != validations["key"]:
            return None
        if isinstance(submit, BackSubmit) and validations["allow_back"]:
            return BACK
        if isinstance(submit, ChooseSubmit) and any(submit.choice == v for v, _ in choices):
            return submit.choice
        return None
    typed = " ".join(text.split()).casefold().rstrip(".")
    if not typed:
        return None
    if typed in BACK_WORDS and validations["allow_back"]:
        return BACK
    if typed.isdigit() and 1 <= int(typed) <= len(choices):
        return choices[int(typed) - 1][0]
    aliases: dict[str, list[str]] = validations.get("aliases", {})
    for choice_value, label in choices:
        if typed in (choice_value.casefold(), label.casefold(), *aliases.get(choice_value, [])):
            return choice_value
    return None


def _prompt_submit(value: dict[str, Any]) -> Submit | None:
    """A prompt button's data as its model (`card_actions.PROMPT_SUBMIT`), None if it is not
    one: another card's button, or data that does not fit (the prompt then asks again)."""
    try:
        return PROMPT_SUBMIT.validate_python(value)
    except ValidationError:
        return None


PromptRenderer = Callable[[dict[str, Any]], Activity]


class RenderedPrompt(Prompt):
    """A prompt whose message is built from its JSON-only `validations` each time it is shown.

    Nothing but JSON is kept in dialog state: botbuilder serialises (jsonpickle) the whole dialog
    state four times per turn, so stored Activities and cards would be the largest cost of a
    turn. `validations["retry_text"]` is the re-prompt.
    """

    def __init__(
        self, dialog_id: str, render: PromptRenderer | None = None, validator: Any = None
    ) -> None:
        super().__init__(dialog_id, validator)
        self._render = render

    async def on_prompt(
        self,
        turn_context: TurnContext,
        state: dict[str, object],
        options: PromptOptions,
        is_retry: bool,
    ) -> None:
        retry_text = (options.validations or {}).get("retry_text")
        if is_retry and options.retry_prompt is not None:
            await turn_context.send_activity(options.retry_prompt)
        elif is_retry and retry_text:
            await turn_context.send_activity(MessageFactory.text(str(retry_text)))
        elif options.prompt is not None:
            await turn_context.send_activity(options.prompt)
        elif self._render is not None:
            await turn_context.send_activity(self._render(options.validations))


class CardChoicePrompt(RenderedPrompt):
    """A choice prompt for Teams: card buttons, numbers and text all count."""

    async def on_recognize(
        self,
        turn_context: TurnContext,
        state: dict[str, object],
        options: PromptOptions,
    ) -> PromptRecognizerResult:
        activity = turn_context.activity
        chosen = recognize_choice(options.validations, message_text(turn_context), activity.value)
        result = PromptRecognizerResult()
        result.succeeded = chosen is not None
        result.value = chosen
        return result


FORM_ACTION = "form"
TEXT_KEY = "__text__"


def form_data(key: str, **extra: object) -> dict[str, object]:
    """Submit data for a form button of the prompt with this key."""
    return {"action": FORM_ACTION, PROMPT_FIELD: key, **extra}


class CardFormPrompt(RenderedPrompt):
    """A prompt answered by submitting a form card (or, where the step allows, by typing).

    Recognises the submit of its own card (same `key`) as `{input id: value, ...}` and any typed
    text as `{TEXT_KEY: text}`; a submit from another card is not recognised. The validator given
    to the constructor checks the input, replaces `recognized.value` with the clean value, and
    explains problems itself (the card stays as it was, so nothing typed is lost).
    """

    def __init__(self, dialog_id: str, validator: Any, render: PromptRenderer) -> None:
        super().__init__(dialog_id, render, validator)

    async def on_recognize(
        self,
        turn_context: TurnContext,
        state: dict[str, object],
        options: PromptOptions,
    ) -> PromptRecognizerResult:
        result = PromptRecognizerResult()
        value = turn_context.activity.value
        text = message_text(turn_context)
        key = options.validations["key"]
        if isinstance(value, dict):
            submit = _prompt_submit(value)
            if isinstance(submit, PromptFormSubmit) and submit.prompt == key:
                result.succeeded = True
                result.value = {
                    k: v for k, v in (submit.model_extra or {}).items() if k != TEXT_KEY
                }
        elif text:
            result.succeeded = True
            result.value = {TEXT_KEY: text}
        return result
