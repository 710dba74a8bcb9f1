"""The hostile request bodies of bench/hostile_soak.py: Teams-shaped commands and card submits
with hostile text in personal, group, channel and meeting chats, and malformed activities (wrong
types, missing fields, `membersAdded: [null]`, a mention without `mentioned`, lone surrogates,
deep nesting, invalid UTF-8, oversized bodies, non-objects, unknown invokes)."""

from __future__ import annotations

import json
import random
from typing import Any

BOT = {"id": "28:csf-bot", "name": "Success Framework"}
KINDS = ["personal", "groupChat", "channel", "meeting"]
HOSTILE_NAMES = [
    "Contoso",
    "[Open SharePoint](https://evil.example)",
    "**Fabrikam** <b>x</b>",
    "Ada `O'Neil` \\ </script> & ${user}",
    "\u202eevil\u202c Ltd",
    "Zero\u200bWidth",
    "🎉 Party Inc",
    "x" * 300,
    "Tab\tNew\nLine",
]
COMMANDS = [
    "help",
    "quick check {n}",
    "assess {n}",
    "commit {n}",
    "commit {n} form",
    "sow {n}",
    "deliver {n}",
    "ensure {n}",
    "status {n}",
    "history {n}",
    "report {n}",
    "touch {n} call: see [x](https://evil.example) **now**",
    "reminders",
    "renewal {n} 2027-06-30",
    "licenses {n} 10 5",
    "portfolio",
    "health {n}",
    "kpis",
    "customers",
    "catalog {n}",
    "export",
    "import {{}}",
    "pause reminders until 2027-01-01",
    "resume reminders",
    "digest on",
    "yes",
    "1",
    "back",
    "cancel",
    "{n}",
]
ACTIONS = [
    "choose",
    "back",
    "cancel",
    "quick_check",
    "save_quick_check",
    "run_command",
    "form",
    "agree_sow",
    "record_delivery",
    "review",
    "log_touch",
    "snooze",
    "reminder_done",
    "unknown",
]


