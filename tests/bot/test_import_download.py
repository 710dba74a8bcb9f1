"""Import of an attached export: the whole file however large (up to the limit), and no redirect
leads the bot to a host it would not fetch from directly (issue 15)."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from tests.bot.test_export_import import _attached, _export
from tests.bot.test_full_cycle import _quick_check
from tests.support.conversation import Conversation


@pytest.fixture
async def files() -> AsyncIterator[dict[str, Any]]:
    """A local file host: `routes[path] = bytes` serves them; `routes[path] = ("redirect", url)`
    answers 302 to `url`. The dict also records the paths requested."""
    routes: dict[str, Any] = {"requested": []}

    async def serve(request: web.Request) -> web.StreamResponse:
        routes["requested"].append(request.path)
        target = routes.get(request.path)
        if isinstance(target, tuple):
            raise web.HTTPFound(target[1])
        if target is None:
            raise web.HTTPNotFound()
        response = web.StreamResponse(headers={"Content-Type": "application/json"})
        await response.prepare(request)
        for start in range(0, len(target), 50_000):  # many chunks, as a real download arrives
            await response.write(target[start : start + 50_000])
        await response.write_eof()
        return response

    app = web.Application()
    app.router.add_get("/{tail:.*}", serve)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    routes["base"] = str(server.make_url("/")).rstrip("/")
    try:
        yield routes
    finally:
        await server.close()


def _many_customers(document: dict[str, Any], count: int) -> dict[str, Any]:
    template = document["customers"][0]
    many = json.loads(json.dumps(document))
    many["customers"] = []
    for number in range(count):
        customer = json.loads(json.dumps(template))
        customer["id"] = f"customer-{number:04d}"
        customer["name"] = f"Customer {number:04d}"
        many["customers"].append(customer)
    return many


async def test_a_2000_customer_export_attached_as_a_file_is_imported(
    personal: Conversation, files: dict[str, Any]
) -> None:
    await _quick_check(personal, 2)
    document, _ = await _export(personal)
    body = json.dumps(_many_customers(document, 2000)).encode()
    assert len(body) > 1_000_000  # far beyond the first chunk of a download
    files["/big.json"] = body
    status = await personal.post(_attached(personal, files["base"] + "/big.json"))
    assert status == 201
    reply = personal.connector.messages(personal.conversation_id)[-1].text
    assert "Imported 2,000 customers" in reply or "Imported 2000 customers" in reply, reply
    replies = await personal.say("customers")
    assert re.search(r"\(2,?001\)", replies[0].text)


async def test_redirects_are_followed_only_to_hosts_the_bot_may_fetch(
    personal: Conversation, files: dict[str, Any]
) -> None:
    await _quick_check(personal, 2)
    document, _ = await _export(personal)
    files["/file.json"] = json.dumps(document).encode()
    files["/moved.json"] = ("redirect", files["base"] + "/file.json")
    files["/away.json"] = ("redirect", "http://203.0.113.9/file.json")
    files["/loop.json"] = ("redirect", files["base"] + "/loop.json")

    await personal.post(_attached(personal, files["base"] + "/away.json", "import replace"))
    refused = personal.connector.messages(personal.conversation_id)[-1].text
    assert "imported nothing" in refused.lower()
    assert "only read from this machine" in refused

    await personal.post(_attached(personal, files["base"] + "/loop.json", "import replace"))
    assert "redirects more than" in personal.connector.messages(personal.conversation_id)[-1].text

    await personal.post(_attached(personal, files["base"] + "/moved.json", "import replace"))
    assert "Imported 1 customer" in personal.connector.messages(personal.conversation_id)[-1].text
