"""One-time download links for exports: `GET /exports/{token}`.

A chat message cannot carry a file of several megabytes, so `export` keeps the files here for a
short time and sends links. A token is 256 random bits, works once, expires after 15 minutes and
is only ever sent into the requester's personal chat: the link is the permission.

The files wait on a `DownloadShelf` (engagement.ports): in this process (`MemoryShelf`, one
instance) or in the database (`store.pg.PgDownloadShelf`), so that with several replicas the one
that receives the GET finds the file another one offered.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from aiohttp import web

from engagement.clock import Clock
from engagement.ports import Download, DownloadShelf
from i18n import _, language_of, use_language
from store.recent import Recent

TIME_TO_LIVE = timedelta(minutes=15)
MAX_PENDING = 100


class MemoryShelf:
    """A `DownloadShelf` in this process: at most MAX_PENDING files, the oldest dropped first."""

    def __init__(self) -> None:
        # The oldest offers make room first (more than MAX_PENDING at once is abuse anyway).
        self._pending: Recent[str, Download] = Recent(MAX_PENDING)

    async def put(
        self,
        token: str,
        download: Download,
        now: datetime,
    ) -> None:
        """Keep the file; drops expired ones and, past MAX_PENDING, the oldest."""
        for old, waiting in self._pending.items():
            if waiting.expires <= now:
                self._pending.discard(old)
        self._pending.put(token, download)

    async def take(self, token: str) -> Download | None:
        """The file of `token` once."""
        return self._pending.discard(token)


class Downloads:
    """Files offered for download, each by an unguessable single-use token.

    Args:
        clock: Anything with `now()`.
        shelf: Where the files wait (this process's memory unless given).
    """

    def __init__(self, clock: Clock, shelf: DownloadShelf | None = None) -> None:
        self._clock = clock
        self._shelf: DownloadShelf = shelf or MemoryShelf()

    async def offer(self, name: str, content_type: str, text: str) -> str:
        """Keep `text` for download; returns the token."""
        now = self._clock.now()
        token = secrets.token_urlsafe(32)
        body = text.encode("utf-8")
        await self._shelf.put(token, Download(name, content_type, body, now + TIME_TO_LIVE), now)
        return token

    async def take(self, token: str) -> Download | None:
        """The file for `token` once, or None when unknown, used or expired."""
        download = await self._shelf.take(token)
        if download is None:
            return None
        if download.expires <= self._clock.now():
            return None
        return download


def browser_language(accept_language: str) -> str:
    """The language of a browser's first choice in `Accept-Language` ("de-DE,de;q=0.9,en;q=0.8"
    is German), English otherwise: a download link is opened outside Teams, without a turn."""
    return language_of(accept_language.split(",")[0].split(";")[0])


def downloads_handler(downloads: Downloads) -> Any:
    """`GET /exports/{token}`: the file as an attachment, or 404."""

    async def fetch(request: web.Request) -> web.StreamResponse:
        download = await downloads.take(request.match_info["token"])
        if download is None:
            with use_language(browser_language(request.headers.get("Accept-Language", ""))):
                error = _("this download link is unknown, used or expired")
            return web.json_response({"error": error}, status=404)
        return web.Response(
            body=download.body,
            content_type=download.content_type,
            charset="utf-8",
            headers={
                "Content-Disposition": f'attachment; filename="{download.name}"',
                "Cache-Control": "no-store",
                "X-Content-Type-Options": "nosniff",
            },
        )

    return fetch
