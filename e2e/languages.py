"""What tells a user's language from the other one on the screen, for `make e2e`: English on
a German user's screen, German on an English user's.

Read from the German catalogs (i18n/locales/de) and the seed files' German twins, so it follows
the translations without a list kept by hand. For each language:

- sentences: every run of three or more words between the placeholders of a message (the
  English msgid or its German translation) and every seed text with a twin, unless the other
  language's texts contain it too ("Azure Governance Workshop"): a page that shows one to a
  user of the other language forgot to translate it;
- words: those the language's texts use at least three times as often as the other's (German
  texts quote some English: "Customer Success", command words); a line with as many words of
  the other language as of the user's is in the wrong language, which also finds text that
  never went through the catalogs;
- names: the level and workshop names a user of the language sees (as the seeds write them
  unless they give a German name), spared by the check.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
# What splits a message into sentences and phrases a page shows unchanged
_NOT_SHOWN_AS_IS = re.compile(r"\{\w*\}|%\(\w+\)[sdfi]|%[sdfi]|\*\*|`|\n|\\n|[\[\]|•·]")
_TRIM = " \t\"':;,.()-_*#>\u201c\u201e"  # and German quotes
_MIN_WORDS = 3
_MOSTLY = 3
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")


def vocabulary(root: Path = ROOT) -> dict[str, dict[str, list[str]]]:
    """For "en" and "de": the sentences, words and names described above, each list sorted."""
    texts: dict[str, list[str]] = {"en": [], "de": []}
    for po_file in sorted((root / "i18n" / "locales" / "de" / "LC_MESSAGES").glob("*.po")):
        with po_file.open("rb") as handle:
            catalog = read_po(handle)
        for message in catalog:
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            if ids[0] and any(strings):
                texts["en"].extend(ids)
                texts["de"].extend(string for string in strings if string)
    names: dict[str, set[str]] = {"en": set(), "de": set()}
    for toml_file in sorted((root / "catalog").glob("*.toml")):
        seeds = tomllib.loads(toml_file.read_text(encoding="utf-8"))
        for text, twin in _twins(seeds):
            texts["en"].append(text)
            texts["de"].append(twin)
        for kind in ("level", "workshop"):
            for entry in seeds.get(kind, []):
                names["en"].add(entry["name"])
                names["de"].add(entry.get("name_de", entry["name"]))
    counts = {language: Counter(w for t in texts[language] for w in words(t)) for language in texts}
    result = {}
    for language, other in (("en", "de"), ("de", "en")):
        other_text = "\n".join(" ".join(text.split()) for text in texts[other])
        sentences = {fragment for text in texts[language] for fragment in _fragments(text)}
        mine, theirs = counts[language], counts[other]
        result[language] = {
            "sentences": sorted(s for s in sentences if s not in other_text),
            "words": sorted(w for w in mine if _mostly(w, mine, theirs)),
            "names": sorted(names[language], key=lambda name: (-len(name), name)),
        }
    return result


def _mostly(word: str, these: Counter[str], others: Counter[str]) -> bool:
    """True when `these` texts use the word at least _MOSTLY times as often as `others` (twice
    at least when the others never do)."""
    return these[word] >= _MOSTLY * max(others[word], 0.5)


def words(text: str) -> list[str]:
    """The words of a text, lower case (what the page check compares)."""
    return [word.lower() for word in _WORD.findall(text) if len(word) > 1]


def _fragments(text: str) -> Iterator[str]:
    """The runs of `text` a page shows as they are, when they are long enough to tell."""
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