class Generator:
    """Hostile request bodies: (bytes, content type)."""

    def __init__(self, rng: random.Random, service_url: str) -> None:
        self.rng = rng
        self.service_url = service_url
        self.serial = 0

    def activity(self, **fields: Any) -> dict[str, Any]:
        rng = self.rng
        self.serial += 1
        kind = rng.choice(KINDS)
        user = rng.randrange(12)
        conversation_id = {
            "personal": f"a:personal-{user}",
            "groupChat": f"19:group-{user % 3}@thread.v2",
            "channel": f"19:channel-{user % 2}@thread.tacv2;messageid={user}",
            "meeting": f"19:meeting_{user % 2}@thread.v2",
        }[kind]
        activity: dict[str, Any] = {
            "type": "message",
            "id": f"soak-{self.serial}",
            "serviceUrl": self.service_url,
            "channelId": "msteams",
            "from": {"id": f"29:user-{user}", "name": f"User {user}", "aadObjectId": f"aad-{user}"},
            "recipient": BOT,
            "conversation": {
                "id": conversation_id,
                "conversationType": "groupChat" if kind == "meeting" else kind,
                "tenantId": f"tenant-{user % 2}",
                "isGroup": kind != "personal",
            },
            "channelData": {"tenant": {"id": f"tenant-{user % 2}"}},
            "locale": rng.choice(["en-US", "de-DE", "x" * 50]),
        }
        activity.update(fields)
        return activity

    def text(self) -> str:
        command = self.rng.choice(COMMANDS).format(n=self.rng.choice(HOSTILE_NAMES))
        roll = self.rng.random()
        if roll < 0.3:
            return f"<at>{BOT['name']}</at> {command}"
        if roll < 0.35:
            return command * 200  # far over the text limit
        return command

    def message(self) -> dict[str, Any]:
        text = self.text()
        entities = []
        if "<at>" in text:
            entities.append(
                {"type": "mention", "text": f"<at>{BOT['name']}</at>", "mentioned": BOT}
            )
        if self.rng.random() < 0.2:
            entities.append(
                {
                    "type": "clientInfo",
                    "timezone": self.rng.choice(["Europe/Berlin", "Mars/Base", "", "x" * 300]),
                }
            )
        return self.activity(text=text, entities=entities)

    def submit(self) -> dict[str, Any]:
        rng = self.rng
        value: dict[str, Any] = {"action": rng.choice(ACTIONS)}
        for key in ("customer", "customer_id", "iteration", "card", "prompt", "choice", "command"):
            if rng.random() < 0.5:
                value[key] = rng.choice(
                    [rng.choice(HOSTILE_NAMES), 1, None, [], {"x": 1}, "contoso"]
                )
        return self.activity(value=value)

    def malformed(self) -> bytes | dict[str, Any]:
        rng = self.rng
        base = self.activity(text="help")
        choice = rng.randrange(16)
        if choice == 0:
            return {**base, "membersAdded": [None], "type": "conversationUpdate"}
        if choice == 1:
            return {**base, "entities": [{"type": "mention", "text": "<at>x</at>"}]}
        if choice == 2:
            body = json.dumps(base)
            return body.replace('"29:user', '"29:\\ud800user', 1).encode()
        if choice == 3:
            body = json.dumps(base)
            return body.replace('"help"', '"he\\udc00lp"', 1).encode()
        if choice == 4:
            depth = rng.choice([65, 200, 1000, 5000])
            return (
                json.dumps(base)[:-1] + ', "value": ' + "[" * depth + "]" * depth + "}"
            ).encode()
        if choice == 5:
            return bytes(rng.randrange(256) for _ in range(rng.randrange(1, 300)))
        if choice == 6:
            return {
                **base,
                rng.choice(
                    [
                        "from",
                        "conversation",
                        "recipient",
                        "text",
                        "entities",
                        "attachments",
                        "channelData",
                        "membersAdded",
                        "value",
                        "serviceUrl",
                        "id",
                        "type",
                    ]
                ): rng.choice([None, 1, "x", [], [1], {"id": 5}, True]),
            }
        if choice == 7:
            return {
                **base,
                "type": "invoke",
                "name": rng.choice(
                    [
                        "adaptiveCard/action",
                        "task/fetch",
                        "composeExtension/query",
                        "signin/verifyState",
                        "x",
                    ]
                ),
                "value": rng.choice(
                    [None, {}, {"action": {"type": "Action.Execute", "verb": "x"}}]
                ),
            }
        if choice == 8:
            return {
                **base,
                "type": rng.choice(
                    [
                        "conversationUpdate",
                        "installationUpdate",
                        "messageReaction",
                        "typing",
                        "event",
                        "endOfConversation",
                        "deleteUserData",
                        "x",
                    ]
                ),
                "action": rng.choice(["add", "remove", None]),
                "membersAdded": [BOT, {"id": "29:new"}],
            }
        if choice == 9:
            return {
                **base,
                "attachments": [
                    {
                        "contentType": "application/vnd.microsoft.teams.file.download.info",
                        "content": {
                            "downloadUrl": rng.choice(
                                [
                                    "http://203.0.113.1/x.json",
                                    self.service_url + "missing",
                                    "file:///etc/passwd",
                                ]
                            )
                        },
                    }
                ],
                "text": "import",
            }
        if choice == 10:
            return {
                **base,
                "serviceUrl": rng.choice(
                    ["https://evil.example/", "ftp://x", "", "http://127.0.0.1:1/"]
                ),
            }
        if choice == 11:
            return {**base, "deliveryMode": "expectReplies", "text": self.text()}
        if choice == 12:
            return b"x" * 300_000  # larger than MAX_BODY_BYTES
        if choice == 13:
            return json.dumps([base]).encode()
        if choice == 14:
            return {**base, "entities": [{"type": "mention", "mentioned": {"id": 5}}]}
        return {**base, "conversation": {"id": "a:" + "y" * 2000}}

    def next(self) -> tuple[bytes, str]:
        roll = self.rng.random()
        if roll < 0.45:
            body: bytes | dict[str, Any] = self.message()
        elif roll < 0.65:
            body = self.submit()
        else:
            body = self.malformed()
        content_type = "application/json"
        if self.rng.random() < 0.02:
            content_type = self.rng.choice(["text/plain", "application/x-www-form-urlencoded"])
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        return data, content_type
