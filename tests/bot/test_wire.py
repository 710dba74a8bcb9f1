"""bot/wire.py gives msrest's results: the same models from JSON, the same JSON from models."""

from __future__ import annotations

import copy
import datetime
import json
from typing import Any, ClassVar

import pytest
from botbuilder.core import CardFactory, MessageFactory
from botbuilder.schema import (
    Activity,
    ActivityTypes,
    Attachment,
    ChannelAccount,
    ConversationAccount,
    ConversationReference,
    Entity,
)
from botbuilder.schema.teams import (
    MessagingExtensionResponse,
    MessagingExtensionResult,
    TaskModuleContinueResponse,
    TaskModuleMessageResponse,
)
from hypothesis import given, settings
from hypothesis import strategies as st
from msrest.exceptions import DeserializationError
from msrest.serialization import Deserializer, Model

from bot import wire
from bot.transport import _wire_json
from bot.wire import from_wire, to_wire
from dialogs.common.turn import CardActivity, card_message

JSON_LEAVES = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=8)
)
JSON = st.recursive(
    JSON_LEAVES,
    lambda children: st.one_of(
        st.lists(children, max_size=3), st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=8,
)
DATES = st.datetimes(
    min_value=datetime.datetime(1990, 1, 1),  # noqa: DTZ001 - hypothesis adds the zone
    timezones=st.just(datetime.UTC),
).map(lambda moment: moment.isoformat().replace("+00:00", "Z"))


def _wire_value(data_type: str, depth: int) -> st.SearchStrategy[Any]:
    """Mostly what the field's type asks for; sometimes anything at all (msrest's business)."""
    right: st.SearchStrategy[Any]
    if data_type == "str":
        right = st.text(max_size=12)
    elif data_type == "bool":
        right = st.booleans()
    elif data_type in ("int", "float"):
        right = st.integers() if data_type == "int" else st.floats(allow_nan=False)
    elif data_type == "iso-8601":
        right = st.one_of(DATES, st.text(max_size=6))
    elif data_type == "object":
        right = JSON
    elif data_type.startswith("["):
        right = st.lists(_wire_value(data_type[1:-1], depth), max_size=2)
    elif data_type.startswith("{"):
        item = _wire_value(data_type[1:-1], depth)
        right = st.dictionaries(st.text(max_size=4), item, max_size=2)
    else:
        model = Activity._infer_class_models()[data_type]
        right = _wire_model(model, depth + 1) if depth < 2 else st.just({})
    return st.one_of(right, right, right, JSON)


def _wire_model(model: type[Model], depth: int = 0) -> st.SearchStrategy[dict[str, Any]]:
    optional = {
        description["key"]: _wire_value(description["type"], depth)
        for description in model._attribute_map.values()
    }
    known = st.fixed_dictionaries({}, optional=optional)
    extra = st.dictionaries(st.sampled_from(["tenant", "x", "aadObjectId", "id"]), JSON, max_size=2)
    return st.builds(lambda a, b: {**b, **a}, known, extra)


def _outcome(call: Any) -> tuple[str, Any]:
    try:
        return "value", call()
    except Exception as error:  # the error msrest raises is part of the contract
        return "error", type(error)


@settings(max_examples=300, deadline=None)
@given(_wire_model(Activity))
def test_reading_an_activity_gives_what_msrest_gives(data: dict[str, Any]) -> None:
    expected = _outcome(lambda: Activity.deserialize(data))
    actual = _outcome(lambda: from_wire(Activity, data))
    assert actual == expected
    if expected[0] == "value":
        assert json.dumps(to_wire(expected[1])) == json.dumps(expected[1].serialize())


def _teams_message() -> dict[str, Any]:
    return {
        "type": "message",
        "id": "1",
        "timestamp": "2026-11-02T09:30:00.000Z",
        "localTimestamp": "2026-11-02T10:30:00.000+01:00",
        "serviceUrl": "https://smba.example/",
        "channelId": "msteams",
        "from": {"id": "29:u", "name": "U", "aadObjectId": "a"},
        "conversation": {"id": "a:1", "conversationType": "personal", "tenantId": "t"},
        "recipient": {"id": "28:b", "name": "B"},
        "entities": [{"type": "clientInfo", "locale": "en-US", "timezone": "Europe/Berlin"}],
        "channelData": {"tenant": {"id": "t"}},
        "value": {"action": "x", "answers": [1, 2]},
        "futureField": {"kept": True},
    }


def test_a_teams_message_takes_the_fast_path_both_ways(monkeypatch: pytest.MonkeyPatch) -> None:
    data = _teams_message()
    expected = Activity.deserialize(data)

    def refuse(*_: Any, **__: Any) -> Any:
        raise AssertionError("fell back to msrest")

    monkeypatch.setattr(Model, "deserialize", refuse)
    monkeypatch.setattr(Model, "serialize", refuse)
    activity = from_wire(Activity, data)
    assert activity == expected
    assert activity.additional_properties == {"futureField": {"kept": True}}
    assert activity.entities[0].additional_properties == {
        "locale": "en-US",
        "timezone": "Europe/Berlin",
    }
    wire_body = to_wire(activity)
    monkeypatch.undo()
    assert json.dumps(wire_body) == json.dumps(expected.serialize())


def test_replies_built_in_python_serialise_as_msrest_does() -> None:
    reply = Activity(
        type=ActivityTypes.message,
        text="hi",
        timestamp=datetime.datetime(2026, 11, 2, 9, 30, tzinfo=datetime.UTC),
        from_property=ChannelAccount(id="28:b"),
        conversation=ConversationAccount(id="a:1", is_group=False),
        attachments=[Attachment(content_type="application/json", content={"a": [1, None]})],
        entities=[Entity(type="mention")],
        reply_to_id="7",
    )
    assert json.dumps(to_wire(reply)) == json.dumps(reply.serialize())
    reference = ConversationReference(
        channel_id="msteams", conversation=ConversationAccount(id="a:1"), service_url="https://x/"
    )
    assert to_wire(reference) == reference.serialize()


@pytest.mark.parametrize(
    "odd",
    [
        {"text": 5},  # msrest turns a number into a string
        {"attachments": [{"content": ChannelAccount(id="m")}]},  # a model inside `object`
        {"timestamp": "2026-13-45"},  # kept as msrest keeps it
        {"entities": "nope"},
    ],
)
def test_values_msrest_treats_specially_go_to_msrest(odd: dict[str, Any]) -> None:
    reply = Activity(type="message")
    for key, value in odd.items():
        setattr(reply, key, value)
    assert _outcome(lambda: to_wire(reply)) == _outcome(reply.serialize)


def test_models_with_read_only_fields_are_left_to_msrest() -> None:
    class Guarded(Model):
        _validation: ClassVar = {"id": {"readonly": True}}
        _attribute_map: ClassVar = {"id": {"key": "id", "type": "str"}}

    assert wire._plan(Guarded) is None


def test_a_card_message_is_sent_as_its_plain_activity_would_be() -> None:
    card = {"type": "AdaptiveCard", "body": [{"type": "TextBlock", "text": "é <b>"}]}
    message = card_message(card, text="hello")
    plain = MessageFactory.attachment(CardFactory.adaptive_card(card), text="hello")

    assert json.dumps(_wire_json(message)) == json.dumps(plain.serialize())
    assert wire._plan(type(message)) is wire._plan(Activity)


def test_sending_a_card_message_copies_its_fields_not_its_card() -> None:
    message = card_message({"type": "AdaptiveCard", "body": []})
    sent = copy.deepcopy(message)
    sent.conversation = ConversationAccount(id="a:2")

    assert message.conversation is None
    assert sent.attachments[0].content is message.attachments[0].content


def test_a_teams_model_whose_map_names_a_class_object_goes_to_msrest() -> None:
    """Found in review: `len()` of a class object raised TypeError in the plan compiler."""
    model = MessagingExtensionResponse(
        compose_extension=MessagingExtensionResult(type="result", text="hi")
    )
    assert to_wire(model) == model.serialize()


@pytest.mark.parametrize(
    ("cls", "data"),
    [
        (MessagingExtensionResponse, {"composeExtension": {"type": "result"}}),
        (TaskModuleMessageResponse, {"type": "message", "value": "done"}),
        (TaskModuleContinueResponse, {"value": {"title": "t", "height": 3}}),
    ],
)
def test_teams_models_read_as_msrest_reads_them(cls: type[Model], data: dict[str, Any]) -> None:
    """Found in review: constructor errors and a KeyError raised inside the fallback."""
    assert _outcome(lambda: from_wire(cls, data)) == _outcome(lambda: cls.deserialize(data))


def test_a_subclass_from_another_package_is_read_by_msrest() -> None:
    data = {"type": "message", "from": {"id": "u"}, "conversation": {"id": "c"}}
    expected = _outcome(lambda: CardActivity.deserialize(data))
    assert _outcome(lambda: from_wire(CardActivity, data)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "2026-11-02T09:30:00Z",
        "2026-11-02T09:30:00.1Z",
        "2026-11-02T09:30:00.123Z",
        "2026-11-02T09:30:00.123456Z",
        "2026-11-02T09:30:00.1234567Z",
        "2026-11-02t09:30:00.000z",
        "2026-11-02T10:30:00.000+01:00",
        "0001-01-01T00:00:00Z",
        "9999-12-31T23:59:59.999999Z",
        "0000-01-01T00:00:00Z",
        "2026-11-02T24:00:00Z",
        "2026-02-30T10:00:00Z",
        "٢٠٢٦-11-02T09:30:00Z",
    ],
)
def test_times_are_read_as_msrest_reads_them(text: str) -> None:
    try:
        expected = Deserializer.deserialize_iso(text)
    except DeserializationError:
        with pytest.raises(DeserializationError):
            wire._iso_time(text)
        return
    read = wire._iso_time(text)
    assert read == expected
    assert repr(read) == repr(expected)  # the same zone object too (isodate's UTC)
