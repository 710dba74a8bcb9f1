"""Replies over the shared session: retries on 429/5xx, give-up on 4xx, expectReplies."""

from __future__ import annotations

import pytest
from botbuilder.core import CardFactory, MessageFactory
from botbuilder.schema import ConversationAccount

from bot.transport import _sent_id, _wire_json
from tests.support.conversation import Conversation


async def test_a_throttled_reply_is_retried_and_delivered(personal: Conversation) -> None:
    personal.connector.failures = [429, 503]
    replies = await personal.say("help")
    assert len(replies) == 1
    assert replies[0].cards
    refused = [s.method for s in personal.connector.sent if s.method.startswith("REFUSED")]
    assert refused == ["REFUSED 429", "REFUSED 503"]


async def test_a_reply_on_a_connection_the_connector_closed_is_sent_again(
    personal: Conversation,
) -> None:
    personal.connector.disconnects = 1  # what the Agents Playground does to an idle connection
    replies = await personal.say("help")
    assert len(replies) == 1
    assert replies[0].cards


async def test_a_refused_reply_ends_the_turn_without_crashing(personal: Conversation) -> None:
    personal.connector.failures = [403, 403]
    status = await personal.post(personal.activity(text="help"))
    assert status == 201  # the failure is logged and the user is apologised to where possible
    personal.connector.failures = []
    replies = await personal.say("help")
    assert replies[0].cards


async def test_expect_replies_returns_the_replies_in_the_response(personal: Conversation) -> None:
    activity = personal.activity(text="help", deliveryMode="expectReplies")
    response = await personal.client.post("/api/messages", json=activity)
    assert response.status == 200
    body = await response.json()
    attachment = body["activities"][0]["attachments"][0]
    assert attachment["contentType"].endswith("adaptive")
    assert attachment["content"]["type"] == "AdaptiveCard"  # the card, not its Python repr
    assert personal.connector.messages(personal.conversation_id) == []


def test_wire_json_equals_the_sdk_serialisation() -> None:
    card = {
        "type": "AdaptiveCard",
        "version": "1.5",
        "body": [{"type": "TextBlock", "text": 'é "q"'}],
    }
    activity = MessageFactory.attachment(CardFactory.adaptive_card(card), text="hi")
    activity.conversation = ConversationAccount(id="a:1")
    activity.reply_to_id = "x"
    assert _wire_json(activity) == activity.serialize()
    assert activity.attachments[0].content is card


@pytest.mark.parametrize(
    ("answer", "expected"),
    [(b'{"id":"1:x"}', "1:x"), (b"", ""), (b"not json", ""), (b"[1]", ""), (b'{"id":5}', "")],
)
def test_the_sent_id_is_read_from_whatever_the_connector_answered(
    answer: bytes, expected: str
) -> None:
    assert _sent_id(answer) == expected
