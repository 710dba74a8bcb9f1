"""`status`, `history`, `report` and `touch`: reading and keeping a customer's record."""

from __future__ import annotations

from botbuilder.core import MessageFactory, TurnContext

from cards.summary import summary_card
from cards.text import render_text
from dialogs.account_views import history_view, status_view
from dialogs.customer_names import did_you_mean
from dialogs.lookup import customer_and_rest, customer_named, names_near_start
from dialogs.services import DialogServices
from dialogs.turn import card_message, tenant_of, user_of
from engagement.customers import change
from engagement.models import Customer, GoalStatus, Touch, TouchKind
from engagement.outcomes import proof_of_execution

MAX_TOUCHES = 500  # oldest touches beyond this are dropped; reminders need only the latest
_KIND_WORDS = {kind.value: kind for kind in TouchKind} | {
    "email": TouchKind.MAIL,
    "call:": TouchKind.CALL,
}


class Account:
    """Commands about one customer's record."""

    def __init__(self, services: DialogServices) -> None:
        self._services = services

    async def status(self, context: TurnContext, argument: str) -> None:
        """The account 360 card."""
        customer = await customer_named(
            context, self._services.customers, argument, "status <customer>"
        )
        if customer:
            view = status_view(customer, self._services.clock.now())
            await context.send_activity(card_message(summary_card(view)))

    async def history(self, context: TurnContext, argument: str) -> None:
        """Every iteration as a timeline with the level chart."""
        customer = await customer_named(
            context, self._services.customers, argument, "history <customer>"
        )
        if customer:
            await context.send_activity(card_message(summary_card(history_view(customer))))

    async def report(self, context: TurnContext, argument: str) -> None:
        """The proof of execution of the last closed iteration, as Markdown."""
        customer = await customer_named(
            context, self._services.customers, argument, "report <customer>"
        )
        if customer is None:
            return
        markdown = self.report_markdown(customer)
        if markdown is None:
            await context.send_activity(
                f"{customer.name} has no closed iteration yet; the report comes with `ensure "
                f"{customer.name}`."
            )
            return
        await context.send_activity(
            MessageFactory.text("```\n" + markdown.replace("```", "'''") + "```")
        )

    def report_markdown(self, customer: Customer) -> str | None:
        """Markdown for the last closed iteration, or None when there is none."""
        closed = [i for i in customer.iterations if i.review and i.commitment]
        if not closed:
            return None
        iteration = closed[-1]
        commitment, review = iteration.commitment, iteration.review
        assert commitment is not None
        assert review is not None
        proof = proof_of_execution(commitment, review)
        outcomes = {o.goal_id: o for o in review.outcomes}
        names = {w.id: w.name for w in self._services.catalog.workshops}
        return render_text(
            "report",
            customer=customer.name,
            iteration=iteration.number,
            level=iteration.assessment.level.label if iteration.assessment else "not assessed",
            start=commitment.start.isoformat(),
            end=commitment.end.isoformat(),
            closed=iteration.closed_at.date().isoformat() if iteration.closed_at else "-",
            achievement=f"{proof.achievement_rate:.0%}",
            csat=f"{proof.csat:.1f}" if proof.csat is not None else "not captured",
            nps=f"{proof.nps} ({proof.nps_category.value})"
            if proof.nps_category
            else "not captured",
            goals=[
                {
                    "title": goal.title,
                    "kpi": goal.kpi,
                    "outcome": (
                        outcomes[goal.id].status.value.replace("_", " ")
                        if goal.id in outcomes
                        else GoalStatus.NOT_ACHIEVED.value.replace("_", " ")
                    ),
                    "evidence": outcomes[goal.id].evidence if goal.id in outcomes else "",
                }
                for goal in commitment.goals
            ],
            deliveries=[
                f"{names.get(d.workshop_id, d.workshop_id)} on {d.on.isoformat()}, "
                f"{d.attendees} attendees"
                for d in iteration.deliveries
            ],
            next_steps=list(review.next_steps),
            follow_up="; ".join(proof.reasons),
        )

    async def touch(self, context: TurnContext, argument: str) -> None:
        """`touch <customer> [call|meeting|mail|chat] <note>`: log a customer touch."""
        found = (
            await customer_and_rest(context, self._services.customers, argument)
            if argument
            else None
        )
        if found is None:
            close = await names_near_start(context, self._services.customers, argument)
            await context.send_activity(
                "Type `touch <customer> <note>`, e.g. `touch Contoso call: renewal is on track`, "
                f"for a customer you already have (see `customers`).{did_you_mean(close)}"
            )
            return
        customer, rest = found
        first, _, remainder = rest.partition(" ")
        kind = _KIND_WORDS.get(first.casefold().rstrip(":"))
        note = (remainder if kind else rest).strip()
        if len(note) > 2000:
            await context.send_activity(
                f"That note is too long ({len(note)} characters; at most 2000)."
            )
            return
        touch = Touch(
            at=self._services.clock.now(),
            by=user_of(context),
            kind=kind or TouchKind.OTHER,
            note=note,
        )

        def add(record: Customer) -> None:
            record.touches = [*record.touches, touch][-MAX_TOUCHES:]
            record.updated_at = touch.at

        saved, _ = await change(self._services.customers, tenant_of(context), customer.id, add)
        what = f"{touch.kind.value} " if kind else ""
        await context.send_activity(
            f"Logged a {what}touch with {saved.name}"
            + (f": {note}" if note else "")
            + f". {len(saved.touches)} touch(es) on record."
        )
