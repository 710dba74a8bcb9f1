"""The language of each turn: the user's stored choice, else the activity's `locale`; and the
`language de|en` command (`sprache de|en`) that stores the choice with the user's preferences.

A middleware, so the whole turn (and the turn-error apology, which reads `turn_language`) speaks
it. A continuation (a proactive send: a reminder, an answer sent privately) keeps the language
its sender set: the asker's for a private answer, the recipient's for a reminder.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from botbuilder.core import Middleware, TurnContext
from botbuilder.schema import ActivityEventNames, ActivityTypes

from dialogs.common.turn import tenant_of, user_of
from engagement.ports import ReminderStore
from i18n import (
    ENGLISH,
    GERMAN,
    _,
    current_language,
    language_of,
    switch_language,
    use_language,
)

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


# What people type after `language` / `sprache` (None: follow the Teams client again)
_CHOICES: dict[str, str | None] = {
    "de": GERMAN,
    "deutsch": GERMAN,
    "german": GERMAN,
    "en": ENGLISH,
    "englisch": ENGLISH,
    "english": ENGLISH,
    "auto": None,
}


class Languages:
    """The user's chosen language, kept with their preferences in the reminder store (where
    the reminder sweep reads it too)."""

    def __init__(self, store: ReminderStore) -> None:
        self._store = store

    async def stored(self, context: TurnContext) -> str | None:
        """The language the sender chose, if any (read once per turn by `TurnLanguage`)."""
        if context.activity.from_property is None:
            return None
        preferences = await self._store.preferences(tenant_of(context), user_of(context).id)
        return preferences.language

    async def command(self, context: TurnContext, argument: str) -> None:
        """`language de|en|auto`: store the choice and confirm it in the chosen language."""
        typed = argument.strip().casefold()
        if typed not in _CHOICES:
            await context.send_activity(
                _(
                    "I speak English and German: type `language en` or `language de`, or "
                    "`language auto` to follow your Teams language."
                )
            )
            return
        choice = _CHOICES[typed]
        preferences = await self._store.preferences(tenant_of(context), user_of(context).id)
        preferences.language = choice
        await self._store.put_preferences(preferences)
        language = choice or language_of(context.activity.locale)
        context.turn_state[_TURN_KEY] = language
        switch_language(language)  # the rest of the turn too (a waiting flow's prompt)
        if choice is None:
            await context.send_activity(_("From now on I follow your Teams language."))
        else:
            await context.send_activity(
                # TRANSLATORS: "English" is the language of this catalog (German in de).
                _(
                    "From now on I answer you in English. Type `language de` for German, "
                    "or `language auto` to follow your Teams language."
                )
            )
