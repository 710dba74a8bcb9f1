"""`export` and `import`: the tenant's data out as files, and back in from a file.

Both work only in the personal chat: an export holds every customer of the organisation, and an
import replaces data, so neither belongs in a chat others read. Export files are offered as
one-time download links (bot/downloads.py). An import reads a Teams file attachment (or JSON
pasted after the command) and is written all or nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from botbuilder.core import TurnContext
from yarl import URL

from bot.downloads import Downloads
from bot.inbound import read_at_most
from bot.web import is_loopback_url
from dialogs.common.services import DialogServices
from dialogs.common.turn import is_shared_conversation, tenant_of, user_of
from dialogs.portfolio import exchange_commands
from engagement.exchange import MAX_DOCUMENT_BYTES
from engagement.ports import CustomerImportWriter
from engagement.reminder_index import SchedulingCustomerRepository
from i18n import _

logger = logging.getLogger(__name__)

FILE_DOWNLOAD_INFO = "application/vnd.microsoft.teams.file.download.info"
MAX_IMPORT_BYTES = MAX_DOCUMENT_BYTES
MAX_REDIRECTS = 3
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
DOWNLOAD_TIMEOUT = aiohttp.ClientTimeout(total=60)


class IndexedWriter:
    """Imports through the store's all-or-nothing writer, keeping the reminder index current."""

    def __init__(self, customers: SchedulingCustomerRepository, writer: CustomerImportWriter):
        self._customers = customers
        self._writer = writer

    async def import_customers(self, tenant_id: str, add: Any, replace: Any) -> None:
        await self._customers.import_customers(self._writer, tenant_id, add, replace)


class Exchange:
    """The export and import commands."""

    def __init__(
        self,
        services: DialogServices,
        downloads: Downloads,
        base_url: str,
        writer: CustomerImportWriter,
        *,
        local_mode: bool,
        links_work: bool = True,
    ) -> None:
        self._services = services
        self._downloads = downloads
        self._base_url = base_url.rstrip("/")
        customers = services.customers
        self._writer: CustomerImportWriter = (
            IndexedWriter(customers, writer)
            if isinstance(customers, SchedulingCustomerRepository)
            else writer
        )
        self._local_mode = local_mode
        self._links_work = links_work

    async def export(self, context: TurnContext, argument: str) -> None:
        """Offer the JSON export and the CSV as download links, in the personal chat only."""
        if is_shared_conversation(context):
            await context.send_activity(_("Exports are only made in our personal chat."))
            return
        if not self._links_work:
            await context.send_activity(
                _(
                    "Exports need the bot's https address for the download links "
                    "(PUBLIC_BASE_URL); ask whoever runs the bot to set it."
                )
            )
            return
        files = await exchange_commands.export_command(
            argument,
            tenant_of(context),
            user_of(context).id,
            self._services.clock.now(),
            self._services.customers,
        )
        json_link = await self._link(files.json_name, "application/json", files.json_text)
        csv_link = await self._link(files.csv_name, "text/csv", files.csv_text)
        links = f"- [{files.json_name}]({json_link})\n- [{files.csv_name}]({csv_link})"
        once = _("Each link works once, for {minutes} minutes.").format(minutes=15)
        await context.send_activity(f"{files.summary}\n\n{links}\n\n{once}")

    async def import_(self, context: TurnContext, argument: str) -> None:
        """Import an attached export file (or pasted JSON), all or nothing."""
        if is_shared_conversation(context):
            await context.send_activity(_("Imports are only made in our personal chat."))
            return
        try:
            document = await self._attached_file(context)
        except ValueError as error:
            await context.send_activity(_("I imported nothing: {reason}").format(reason=error))
            return
        reply = await exchange_commands.import_command(
            argument,
            tenant_of(context),
            user_of(context).id,
            self._services.clock.now(),
            self._services.customers,
            document=document,
            writer=self._writer,
        )
        await context.send_activity(reply)

    async def _link(self, name: str, content_type: str, text: str) -> str:
        return f"{self._base_url}/exports/{await self._downloads.offer(name, content_type, text)}"

    async def _attached_file(self, context: TurnContext) -> bytes | None:
        for attachment in context.activity.attachments or []:
            content = attachment.content if isinstance(attachment.content, dict) else {}
            url = content.get("downloadUrl")
            if attachment.content_type != FILE_DOWNLOAD_INFO or not isinstance(url, str):
                continue
            return await download(url, self._allowed)
        return None

    def _allowed(self, url: str) -> None:
        """Raise ValueError unless the bot may fetch `url` (every redirect hop is checked)."""
        if self._local_mode and not is_loopback_url(url):
            raise ValueError(_("in local mode files are only read from this machine"))
        if not self._local_mode and not is_teams_file_url(url):
            raise ValueError(_("the file's download address is not a Teams (SharePoint) one"))


# Teams keeps chat files in SharePoint / OneDrive for Business; nothing else is fetched, so a
# crafted attachment cannot make the bot request arbitrary addresses.
TEAMS_FILE_HOST_SUFFIXES = (
    ".sharepoint.com",
    ".sharepoint.us",
    ".sharepoint-mil.us",
    ".sharepoint.cn",
)


def is_teams_file_url(url: str) -> bool:
    """True for https addresses on SharePoint hosts (where Teams chat files live)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    host = (parts.hostname or "").lower()
    return parts.scheme == "https" and host.endswith(TEAMS_FILE_HOST_SUFFIXES)


async def download(url: str, allowed: Callable[[str], None]) -> bytes:
    """The whole body at `url` (at most MAX_IMPORT_BYTES), following at most MAX_REDIRECTS
    redirects, each checked by `allowed` before it is requested; ValueError says what failed."""
    try:
        async with aiohttp.ClientSession(timeout=DOWNLOAD_TIMEOUT) as session:
            for _hop in range(MAX_REDIRECTS + 1):
                allowed(url)
                async with session.get(url, allow_redirects=False) as response:
                    if response.status in _REDIRECTS and "Location" in response.headers:
                        url = str(response.url.join(URL(response.headers["Location"])))
                        continue
                    if response.status != 200:
                        raise ValueError(
                            _("the file could not be downloaded (HTTP {status})").format(
                                status=response.status
                            )
                        )
                    try:
                        return await read_at_most(response, MAX_IMPORT_BYTES)
                    except ValueError:
                        limit = MAX_IMPORT_BYTES // 1_000_000
                        raise ValueError(
                            _("the file is larger than {limit} MB").format(limit=limit)
                        ) from None
    except aiohttp.ClientError as error:
        raise ValueError(_("the file could not be downloaded")) from error
    raise ValueError(
        _("the file's address redirects more than {count} times").format(count=MAX_REDIRECTS)
    )
