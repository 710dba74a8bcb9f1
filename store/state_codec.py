"""jsonpickle's encoding of bot state, fast for the plain data dialogs keep.

Dialog state is stored as botbuilder encodes it: `jsonpickle.encode(state)` (DESIGN.md). Its
generic pickler and unpickler ask a dozen questions of every value, which made them a fifth of a
dialog turn. Dialog state is almost always a tree of dicts, lists, strings, numbers and plain
objects (`DialogState`, `DialogInstance`, `PromptOptions`), so this module handles exactly that
subset itself and produces the same JSON text (and decodes to the same objects) as jsonpickle.
Anything else (tuples, sets, bytes, shared or cyclic references, objects with `__reduce__`,
`__getstate__`, slots or a jsonpickle handler, non-string keys, `py/` keys) goes to jsonpickle
unchanged, so the stored format never depends on which path wrote it.
tests/store/test_state_codec.py checks the two paths against each other on generated values.
"""

from __future__ import annotations

import json
from typing import Any

import jsonpickle
from jsonpickle import handlers, tags, util
from jsonpickle.unpickler import loadclass

_PLAIN = frozenset({str, int, float, bool, type(None)})  # jsonpickle's PRIMITIVES, by exact type
_OBJECT_TAG = tags.OBJECT


def _blank(cls: Any) -> Any:
    """An instance made as jsonpickle makes it: `cls.__new__(cls)`, no `__init__`."""
    return cls.__new__(cls)


class _Unsupported(Exception):
    """The value needs jsonpickle's full machinery."""


def _class_name_if_plain(instance: Any) -> str | None:
    """jsonpickle's name for `type(instance)` if it flattens instances to `{py/object, **vars}`.

    These are the questions `Pickler._flatten_obj_instance` asks; a class passes when every
    answer leads to its plain `__dict__` branch.
    """
    cls = type(instance)
    if not hasattr(instance, "__dict__") or not util.is_object(instance):
        return None
    if util.is_module_function(instance) or util.is_type(instance) or util.is_module(instance):
        return None
    if util.is_dictionary_subclass(instance) or util.is_sequence_subclass(instance):
        return None
    if util.is_iterator(instance) or callable(instance):
        return None
    if util.has_reduce(instance) != (False, False):
        return None
    if any(
        util.has_method(instance, name)
        for name in ("__getnewargs__", "__getnewargs_ex__", "__getinitargs__")
    ):
        return None
    if getattr(cls, "__getstate__", object.__getstate__) is not object.__getstate__:
        return None
    if getattr(cls, "__setstate__", None) is not None or hasattr(instance, "_jsonpickle_exclude"):
        return None
    name = util.importable_name(cls)
    if handlers.get(cls, handlers.get(name)) is not None:
        return None
    return str(name)


def _judged(instance: Any) -> str | None:
    """`_class_name_if_plain`, where any error while asking means "not plain"."""
    try:
        return _class_name_if_plain(instance)
    except Exception:  # e.g. a __getattr__ that recurses on a blank instance
        return None


# Per-instance attributes that change how jsonpickle treats an object (it asks each instance).
_INSTANCE_HOOKS = ("_jsonpickle_exclude",)


class _Classes:
    """Per-class answers, computed once: which classes take the fast path, by type and by name."""

    def __init__(self) -> None:
        self._names: dict[type, str | None] = {}
        self._by_name: dict[str, type | None] = {}

    def name_of(self, instance: Any) -> str:
        cls = type(instance)
        try:
            name = self._names[cls]
        except KeyError:
            name = self._names[cls] = _judged(instance)
            if name is not None:
                self._by_name.setdefault(name, cls)
        if name is None:
            raise _Unsupported(cls)
        return name

    def by_name(self, name: str) -> type:
        try:
            cls = self._by_name[name]
        except KeyError:
            cls = self._by_name[name] = self._load(name)
        if cls is None:
            raise _Unsupported(name)
        return cls

    def _load(self, name: str) -> type | None:
        cls: Any = loadclass(name)  # what jsonpickle would import
        if not isinstance(cls, type):
            return None
        try:
            blank = _blank(cls)
        except Exception:  # a class that needs arguments: jsonpickle handles it
            return None
        if _judged(blank) != name:
            return None
        self._names.setdefault(cls, name)
        return cls


_classes = _Classes()


def _flatten(value: Any, seen: set[int]) -> Any:
    kind = type(value)
    if kind in _PLAIN:
        return value
    if id(value) in seen:  # a shared or cyclic reference: jsonpickle writes py/id
        raise _Unsupported("reference")
    seen.add(id(value))
    if kind is list:
        return [item if type(item) in _PLAIN else _flatten(item, seen) for item in value]
    if kind is dict:
        return _flatten_items(value, {}, seen)
    data = {_OBJECT_TAG: _classes.name_of(value)}
    attributes = value.__dict__
    for key in attributes:
        if type(key) is not str or key.startswith("__") or key in _INSTANCE_HOOKS:
            raise _Unsupported("instance hooks")  # e.g. an instance's own __reduce__
    return _flatten_items(attributes, data, seen)


def _flatten_items(items: dict[Any, Any], data: dict[str, Any], seen: set[int]) -> dict[str, Any]:
    for key, item in items.items():
        if type(key) is not str or key.startswith("py/"):
            raise _Unsupported("key")
        kind = type(item)
        if kind in _PLAIN:
            data[key] = item
            continue
        if kind is not list and kind is not dict and util.is_function(item):
            raise _Unsupported("function")  # jsonpickle drops or names these
        data[key] = _flatten(item, seen)
    return data


def encode_state(value: Any) -> str:
    """`jsonpickle.encode(value)`, character for character."""
    try:
        flat = _flatten(value, set())
    except _Unsupported:
        return str(jsonpickle.encode(value))
    return _ENCODER.encode(flat)


def _restored(value: dict[str, Any]) -> Any:
    """One JSON object as jsonpickle restores it, its members restored already: json calls
    this for every object, innermost first (`object_hook`), so lists and scalars cost nothing."""
    name = value.get(_OBJECT_TAG)
    if name is None:
        for key in value:
            if key.startswith("py/"):
                raise _Unsupported("tag")
        return value
    if type(name) is not str:
        raise _Unsupported("class name")
    instance = _blank(_classes.by_name(name))
    for key, item in value.items():
        if key == _OBJECT_TAG:
            continue
        if key.startswith(("py/", "__")) or key == "default_factory":
            raise _Unsupported("key")
        try:
            setattr(instance, key, item)
        except Exception as error:  # frozen dataclasses, read-only properties: jsonpickle's way
            raise _Unsupported("attribute") from error
    return instance


# jsonpickle's json backend writes `json.dumps(value, sort_keys=False)` and reads `json.loads`;
# one encoder and one decoder (with the hook) serve every call instead of one built per call.
_ENCODER = json.JSONEncoder(sort_keys=False)
_DECODER = json.JSONDecoder(object_hook=_restored)


def decode_state(text: str) -> Any:
    """`jsonpickle.decode(text)`: the same objects, built directly when the text allows it."""
    try:
        # jsonpickle's own backend is json too (not orjson: it reads integers beyond 64 bits
        # as floats); objects are restored as they are parsed.
        return _DECODER.decode(text)
    except _Unsupported:
        return jsonpickle.decode(text)
