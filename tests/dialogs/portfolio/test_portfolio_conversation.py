"""Portfolio, health and KPIs over /api/messages; privacy in shared chats; tenant isolation."""

from __future__ import annotations

from tests.bot.test_full_cycle import _quick_check
from tests.support.cards import texts
from tests.support.connector import FakeConnector
from tests.support.conversation import Conversation


async def test_portfolio_health_and_kpis(personal: Conversation) -> None:
    replies = await personal.say("portfolio")
    assert (
        "No customers" in texts(replies[0].cards[0])
        or "no customers" in str(replies[0].body).lower()
    )
    await _quick_check(personal, 1)
    await personal.say("touch Contoso call: kickoff")
    portfolio = texts((await personal.say("portfolio"))[0].cards[0])
    assert "Contoso" in portfolio
    health = texts((await personal.say("health Contoso"))[0].cards[0])
    assert "Contoso" in health
    assert "missing" in health.lower()
    kpis = (await personal.say("kpis"))[0]
    assert kpis.cards
    replies = await personal.say("portfolio sideways")
    assert replies[0].text  # an unknown filter is explained


async def test_portfolio_in_a_group_chat_goes_to_the_asker_privately(
    personal: Conversation, connector: FakeConnector
) -> None:
    await _quick_check(personal, 1)
    group = Conversation(
        personal.client, connector, "19:team-call@thread.v2", conversation_type="groupChat"
    )
    replies = await group.say("portfolio", mention=True)
    shared = [r for r in replies if r.conversation_id == group.conversation_id]
    assert [r.cards for r in shared] == [[]]
    assert "Contoso" not in str(shared[0].body)
    private = [r for r in replies if r.conversation_id != group.conversation_id]
    assert "Contoso" in texts(private[0].cards[0])


async def test_another_tenant_sees_none_of_the_first_tenants_customers(
    personal: Conversation, connector: FakeConnector
) -> None:
    await _quick_check(personal, 1)
    other = Conversation(
        personal.client, connector, "a:personal-eve", user_id="eve", tenant_id="tenant-b"
    )
    portfolio = (await other.say("portfolio"))[0]
    assert "Contoso" not in str(portfolio.body)
    for command in (
        "status Contoso",
        "health Contoso",
        "history Contoso",
        "sow Contoso",
        "report Contoso",
        "deliver Contoso",
    ):
        replies = await other.say(command)
        assert "Contoso" not in str([r.cards for r in replies]), command
        assert (
            "don't know" in replies[0].text
            or "No customer" in replies[0].text
            or "no customer" in replies[0].text.lower()
        ), command
    replies = await other.say("customers")
    assert "No customers yet" in replies[0].text
    replies = await other.say("touch Contoso call: hi")
    assert "Logged" not in replies[0].text
