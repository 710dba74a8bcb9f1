"""Thousands of generated activities at /api/messages: no 5xx, the store stays sound, and no
other tenant's or conversation's state changes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.hostile_inputs import ACTIONS
from bot.settings import Settings
from engagement.clock import FixedClock
from tests.support.cards import choice_sets, submit_data, texts
from tests.support.live_bot import LiveBot, live_bot

NOW = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
# A failing example can be huge; the warning about printing it must not hide the failure.
pytestmark = pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisWarning")

CONVERSATIONS = ["a:fuzz-1", "a:fuzz-2", "19:fuzz@thread.v2", "19:x@thread.tacv2;messageid=1"]

json_leaf = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=40),
)
json_value = st.recursive(
    json_leaf,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)
hostile_text = st.one_of(
    st.text(max_size=200),
    st.sampled_from(
        [
            "help",
            "assess",
            "assess Contoso",
            "quick check",
            "quick check Contoso",
            "catalog 9",
            "customers",
            "cancel",
            "back",
            "1",
            "yes",
            "commit Victim Co",
            "commit Contoso form",
            "sow Victim Co",
            "deliver Victim Co",
            "ensure Victim Co",
            "status Victim Co",
            "history Victim Co",
            "report Victim Co",
            "touch Victim Co call: hi",
            "portfolio",
            "portfolio level 9 page -1",
            "health Victim Co",
            "kpis",
            "export",
            "import {}",
            "reminders",
            "renewal Victim Co 2027-01-01",
            "licenses Victim Co 5 3",
            "pause reminders until tomorrow",
            "digest on",
            "<at>bot</at> help",
            "x" * 5000,
            "{{ 7*7 }} </script> \\u0000",
        ]
    ),
)
card_value = st.fixed_dictionaries(
    {"action": st.sampled_from(ACTIONS)},
    optional={
        "prompt": st.text(max_size=20),
        "choice": json_value,
        "card": st.one_of(st.text(max_size=12), json_value),
        "customer": st.one_of(st.text(max_size=30), json_value),
        "iteration": json_value,
        "answers": json_value,
        "customer_name": json_value,
        "command": st.one_of(st.sampled_from(["assess", "quick check", "help"]), json_value),
        "q_environment": json_value,
        "side": st.sampled_from(["partner", "customer", "x"]),
        "revision": json_value,
        "agreed_by": json_value,
        "workshop": json_value,
        "on": json_value,
        "attendees": json_value,
        "reminder": json_value,
        "days": json_value,
        "argument": json_value,
    },
)


CONNECTOR = "connector-url"  # replaced by the fake connector's URL when posting

# Activities from plausible to absurd, all aimed at the local fake connector.
ACTIVITIES = st.fixed_dictionaries(
    {
        "type": st.one_of(
            st.sampled_from(
                [
                    "message",
                    "message",
                    "conversationUpdate",
                    "installationUpdate",
                    "invoke",
                    "event",
                    "typing",
                ]
            ),
            st.text(max_size=10),
            json_value,
        ),
        "serviceUrl": st.one_of(
            st.just(CONNECTOR), st.sampled_from(["", "not a url", "http://example.invalid/"])
        ),
        "channelId": st.sampled_from(["msteams", "emulator", "", "x"]),
        "conversation": st.one_of(
            st.fixed_dictionaries(
                {
                    "id": st.sampled_from(CONVERSATIONS),
                    "tenantId": st.sampled_from(["fuzz-tenant", "", None]),
                    "conversationType": st.sampled_from(["personal", "groupChat", "channel", None]),
                }
            ),
            json_value,
        ),
        "from": st.one_of(
            st.fixed_dictionaries({"id": st.text(max_size=12), "name": st.text(max_size=12)}),
            json_value,
        ),
        "recipient": st.just({"id": "28:bot"}),
    },
    optional={
        "text": st.one_of(hostile_text, json_value),
        "value": st.one_of(card_value, json_value),
        "entities": st.one_of(
            st.just([{"type": "mention", "text": "<at>bot</at>", "mentioned": {"id": "28:bot"}}]),
            json_value,
        ),
        "membersAdded": st.one_of(st.just([{"id": "28:bot"}]), json_value),
        "action": st.one_of(st.sampled_from(["add", "remove"]), json_value),
        "name": st.one_of(st.just("adaptiveCard/action"), json_value),
        "replyToId": st.one_of(st.text(max_size=10), json_value),
        "channelData": json_value,
        "id": json_value,
    },
)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("hostile") / "data"


@pytest.fixture(scope="module")
def bot(data_dir: Path) -> Iterator[LiveBot]:
    live_settings = Settings(_env_file=None, DATA_DIR=data_dir, LOG_LEVEL="CRITICAL")  # type: ignore[call-arg]
    with live_bot(live_settings, FixedClock(NOW)) as running:
        yield running


def _victim_activity(bot: LiveBot, **fields: Any) -> dict[str, Any]:
    activity = {
        "type": "message",
        "serviceUrl": bot.connector.url,
        "channelId": "msteams",
        "conversation": {
            "id": "a:victim",
            "tenantId": "victim-tenant",
            "conversationType": "personal",
        },
        "from": {"id": "29:victim", "aadObjectId": "aad-victim", "name": "Victim"},
        "recipient": {"id": "28:bot"},
        "channelData": {"tenant": {"id": "victim-tenant"}},
    }
    activity.update(fields)
    return activity


def _last_card(bot: LiveBot) -> dict[str, Any]:
    return bot.connector.messages("a:victim")[-1].body["attachments"][0]["content"]  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def victim_files(bot: LiveBot, data_dir: Path) -> dict[str, bytes]:
    """Another tenant with a customer and an assessment under way, recorded before fuzzing."""
    assert bot.post_json(_victim_activity(bot, text="quick check")) == 201
    card = _last_card(bot)
    value = dict(submit_data(card, "Show level"))
    for choice_set in choice_sets(card):
        value[choice_set["id"]] = choice_set["choices"][1]["value"]
    assert bot.post_json(_victim_activity(bot, value=value)) == 201
    save = submit_data(_last_card(bot), "Save")
    assert bot.post_json(_victim_activity(bot, value={**save, "customer_name": "Victim Co"})) == 201
    create = submit_data(_last_card(bot), "Create Victim Co")  # a new customer: confirmed
    assert bot.post_json(_victim_activity(bot, value=create)) == 201
    assert bot.post_json(_victim_activity(bot, text="assess Victim Co")) == 201
    assert "Question 1 of" in texts(_last_card(bot))
    return {str(p): p.read_bytes() for p in sorted(data_dir.rglob("*.json"))}


@settings(
    max_examples=1200,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(activity=ACTIVITIES)
def test_generated_activities_never_get_a_5xx(
    bot: LiveBot, victim_files: dict[str, bytes], activity: dict[str, Any]
) -> None:
    if activity["serviceUrl"] == CONNECTOR:
        activity["serviceUrl"] = bot.connector.url
    assert bot.post_json(activity) < 500


@settings(max_examples=300, deadline=None, database=None, derandomize=True)
@given(
    body=st.binary(max_size=300),
    content_type=st.sampled_from(["application/json", "text/plain", ""]),
)
def test_random_bytes_never_get_a_5xx(bot: LiveBot, body: bytes, content_type: str) -> None:
    assert bot.post(body, content_type) < 500


def test_after_the_fuzzing_the_bot_and_store_are_sound(
    bot: LiveBot, data_dir: Path, victim_files: dict[str, bytes]
) -> None:
    assert bot.get("/healthz") == 200
    for path in data_dir.rglob("*.json"):
        json.loads(path.read_bytes())  # every stored file still parses
    changed = [p for p, content in victim_files.items() if Path(p).read_bytes() != content]
    assert changed == [], "another tenant's or conversation's state changed"
    assert bot.post_json(_victim_activity(bot, text="1")) == 201
    assert "Question 2 of" in texts(_last_card(bot))
