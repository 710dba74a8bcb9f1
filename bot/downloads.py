"""One-time download links for exports: `GET /exports/{token}`.

A chat message cannot carry a file of several megabytes, so `export` keeps the files here for a
short time and sends links. A token is 256 random bits, works once, expires after 15 minutes and
is only ever sent into the requester's personal chat: the link is the permission.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from aiohttp import web

from engagement.clock import Clock
from store.recent import Recent

TIME_TO_LIVE = timedelta(minutes=15)
MAX_PENDING = 100


@dataclass(frozen=True)
class Download:
    """A file waiting to be fetched."""

    name: str
    content_type: str
    body: bytes
    expires: datetime


class Downloads:
    """Files offered for download, each by an unguessable single-use token."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        # The oldest offers make room first (more than MAX_PENDING at once is abuse anyway).
        self._pending: Recent[str, Download] = Recent(MAX_PENDING)

    def offer(self, name: str, content_type: str, text: str) -> str:
        """Keep `text` for download; returns the token."""
        now = self._clock.now()
        for token, download in self._pending.items():
            if download.expires <= now:
                self._pending.discard(token)
        token = secrets.token_urlsafe(32)
        self._pending.put(
            token, Download(name, content_type, text.encode("utf-8"), now + TIME_TO_LIVE)
        )
        return token

    def take(self, token: str) -> Download | None:
        """The file for `token` once, or None when unknown, used or expired."""
        download = self._pending.discard(token)
        if download is None or download.expires <= self._clock.now():
            return None
        return download


def downloads_handler(downloads: Downloads) -> Any:
    """`GET /exports/{token}`: the file as an attachment, or 404."""

    async def fetch(request: web.Request) -> web.StreamResponse:
        download = downloads.take(request.match_info["token"])
        if download is None:
            return web.json_response(
                {"error": "this download link is unknown, used or expired"}, status=404
            )
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
