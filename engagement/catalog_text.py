"""The catalog's texts in two languages: the field types, the base of every catalog entry, and
`in_language`, which gives an entry with its texts in English or German.

Every text field `x` of an entry has a German twin `x_de` beside it (in the model and in the TOML
file). The loader requires each twin, except those an entry names in `german_optional` (the
framework's own names), and `in_language(entry, "de")` swaps the twins in, so views read `name`,
`description`, `label`… whatever the language. A twin left out (only possible in a catalog
built in code) reads as the English text.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any, ClassVar, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

GERMAN = "de"
TWIN_SUFFIX = f"_{GERMAN}"

Slug = Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[a-z0-9][a-z0-9_-]*$")]
Name = Annotated[str, Field(min_length=1, max_length=100)]
Text = Annotated[str, Field(min_length=1, max_length=600)]
Short = Annotated[str, Field(min_length=1, max_length=60)]  # a button's label
Line = Annotated[str, Field(min_length=1, max_length=300)]
Lines = Annotated[tuple[Line, ...], Field(min_length=1)]
Audience = Annotated[str, Field(min_length=1, max_length=200)]
QuestionText = Annotated[str, Field(min_length=1, max_length=150)]
HelpText = Annotated[str, Field(max_length=400)]
Signals = Annotated[
    tuple[Annotated[str, Field(min_length=1, max_length=200)], ...], Field(min_length=1)
]


class CatalogModel(BaseModel):
    """Base of catalog entries: immutable, unknown fields rejected.

    `german_optional` names the text fields whose German twin may be left out (it then reads
    as the English text).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")
    german_optional: ClassVar[frozenset[str]] = frozenset()


Entry = TypeVar("Entry", bound=BaseModel)


def in_language(entry: Entry, language: str) -> Entry:
    """`entry` (and the entries inside it) with its texts in `language`: "de" swaps in the German
    twins; any other language is English, the entry itself."""
    return _german(entry) if language == GERMAN else entry


def twins(entry: BaseModel) -> Iterator[tuple[str, Any, Any]]:
    """Each text field of `entry` that has a German twin: (field name, English, German or None)."""
    fields = type(entry).model_fields
    for name in fields:
        if not name.endswith(TWIN_SUFFIX) and f"{name}{TWIN_SUFFIX}" in fields:
            yield name, getattr(entry, name), getattr(entry, f"{name}{TWIN_SUFFIX}")


def _german(entry: Entry) -> Entry:
    changes: dict[str, Any] = {
        name: german for name, _, german in twins(entry) if german is not None
    }
    for name in type(entry).model_fields:
        value = getattr(entry, name)
        if isinstance(value, BaseModel):
            changes[name] = _german(value)
        elif isinstance(value, tuple | list) and any(isinstance(v, BaseModel) for v in value):
            changes[name] = type(value)(
                _german(v) if isinstance(v, BaseModel) else v for v in value
            )
    return entry.model_copy(update=changes) if changes else entry


class InLanguages(Generic[Entry]):
    """An entry as loaded, and its copies per language, made once each on first use."""

    def __init__(self, loaded: Entry) -> None:
        self.loaded = loaded
        self._copies: dict[str, Entry] = {}

    def get(self, language: str) -> Entry:
        """`loaded` with its texts in `language` (see `in_language`)."""
        if language not in self._copies:
            self._copies[language] = in_language(self.loaded, language)
        return self._copies[language]
