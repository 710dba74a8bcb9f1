"""`plan <customer>`: the success plan (seed 004) after the statement of work: each success factor's
status, owner and gap, shown on a form card and saved from it.

The plan belongs to the newest statement of work (the next `commit` starts from it). The card
carries the customer and the iteration, so a card from before a newer statement of work changes
nothing.
"""

from __future__ import annotations

from botbuilder.core import TurnContext

from cards.forms import Button, FormView, form_card, refilled
from cards.summary import SummaryView, summary_card
from cards.text import code_span, escape_markdown
from dialogs.assess.quick_check import replace_or_send
from dialogs.commit.commitment_input import InputProblems, draft_of, factors_value
from dialogs.commit.success_plan_views import factor_fields, plan_section
from dialogs.common.card_actions import SavePlanSubmit
from dialogs.common.lookup import customer_named
from dialogs.common.services import DialogServices
from dialogs.common.turn import card_message, tenant_of
from engagement.customers import change
from engagement.models import Customer, SuccessFactors
from engagement.success_plan import latest_plan, plan_summary
from i18n import _

SAVE_PLAN_ACTION = "save_plan"


class SuccessPlans:
    """The `plan` command and its card."""

    def __init__(self, services: DialogServices) -> None:
        self._services = services

    async def command(self, context: TurnContext, argument: str) -> None:
        """Show the customer's success plan as a form to update."""
        customer = await customer_named(
            context, self._services.customers, argument, _("plan <customer>")
        )
        if customer is None:
            return
        plan = latest_plan(customer)
        if plan is None:
            await context.send_activity(
                _(
                    "{name} has no statement of work yet: the success plan starts in its "
                    "success-factor step, `commit {command_name}`."
                ).format(name=escape_markdown(customer.name), command_name=code_span(customer.name))
            )
            return
        form = _form(customer, plan.iteration.number, plan.factors)
        await context.send_activity(card_message(form_card(form)))

    async def save(self, context: TurnContext, value: SavePlanSubmit) -> None:
        """A submitted plan card: check it, save it, show the plan."""
        customer = await self._services.customers.get(tenant_of(context), value.customer)
        plan = latest_plan(customer) if customer else None
        if customer is None or plan is None or plan.iteration.number != value.iteration:
            await context.send_activity(_(SavePlanSubmit.stale))
            return
        entered = value.model_dump()
        try:
            factors = factors_value(entered)
        except InputProblems as error:  # the card again, as filled in, each problem at its place
            problems = {p.field: p.message for p in error.problems}
            form = refilled(_form(customer, value.iteration, plan.factors), entered, problems)
            await replace_or_send(context, card_message(form_card(form)))
            await context.send_activity(error.reply())
            return

        def update(stored: Customer) -> None:
            current = latest_plan(stored)
            if current is None or current.iteration.number != value.iteration:
                raise _Outdated
            commitment = current.iteration.commitment
            assert commitment is not None
            commitment.success_factors = factors

        try:
            saved, _unused = await change(
                self._services.customers, tenant_of(context), customer.id, update
            )
        except _Outdated:
            await context.send_activity(_(SavePlanSubmit.stale))
            return
        section = plan_section(saved)
        assert section is not None
        view = SummaryView(
            title=_("Success plan saved · {name}").format(name=saved.name),
            subtitle=plan_summary(factors),
            sections=[section],
            buttons=[Button(_("Edit again"), _command("plan", saved.name), validate=False)],
        )
        await replace_or_send(context, card_message(summary_card(view)))


class _Outdated(Exception):
    """A newer statement of work replaced the plan the card showed."""


def _command(command: str, argument: str) -> dict[str, object]:
    return {"action": "run_command", "command": command, "argument": argument}


def _form(customer: Customer, iteration: int, factors: SuccessFactors) -> FormView:
    return FormView(
        title=_("Success plan · {name} · iteration {number}").format(
            name=customer.name, number=iteration
        ),
        intro=[
            _(
                "{summary}. For each success factor (stakeholders, scenarios, awareness, "
                "training): is it in place, who owns it, what is still missing?"
            ).format(summary=plan_summary(factors))
        ],
        fields=factor_fields(draft_of(factors)),
        buttons=[
            Button(
                _("Save"),
                {"action": SAVE_PLAN_ACTION, "customer": customer.id, "iteration": iteration},
                positive=True,
            )
        ],
    )
