"""The conversation reference kept for reminders is the SDK's, minus the activity id."""

from __future__ import annotations

from botbuilder.core import TurnContext
from botbuilder.schema import Activity, ChannelAccount, ConversationAccount

from bot.proactive import stored_reference
from bot.wire import to_wire


def test_the_stored_reference_is_the_sdks_without_the_activity_id() -> None:
    activity = Activity(
        type="message",
        id="activity-1",
        channel_id="msteams",
        locale="de-DE",
        service_url="https://smba.trafficmanager.net/emea/",
        from_property=ChannelAccount(id="29:u", name="Ada", aad_object_id="aad-u"),
        recipient=ChannelAccount(id="28:bot", name="Bot"),
        conversation=ConversationAccount(
            id="a:1", conversation_type="personal", tenant_id="t-1", is_group=False
        ),
    )
    reference = TurnContext.get_conversation_reference(activity)
    reference.activity_id = None
    assert stored_reference(activity) == to_wire(reference)
    assert "activityId" not in stored_reference(activity)
    assert stored_reference(activity)["user"]["aadObjectId"] == "aad-u"
