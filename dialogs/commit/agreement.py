"""The statement of work after the dialog: both sides' agreement, and `sow <customer>`.

Agreement buttons carry the customer, the iteration and a fingerprint of the statement's content,
so a button on an outdated card (the statement changed, or the iteration moved on) is refused
with the current statement instead of being counted.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import Any

from botbuilder.core import TurnContext

from cards.forms import sow_card
from cards.text import code_span, escape_markdown, render_text
from dialogs.assess.quick_check import replace_or_send
from dialogs.commit import commit_views as views
from dialogs.commit.commitment_input import InputProblems, text_value
from dialogs.common.card_actions import AgreeSubmit
from dialogs.common.customer_names import unknown_customer
from dialogs.common.messages import explain
from dialogs.common.services import DialogServices
from dialogs.common.turn import card_message, markdown_message, tenant_of, user_of
from dialogs.deliver.proof import document_day
from engagement.customers import change
from engagement.errors import DomainError, InvalidCustomerName
from engagement.lifecycle import agree
from engagement.models import AgreementSide, Customer, Person, Phase
from engagement.naming import clean_customer_name, customer_id_for
from engagement.success_plan import kpi_text
from i18n import _


class Agreements:
    """Records agreements from statement-of-work cards and shows statements of work."""

    def __init__(self, services: DialogServices) -> None:
        self._services = services

    async def agree(self, context: TurnContext, value: AgreeSubmit) -> None:
        """A Confirm (partner) or Record customer agreement button."""
        tenant = tenant_of(context)
        customer = await self._services.customers.get(tenant, value.customer)
        if customer is None:
            await context.send_activity(_("That card is out of date, so nothing was recorded."))
            return
        if not _is_current(customer, value):
            await self._outdated(context, customer.name)
            return
        side = AgreementSide.CUSTOMER if value.side == "customer" else AgreementSide.PARTNER
        if side is AgreementSide.CUSTOMER:
            try:
                name = text_value(
                    value.agreed_by,
                    "agreed_by",
                    _("The name of who agreed"),
                    200,
                    required=True,
                )
            except InputProblems as error:
                await context.send_activity(str(error))
                return
            by = Person(id=f"customer:{name}", name=name)
        else:
            by = user_of(context)
        now = self._services.clock.now()
        try:
            saved, both = await change(
                self._services.customers, tenant, customer.id, partial(_agree, value, side, by, now)
            )
        except _Outdated:  # it changed between the first look and the save (another turn)
            await self._outdated(context, customer.name)
            return
        except DomainError as error:
            await context.send_activity(explain(error))
            return
        await replace_or_send(context, card_message(self._card(saved)))
        if both:
            await context.send_activity(
                _(
                    "Both sides agreed. Iteration {number} of {customer} moves to the deliver "
                    "phase."
                ).format(number=saved.current.number, customer=escape_markdown(saved.name))
            )
        elif side is AgreementSide.CUSTOMER:
            await context.send_activity(_("Recorded the customer side's agreement."))
        else:
            await context.send_activity(_("Recorded the partner side's agreement."))

    async def _outdated(self, context: TurnContext, customer_name: str) -> None:
        await context.send_activity(
            _(
                "That statement of work has changed or moved on since this card was sent, so "
                "nothing was recorded. Here is where it stands now:"
            )
        )
        await self.show(context, customer_name)

    async def show(self, context: TurnContext, argument: str) -> None:
        """`sow <customer>`: the card, plus the statement as Markdown to paste into a document."""
        if not argument:
            await context.send_activity(_("Whose statement of work? Type `sow <customer>`."))
            return
        try:
            name = clean_customer_name(argument)
        except InvalidCustomerName as error:
            await context.send_activity(explain(error))
            return
        customer = await self._services.customers.get(tenant_of(context), customer_id_for(name))
        if customer is None:
            await context.send_activity(
                await unknown_customer(self._services.customers, tenant_of(context), name, _("sow"))
            )
            return
        iteration = customer.current
        if iteration.commitment is None:
            await context.send_activity(
                _(
                    "{customer} has no statement of work in iteration {number} yet. Type "
                    "`commit {name}` to write one."
                ).format(
                    customer=escape_markdown(customer.name),
                    number=iteration.number,
                    name=code_span(customer.name),
                )
            )
            return
        await context.send_activity(card_message(self._card(customer)))
        await context.send_activity(markdown_message(self.markdown(customer)))

    def markdown(self, customer: Customer) -> str:
        """The current statement of work as Markdown."""
        commitment = customer.current.commitment
        assert commitment is not None
        view = views.sow_view(
            self._services.catalog,
            views.SowHeader.of(customer),
            commitment,
            with_agreement_actions=False,
        )
        return render_text(
            "sow",
            customer=customer.name,
            iteration=customer.current.number,
            level=views.SowHeader.of(customer).level_label,
            start=document_day(commitment.start),
            end=document_day(commitment.end),
            contact=commitment.customer_contact,
            workshops=view.workshops,
            goals=[
                {
                    "title": goal.title,
                    "kpi": kpi_text(goal),
                    # the msgids "partner" and "customer": commit_views._OWNER_SIDES
                    "owner": _(goal.owner_side.value)
                    + (f" ({goal.owner_name})" if goal.owner_name else ""),
                    "due": document_day(goal.due),
                }
                for goal in commitment.goals
            ],
            factors=view.factors,
            agreements=view.agreements,
        )

    def _card(self, customer: Customer) -> dict[str, Any]:
        commitment = customer.current.commitment
        assert commitment is not None
        return sow_card(
            views.sow_view(self._services.catalog, views.SowHeader.of(customer), commitment)
        )


class _Outdated(Exception):
    """The card's statement of work is no longer the customer's current one."""


def _is_current(customer: Customer, value: AgreeSubmit) -> bool:
    iteration = customer.current
    commitment = iteration.commitment
    return (
        iteration.phase is Phase.COMMIT
        and commitment is not None
        and value.iteration == iteration.number
        and value.revision == views.revision(commitment)
    )


def _agree(
    value: AgreeSubmit, side: AgreementSide, by: Person, now: datetime, customer: Customer
) -> bool:
    """Checked again on the copy being saved: `change` may re-read a newer customer."""
    if not _is_current(customer, value):
        raise _Outdated
    return agree(customer, side, by, now)
