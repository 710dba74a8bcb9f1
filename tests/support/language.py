"""Which language a reply speaks, judged through the catalogs (issue 18's acceptance tests)."""

from __future__ import annotations

import re

from i18n.catalogs import DOMAINS
from scripts.translations import read_catalog
from tests.support.cards import texts
from tests.support.connector import Sent

_PLACEHOLDER = re.compile(r"\{[^{}]*\}|%\(\w+\)[sdif]|\*\*|`[^`]*`")


def _runs(message: str) -> list[str]:
    """The literal runs of 3+ words between a message's placeholders (and code spans)."""
    pieces = (piece.strip(" .,:;!?…-\n") for piece in _PLACEHOLDER.split(message))
    return [piece for piece in pieces if len(piece.split()) >= 3]


def _messages() -> list[tuple[str, str]]:
    pairs = []
    for domain in DOMAINS:
        for message in read_catalog("de", domain):
            if not message.id:
                continue
            ids = [message.id] if isinstance(message.id, str) else list(message.id)
            strings = [message.string] if isinstance(message.string, str) else list(message.string)
            pairs += [(i, s) for i, s in zip(ids, strings, strict=False) if s and s != i]
    return pairs


def leaks(replies: list[str], originals: list[str]) -> set[str]:
    runs = {run for original in originals for run in _runs(original)}
    return {run for run in runs for reply in replies if run in reply}


def shown(sent: list[Sent]) -> list[str]:
    return [s.text or "" for s in sent] + [texts(card) for s in sent for card in s.cards]


def foreign_messages(language: str) -> list[str]:
    """What a user of `language` must never read: the English msgids with a German translation
    for a German user, those translations for an English one."""
    pairs = _messages()
    return [english for english, _ in pairs] if language == "de" else [g for _, g in pairs]
