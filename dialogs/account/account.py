"""`status`, `history`, `report` and `touch`: reading and keeping a customer's record."""

from __future__ import annotations

from botbuilder.core import TurnContext

from cards.summary import summary_card
from cards.text import code_span, escape_markdown
from dialogs.account.account_views import history_view, status_view
from dialogs.account.stages import Stages
from dialogs.account.success_plans import SuccessPlans
from dialogs.common.card_actions import SavePlanSubmit
from dialogs.common.customer_names import did_you_mean
from dialogs.common.lookup import customer_and_rest, customer_named, names_near_start
from dialogs.common.messages import explain
from dialogs.common.services import DialogServices
from dialogs.common.turn import card_message, markdown_message, tenant_of, user_of
from dialogs.deliver.proof import report_markdown
from engagement.customers import change
from engagement.errors import DomainError
from engagement.lifecycle import log_touch, undo_latest_delivery
from engagement.models import Customer, Touch, TouchKind
from engagement.wording import day_text, touch_kind_word, touch_note_text
from i18n import _, ngettext

SHOWN_TOUCHES = 20
_KIND_WORDS = {kind.value: kind for kind in TouchKind} | {
    "email": TouchKind.MAIL,
    "e-mail": TouchKind.MAIL,
    "anruf": TouchKind.CALL,
    "telefonat": TouchKind.CALL,
    "termin": TouchKind.MEETING,
    "besprechung": TouchKind.MEETING,
    "treffen": TouchKind.MEETING,
    "sonstiges": TouchKind.OTHER,
}
_UNDO_WORDS = {
    "delivery": "delivery",
    "lieferung": "delivery",
    "durchführung": "delivery",
    "touch": "touch",
    "kontakt": "touch",
}


