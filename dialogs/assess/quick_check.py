"""`quick check [customer]`: one card with the quick questions, scored at once on submit.

Not a waterfall: the card carries everything its submit needs (card id, customer, iteration), so
it works across restarts and in any order. Each card is scored once; a repeated or stale submit is
answered politely. In shared chats the card goes to the asker privately (the customer may be in
the meeting), and the shared chat only sees a neutral acknowledgement.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from botbuilder.core import StatePropertyAccessor, TurnContext
from botbuilder.schema import Activity, ActivityTypes

from cards import library
from cards.forms import Button, FormView, form_card
from cards.text import code_span, escape_markdown
from cards.views import ChoiceQuestionView, OptionView, QuickCheckView
from dialogs.assess.views import result_view, saved_result_view
from dialogs.common.card_actions import (
    NewQuickCheckSubmit,
    QuickCheckSubmit,
    SaveQuickCheckSubmit,
    UseAssessmentSubmit,
)
from dialogs.common.customer_names import did_you_mean, suggestions
from dialogs.common.messages import explain, phase_name
from dialogs.common.services import DialogServices
from dialogs.common.turn import card_message, is_shared_conversation, tenant_of, user_of
from engagement.assessing import evaluate, save_assessment, use_set_aside
from engagement.errors import DomainError, InvalidCustomerName
from engagement.models import AssessmentKind, Phase
from engagement.naming import clean_customer_name, customer_id_for
from i18n import _

QUICK_CHECK_ACTION = "quick_check"
SAVE_QUICK_CHECK_ACTION = "save_quick_check"
NEW_QUICK_CHECK_ACTION = "quick_check_new"
_INPUT_PREFIX = "q_"
_HANDLED_LIMIT = 200

PrivateSender = Callable[[TurnContext, Activity | list[Activity]], Awaitable[bool]]


class QuickCheck:
    """Starts quick checks and scores their submits exactly once."""

    def __init__(
        self,
        services: DialogServices,
        handled_cards: StatePropertyAccessor,
        send_private: PrivateSender,
    ) -> None:
        self._services = services
        self._handled = handled_cards
        self._send_private = send_private

    async def start(self, context: TurnContext, customer_text: str) -> None:
        """Send the quick-check card, privately when the conversation is shared. A customer
        that does not exist yet is not created silently: the user is asked first, with the
        closest existing names offered instead."""
        customer_name, iteration = "", 0
        if customer_text:
            try:
                customer_name = clean_customer_name(customer_text)
            except InvalidCustomerName as error:
                await context.send_activity(explain(error))
                return
            customer = await self._services.customers.get(
                tenant_of(context), customer_id_for(customer_name)
            )
            if customer is None:
                await self._send(context, await self._ask_new(context, customer_name))
                return
            customer_name, iteration = customer.name, customer.current.number
        await self._send(
            context, card_message(library.quick_check_card(self._view(customer_name, iteration)))
        )

    async def start_new(self, context: TurnContext, value: NewQuickCheckSubmit) -> None:
        """The user confirmed a new customer: the quick-check card that creates it on submit."""
        try:
            name = clean_customer_name(value.customer)
        except InvalidCustomerName as error:
            await context.send_activity(explain(error))
            return
        existing = await self._services.customers.get(tenant_of(context), customer_id_for(name))
        if existing is not None:  # created meanwhile (by another card or a colleague)
            await self.start(context, existing.name)
            return
        view = self._view(name, 0, create=True)
        await replace_or_send(context, card_message(library.quick_check_card(view)))

    async def _ask_new(
        self, context: TurnContext, name: str, save: dict[str, Any] | None = None
    ) -> Activity:
        """Ask before creating `name`, offering the closest existing customers instead.

        `save` is the save button's data of an unnamed quick check (its answers), whose
        buttons then save to the chosen customer instead of starting a quick check."""
        close = await suggestions(self._services.customers, tenant_of(context), name)
        buttons = []
        for other in close:
            data: dict[str, object] = (
                {**save, "customer_name": other}
                if save is not None
                else {"action": "run_command", "command": "quick check", "argument": other}
            )
            label = _("Save to {name}") if save else _("Quick check {name}")
            buttons.append(Button(label.format(name=other), data))
        create: dict[str, object] = (
            {**save, "customer_name": name, "create": True}
            if save is not None
            else {"action": NEW_QUICK_CHECK_ACTION, "customer": name}
        )
        buttons.append(Button(_("Create {name}").format(name=name), create, positive=not close))
        view = FormView(
            title=_("New customer: {name}?").format(name=name),
            intro=[
                _("{name} is not in your customer list yet.").format(name=name)
                + did_you_mean(close, markdown=False)
                + " "
                + (
                    _("Pick the customer, or create {name} as a new one.")
                    if close  # with no close name, there is no customer to pick
                    else _("Create {name} as a new customer?")
                ).format(name=name)
            ],
            fields=[],
            buttons=buttons,
        )
        return card_message(form_card(view))

    async def _send(self, context: TurnContext, card: Activity) -> None:
        if not is_shared_conversation(context):
            await context.send_activity(card)
        elif await self._send_private(context, card):
            await context.send_activity(
                _("I've sent you the quick check in our private chat, so only you see it.")
            )
        else:
            await context.send_activity(
                _(
                    "I couldn't message you privately. Open a personal chat with me and type "
                    "`quick check` there; I keep quick checks out of shared chats."
                )
            )

    async def submit(self, context: TurnContext, value: QuickCheckSubmit) -> None:
        """Score a submitted quick-check card (once) and answer with the result card."""
        card_id = value.card
        handled: dict[str, str] = await self._handled.get(context, dict)
        if card_id in handled:
            await context.send_activity(
                _(
                    "This quick check was already scored: {result}. Type `quick check` to start "
                    "a new one."
                ).format(result=handled[card_id])
            )
            return
        questions = self._services.catalog.questionnaire.quick_questions
        answers = {q.id: value.input(_INPUT_PREFIX + q.id) for q in questions}
        missing = [
            q.text for q in questions if not isinstance(answers[q.id], str) or not answers[q.id]
        ]
        if missing:
            await context.send_activity(
                _(
                    "Please answer every question before you press **Show level**; still open: "
                    "{questions}. Your other answers are still on the card."
                ).format(questions="; ".join(missing))
            )
            return
        chosen = {qid: str(option) for qid, option in answers.items()}
        customer_name = value.customer
        try:
            if customer_name:
                card = await self._score_for_customer(
                    context, value, customer_name, chosen, card_id
                )
            else:
                card = self._score_unsaved(context, chosen, card_id)
        except DomainError as error:
            await context.send_activity(explain(error))
            return
        if card is None:
            return
        handled[card_id] = card[1]
        _trim(handled)
        await self._handled.set(context, handled)
        await replace_or_send(context, card[0])

    async def save(self, context: TurnContext, value: SaveQuickCheckSubmit) -> None:
        """Save an unnamed quick check's answers to the customer typed on its result card."""
        card_id, answers = value.card, value.answers
        handled: dict[str, str] = await self._handled.get(context, dict)
        if "save:" + card_id in handled:
            await context.send_activity(
                _("This quick check was already saved to {customer}.").format(
                    customer=handled["save:" + card_id]
                )
            )
            return
        raw_name = value.customer_name
        if not isinstance(raw_name, str) or not raw_name.strip():
            await context.send_activity(_("Please type the customer's name next to **Save**."))
            return
        try:
            name = clean_customer_name(raw_name)
        except InvalidCustomerName as error:
            await context.send_activity(explain(error))
            return
        known = await self._services.customers.get(tenant_of(context), customer_id_for(name))
        if known is None and not value.create:
            save = {"action": SAVE_QUICK_CHECK_ACTION, "card": card_id, "answers": answers}
            await context.send_activity(await self._ask_new(context, name, save))
            return
        try:
            saved = await save_assessment(
                self._services.customers,
                self._services.catalog,
                tenant_id=tenant_of(context),
                customer_name=raw_name,
                answers=dict(answers),
                kind=AssessmentKind.QUICK,
                by=user_of(context),
                now=self._services.clock.now(),
                create_if_missing=True,
                card=card_id,
            )
        except DomainError as error:
            await context.send_activity(explain(error))
            return
        handled["save:" + card_id] = saved.customer.name
        _trim(handled)
        await self._handled.set(context, handled)
        view = saved_result_view(self._services.catalog, saved)
        await replace_or_send(context, card_message(library.result_card(view)))
        saved_to = (
            _("Saved to {customer}. Added it as a new customer.")
            if saved.created
            else _("Saved to {customer}.")
        )
        await context.send_activity(saved_to.format(customer=escape_markdown(saved.customer.name)))

    async def _score_for_customer(
        self,
        context: TurnContext,
        value: QuickCheckSubmit,
        customer_name: str,
        answers: dict[str, str],
        card_id: str,
    ) -> tuple[Activity, str] | None:
        tenant = tenant_of(context)
        existing = await self._services.customers.get(tenant, customer_id_for(customer_name))
        create = value.create
        if existing is None and not create:  # a card from before creating needed a yes
            await context.send_activity(await self._ask_new(context, customer_name))
            return None
        if existing is not None and (
            value.iteration != existing.current.number
            or existing.current.phase not in (Phase.ASSESS, Phase.COMMIT)
        ):
            await context.send_activity(
                _(
                    "This quick check card is from an earlier stage of {customer} (now iteration "
                    "{number}, {phase} phase), so I did not count it. Type `quick check {name}` "
                    "for a fresh one."
                ).format(
                    customer=escape_markdown(existing.name),
                    number=existing.current.number,
                    phase=phase_name(existing.current.phase),
                    name=code_span(existing.name),
                )
            )
            return None
        saved = await save_assessment(
            self._services.customers,
            self._services.catalog,
            tenant_id=tenant,
            customer_name=customer_name,
            answers=answers,
            kind=AssessmentKind.QUICK,
            by=user_of(context),
            now=self._services.clock.now(),
            create_if_missing=create,
            card=card_id,
        )
        view = saved_result_view(self._services.catalog, saved)
        label = _("{level} for {customer}").format(
            level=saved.assessment.level.label, customer=saved.customer.name
        )
        return card_message(library.result_card(view)), label

    async def use(self, context: TurnContext, value: UseAssessmentSubmit) -> None:
        """ "Use this quick check's level": the user confirms that a quick check replaces the
        full assessment as the basis of the level (the full one is kept beside it)."""
        try:
            saved = await use_set_aside(
                self._services.customers,
                self._services.catalog,
                tenant_id=tenant_of(context),
                customer_id=value.customer,
                iteration=value.iteration,
                assessed_at=value.assessed_at,
                now=self._services.clock.now(),
            )
        except DomainError as error:
            await context.send_activity(explain(error))
            return
        if saved is None:
            await context.send_activity(
                _(
                    "That quick check is already in use, or the iteration has moved on; nothing "
                    "was changed."
                )
            )
            return
        view = saved_result_view(self._services.catalog, saved)
        await replace_or_send(context, card_message(library.result_card(view)))
        await context.send_activity(
            _(
                "{customer}'s level is now {level}, from this quick check; the full assessment "
                "is kept beside it."
            ).format(
                customer=escape_markdown(saved.customer.name), level=saved.assessment.level.label
            )
        )

    def _score_unsaved(
        self, context: TurnContext, answers: dict[str, str], card_id: str
    ) -> tuple[Activity, str]:
        evaluation = evaluate(self._services.catalog, answers)
        view = result_view(
            self._services.catalog,
            "",
            AssessmentKind.QUICK,
            evaluation,
            user_of(context).name,
            self._services.clock.now(),
            save_data={"action": SAVE_QUICK_CHECK_ACTION, "card": card_id, "answers": answers},
        )
        return card_message(library.result_card(view)), evaluation.result.level.label

    def _view(self, customer_name: str, iteration: int, *, create: bool = False) -> QuickCheckView:
        questions = self._services.catalog.questionnaire.quick_questions
        return QuickCheckView(
            customer_name=customer_name,
            questions=[
                ChoiceQuestionView(
                    input_id=_INPUT_PREFIX + q.id,
                    text=q.text,
                    options=[OptionView(value=o.id, label=o.label) for o in q.options],
                )
                for q in questions
            ],
            submit_data={
                "action": QUICK_CHECK_ACTION,
                "card": uuid.uuid4().hex,
                "customer": customer_name,
                "iteration": iteration,
                **({"create": True} if create else {}),
            },
        )


def _trim(handled: dict[str, str]) -> None:
    while len(handled) > _HANDLED_LIMIT:
        handled.pop(next(iter(handled)))


async def replace_or_send(context: TurnContext, message: Activity) -> None:
    """Replace the card that was submitted (where the client supports it), else send anew.

    In a shared chat the submitted card stays as it is: the answer is sent (and goes to the
    presser's personal chat, see bot/private.py), never written over a card everyone sees.
    """
    card_activity_id = context.activity.reply_to_id
    if card_activity_id and not is_shared_conversation(context):
        message.id = card_activity_id
        message.type = ActivityTypes.message
        try:
            await context.update_activity(message)
            return
        except Exception:  # the channel may not support updates (Emulator); send it instead
            message.id = None
    await context.send_activity(message)
