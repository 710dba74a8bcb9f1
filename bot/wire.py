"""Bot Framework models to and from wire JSON: msrest's results, without msrest's per-field cost.

`Activity().deserialize(body)` and `activity.serialize()` run msrest's generic machinery: for every
field it copies the field's description, splits its key with a regular expression, and looks the
type up again. That was a fifth of a dialog turn (an incoming activity, the reply, the conversation
reference). The botbuilder.schema models are plain: no flattened keys, no subtypes, no read-only
fields, JSON only. So each model class is compiled once into a list of (attribute, key, type) and
values of the expected JSON types are converted directly. Any value msrest would coerce, reject or
treat specially (a number where a string belongs, a malformed date, a model inside `object`, a type
this module does not know) sends the whole model to msrest itself, so results and errors are
msrest's own. tests/bot/test_wire.py checks both paths against each other on generated activities.
"""

from __future__ import annotations

import datetime
import re
from enum import Enum
from typing import Any, TypeVar

from msrest.serialization import Deserializer, Model, Serializer

from bot.sdk_internals import attribute_map, class_models, needs_msrest

ModelT = TypeVar("ModelT", bound=Model)

_SCALARS = {"str": str, "bool": bool, "int": int, "float": float}
_JSON_LEAVES = (str, int, float, bool, type(None))


class _Unsupported(Exception):
    """This value (or model) needs msrest's own code."""


class _Field:
    __slots__ = ("attr", "item", "key", "kind")

    def __init__(self, attr: str, key: str, kind: str, item: Any) -> None:
        self.attr = attr
        self.key = key
        self.kind = kind  # "scalar", "object", "iso", "list", "dict" or "model"
        self.item = item  # the scalar type, the element's field, or the model class


class _Plan:
    """How one model class maps to JSON, or None where msrest must do it."""

    __slots__ = ("fields", "known_keys", "package")

    def __init__(self, fields: list[_Field], package: str) -> None:
        self.fields = fields
        self.known_keys = frozenset(field.key for field in fields)
        self.package = package  # where msrest looks up the fields' type names


_plans: dict[type, _Plan | None] = {}


def _field(attr: str, key: str, data_type: Any, dependencies: dict[str, Any]) -> _Field:
    if not isinstance(data_type, str):  # a few Teams models name a class object here
        raise _Unsupported("a type that is not a name")
    if data_type in _SCALARS:
        return _Field(attr, key, "scalar", _SCALARS[data_type])
    if data_type == "object":
        return _Field(attr, key, "object", None)
    if data_type == "iso-8601":
        return _Field(attr, key, "iso", None)
    if len(data_type) > 2 and data_type[0] + data_type[-1] in ("[]", "{}"):
        kind = "list" if data_type[0] == "[" else "dict"
        return _Field(attr, key, kind, _field(attr, key, data_type[1:-1], dependencies))
    model = dependencies.get(data_type)
    if isinstance(model, type) and issubclass(model, Model) and not issubclass(model, Enum):
        return _Field(attr, key, "model", model)
    raise _Unsupported(data_type)


def _package(cls: type) -> str:
    return cls.__module__.rsplit(".", 1)[0]


def _plan(cls: type) -> _Plan | None:
    try:
        return _plans[cls]
    except KeyError:
        pass
    plan: _Plan | None
    base = cls.__mro__[1]
    described = attribute_map(cls)
    if described is attribute_map(base):
        plan = _plans[cls] = _plan(base)  # a subclass with its base's fields (CardActivity)
        return plan
    try:
        if described is None or needs_msrest(cls):
            raise _Unsupported("read-only fields, subtypes or XML")
        dependencies = class_models(cls)
        fields = []
        for attr, description in described.items():
            key = description["key"]
            if not key or "." in key or "\\" in key:
                raise _Unsupported("flattened or additional-properties key")
            field = _field(attr, key, description["type"], dependencies)
            while field.kind in ("list", "dict"):
                field = field.item
            if field.kind == "model" and _package(field.item) != _package(cls):
                # msrest resolves nested type names in the outermost model's package
                raise _Unsupported("a model from another package")
            fields.append(_field(attr, key, description["type"], dependencies))
        plan = _Plan(fields, _package(cls))
    except _Unsupported:
        plan = None
    _plans[cls] = plan
    return plan


# --- to the wire ----------------------------------------------------------------------------------


def _plain_json(value: Any) -> Any:
    """`value` itself when it is plain JSON (what msrest's `serialize_object` copies unchanged)."""
    kind = type(value)
    if kind in _JSON_LEAVES:
        return value
    if kind is list:
        for item in value:
            _plain_json(item)
        return value
    if kind is dict:
        for key, item in value.items():
            if type(key) is not str:
                raise _Unsupported("key")
            _plain_json(item)
        return value
    raise _Unsupported(kind)


