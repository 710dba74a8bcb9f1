"""`deliver <customer>` and `ensure <customer>`: delivery log, then the review that closes the
iteration with proof of execution and opens the next one.

Both are single form cards whose submit carries the customer, the iteration and a card id, so a
repeated or outdated submit is recognised and nothing is counted twice.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from functools import partial

from botbuilder.core import TurnContext

from cards.forms import Button, Choice, Field, FormView, form_card, refilled
from cards.summary import summary_card
from cards.text import code_span, escape_markdown
from dialogs.assess.quick_check import replace_or_send
from dialogs.commit.commitment_input import InputProblems, Problem, date_value, text_value
from dialogs.common.card_actions import EnsureAnywaySubmit, RecordDeliverySubmit, ReviewSubmit
from dialogs.common.lookup import customer_named
from dialogs.common.messages import explain
from dialogs.common.services import DialogServices
from dialogs.common.turn import card_message, tenant_of, user_of
from dialogs.deliver.proof import proof_view
from dialogs.deliver.review_form import ReviewForm, review_form_view, undelivered_view
from engagement.customers import change
from engagement.errors import DomainError
from engagement.lifecycle import close_iteration, record_delivery, start_ensure
from engagement.models import (
    Customer,
    Delivery,
    Phase,
    Review,
)

RECORD_DELIVERY_ACTION = "record_delivery"
ALREADY_RECORDED = "That delivery is already recorded."


class DeliveryAndReview:
    """The deliver and ensure phases."""

    def __init__(self, services: DialogServices) -> None:
        self._services = services

    # --- deliver ----------------------------------------------------------------------------

    async def deliver(self, context: TurnContext, argument: str) -> None:
        """Show the delivery form for the customer's committed workshops."""
        customer = await customer_named(
            context, self._services.customers, argument, "deliver <customer>"
        )
        if customer is None:
            return
        iteration = customer.current
        if iteration.phase is not Phase.DELIVER or iteration.commitment is None:
            await context.send_activity(_phase_hint(customer, "record a delivery", Phase.DELIVER))
            return
        await context.send_activity(card_message(form_card(self._delivery_form(customer))))

    async def record_delivery(self, context: TurnContext, value: RecordDeliverySubmit) -> None:
        """A submitted delivery form."""
        customer = await self._current(context, value.customer, value.iteration, Phase.DELIVER)
        if customer is None:
            return
        commitment = customer.current.commitment
        assert commitment is not None
        card_id = value.card
        if any(d.id == card_id for d in customer.current.deliveries):
            await context.send_activity(ALREADY_RECORDED)
            return
        names = self._workshop_names()
        try:
            delivery = self._delivery(value, card_id, commitment.workshops, context)
        except InputProblems as error:
            await context.send_activity(error.reply())
            return
        now = self._services.clock.now()
        try:
            saved = await self._save(context, customer, partial(_record_once, delivery, now))
        except _AlreadyRecorded:  # another turn recorded this card since the first look
            await context.send_activity(ALREADY_RECORDED)
            return
        if saved is None:
            return
        delivered = {d.workshop_id for d in saved.current.deliveries}
        missing = [w for w in commitment.workshops if w not in delivered]
        summary = (
            f"Recorded: {names.get(delivery.workshop_id, delivery.workshop_id)} on "
            f"{delivery.on:%d %b %Y}, {delivery.attendees} attendee(s). "
            f"{len(commitment.workshops) - len(missing)} of {len(commitment.workshops)} committed "
            "workshops delivered."
        )
        buttons = [
            Button("Record another delivery", _command("deliver", saved.name), validate=False)
        ]
        if not missing:
            summary += " Everything committed is delivered: time to check the goals."
        buttons.insert(
            0 if not missing else 1,
            Button(
                "Start ensure", _command("ensure", saved.name), validate=False, positive=not missing
            ),
        )
        card = form_card(
            FormView(
                title=f"Delivery recorded · {saved.name}",
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
            context, self._services.customers, argument, "ensure <customer>"
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
                    f"Nothing is delivered yet for {escape_markdown(customer.name)}. Record a "
                    f"delivery first: `deliver {code_span(customer.name)}`."
                )
                return
            now = self._services.clock.now()
            customer, _ = await change(
                self._services.customers,
                tenant_of(context),
                customer.id,
                lambda c: start_ensure(c, now),
            )
            await context.send_activity(
                f"{escape_markdown(customer.name)} moves to the ensure phase: check the goals "
                f"against what was "
                "delivered, and capture satisfaction and next steps."
            )
        elif iteration.phase is not Phase.ENSURE:
            await context.send_activity(_phase_hint(customer, "review the goals", Phase.ENSURE))
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
            f"Iteration {closed.number} of {escape_markdown(saved.name)} is closed. Iteration "
            f"{saved.current.number} starts at assess with {len(carried)} next step(s) carried "
            "over; "
            f"re-assess now with `assess {code_span(saved.name)}` or "
            f"`quick check {code_span(saved.name)}`."
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
            await context.send_activity("That card is out of date, so nothing was recorded.")
            return None
        iteration = customer.current
        if card_iteration != iteration.number or iteration.phase is not phase:
            await context.send_activity(
                f"That card is from an earlier stage of {escape_markdown(customer.name)} (now "
                f"iteration "
                f"{iteration.number}, {iteration.phase.value} phase), so nothing was recorded."
            )
            return None
        return customer

    async def _save(
        self, context: TurnContext, customer: Customer, mutate: Callable[[Customer], object]
    ) -> Customer | None:
        """Apply a lifecycle move and save; explain a domain error instead (None then)."""
        try:
            saved, _ = await change(
                self._services.customers, tenant_of(context), customer.id, mutate
            )
        except DomainError as error:
            await context.send_activity(explain(error))
            return None
        return saved

    def _workshop_names(self) -> dict[str, str]:
        return {w.id: w.name for w in self._services.catalog.workshops}

    def _delivery_form(self, customer: Customer) -> FormView:
        iteration = customer.current
        commitment = iteration.commitment
        assert commitment is not None
        names = self._workshop_names()
        delivered = {d.workshop_id for d in iteration.deliveries}
        pending = [w for w in commitment.workshops if w not in delivered] or list(
            commitment.workshops
        )
        today = self._services.clock.now().date()
        return FormView(
            title=f"Deliver · {customer.name}",
            intro=[
                f"Delivered so far: {len(delivered)} of {len(commitment.workshops)} committed "
                "workshops."
            ],
            fields=[
                Field(
                    "choice",
                    "workshop",
                    "Workshop or engagement",
                    pending[0],
                    choices=[Choice(w, names.get(w, w)) for w in commitment.workshops],
                ),
                Field("date", "on", "Delivered on", today.isoformat(), required=True),
                Field("text", "attendees", "Number of attendees", "", "e.g. 12", max_length=6),
                Field("multiline", "notes", "Notes (optional)", max_length=2000),
                Field(
                    "text",
                    "materials_url",
                    "Link to the materials (optional)",
                    "",
                    "https://…",
                    max_length=200,
                ),
            ],
            buttons=[
                Button(
                    "Record delivery",
                    {
                        "action": RECORD_DELIVERY_ACTION,
                        "customer": customer.id,
                        "iteration": iteration.number,
                        "card": uuid.uuid4().hex[:16],
                    },
                    positive=True,
                )
            ],
        )

    def _delivery(
        self,
        value: RecordDeliverySubmit,
        card_id: str,
        committed: list[str],
        context: TurnContext,
    ) -> Delivery:
        problems: list[Problem] = []
        workshop = str(value.workshop or "")
        if workshop not in committed:
            problems.append(Problem("workshop", "Pick one of the committed workshops."))
        today = self._services.clock.now().date()
        on = today
        try:
            on = date_value(value.on, "on", "The delivery date", today, not_before=None)
            if on > today:
                problems.append(
                    Problem("on", "The delivery date is in the future; record it once it happened.")
                )
        except InputProblems as error:
            problems += error.problems
        raw_attendees = str(value.attendees or "0").strip()
        attendees = (
            int(raw_attendees) if raw_attendees.isdigit() and len(raw_attendees) <= 6 else -1
        )
        if attendees < 0:
            problems.append(
                Problem("attendees", "The number of attendees must be a whole number (0 or more).")
            )
        notes = url = ""
        try:
            notes = text_value(value.notes, "notes", "The notes", 2000, required=False)
            url = text_value(value.materials_url, "materials_url", "The link", 200, required=False)
            if url and not url.startswith(("https://", "http://")):
                problems.append(
                    Problem("materials_url", "The link must start with https:// or http://.")
                )
        except InputProblems as error:
            problems += error.problems
        if problems:
            raise InputProblems(problems)
        return Delivery(
            id=card_id or uuid.uuid4().hex[:16],
            workshop_id=workshop,
            on=on,
            attendees=attendees,
            notes=notes,
            materials_url=url,
            by=user_of(context),
            at=self._services.clock.now(),
        )


def _command(command: str, argument: str) -> dict[str, object]:
    return {"action": "run_command", "command": command, "argument": argument}


def _phase_hint(customer: Customer, doing: str, phase: Phase) -> str:
    iteration = customer.current
    name = code_span(customer.name)
    next_command = {
        Phase.ASSESS: f"assess {name}",
        Phase.COMMIT: f"commit {name}",
        Phase.DELIVER: f"deliver {name}",
        Phase.ENSURE: f"ensure {name}",
    }[iteration.phase]
    return (
        f"{escape_markdown(customer.name)} is in the {iteration.phase.value} phase of iteration "
        f"{iteration.number}, "
        f"so I can't {doing} yet (that needs the {phase.value} phase). Next: `{next_command}`."
    )


class _AlreadyRecorded(Exception):
    """This delivery card was recorded already."""


def _record_once(delivery: Delivery, now: datetime, customer: Customer) -> None:
    """Checked on the copy being saved, so two submits of one card never record it twice."""
    if any(d.id == delivery.id for d in customer.current.deliveries):
        raise _AlreadyRecorded
    record_delivery(customer, delivery, now)
