"""How an import problem reads, in the turn's language: where in the file (`customers[2]
('contoso')`), the refused format or version, pydantic's validation messages, the JSON parser's
messages and the names of JSON types. Pure; `engagement.exchange` finds the problems.

English is exactly what pydantic and the `json` module say: a message is translated only when
its English template, filled with the error's context, gives pydantic's own message; anything
else is shown as pydantic worded it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import ValidationError

from i18n import N_, _

# pydantic error type -> its message template (pydantic 2's English, with the error's context)
_VALIDATION = {
    "string_type": N_("Input should be a valid string"),
    "string_too_short": N_("String should have at least {min_length} characters"),
    "string_too_long": N_("String should have at most {max_length} characters"),
    "string_pattern_mismatch": N_("String should match pattern '{pattern}'"),
    "int_type": N_("Input should be a valid integer"),
    "int_parsing": N_("Input should be a valid integer, unable to parse string as an integer"),
    "int_from_float": N_("Input should be a valid integer, got a number with a fractional part"),
    "float_type": N_("Input should be a valid number"),
    "float_parsing": N_("Input should be a valid number, unable to parse string as a number"),
    "bool_type": N_("Input should be a valid boolean"),
    "bool_parsing": N_("Input should be a valid boolean, unable to interpret input"),
    "date_type": N_("Input should be a valid date"),
    "date_parsing": N_("Input should be a valid date in the format YYYY-MM-DD, {error}"),
    "date_from_datetime_parsing": N_("Input should be a valid date or datetime, {error}"),
    "date_from_datetime_inexact": N_(
        "Datetimes provided to dates should have zero time - e.g. be exact dates"
    ),
    "datetime_type": N_("Input should be a valid datetime"),
    "datetime_parsing": N_("Input should be a valid datetime, {error}"),
    "datetime_from_date_parsing": N_("Input should be a valid datetime or date, {error}"),
    "timezone_aware": N_("Input should have timezone info"),
    "list_type": N_("Input should be a valid list"),
    "dict_type": N_("Input should be a valid dictionary"),
    "model_attributes_type": N_(
        "Input should be a valid dictionary or object to extract fields from"
    ),
    "model_type": N_("Input should be a valid dictionary or instance of {class_name}"),
    "enum": N_("Input should be {expected}"),
    "literal_error": N_("Input should be {expected}"),
    "greater_than_equal": N_("Input should be greater than or equal to {ge}"),
    "less_than_equal": N_("Input should be less than or equal to {le}"),
    "greater_than": N_("Input should be greater than {gt}"),
    "less_than": N_("Input should be less than {lt}"),
    "too_short": N_(
        "List should have at least {min_length} items after validation, not {actual_length}"
    ),
    "too_long": N_(
        "List should have at most {max_length} items after validation, not {actual_length}"
    ),
}
# ... the same when the limit is 1 (pydantic says "1 character", "1 item")
_SINGULAR = {
    "string_too_short": N_("String should have at least {min_length} character"),
    "string_too_long": N_("String should have at most {max_length} character"),
    "too_short": N_(
        "List should have at least {min_length} item after validation, not {actual_length}"
    ),
    "too_long": N_(
        "List should have at most {max_length} item after validation, not {actual_length}"
    ),
}
# The `json` module's messages (JSONDecodeError.msg)
_JSON = frozenset(
    (
        N_("Expecting value"),
        N_("Expecting property name enclosed in double quotes"),
        N_("Expecting ',' delimiter"),
        N_("Expecting ':' delimiter"),
        N_("Extra data"),
        N_("Unterminated string starting at"),
        N_("Invalid control character at"),
        N_("Invalid \\escape"),
        N_("Invalid \\uXXXX escape"),
    )
)
_JSON_TYPES = {
    "array": N_("array"),
    "string": N_("string"),
    "boolean": N_("boolean"),
    "number": N_("number"),
    "null": N_("null"),
    "value": N_("value"),
}


def validation_message(detail: Mapping[str, Any]) -> str:
    """Pydantic's message for one error (`ValidationError.errors()`), in the turn's language."""
    message = str(detail["msg"])
    context = {key: str(value) for key, value in (detail.get("ctx") or {}).items()}
    kind = str(detail["type"])
    for template in (_VALIDATION.get(kind), _SINGULAR.get(kind)):
        if template is None or _filled(template, context) != message:
            continue  # pydantic worded it otherwise (a singular, another version)
        if "expected" in context:  # "'assess', 'commit' or 'closed'"
            context["expected"] = context["expected"].replace(" or ", _(" or "))
        return _(template).format(**context)
    return message


def _filled(template: str, context: Mapping[str, str]) -> str | None:
    try:
        return template.format(**context)
    except (KeyError, IndexError):
        return None


def json_message(message: str) -> str:
    """The JSON parser's complaint ("Expecting value"), in the turn's language."""
    return _(message) if message in _JSON else message


def json_type(name: str) -> str:
    """A JSON type's name ("array", "string", ...), in the turn's language."""
    return _(_JSON_TYPES[name]) if name in _JSON_TYPES else name


def validation_problems(error: ValidationError) -> list[tuple[str | None, str]]:
    """(field, reason) for each of pydantic's errors: "name", "is missing"."""
    return [
        (_path(detail["loc"]) or None, _reason(detail))
        for detail in error.errors(include_url=False)
    ]


def _reason(detail: Mapping[str, Any]) -> str:
    message = validation_message(detail)
    if detail["type"] == "missing":
        return _("is missing")
    if detail["type"] == "extra_forbidden":
        return _("is not a known field")
    got = detail.get("input")
    if isinstance(got, str | int | float | bool) or got is None:
        return _("{message} (got {value})").format(message=message, value=short(got))
    return message


def _path(loc: Iterable[int | str]) -> str:
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path


def customer_at(index: int, entry_id: Any) -> str:
    """Which customer of the file: "customers[2] ('contoso')"."""
    named = f" ({short(entry_id)})" if isinstance(entry_id, str) and entry_id else ""
    return f"customers[{index}]{named}"


def short(value: Any) -> str:
    """The value as Python writes it, cut to 60 characters."""
    text = repr(value)
    return text if len(text) <= 60 else text[:59] + "…"


def json_type_of(value: Any) -> str:
    """The JSON type of a parsed value ("array", "string", ...), in the turn's language."""
    names = {list: "array", str: "string", bool: "boolean", int: "number", float: "number"}
    return json_type("null" if value is None else names.get(type(value), "value"))


def format_problem(found: Any, expected: str) -> str:
    """Why the file's `format` is refused: missing, or another one."""
    what = _("is missing") if found is None else _("is {value}").format(value=short(found))
    return _("{problem}; a CSF export has format {format}").format(
        problem=what, format=repr(expected)
    )


def version_problem(found: Any, supported: int) -> str:
    """Why the file's `version` is refused: missing, or not one this bot reads."""
    what = (
        _("is missing")
        if found is None
        else _("{value} is not supported").format(value=short(found))
    )
    return _("{problem}; this bot reads version {version}").format(problem=what, version=supported)
