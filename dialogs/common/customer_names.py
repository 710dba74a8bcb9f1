"""Which customer the user meant: the tenant's closest names for one that is not there.

Free of botbuilder, so the command modules that answer with plain replies use it too.
"""

from __future__ import annotations

from cards.text import code_span, escape_markdown
from engagement.naming import similar_names
from engagement.ports import CustomerRepository
from i18n import _


async def suggestions(customers: CustomerRepository, tenant_id: str, *names: str) -> list[str]:
    """The tenant's customer names closest to any of `names`, best first (at most three)."""
    known = [customer.name for customer in await customers.list(tenant_id)]
    found: dict[str, None] = {}
    for name in names:
        found.update(dict.fromkeys(similar_names(name, known)))
    return list(found)[:3]


def did_you_mean(names: list[str], command: str = "", *, markdown: bool = True) -> str:
    """' Did you mean Contoso (`status Contoso`)?', or '' without suggestions; names escaped
    for a Markdown text message unless `markdown` is False (a card shows text as it is)."""
    if not names:
        return ""
    if markdown:
        shown = [
            f"{escape_markdown(n)} (`{command} {code_span(n)}`)" if command else escape_markdown(n)
            for n in names
        ]
    else:
        shown = [f"{n} (`{command} {n}`)" if command else n for n in names]
    # TRANSLATORS: between the names of " Did you mean {names}?"
    return _(" Did you mean {names}?").format(names=_(" or ").join(shown))


async def unknown_customer(
    customers: CustomerRepository, tenant_id: str, name: str, command: str
) -> str:
    """The answer when no customer is called `name`, with the closest names the tenant has."""
    close = await suggestions(customers, tenant_id, name)
    return (
        _("I don't know a customer called {name} in your organisation.").format(
            name=escape_markdown(name)
        )
        + did_you_mean(close, command)
        + _(" Type `customers` to see the list.")
    )
