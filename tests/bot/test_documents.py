"""The statement of work and the report as readable Markdown; evidence links open when tapped."""

from __future__ import annotations

from tests.bot.test_full_cycle import (
    GOOD_REVIEW,
    _commit_and_agree,
    _deliver,
    _ensure,
    _quick_check,
)
from tests.dialogs.commit.test_commit_conversation import _card
from tests.support.cards import walk
from tests.support.conversation import Conversation

EVIDENCE = GOOD_REVIEW["evidence_g1"]


async def test_the_report_is_readable_markdown_with_a_link_to_the_evidence(
    personal: Conversation,
) -> None:
    await _quick_check(personal, 1)
    await _commit_and_agree(personal)
    await _deliver(personal)
    proof = _card(await _ensure(personal, **GOOD_REVIEW))
    links = [
        node["selectAction"]["url"]
        for node in walk(proof)
        if node.get("type") == "TextRun" and "selectAction" in node
    ]
    assert links == [EVIDENCE]  # the evidence on the proof card opens when tapped
    reply = (await personal.say("report Contoso"))[0]
    assert reply.body["textFormat"] == "markdown"
    markdown = reply.text
    assert "```" not in markdown  # not one code block whose rows run off the card
    assert "|---" not in markdown  # Teams shows no tables in a text message
    assert markdown.startswith("**Proof of execution: Contoso, iteration 1**")
    assert "- Goal achievement: **75%**" in markdown
    assert (
        "1. **Landing zone live** (3 subscriptions under policy): achieved; evidence: "
        f"[{EVIDENCE}]({EVIDENCE})" in markdown
    )
    assert f"({EVIDENCE})\n2. **Cost baseline**" in markdown  # one goal per line
    assert "\n\n**Delivered**\n\n- Azure Governance Workshop" in markdown
    assert "- NPS: 10 (promoter)" in markdown
    assert "- Optimise cost" in markdown
