"""What the routing table's entries call: the bot's features, built once per bot.

The bot-level commands (help, catalog, customers, portfolio, health, kpis) are here; the others
are methods of the feature objects this holds (`Handlers.account.status`, ...). Every handler
has the table's one signature: `(turn context, payload) -> None`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from botbuilder.core import MessageFactory, TurnContext

from bot.commands import COMMANDS
from bot.exchange import Exchange
from bot.flows import Flows
from bot.language import Languages
from bot.reminder_turns import ReminderTurns
from cards import library
from cards.text import escape_markdown
from cards.views import CommandHelp, PhaseHelp
from dialogs.account.account import Account
from dialogs.account.brief import Briefs
from dialogs.assess.quick_check import QuickCheck
from dialogs.assess.views import catalog_views
from dialogs.commit.agreement import Agreements
from dialogs.common.messages import phase_name
from dialogs.common.services import DialogServices
from dialogs.common.turn import card_message, tenant_of, user_of
from dialogs.deliver.delivery import DeliveryAndReview
from dialogs.portfolio import portfolio_commands
from dialogs.readiness.readiness import Readiness
from engagement.models import MaturityLevel, Phase
from i18n import N_, _
from i18n.formats import format_number

# Each phase is named like its command (`assess` / `bewerten`), as everywhere else.
_PHASES = (
    (Phase.ASSESS, N_("Determine the customer's cloud maturity")),
    (Phase.COMMIT, N_("Agree the goals of the engagement: a statement of work")),
    (Phase.DELIVER, N_("Deliver the workshop or engagement")),
    (Phase.ENSURE, N_("Check the goals were reached and define next steps")),
)
CUSTOMERS_SHOWN = 50  # `customers` lists the first 50 by name


def phase_help() -> list[PhaseHelp]:
    """The four phases with what happens in each, in the turn's language."""
    return [PhaseHelp(phase_name(phase), _(description)) for phase, description in _PHASES]


def command_help() -> list[CommandHelp]:
    """Every command's usage and description in the turn's language (German usages start with
    the German names), for the help and welcome cards."""
    return [CommandHelp(usage=_(c.usage), description=_(c.description)) for c in COMMANDS]


@dataclass(frozen=True)
class Handlers:
    """The features the routing table reaches, and the bot-level commands."""

    services: DialogServices
    flows: Flows
    quick_check: QuickCheck
    agreements: Agreements
    delivery: DeliveryAndReview
    account: Account
    reminders: ReminderTurns
    exchange: Exchange
    readiness: Readiness
    briefs: Briefs
    languages: Languages

    async def help(self, context: TurnContext, argument: str) -> None:
        """`help`: the phases and every command."""
        await context.send_activity(card_message(library.help_card(phase_help(), command_help())))

    async def catalog(self, context: TurnContext, argument: str) -> None:
        """`catalog [level]`: the workshops of every level, or of one."""
        catalog = self.services.catalog
        levels: list[MaturityLevel] = list(MaturityLevel)
        if argument:
            level = catalog.find_level(argument)
            if level is None:
                names = ", ".join(f"{lvl.rank}. {lvl.label}" for lvl in MaturityLevel)
                await context.send_activity(
                    _('I don\'t know the level "{level}". The levels are: {levels}.').format(
                        level=escape_markdown(argument[:60]), levels=names
                    )
                )
                return
            levels = [level]
        await context.send_activity(
            card_message(library.catalog_card(catalog_views(catalog, levels)))
        )

    async def customers(self, context: TurnContext, argument: str) -> None:
        """`customers`: the organisation's customers with iteration, phase and level."""
        listing = await self.services.summaries.by_name(tenant_of(context), limit=CUSTOMERS_SHOWN)
        if not listing.total:
            await context.send_activity(
                _("No customers yet. Type `assess <name>` or `quick check <name>` to add one.")
            )
            return
        lines = [
            (
                _("- **{name}**: iteration {iteration}, {phase} phase, {level}")
                if s.level
                else _("- **{name}**: iteration {iteration}, {phase} phase, not assessed")
            ).format(
                name=escape_markdown(s.name),
                iteration=s.iteration,
                phase=phase_name(s.phase),
                level=s.level.label if s.level else "",
            )
            for s in listing.summaries
        ]
        more = listing.total - len(listing.summaries)
        heading = _("Your organisation's customers ({count}):").format(
            count=format_number(listing.total)
        )
        parts = [heading, "\n".join(lines)]
        if more > 0:
            parts.append(_("…and {count} more.").format(count=format_number(more)))
        await context.send_activity("\n\n".join(parts))

    async def portfolio(self, context: TurnContext, argument: str) -> None:
        """`portfolio [mine] [renewals N] [level <level>] [page N]`."""
        reply = await portfolio_commands.portfolio_command(
            *self._query(context, argument), self.services.summaries, catalog=self.services.catalog
        )
        await _reply(context, reply)

    async def health(self, context: TurnContext, argument: str) -> None:
        """`health <customer>`: the health score with every factor."""
        reply = await portfolio_commands.health_command(
            *self._query(context, argument), self.services.customers, self.services.summaries
        )
        await _reply(context, reply)

    async def kpis(self, context: TurnContext, argument: str) -> None:
        """`kpis [mine]`: the partner KPIs."""
        reply = await portfolio_commands.kpis_command(
            *self._query(context, argument), self.services.summaries, catalog=self.services.catalog
        )
        await _reply(context, reply)

    def _query(self, context: TurnContext, argument: str) -> tuple[str, str, str, datetime]:
        """The arguments every portfolio command takes: what, whose, when."""
        return (argument, tenant_of(context), user_of(context).id, self.services.clock.now())


async def _reply(context: TurnContext, reply: dict[str, Any] | str) -> None:
    message = card_message(reply) if isinstance(reply, dict) else MessageFactory.text(reply)
    await context.send_activity(message)
