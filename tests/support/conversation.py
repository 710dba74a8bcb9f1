"""Drive a conversation through `/api/messages` with Teams-shaped activities."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

from aiohttp.test_utils import TestClient

from tests.support.cards import client_owned_fields
from tests.support.connector import FakeConnector, Sent

BOT_ID = "28:csf-bot"
BOT_NAME = "Success Framework"


@dataclass
class Conversation:
    """One Teams conversation between a user and the bot, over real HTTP."""

    client: TestClient
    connector: FakeConnector
    conversation_id: str
    user_id: str = "ada"
    user_name: str = "Ada Lovelace"
    tenant_id: str = "tenant-a"
    conversation_type: str = "personal"
    locale: str = "en-US"  # what the user's Teams client sends: "de-DE" for a German user
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def activity(self, **fields: Any) -> dict[str, Any]:
        """A Teams-shaped activity in this conversation; `fields` override or add."""
        activity: dict[str, Any] = {
            "type": "message",
            "id": f"{self.conversation_id}-{next(self._ids)}",
            "timestamp": "2026-11-02T09:30:00.000Z",
            "serviceUrl": self.connector.url,
            "channelId": "msteams",
            "from": {
                "id": f"29:{self.user_id}",
                "name": self.user_name,
                "aadObjectId": f"aad-{self.user_id}",
            },
            "conversation": {
                "id": self.conversation_id,
                "conversationType": self.conversation_type,
                "tenantId": self.tenant_id,
                "isGroup": self.conversation_type != "personal",
            },
            "recipient": {"id": BOT_ID, "name": BOT_NAME},
            "channelData": {"tenant": {"id": self.tenant_id}},
            "locale": self.locale,
        }
        activity.update(fields)
        return activity

    async def post(self, activity: dict[str, Any]) -> int:
        """POST an activity to /api/messages; returns the HTTP status."""
        response = await self.client.post("/api/messages", json=activity)
        await response.read()
        return response.status

    async def say(self, text: str, *, mention: bool = False) -> list[Sent]:
        """Send a text message and return the messages the bot sent during the turn."""
        fields: dict[str, Any] = {"text": text}
        if mention:
            fields["text"] = f"<at>{BOT_NAME}</at> {text}"
            fields["entities"] = [
                {
                    "type": "mention",
                    "text": f"<at>{BOT_NAME}</at>",
                    "mentioned": {"id": BOT_ID, "name": BOT_NAME},
                }
            ]
        return await self._turn(self.activity(**fields))

    async def submit(self, value: dict[str, Any], *, reply_to_id: str | None = None) -> list[Sent]:
        """Press an Action.Submit button: a message with `value` and no text."""
        fields: dict[str, Any] = {"value": value}
        if reply_to_id:
            fields["replyToId"] = reply_to_id
        return await self._turn(self.activity(**fields))

    async def _turn(self, activity: dict[str, Any]) -> list[Sent]:
        before = len(self.connector.sent)
        status = await self.post(activity)
        assert status in (200, 201), f"/api/messages answered {status}"
        for sent in self.connector.sent[before:]:
            for card in sent.cards:
                owned = client_owned_fields(card)
                assert not owned, f"a card button's data carries client-owned fields {owned}"
        mine = {self.conversation_id, f"a:private-29:{self.user_id}"}  # this chat, or 1:1 with me
        return [
            s
            for s in self.connector.sent[before:]
            if s.type == "message" and s.method in ("POST", "PUT") and s.conversation_id in mine
        ]
