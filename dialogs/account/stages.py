"""`stage <customer> [land|onboard|adopt|expand|renew|auto] [agent|csm]`: the lifecycle stage.

Without a stage it shows the stage (set or derived) and its KPIs; with one it sets it (`auto`
goes back to deriving it); `agent` or `csm` sets the partner's role for the customer, which
changes the KPIs asked (seed 002).
"""

from __future__ import annotations

from datetime import datetime

from botbuilder.core import TurnContext

from cards.summary import Fact, Section
from cards.text import escape_markdown
from dialogs.common.lookup import customer_and_rest
from dialogs.common.services import DialogServices
from engagement.customers import change
from engagement.models import Customer, PartnerRole
from engagement.stages import STAGE_WORDS, stage_kpis, stage_of
from i18n import N_, _

_ROLE_WORDS = {
    "agent": PartnerRole.SALES_AGENT,
    "sales": PartnerRole.SALES_AGENT,
    "csm": PartnerRole.SUCCESS_MANAGER,
    "manager": PartnerRole.SUCCESS_MANAGER,
    "vertrieb": PartnerRole.SALES_AGENT,
}
_ROLE_NAMES = {  # shown as _(...)
    PartnerRole.SALES_AGENT: N_("partner as sales agent"),
    PartnerRole.SUCCESS_MANAGER: N_("partner as customer success manager"),
}
_USAGE = N_(
    "Type `stage <customer>` to see the lifecycle stage, `stage <customer> "
    "land|onboard|adopt|expand|renew|auto` to set it, and `agent` or `csm` for your role."
)


def stage_section(customer: Customer, now: datetime) -> Section:
    """The stage and its KPIs as a summary-card section (for `status` and `stage`)."""
    stage, derived = stage_of(customer, now)
    how = _("derived from the record") if derived else _("set by the CSM")
    colors = {True: "good", False: "attention", None: "default"}
    return Section(
        _("Lifecycle stage: {stage} ({how}; {role})").format(
            stage=stage.value, how=how, role=_(_ROLE_NAMES[customer.partner_role])
        ),
        facts=[Fact(k.label, k.value, colors[k.met]) for k in stage_kpis(customer, stage, now)],
    )


class Stages:
    """The `stage` command."""

    def __init__(self, services: DialogServices) -> None:
        self._services = services

    async def command(self, context: TurnContext, argument: str) -> None:
        """Show or set the customer's stage and the partner's role."""
        found = await customer_and_rest(context, self._services.customers, argument)
        if found is None:
            usage = _(_USAGE)
            await context.send_activity(
                usage if not argument else _("No customer found. {usage}").format(usage=usage)
            )
            return
        customer, rest = found
        words = [w.casefold() for w in rest.split()]
        unknown = [
            w for w in words if w not in STAGE_WORDS and w not in _ROLE_WORDS and w != "auto"
        ]
        if unknown:
            await context.send_activity(
                _('I don\'t understand "{word}". {usage}').format(
                    word=escape_markdown(unknown[0][:40]), usage=_(_USAGE)
                )
            )
            return
        now = self._services.clock.now()
        if words:

            def apply(stored: Customer) -> None:
                for word in words:
                    if word == "auto":
                        stored.stage = None
                    elif word in STAGE_WORDS:
                        stored.stage = STAGE_WORDS[word]
                    else:
                        stored.partner_role = _ROLE_WORDS[word]
                stored.updated_at = now

            customer, _unused = await change(
                self._services.customers, customer.tenant_id, customer.id, apply
            )
        section = stage_section(customer, now)
        lines = [section.heading, *(f"- {f.label}: {f.value}" for f in section.facts)]
        prefix = _("Saved. ") if words else ""
        await context.send_activity(
            f"{prefix}**{escape_markdown(customer.name)}**\n\n" + "\n".join(lines)
        )
