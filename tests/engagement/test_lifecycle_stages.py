"""Lifecycle stages: derived from the record, set by the CSM, KPIs per stage and role."""

from __future__ import annotations

from datetime import timedelta

from engagement.kpis import partner_kpis
from engagement.models import LifecycleStage, PartnerRole
from engagement.portfolio import parse_query
from engagement.stages import derive_stage, stage_kpis, stage_of
from tests.bot.test_full_cycle import _commit_and_agree, _deliver, _quick_check
from tests.support.cards import texts
from tests.support.conversation import Conversation
from tests.support.reminders import NOW, customer


def test_a_new_customer_is_landing_and_a_close_renewal_is_renew() -> None:
    made = customer()
    assert derive_stage(made, NOW) is LifecycleStage.LAND
    made.renewal_date = NOW.date() + timedelta(days=120)
    assert derive_stage(made, NOW) is LifecycleStage.RENEW
    made.stage = LifecycleStage.ADOPT
    assert stage_of(made, NOW) == (LifecycleStage.ADOPT, False)


def test_land_kpis_and_the_sales_agent_role() -> None:
    made = customer(renewal=NOW.date() + timedelta(days=800))
    kpis = {k.label: k for k in stage_kpis(made, LifecycleStage.LAND, NOW)}
    assert kpis["Multi-year agreement"].met is True
    assert kpis["Under contract"].met is True
    made.partner_role = PartnerRole.SALES_AGENT
    (only,) = stage_kpis(made, LifecycleStage.ADOPT, NOW)
    assert "vendor drives" in only.value


def test_kpis_count_customers_per_stage_and_the_portfolio_filters_by_stage() -> None:
    kpis = partner_kpis([customer("a"), customer("b", renewal=NOW.date())], NOW)
    assert kpis.by_stage[LifecycleStage.LAND] == 1
    assert kpis.by_stage[LifecycleStage.RENEW] == 1
    query = parse_query("mine stage renew")
    assert query.stage is LifecycleStage.RENEW
    assert query.filter_text() == "mine stage renew"


async def test_stage_over_messages(personal: Conversation) -> None:
    await _quick_check(personal, 1)
    await _commit_and_agree(personal)
    await _deliver(personal)
    reply = (await personal.say("stage Contoso"))[0].text
    assert "Lifecycle stage: onboard (derived from the record" in reply
    assert "Onboarding speed" in reply
    reply = (await personal.say("stage Contoso adopt agent"))[0].text
    assert "Saved." in reply
    assert "adopt (set by the CSM; partner as sales agent)" in reply
    status = texts((await personal.say("status Contoso"))[0].cards[0])
    assert "Lifecycle stage: adopt" in status
    reply = (await personal.say("stage Contoso sideways"))[0].text
    assert 'don\'t understand "sideways"' in reply
    portfolio = texts((await personal.say("portfolio stage adopt"))[0].cards[0])
    assert "Contoso" in portfolio
    kpis = texts((await personal.say("kpis"))[0].cards[0])
    assert "adopt 1" in kpis
