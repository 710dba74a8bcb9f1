"""`export` and `import` over /api/messages: download links, round trip, refusals, privacy."""

from __future__ import annotations

import json
import re

from aiohttp import web
from aiohttp.test_utils import TestServer

from bot.exchange import is_teams_file_url
from tests.bot.test_full_cycle import _quick_check
from tests.support.connector import FakeConnector
from tests.support.conversation import Conversation

LINK = re.compile(r"\]\((http://[^)]+/exports/[^)]+)\)")


async def _export(conversation: Conversation) -> tuple[dict, str]:
    replies = await conversation.say("export")
    links = LINK.findall(replies[0].text)
    assert len(links) == 2
    path = links[0].split("/exports/", 1)[1]
    response = await conversation.client.get(f"/exports/{path}")
    assert response.status == 200
    assert "attachment" in response.headers["Content-Disposition"]
    document = json.loads(await response.text())
    again = await conversation.client.get(f"/exports/{path}")
    assert again.status == 404  # a link works once
    csv_path = links[1].split("/exports/", 1)[1]
    csv_text = await (await conversation.client.get(f"/exports/{csv_path}")).text()
    return document, csv_text


async def _file_server(body: bytes) -> TestServer:
    async def serve(_: web.Request) -> web.Response:
        return web.Response(body=body, content_type="application/json")

    app = web.Application()
    app.router.add_get("/files/export.json", serve)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    return server


def _attached(conversation: Conversation, url: str, text: str = "import") -> dict:
    return conversation.activity(
        text=text,
        attachments=[
            {
                "contentType": "application/vnd.microsoft.teams.file.download.info",
                "name": "export.json",
                "content": {"downloadUrl": url, "uniqueId": "1", "fileType": "json"},
            }
        ],
    )


async def test_export_then_import_into_another_tenant_via_a_file(
    personal: Conversation, connector: FakeConnector
) -> None:
    await _quick_check(personal, 2)
    await personal.say("touch Contoso call: kickoff")
    document, csv_text = await _export(personal)
    assert document["format"] == "csf-export"
    assert [c["id"] for c in document["customers"]] == ["contoso"]
    assert "record" in csv_text.splitlines()[0]

    other = Conversation(
        personal.client, connector, "a:personal-eve", user_id="eve", tenant_id="tenant-b"
    )
    server = await _file_server(json.dumps(document).encode())
    try:
        url = str(server.make_url("/files/export.json"))
        status = await other.post(_attached(other, url))
        assert status == 201
        refused = connector.messages(other.conversation_id)[-1].text
        assert "imported nothing" in refused.lower()  # a file of another tenant is refused
        assert "tenant" in refused.lower()
    finally:
        await server.close()
    replies = await other.say("customers")
    assert "No customers yet" in replies[0].text
    others_export, _ = await _export(other)
    assert others_export["customers"] == []  # tenant B's export holds none of tenant A's data


async def test_import_restores_the_own_tenants_data_all_or_nothing(personal: Conversation) -> None:
    await _quick_check(personal, 2)
    document, _ = await _export(personal)
    replies = await personal.say("import " + json.dumps(document))
    assert "nothing" in replies[0].text.lower()  # contoso exists and replace was not asked
    renamed = json.loads(json.dumps(document))
    renamed["customers"][0]["name"] = "Contoso Renamed"
    replies = await personal.say("import replace " + json.dumps(renamed))
    assert "Imported 1 customer" in replies[0].text
    replies = await personal.say("customers")
    assert "Contoso Renamed" in replies[0].text


async def test_bad_import_files_are_refused_with_the_problem(personal: Conversation) -> None:
    for text, expected in (
        ("import {not json", "json"),
        ('import {"format": "something-else", "version": 1}', "format"),
        ("import", "attach"),
    ):
        replies = await personal.say(text)
        assert expected in replies[0].text.lower(), text
    replies = await personal.say("customers")
    assert "No customers yet" in replies[0].text


async def test_export_and_import_stay_out_of_shared_chats(
    personal: Conversation, connector: FakeConnector
) -> None:
    group = Conversation(
        personal.client, connector, "19:g@thread.v2", conversation_type="groupChat"
    )
    replies = await group.say("export", mention=True)
    assert "only made in our personal chat" in replies[0].text
    replies = await group.say("import {}", mention=True)
    assert "only made in our personal chat" in replies[0].text


async def test_unknown_download_tokens_are_404(personal: Conversation) -> None:
    response = await personal.client.get("/exports/made-up-token")
    assert response.status == 404


async def test_local_mode_reads_files_only_from_this_machine(personal: Conversation) -> None:
    status = await personal.post(_attached(personal, "https://files.example.com/export.json"))
    assert status == 201
    assert (
        "only read from this machine"
        in personal.connector.messages(personal.conversation_id)[-1].text
    )


def test_only_sharepoint_addresses_count_as_teams_files() -> None:
    assert is_teams_file_url("https://contoso.sharepoint.com/personal/ada/Documents/x.json")
    assert is_teams_file_url("https://contoso-my.sharepoint.com/x")
    for url in (
        "http://contoso.sharepoint.com/x",
        "https://evil.example/x.sharepoint.com",
        "https://sharepoint.com.evil.example/x",
        "https://10.0.0.1/x",
        "not a url",
    ):
        assert not is_teams_file_url(url), url
