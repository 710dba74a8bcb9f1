"""The language of each turn: the user's stored choice, else the activity's `locale`.

A middleware, so the whole turn (and the turn-error apology, which reads `turn_language`) speaks
it. A continuation (a proactive send: a reminder, an answer sent privately) keeps the language
its sender set: the asker's for a private answer, the recipient's for a reminder.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from botbuilder.core import Middleware, TurnContext
from botbuilder.schema import ActivityEventNames, ActivityTypes

from i18n import current_language, language_of, use_language

# (turn) -> the user's stored language, or None when they chose none
StoredLanguage = Callable[[TurnContext], Awaitable[str | None]]
_TURN_KEY = "csf.language"


def _is_continuation(context: TurnContext) -> bool:
    activity = context.activity
    return bool(
        activity.type == ActivityTypes.event
        and activity.name == ActivityEventNames.continue_conversation
    )


def turn_language(context: TurnContext) -> str:
    """The language the turn speaks (the activity's locale if the middleware did not run)."""
    chosen = context.turn_state.get(_TURN_KEY)
    return chosen if isinstance(chosen, str) else language_of(context.activity.locale)


class TurnLanguage(Middleware):
    """Sets the language (`i18n`) for the turn's logic."""

    def __init__(self, stored: StoredLanguage | None = None) -> None:
        self._stored = stored

    async def on_turn(self, context: TurnContext, logic: Callable[[], Awaitable[Any]]) -> Any:
        if _is_continuation(context):
            language = current_language()
        else:
            stored = await self._stored(context) if self._stored is not None else None
            language = stored or language_of(context.activity.locale)
        context.turn_state[_TURN_KEY] = language
        with use_language(language):
            return await logic()
