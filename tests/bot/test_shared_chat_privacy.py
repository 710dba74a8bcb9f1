"""In group chats, channels and meeting chats, everything that shows an assessment, a statement
of work, a health score or reminders reaches only the person who asked, in their personal chat;
the shared chat sees one short line (issue 15)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from tests.support.cards import choice_sets, submit_data, texts
from tests.support.connector import FakeConnector, Sent
from tests.support.conversation import BOT_ID, BOT_NAME, Conversation
from tests.support.quick_check import quick_check_card

PRIVATE = "a:private-29:ada"  # the fake connector's id for Ada's 1:1 chat with the bot
SHARED_CHATS = {
    "group chat": ("19:group@thread.v2", "groupChat", {}),
    "channel": ("19:general@thread.tacv2;messageid=1700000000000", "channel", {}),
    "meeting chat": ("19:meeting_call@thread.v2", "groupChat", {"meeting": {"id": "m-1"}}),
}


class Shared(Conversation):
    """A shared chat whose activities may carry extra channel data (a meeting's)."""

    extra: dict[str, Any] = {}  # noqa: RUF012 - set per instance below

    def activity(self, **fields: Any) -> dict[str, Any]:
        activity = super().activity(**fields)
        activity["channelData"] = {**activity["channelData"], **self.extra}
        return activity


@pytest.fixture(params=list(SHARED_CHATS))
def shared(request: pytest.FixtureRequest, personal: Conversation) -> Shared:
    conversation_id, kind, extra = SHARED_CHATS[request.param]
    chat = Shared(personal.client, personal.connector, conversation_id, conversation_type=kind)
    chat.extra = extra
    return chat


@pytest.fixture
def private(personal: Conversation) -> Conversation:
    """Ada's 1:1 chat as Teams opens it for the bot."""
    return Conversation(personal.client, personal.connector, PRIVATE)


def _split(chat: Conversation, replies: list[Sent]) -> tuple[list[Sent], list[Sent]]:
    shared = [r for r in replies if r.conversation_id == chat.conversation_id]
    return shared, [r for r in replies if r.conversation_id == PRIVATE]


def _one_short_line(shared: list[Sent], *secrets: str) -> str:
    assert len(shared) == 1, [s.text for s in shared]
    assert shared[0].cards == []
    text = shared[0].text
    assert "private chat" in text
    assert len(text) < 120
    for secret in secrets:
        assert secret not in text
    return text


async def _assessed(private: Conversation, name: str = "Contoso") -> None:
    card = await quick_check_card(private, name)
    value = dict(submit_data(card, "Show level"))
    for choice_set in choice_sets(card):
        value[choice_set["id"]] = choice_set["choices"][2]["value"]
    await private.submit(value)


async def test_assess_asked_in_a_shared_chat_runs_in_the_askers_personal_chat(
    shared: Shared, private: Conversation, connector: FakeConnector
) -> None:
    shown, privately = _split(shared, await shared.say("assess Contoso", mention=True))
    _one_short_line(shown, "Contoso", "Question")
    assert "New customer: Contoso" in texts(privately[0].cards[0])
    replies = await private.submit(submit_data(privately[0].cards[0], "Yes"))
    assert "Question 1 of" in str(replies[0].body)
    assert connector.messages(shared.conversation_id) == shown  # nothing more in the chat
    replies = await shared.say("2", mention=True)  # an answer typed in the chat is no answer
    assert "Question" not in str([r.body for r in replies])


async def test_commit_asked_in_a_shared_chat_runs_in_the_askers_personal_chat(
    shared: Shared, private: Conversation
) -> None:
    await _assessed(private)
    shown, privately = _split(shared, await shared.say("commit Contoso", mention=True))
    _one_short_line(shown, "Contoso", "workshop")
    assert privately
    assert privately[0].cards or privately[0].text


@pytest.mark.parametrize(
    "command", ["sow Contoso", "health Contoso", "reminders", "status Contoso"]
)
async def test_account_answers_go_to_the_asker(
    shared: Shared, private: Conversation, command: str
) -> None:
    await _assessed(private)
    shown, privately = _split(shared, await shared.say(command, mention=True))
    _one_short_line(shown, "Contoso")
    assert privately


async def test_a_quick_check_card_submitted_in_a_shared_chat_answers_privately(
    shared: Shared, private: Conversation
) -> None:
    card = await quick_check_card(private, "Contoso")
    value = dict(submit_data(card, "Show level"))
    for choice_set in choice_sets(card):
        value[choice_set["id"]] = choice_set["choices"][1]["value"]
    shown, privately = _split(shared, await shared.submit(value, reply_to_id="card-in-chat"))
    _one_short_line(shown, "Contoso", "Cloud")
    assert "Contoso" in texts(privately[0].cards[0])
    assert not [s for s in shared.connector.sent if s.method == "PUT"]  # the chat's card stays


async def test_reminder_buttons_pressed_in_a_shared_chat_answer_privately(
    shared: Shared, private: Conversation
) -> None:
    await _assessed(private)
    value = {"action": "reminder_done", "customer": "contoso", "reminder": "check-in:2026-11-16"}
    shown, privately = _split(shared, await shared.submit(value))
    _one_short_line(shown, "Contoso")
    assert privately


async def test_a_flow_started_from_a_shared_chat_waits_for_a_turn_of_the_private_chat(
    personal: Conversation, private: Conversation, connector: FakeConnector, caplog: Any
) -> None:
    group = Conversation(
        personal.client, connector, "19:g@thread.v2", conversation_type="groupChat"
    )
    mention = {"type": "mention", "text": f"<at>{BOT_NAME}</at>", "mentioned": {"id": BOT_ID}}
    asked: list[asyncio.Task[int]] = []

    async def ask_in_the_group_meanwhile(sent: Sent) -> None:
        # While the private chat's turn is sending (its state not saved yet), someone asks
        # in the group; the private chat's turn goes on a moment later.
        if sent.conversation_id == PRIVATE and not asked:
            activity = group.activity(
                text=f"<at>{BOT_NAME}</at> assess Contoso", entities=[mention]
            )
            asked.append(asyncio.create_task(group.post(activity)))
            await asyncio.sleep(0.3)

    await private.say("assess Fabrikam")  # the private chat has state (a waiting question)
    connector.on_accept = ask_in_the_group_meanwhile
    assert await private.post(private.activity(text="no")) == 201
    assert await asked[0] == 201
    connector.on_accept = None
    assert not [r.getMessage() for r in caplog.records if r.exc_info]
    replies = await private.say("yes")  # the flow started last (Contoso's) is the one waiting
    assert "Question 1 of" in str(replies[0].body)