def _to_wire_value(value: Any, field: _Field) -> Any:
    kind = field.kind
    if kind == "scalar":
        if type(value) is field.item:
            return value
        if field.item is str and isinstance(value, Enum):
            return value.value
        raise _Unsupported("scalar")
    if kind == "object":
        return _plain_json(value)
    if kind == "model":
        if not isinstance(value, Model):
            raise _Unsupported("model")
        return _model_to_wire(value)
    if kind == "list":
        if type(value) is not list:
            raise _Unsupported("list")
        return [None if item is None else _to_wire_value(item, field.item) for item in value]
    if kind == "dict":
        if type(value) is not dict or any(type(key) is not str for key in value):
            raise _Unsupported("dict")
        return {
            key: None if item is None else _to_wire_value(item, field.item)
            for key, item in value.items()
        }
    if type(value) is datetime.datetime:  # "iso"
        try:
            return Serializer.serialize_iso(value)  # type: ignore[no-untyped-call]
        except Exception as error:  # msrest raises SerializationError; let it say so itself
            raise _Unsupported("date") from error
    raise _Unsupported("date")


def _model_to_wire(model: Model) -> dict[str, Any]:
    plan = _plan(type(model))
    if plan is None:
        raise _Unsupported(type(model))
    wire: dict[str, Any] = {}
    for field in plan.fields:
        value = getattr(model, field.attr)
        if value is not None and field.key not in wire:
            wire[field.key] = _to_wire_value(value, field)
    return wire


def to_wire(model: Model) -> dict[str, Any]:
    """`model.serialize()`: the model as a JSON-ready dict."""
    try:
        return _model_to_wire(model)
    except _Unsupported:
        pass  # msrest is called outside the handler, so its own exceptions are not chained
    result: dict[str, Any] = model.serialize()  # type: ignore[no-untyped-call]
    return result


# --- from the wire --------------------------------------------------------------------------------

# A UTC time as Teams writes it (`2026-11-02T09:30:00.123Z`), at most microseconds: msrest reads it
# with isodate (a regular expression, then a parser: ~8 us). The standard library's parser gives
# the same moment, on msrest's own UTC zone object (isodate's), so the result is identical.
_UTC_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,6})?Z", re.ASCII)
_UTC = Deserializer.deserialize_iso("2000-01-01T00:00:00Z").tzinfo  # type: ignore[no-untyped-call]


def _iso_time(value: str) -> Any:
    """`Deserializer.deserialize_iso(value)`, directly for the common UTC form."""
    if _UTC_TIME.fullmatch(value):
        try:
            moment = datetime.datetime.fromisoformat(value[:-1]).replace(tzinfo=_UTC)
        except ValueError:  # year 0, hour 24, second 60...: msrest's own verdict
            pass
        else:
            return moment
    return Deserializer.deserialize_iso(value)  # type: ignore[no-untyped-call]


def _from_wire_value(value: Any, field: _Field) -> Any:
    kind = field.kind
    if kind == "scalar":
        if type(value) is field.item:
            return value
        raise _Unsupported("scalar")
    if kind == "object":
        return _plain_json(value)
    if kind == "model":
        return _model_from_wire(field.item, value)
    if kind == "list":
        if type(value) is not list:
            raise _Unsupported("list")
        return [None if item is None else _from_wire_value(item, field.item) for item in value]
    if kind == "dict":
        if type(value) is not dict:
            raise _Unsupported("dict")
        return {
            key: None if item is None else _from_wire_value(item, field.item)
            for key, item in value.items()
        }
    if type(value) is str:  # "iso"
        try:
            return _iso_time(value)
        except Exception as error:  # msrest raises DeserializationError; let it say so itself
            raise _Unsupported("date") from error
    raise _Unsupported("date")


def _model_from_wire(cls: type[ModelT], data: Any) -> ModelT:
    plan = _plan(cls)
    # msrest resolves nested type names in the package of the class asked for: a subclass from
    # another package (CardActivity) does not deserialise there, so msrest must say so.
    if plan is None or plan.package != _package(cls) or type(data) is not dict:
        raise _Unsupported(cls)
    values = {}
    for field in plan.fields:
        value = data.get(field.key)
        values[field.attr] = None if value is None else _from_wire_value(value, field)
    try:
        model = cls(**values)
    except TypeError as error:  # a constructor that rejects its own fields: msrest's error
        raise _Unsupported(cls) from error
    extra = {key: value for key, value in data.items() if key not in plan.known_keys}
    if extra:
        model.additional_properties = extra
    return model


def from_wire(cls: type[ModelT], data: Any) -> ModelT:
    """`cls.deserialize(data)`: the same model, or the same error msrest raises."""
    try:
        return _model_from_wire(cls, data)
    except _Unsupported:
        pass  # msrest is called outside the handler: inside it, Python 3.11 turned one of
        # msrest's TypeErrors into a KeyError (found in review)
    result: ModelT = cls.deserialize(data)  # type: ignore[no-untyped-call]
    return result
