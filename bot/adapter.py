"""The CloudAdapter, its credentials, and what happens when a turn fails."""

from __future__ import annotations

import logging
from types import SimpleNamespace

import aiohttp
from botbuilder.core import ConversationState, InvokeResponse, TurnContext
from botbuilder.integration.aiohttp import ConfigurationBotFrameworkAuthentication
from botbuilder.schema import (
    Activity,
    ActivityTypes,
    AdaptiveCardInvokeResponse,
    ErrorResponseException,
)
from botframework.connector import Channels

from bot.language import StoredLanguage, TurnLanguage, turn_language
from bot.settings import Settings
from bot.signing_keys import use_async_signing_keys
from bot.transport import ConnectorError, ReusingCloudAdapter
from bot.typing_indicator import TypingIndicator
from i18n import N_, _, use_language

logger = logging.getLogger(__name__)

DIALOG_STATE = "DialogState"
APOLOGY = N_("Sorry, something went wrong on my side. I have started over: please try that again.")
TYPING_DELAY_SECONDS = 0.75
# The connector refused or could not be reached: the turn's reply is what failed.
UNREACHABLE = (ConnectorError, ErrorResponseException, aiohttp.ClientError, TimeoutError)


def build_authentication(settings: Settings) -> ConfigurationBotFrameworkAuthentication:
    """Bot Framework authentication from our settings (the SDK wants upper-case attributes);
    its signing keys are fetched asynchronously with a timeout (bot/signing_keys.py)."""
    use_async_signing_keys()
    configuration = SimpleNamespace(
        APP_ID=settings.app_id,
        APP_PASSWORD=settings.app_password,
        APP_TYPE=settings.app_type.value,
        APP_TENANTID=settings.app_tenant_id,
    )
    return ConfigurationBotFrameworkAuthentication(configuration)


def build_adapter(
    settings: Settings,
    conversation_state: ConversationState,
    stored_language: StoredLanguage | None = None,
) -> ReusingCloudAdapter:
    """A CloudAdapter speaking each turn's language, with typing indicators on slow turns and a
    turn-error handler."""
    adapter = ReusingCloudAdapter(build_authentication(settings))
    dialog_state = conversation_state.create_property(DIALOG_STATE)
    adapter.use(TurnLanguage(stored_language))
    adapter.use(TypingIndicator(delay=TYPING_DELAY_SECONDS, period=2.0))

    async def on_turn_error(context: TurnContext, error: Exception) -> None:
        activity = context.activity
        where = activity.conversation.id if activity.conversation else "?"
        if isinstance(error, UNREACHABLE):  # blocked, removed, Teams down: nothing to fix here
            logger.warning("Could not answer in conversation %s: %s", where, error)
        else:
            logger.error(
                "Turn failed in conversation %s (activity %s, type %s)",
                where,
                activity.id,
                activity.type,
                exc_info=error,
            )
        try:
            with use_language(turn_language(context)):
                if activity.type == ActivityTypes.invoke:  # answered in the HTTP response
                    await context.send_activity(failed_invoke_response(activity))
                elif activity.type == ActivityTypes.message and not isinstance(error, UNREACHABLE):
                    await context.send_activity(_(APOLOGY))
            if activity.channel_id == Channels.emulator:
                await context.send_trace_activity(
                    "OnTurnError Trace", f"{error}", "https://www.botframework.com/schemas/error"
                )
        except Exception as failure:  # the connector itself may be what failed; never raise
            logger.warning("Could not tell the user about the failed turn: %s", failure)
        # A broken dialog must not trap the user: the next message starts fresh. Only the dialog
        # stack is cleared; the rest of the conversation's state (e.g. which cards were already
        # counted) stays. If even that cannot be loaded, the whole state goes.
        try:
            await conversation_state.load(context)
            if DIALOG_STATE in conversation_state.get_cached_state(context).state:
                await dialog_state.delete(context)
            await conversation_state.save_changes(context, force=True)
        except Exception:
            logger.exception("Could not clear the dialog stack; clearing the conversation state")
            try:
                await conversation_state.delete(context)
            except Exception:  # e.g. the activity lacks what the state key needs
                logger.exception("Could not clear the conversation state after a failed turn")

    adapter.on_turn_error = on_turn_error
    return adapter


def failed_invoke_response(activity: Activity) -> Activity:
    """What an invoke whose turn failed answers instead of the SDK's 501: for a card action
    Teams' error response (the card stays, the user sees the message), else 400 like any invoke
    this app does not offer."""
    if activity.name == "adaptiveCard/action":
        response = InvokeResponse(
            status=200,
            body=AdaptiveCardInvokeResponse(
                status_code=500,
                type="application/vnd.microsoft.error",
                value={"code": "TurnFailed", "message": _(APOLOGY)},
            ),
        )
    else:
        response = InvokeResponse(status=400)
    return Activity(type=ActivityTypes.invoke_response, value=response)
