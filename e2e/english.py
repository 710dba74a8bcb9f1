"""What tells English apart on a German user's screen, for the German pass of `make e2e`.

Read from the German catalogs (i18n/locales/de) and the seed files' German twins, so it follows
the translations without a list kept by hand:

- sentences: every run of three or more words between the placeholders of an English message
  that has a German translation, and every seed text that has a German twin (a page that shows
  one forgot to translate it);
- english_words / german_words: the words English texts use at least three times as often as
  German ones, and the other way round (German texts quote some English: "Customer Success",
  command words); a line with as many English words as German ones is English, which also
  finds text that never went through the catalogs;
- names: the level and workshop names a German user sees (as the seeds write them unless they
  give a German name).
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
# What splits an English message into sentences and phrases a page shows unchanged
_NOT_SHOWN_AS_IS = re.compile(r"\{\w*\}|%\(\w+\)[sdfi]|%[sdfi]|\*\*|`|\n|\\n|[\[\]|•·]")
_TRIM = " \t\"':;,.()-_*#>"
_MIN_WORDS = 3
_MOSTLY = 3
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")


def vocabulary(root: Path = ROOT) -> dict[str, list[str]]:
    """The sentences, words and names described above, each list sorted."""
    english: list[str] = []
    german: list[str] = []
    for po_file in sorted((root / "i18n" / "locales" / "de" / "LC_MESSAGES").glob("*.po")):
        with po_file.open("rb") as handle:
            catalog = read_po(handle)
        for message in catalog:
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            if ids[0] and any(strings):
                english.extend(ids)
                german.extend(string for string in strings if string)
    names: set[str] = set()
    for toml_file in sorted((root / "catalog").glob("*.toml")):
        seeds = tomllib.loads(toml_file.read_text(encoding="utf-8"))
        for text, twin in _twins(seeds):
            english.append(text)
            german.append(twin)
        for kind in ("level", "workshop"):
            for entry in seeds.get(kind, []):
                names.add(entry.get("name_de", entry["name"]))
    german_text = "\n".join(" ".join(text.split()) for text in german)
    sentences = {fragment for text in english for fragment in _fragments(text)}
    in_english = Counter(word for text in english for word in words(text))
    in_german = Counter(word for text in german for word in words(text))
    return {
        "sentences": sorted(s for s in sentences if s not in german_text),
        "english_words": sorted(w for w in in_english if _mostly(w, in_english, in_german)),
        "german_words": sorted(w for w in in_german if _mostly(w, in_german, in_english)),
        "names": sorted(names, key=lambda name: (-len(name), name)),
    }


def _mostly(word: str, these: Counter[str], others: Counter[str]) -> bool:
    """True when `these` texts use the word at least _MOSTLY times as often as `others` (twice
    at least when the others never do)."""
    return these[word] >= _MOSTLY * max(others[word], 0.5)


def words(text: str) -> list[str]:
    """The words of a text, lower case (what the page check compares)."""
    return [word.lower() for word in _WORD.findall(text) if len(word) > 1]


def _fragments(text: str) -> Iterator[str]:
    """The runs of `text` a page shows as they are, when they are long enough to be English."""
    for piece in _NOT_SHOWN_AS_IS.split(text):
        fragment = " ".join(piece.split()).strip(_TRIM)
        if sum(any(c.isalpha() for c in word) for word in fragment.split()) >= _MIN_WORDS:
            yield fragment


def _twins(node: object) -> Iterator[tuple[str, str]]:
    """Every (English, German) text pair of a seed file: a field `x` beside its `x_de`."""
    if isinstance(node, list):
        for item in node:
            yield from _twins(item)
    elif isinstance(node, dict):
        for key, value in node.items():
            twin = node.get(f"{key}_de")
            if isinstance(value, str) and isinstance(twin, str):
                if value != twin:
                    yield value, twin
            elif isinstance(value, list) and isinstance(twin, list):
                yield from zip(map(str, value), map(str, twin), strict=False)
            else:
                yield from _twins(value)