class Account:
    """Commands about one customer's record."""

    def __init__(self, services: DialogServices) -> None:
        self._services = services

    async def stage(self, context: TurnContext, argument: str) -> None:
        """`stage <customer> [stage|auto] [agent|csm]`: see dialogs/account/stages.py."""
        await Stages(self._services).command(context, argument)

    async def plan(self, context: TurnContext, argument: str) -> None:
        """`plan <customer>`: see dialogs/account/success_plans.py."""
        await SuccessPlans(self._services).command(context, argument)

    async def save_plan(self, context: TurnContext, value: SavePlanSubmit) -> None:
        """The success plan card's Save."""
        await SuccessPlans(self._services).save(context, value)

    async def status(self, context: TurnContext, argument: str) -> None:
        """The account 360 card."""
        customer = await customer_named(
            context, self._services.customers, argument, _("status <customer>")
        )
        if customer:
            view = status_view(customer, self._services.clock.now())
            await context.send_activity(card_message(summary_card(view)))

    async def history(self, context: TurnContext, argument: str) -> None:
        """Every iteration as a timeline with the level chart."""
        customer = await customer_named(
            context, self._services.customers, argument, _("history <customer>")
        )
        if customer:
            await context.send_activity(card_message(summary_card(history_view(customer))))

    async def report(self, context: TurnContext, argument: str) -> None:
        """The proof of execution of the last closed iteration, as Markdown."""
        customer = await customer_named(
            context, self._services.customers, argument, _("report <customer>")
        )
        if customer is None:
            return
        markdown = report_markdown(self._services.catalog, customer)
        if markdown is None:
            await context.send_activity(
                _(
                    "{name} has no closed iteration yet; the report comes with "
                    "`ensure {command_name}`."
                ).format(name=escape_markdown(customer.name), command_name=code_span(customer.name))
            )
            return
        await context.send_activity(markdown_message(markdown))

    async def touches(self, context: TurnContext, argument: str) -> None:
        """`touches <customer>`: the logged touches, newest first."""
        customer = await customer_named(
            context, self._services.customers, argument, _("touches <customer>")
        )
        if customer is None:
            return
        if not customer.touches:
            await context.send_activity(
                _("No touches with {name} yet. Log one: `touch {command_name} call: …`.").format(
                    name=escape_markdown(customer.name), command_name=code_span(customer.name)
                )
            )
            return
        latest = _newest_first(customer.touches)[:SHOWN_TOUCHES]
        lines = [
            f"- {day_text(t.at)}, {touch_kind_word(t.kind)}, {t.by.name or t.by.id}"
            + (f": {escape_markdown(touch_note_text(t.note))}" if t.note else "")
            for t in latest
        ]
        more = len(customer.touches) - len(latest)
        heading = _("Touches with {name}, newest first ({count}):").format(
            name=escape_markdown(customer.name), count=len(customer.touches)
        )
        await context.send_activity(
            heading
            + "\n\n"
            + "\n".join(lines)
            + ("\n\n" + _("…and {n} older.").format(n=more) if more > 0 else "")
        )

    async def undo(self, context: TurnContext, argument: str) -> None:
        """`undo delivery|touch <customer>`: remove the latest recorded delivery or touch."""
        typed, _sep, name = argument.partition(" ")
        what = _UNDO_WORDS.get(typed.casefold(), "")
        if not what or not name.strip():
            await context.send_activity(
                _(
                    "Type `undo delivery <customer>` or `undo touch <customer>`: it removes the "
                    "latest one, which you can then record again corrected."
                )
            )
            return
        usage = _("undo delivery <customer>") if what == "delivery" else _("undo touch <customer>")
        customer = await customer_named(context, self._services.customers, name, usage)
        if customer is None:
            return
        now = self._services.clock.now()
        if what == "touch":
            if not customer.touches:
                await context.send_activity(
                    _("No touches with {name} to undo.").format(name=escape_markdown(customer.name))
                )
                return

            def drop_touch(record: Customer) -> Touch:
                latest = _newest_first(record.touches)[0]
                record.touches = [t for t in record.touches if t is not latest]
                record.updated_at = now
                return latest

            _saved, touch = await change(
                self._services.customers, tenant_of(context), customer.id, drop_touch
            )
            note = ": " + escape_markdown(touch_note_text(touch.note)) if touch.note else ""
            await context.send_activity(
                _(
                    "Removed the latest touch with {name} ({day}, {kind}{note}). Log it again "
                    "corrected with `touch {command_name} …`."
                ).format(
                    name=escape_markdown(customer.name),
                    day=day_text(touch.at),
                    kind=touch_kind_word(touch.kind),
                    note=note,
                    command_name=code_span(customer.name),
                )
            )
            return
        try:
            _saved, delivery = await change(
                self._services.customers,
                tenant_of(context),
                customer.id,
                lambda record: undo_latest_delivery(record, now),
            )
        except DomainError as error:
            await context.send_activity(explain(error))
            return
        names = {w.id: w.name for w in self._services.catalog.workshops}
        await context.send_activity(
            _(
                "Removed the latest delivery of {name}: {workshop} on {day}. Record it again "
                "corrected with `deliver {command_name}`."
            ).format(
                name=escape_markdown(customer.name),
                workshop=names.get(delivery.workshop_id, delivery.workshop_id),
                day=day_text(delivery.on),
                command_name=code_span(customer.name),
            )
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
                _(
                    "Type `touch <customer> <note>`, e.g. `touch Contoso call: renewal is on "
                    "track`, for a customer you already have (see `customers`)."
                )
                + did_you_mean(close)
            )
            return
        customer, rest = found
        first, _sep, remainder = rest.partition(" ")
        kind = _KIND_WORDS.get(first.casefold().rstrip(":"))
        note = (remainder if kind else rest).strip()
        if len(note) > 2000:
            await context.send_activity(
                _("That note is too long ({count} characters; at most {limit}).").format(
                    count=len(note), limit=2000
                )
            )
            return
        touch = Touch(
            at=self._services.clock.now(),
            by=user_of(context),
            kind=kind or TouchKind.OTHER,
            note=note,
        )

        def add(record: Customer) -> None:
            log_touch(record, touch)

        saved, _unused = await change(
            self._services.customers, tenant_of(context), customer.id, add
        )
        name = escape_markdown(saved.name)
        logged = (
            _("Logged a {kind} touch with {name}").format(
                kind=touch_kind_word(touch.kind), name=name
            )
            if kind
            else _("Logged a touch with {name}").format(name=name)
        )
        count = len(saved.touches)
        on_record = ngettext("{n} touch on record.", "{n} touches on record.", count)
        await context.send_activity(
            logged
            + (f": {escape_markdown(note)}" if note else "")
            + ". "
            + on_record.format(n=count)
        )


def _newest_first(touches: list[Touch]) -> list[Touch]:
    """By time, newest first; of touches at the same moment the one logged last comes first."""
    order = sorted(enumerate(touches), key=lambda pair: (pair[1].at, pair[0]), reverse=True)
    return [touch for _index, touch in order]
