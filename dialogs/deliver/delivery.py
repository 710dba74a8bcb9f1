"""`deliver <customer>` and `ensure <customer>`: delivery log, then the review that closes the
iteration with proof of execution and opens the next one.

Both are single form cards whose submit carries the customer, the iteration and a card id, so a
repeated or outdated submit is recognised and nothing is counted twice.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import partial

from botbuilder.core import TurnContext

from cards.forms import Button, FormView, form_card, refilled
from cards.summary import summary_card
from cards.text import code_span, escape_markdown
from dialogs.assess.quick_check import replace_or_send
from dialogs.commit.commitment_input import InputProblems
from dialogs.common.card_actions import EnsureAnywaySubmit, RecordDeliverySubmit, ReviewSubmit
from dialogs.common.lookup import customer_named
from dialogs.common.messages import day_text, explain, phase_name
from dialogs.common.services import DialogServices
from dialogs.common.turn import card_message, tenant_of, user_of
from dialogs.deliver.delivery_form import delivery_form_view, read_delivery
from dialogs.deliver.proof import proof_view
from dialogs.deliver.review_form import ReviewForm, review_form_view, undelivered_view
from engagement.customers import change
from engagement.errors import DomainError
from engagement.lifecycle import close_iteration, record_delivery, start_ensure
from engagement.models import Customer, Delivery, Phase, Review
from i18n import N_, _, ngettext

ALREADY_RECORDED = N_("That delivery is already recorded.")
# What the user asked for while the customer is in another phase (`_phase_hint`).
RECORD_A_DELIVERY = N_("record a delivery")
REVIEW_THE_GOALS = N_("review the goals")
_NEXT_COMMANDS = {
    Phase.ASSESS: N_("assess {name}"),
    Phase.COMMIT: N_("commit {name}"),
    Phase.DELIVER: N_("deliver {name}"),
    Phase.ENSURE: N_("ensure {name}"),
}


class DeliveryAndReview:
    """The deliver and ensure phases."""

    def __init__(self, services: DialogServices) -> None:
        self._services = services

    # --- deliver ----------------------------------------------------------------------------

    async def deliver(self, context: TurnContext, argument: str) -> None:
        """Show the delivery form for the customer's committed workshops."""
        customer = await customer_named(
            context, self._services.customers, argument, _("deliver <customer>")
        )
        if customer is None:
            return
        iteration = customer.current
        if iteration.phase is not Phase.DELIVER or iteration.commitment is None:
            await context.send_activity(_phase_hint(customer, RECORD_A_DELIVERY, Phase.DELIVER))
            return
        today = self._services.clock.now().date()
        view = delivery_form_view(customer, self._workshop_names(), today)
        await context.send_activity(card_message(form_card(view)))

    async def record_delivery(self, context: TurnContext, value: RecordDeliverySubmit) -> None:
        """A submitted delivery form."""
        customer = await self._current(context, value.customer, value.iteration, Phase.DELIVER)
        if customer is None:
            return
        commitment = customer.current.commitment
        assert commitment is not None
        card_id = value.card
        if any(d.id == card_id for d in customer.current.deliveries):
            await context.send_activity(_(ALREADY_RECORDED))
            return
        names = self._workshop_names()
        now = self._services.clock.now()
        try:
            delivery = read_delivery(
                value, card_id, commitment.workshops, now.date(), user_of(context), now
            )
        except InputProblems as error:
            await context.send_activity(error.reply())
            return
        try:
            saved = await self._save(context, customer, partial(_record_once, delivery, now))
        except _AlreadyRecorded:  # another turn recorded this card since the first look
            await context.send_activity(_(ALREADY_RECORDED))
            return
        if saved is None:
            return
        delivered = {d.workshop_id for d in saved.current.deliveries}
        missing = [w for w in commitment.workshops if w not in delivered]
        summary = (
            ngettext(
                "Recorded: {workshop} on {day}, {n} attendee.",
                "Recorded: {workshop} on {day}, {n} attendees.",
                delivery.attendees,
            ).format(
                workshop=names.get(delivery.workshop_id, delivery.workshop_id),
                day=day_text(delivery.on),
                n=delivery.attendees,
            )
            + " "
            + _("{delivered} of {committed} committed workshops delivered.").format(
                delivered=len(commitment.workshops) - len(missing),
                committed=len(commitment.workshops),
            )
        )
        buttons = [
            Button(_("Record another delivery"), _command("deliver", saved.name), validate=False)
        ]
        if not missing:
            summary += " " + _("Everything committed is delivered: time to check the goals.")
        buttons.insert(
            0 if not missing else 1,
            Button(
                _("Start ensure"),
                _command("ensure", saved.name),
                validate=False,
                positive=not missing,
            ),
        )
        card = form_card(
            FormView(
                title=_("Delivery recorded · {customer}").format(customer=saved.name),
                intro=[summary],
                fields=[],
                buttons=buttons,
            )
        )
        await replace_or_send(context, card_message(card))

    # --- ensure -----------------------------------------------------------------------------

    async def ensure(self, context: TurnContext, argument: str) -> None:
        """Move to ensure (once something was delivered) and show the review form."""
        customer = await customer_named(
            context, self._services.customers, argument, _("ensure <customer>")
        )
        if customer is None:
            return
        await self._ensure(context, customer, confirmed=False)

    async def ensure_anyway(self, context: TurnContext, value: EnsureAnywaySubmit) -> None:
        """ "Move to ensure anyway" pressed: some committed workshops stay undelivered."""
        customer = await self._current(context, value.customer, value.iteration, Phase.DELIVER)
        if customer is not None:
            await self._ensure(context, customer, confirmed=True)

    async def _ensure(self, context: TurnContext, customer: Customer, *, confirmed: bool) -> None:
        iteration = customer.current
        if iteration.phase is Phase.DELIVER:
            if iteration.deliveries and iteration.undelivered and not confirmed:
                view = undelivered_view(customer, self._workshop_names())
                await context.send_activity(card_message(form_card(view)))
                return
            if not iteration.deliveries:
                await context.send_activity(
                    _(
                        "Nothing is delivered yet for {customer}. Record a delivery first: "
                        "`deliver {name}`."
                    ).format(customer=escape_markdown(customer.name), name=code_span(customer.name))
                )
                return
            now = self._services.clock.now()
            customer, _result = await change(
                self._services.customers,
                tenant_of(context),
                customer.id,
                lambda c: start_ensure(c, now),
            )
            await context.send_activity(
                _(
                    "{customer} moves to the {phase} phase: check the goals against what was "
                    "delivered, and capture satisfaction and next steps."
                ).format(customer=escape_markdown(customer.name), phase=phase_name(Phase.ENSURE))
            )
        elif iteration.phase is not Phase.ENSURE:
            await context.send_activity(_phase_hint(customer, REVIEW_THE_GOALS, Phase.ENSURE))
            return
        await context.send_activity(card_message(form_card(review_form_view(customer))))

    async def review(self, context: TurnContext, value: ReviewSubmit) -> None:
        """A submitted review: close the iteration, show the proof of execution, open the next."""
        customer = await self._current(context, value.customer, value.iteration, Phase.ENSURE)
        if customer is None:
            return
        commitment = customer.current.commitment
        assert commitment is not None
        try:
            answers = ReviewForm.read(value.model_dump(), commitment)
        except InputProblems as error:  # the card again, as filled in, each problem at its place
            problems = {p.field: p.message for p in error.problems}
            form = refilled(
                review_form_view(customer), value.model_dump(exclude_unset=True), problems
            )
            await replace_or_send(context, card_message(form_card(form)))
            await context.send_activity(error.reply())
            return
        now = self._services.clock.now()
        review = Review(
            outcomes=answers.outcomes(),
            satisfaction=answers.satisfaction.value(),
            next_steps=answers.next_steps,
            success_factors=answers.plan(commitment.success_factors),
            by=user_of(context),
            at=now,
        )
        saved = await self._save(context, customer, lambda c: close_iteration(c, review, now))
        if saved is None:
            return
        closed = saved.iterations[-2]
        view = proof_view(self._services.catalog, saved, closed)
        await replace_or_send(context, card_message(summary_card(view)))
        carried = saved.current.carried_over
        await context.send_activity(
            ngettext(
                "Iteration {closed} of {customer} is closed. Iteration {number} starts at {phase} "
                "with {n} next step carried over; re-assess now with `assess {name}` or "
                "`quick check {name}`.",
                "Iteration {closed} of {customer} is closed. Iteration {number} starts at {phase} "
                "with {n} next steps carried over; re-assess now with `assess {name}` or "
                "`quick check {name}`.",
                len(carried),
            ).format(
                closed=closed.number,
                customer=escape_markdown(saved.name),
                number=saved.current.number,
                phase=phase_name(Phase.ASSESS),
                n=len(carried),
                name=code_span(saved.name),
            )
        )

    # --- shared -----------------------------------------------------------------------------

    async def _current(
        self, context: TurnContext, customer_id: object, card_iteration: object, phase: Phase
    ) -> Customer | None:
        customer = (
            await self._services.customers.get(tenant_of(context), customer_id)
            if isinstance(customer_id, str)
            else None
        )
        if customer is None:
            await context.send_activity(_("That card is out of date, so nothing was recorded."))
            return None
        iteration = customer.current
        if card_iteration != iteration.number or iteration.phase is not phase:
            await context.send_activity(
                _(
                    "That card is from an earlier stage of {customer} (now iteration {number}, "
                    "{phase} phase), so nothing was recorded."
                ).format(
                    customer=escape_markdown(customer.name),
                    number=iteration.number,
                    phase=phase_name(iteration.phase),
                )
            )
            return None
        return customer

    async def _save(
        self, context: TurnContext, customer: Customer, mutate: Callable[[Customer], object]
    ) -> Customer | None:
        """Apply a lifecycle move and save; explain a domain error instead (None then)."""
        try:
            saved, _result = await change(
                self._services.customers, tenant_of(context), customer.id, mutate
            )
        except DomainError as error:
            await context.send_activity(explain(error))
            return None
        return saved

    def _workshop_names(self) -> dict[str, str]:
        return {w.id: w.name for w in self._services.catalog.workshops}


def _command(command: str, argument: str) -> dict[str, object]:
    return {"action": "run_command", "command": command, "argument": argument}


def _phase_hint(customer: Customer, doing: str, phase: Phase) -> str:
    """Why `doing` must wait for `phase`, and the command for the phase the customer is in."""
    iteration = customer.current
    next_command = _(_NEXT_COMMANDS[iteration.phase]).format(name=code_span(customer.name))
    return _(
        "{customer} is in the {phase} phase of iteration {number}, so I can't {doing} yet (that "
        "needs the {needed} phase). Next: `{command}`."
    ).format(
        customer=escape_markdown(customer.name),
        phase=phase_name(iteration.phase),
        number=iteration.number,
        doing=_(doing),
        needed=phase_name(phase),
        command=next_command,
    )


class _AlreadyRecorded(Exception):
    """This delivery card was recorded already."""


def _record_once(delivery: Delivery, now: datetime, customer: Customer) -> None:
    """Checked on the copy being saved, so two submits of one card never record it twice."""
    if any(d.id == delivery.id for d in customer.current.deliveries):
        raise _AlreadyRecorded
    record_delivery(customer, delivery, now)
