"""Teams specifics: channel threads, meeting chats, install/uninstall, the README command table."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from bot.app import STORE_KEY
from bot.commands import CARD_ACTIONS, COMMANDS, RUN_COMMAND_ACTION, parse_command
from tests.support.cards import choice_sets, submit_data
from tests.support.connector import FakeConnector
from tests.support.conversation import BOT_ID, Conversation
from tests.support.quick_check import quick_check_card

ROOT = Path(__file__).resolve().parents[2]


async def test_replies_in_a_channel_thread_stay_in_the_thread(
    personal: Conversation, connector: FakeConnector
) -> None:
    thread = "19:general@thread.tacv2;messageid=1700000000000"
    channel = Conversation(personal.client, connector, thread, conversation_type="channel")
    replies = await channel.say("help", mention=True)
    assert [r.conversation_id for r in replies] == [thread]


async def test_meeting_chat_mention_works(personal: Conversation, connector: FakeConnector) -> None:
    meeting = Conversation(
        personal.client, connector, "19:meeting_xyz@thread.v2", conversation_type="groupChat"
    )
    activity = meeting.activity(
        text="<at>Success Framework</at> catalog 1",
        entities=[
            {"type": "mention", "text": "<at>Success Framework</at>", "mentioned": {"id": BOT_ID}}
        ],
        channelData={"tenant": {"id": "tenant-a"}, "meeting": {"id": "meeting-1"}},
    )
    assert await meeting.post(activity) == 201
    sent = connector.messages(meeting.conversation_id)
    assert "Azure Enablement Workshop" in str(sent[-1].cards)


async def test_bot_added_to_a_group_chat_says_a_short_hello(
    personal: Conversation, connector: FakeConnector
) -> None:
    group = Conversation(
        personal.client, connector, "19:new@thread.v2", conversation_type="groupChat"
    )
    status = await group.post(
        group.activity(type="conversationUpdate", membersAdded=[{"id": BOT_ID}])
    )
    assert status == 201
    sent = connector.messages(group.conversation_id)
    assert len(sent) == 1
    assert not sent[0].cards
    assert len(sent[0].text) < 300


async def test_other_members_joining_do_not_trigger_a_welcome(
    personal: Conversation, connector: FakeConnector
) -> None:
    await personal.post(
        personal.activity(type="conversationUpdate", membersAdded=[{"id": "29:bob"}])
    )
    assert connector.messages(personal.conversation_id) == []


async def test_uninstall_drops_the_reference_and_reinstall_restores_it(
    personal: Conversation,
) -> None:
    references = personal.client.server.app[STORE_KEY].references
    await personal.say("help")
    assert await references.get("tenant-a", personal.conversation_id) is not None
    assert await personal.post(personal.activity(type="installationUpdate", action="remove")) == 201
    assert await references.get("tenant-a", personal.conversation_id) is None
    assert await personal.post(personal.activity(type="installationUpdate", action="add")) == 201
    assert await references.get("tenant-a", personal.conversation_id) is not None


def test_every_name_and_alias_starts_its_own_command_with_or_without_an_argument() -> None:
    for command in COMMANDS:
        for name in command.names():
            alone = parse_command(f"/{name.upper()}")
            assert alone is not None
            assert (alone.command, alone.argument) == (command, "")
            argued = parse_command(f"  {name}   Contoso  Ltd ")
            assert argued is not None
            assert (argued.command, argued.argument) == (command, "Contoso Ltd")
    assert parse_command("statusx") is None  # a name glued to more text is not that name
    assert parse_command("1") is None


def test_every_command_in_the_readme_table_is_understood() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("## Commands", 1)[1].split("\n## ", 1)[0]
    examples = re.findall(r"^\| `[^`]+` \|.*\| `([^`]+)` \|$", table, re.MULTILINE)
    usages = re.findall(r"^\| `([^`]+)` \|", table, re.MULTILINE)
    assert len(examples) == len(COMMANDS)
    for example in examples:
        assert parse_command(example) is not None, example
    assert sorted(u.split(" [")[0].split(" <")[0] for u in usages) == sorted(
        c.name for c in COMMANDS
    )


async def test_action_execute_invoke_gets_a_200_with_a_card(personal: Conversation) -> None:
    activity = personal.activity(
        type="invoke",
        name="adaptiveCard/action",
        value={"action": {"type": "Action.Execute", "verb": "old", "data": {}}},
    )
    response = await personal.client.post("/api/messages", json=activity)
    assert response.status == 200
    body = await response.json()
    assert body["statusCode"] == 200
    assert body["value"]["type"] == "AdaptiveCard"


async def test_unsupported_invokes_get_400(personal: Conversation) -> None:
    for name in ("task/fetch", "composeExtension/query", "made/up", None):
        response = await personal.client.post(
            "/api/messages", json=personal.activity(type="invoke", name=name, value={})
        )
        assert response.status == 400, name


async def test_conversations_without_a_tenant_do_not_share_data(
    personal: Conversation, connector: FakeConnector
) -> None:
    first = Conversation(personal.client, connector, "webchat-1")
    second = Conversation(personal.client, connector, "webchat-2")
    for conversation in (first, second):
        conversation.activity = _without_tenant(conversation.activity)  # type: ignore[method-assign]
    card = await quick_check_card(first, "Secret Corp")
    value = dict(submit_data(card, "Show level"))
    for choice_set in choice_sets(card):
        value[choice_set["id"]] = choice_set["choices"][0]["value"]
    await first.submit(value)
    assert "Secret Corp" in (await first.say("customers"))[0].text
    assert "No customers yet" in (await second.say("customers"))[0].text


def _without_tenant(make: Any) -> Any:
    def activity(**fields: Any) -> dict[str, Any]:
        built = make(**fields)
        built["channelId"] = "webchat"
        built["conversation"].pop("tenantId", None)
        built.pop("channelData", None)
        return built

    return activity


async def test_in_a_group_chat_the_assessment_runs_privately_for_its_starter(
    personal: Conversation, connector: FakeConnector
) -> None:
    chat = "19:call@thread.v2"
    ada = Conversation(personal.client, connector, chat, conversation_type="groupChat")
    bob = Conversation(
        personal.client,
        connector,
        chat,
        user_id="bob",
        user_name="Bob",
        conversation_type="groupChat",
    )
    replies = await ada.say("assess Contoso", mention=True)
    in_chat = [r for r in replies if r.conversation_id == chat]
    assert [r.text for r in in_chat] == ["I've started that in our private chat."]
    private = [r for r in replies if r.conversation_id == "a:private-29:ada"]
    yes = submit_data(private[0].cards[0], "Yes")
    replies = await bob.submit(yes)  # Ada's card pressed in the chat by Bob: nothing starts
    assert "Question" not in str([r.body for r in replies])
    replies = await bob.say("2", mention=True)
    assert "Question" not in str([r.body for r in replies])


@pytest.mark.parametrize(
    ("typed", "name", "argument"),
    [
        ("quickcheck Contoso", "quick check", "Contoso"),
        ("/Quick-Check", "quick check", ""),
        ("?", "help", ""),
        ("/help", "help", ""),
        ("stop", "cancel", ""),
        ("abort", "cancel", ""),
    ],
)
def test_aliases_are_entries_of_the_table(typed: str, name: str, argument: str) -> None:
    parsed = parse_command(typed)
    assert parsed is not None
    assert (parsed.command.name, parsed.argument) == (name, argument)


def test_every_card_action_is_one_entry() -> None:
    actions = [entry.action for entry in CARD_ACTIONS]
    assert len(actions) == len(set(actions))
    assert RUN_COMMAND_ACTION not in actions  # routed as the command it names


@pytest.mark.parametrize(
    "value",
    [
        {"action": "record_delivery", "customer": 5, "iteration": 1},
        {"action": "record_delivery", "customer": "contoso"},
        {"action": "agree_sow", "customer": "contoso", "iteration": "x", "revision": "r"},
        {"action": "agree_sow", "customer": "contoso", "iteration": 1, "side": "both"},
    ],
)
async def test_a_card_payload_that_does_not_fit_its_model_is_refused_at_the_edge(
    personal: Conversation, value: dict[str, Any]
) -> None:
    replies = await personal.submit(value)
    assert [r.text for r in replies] == ["That card is out of date, so nothing was recorded."]
