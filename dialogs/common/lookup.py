"""Finding the customer a command names, with one clear message when there is none."""

from __future__ import annotations

from botbuilder.core import TurnContext

from dialogs.common.customer_names import suggestions, unknown_customer
from dialogs.common.messages import explain
from dialogs.common.turn import tenant_of
from engagement.errors import InvalidCustomerName
from engagement.models import Customer
from engagement.naming import clean_customer_name, customer_id_for
from engagement.ports import CustomerRepository
from i18n import _

MAX_NAME_WORDS = 8


async def customer_named(
    context: TurnContext, customers: CustomerRepository, argument: str, usage: str
) -> Customer | None:
    """The tenant's customer called `argument`, or None after telling the user why not."""
    if not argument:
        await context.send_activity(_("Which customer? Type `{usage}`.").format(usage=usage))
        return None
    try:
        name = clean_customer_name(argument)
    except InvalidCustomerName as error:
        await context.send_activity(explain(error))
        return None
    customer = await customers.get(tenant_of(context), customer_id_for(name))
    if customer is None:
        command = usage.split(" <", 1)[0]
        await context.send_activity(
            await unknown_customer(customers, tenant_of(context), name, command)
        )
    return customer


async def customer_and_rest(
    context: TurnContext, customers: CustomerRepository, argument: str
) -> tuple[Customer, str] | None:
    """Split `Contoso Ltd call with the CIO` into the longest known customer name and the rest."""
    words = argument.split()
    tenant = tenant_of(context)
    for count in range(min(len(words), MAX_NAME_WORDS), 0, -1):
        try:
            customer_id = customer_id_for(" ".join(words[:count]))
        except InvalidCustomerName:
            continue
        customer = await customers.get(tenant, customer_id)
        if customer is not None:
            return customer, " ".join(words[count:])
    return None


async def names_near_start(
    context: TurnContext, customers: CustomerRepository, argument: str
) -> list[str]:
    """Customer names close to the first words of `argument` (for `touch Contso call ...`)."""
    words = argument.split()
    starts = [" ".join(words[:count]) for count in range(min(len(words), MAX_NAME_WORDS), 0, -1)]
    return await suggestions(customers, tenant_of(context), *starts)
