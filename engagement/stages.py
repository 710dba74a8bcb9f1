"""The customer's lifecycle stage (land, onboard, adopt, expand, renew) and its KPIs (seed 002).

The stage is the one the CSM set, else derived from the record: a renewal within six months
(the execution checkpoint) is `renew`; nothing delivered yet is `land`; the first iteration
delivering is `onboard`; a later iteration with an agreed statement of work is `expand`;
otherwise `adopt`. Each stage shows the seed's KPIs as far as the record holds them; with the
partner as sales agent (the vendor drives adoption and expansion) those two stages ask for none.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from engagement.health_factors import latest_satisfaction
from engagement.licenses import latest_licenses
from engagement.models import AgreementSide, Customer, LifecycleStage, PartnerRole
from engagement.outcomes import nps_category, nps_category_name
from engagement.renewals import EXECUTION_DAYS
from engagement.wording import count_text, day_text, days_text, percent_text
from i18n import _, ngettext

ONBOARD_TARGET_DAYS = 30  # seed 002: onboarding and engagement in under 30 days
ACTIVE_USAGE_TARGET = 0.6  # seed 002: the incentive's 60 % active usage, 3 months in a row
SUCCESS_PLAN_DAYS = 90  # seed 002: success plan uploaded within 90 days
STAGE_WORDS = {stage.value: stage for stage in LifecycleStage}


@dataclass(frozen=True)
class StageKpi:
    """One KPI of a stage: its name, the measured value (both in the turn's language) and whether
    it meets the seed's target (None when there is no target or no data)."""

    label: str
    value: str
    met: bool | None = None


def derive_stage(customer: Customer, now: datetime) -> LifecycleStage:
    """The stage the record suggests at `now`."""
    renewal = customer.renewal_date
    if renewal is not None and (renewal - now.date()).days <= EXECUTION_DAYS:
        return LifecycleStage.RENEW
    delivered = any(i.deliveries for i in customer.iterations)
    if not delivered:
        return LifecycleStage.LAND
    current = customer.current
    if current.number == 1:
        return LifecycleStage.ONBOARD
    if current.commitment is not None and _agreed(customer):
        return LifecycleStage.EXPAND
    return LifecycleStage.ADOPT


def stage_of(customer: Customer, now: datetime) -> tuple[LifecycleStage, bool]:
    """(the stage, True when it was derived rather than set by the CSM)."""
    if customer.stage is not None:
        return customer.stage, False
    return derive_stage(customer, now), True


def _agreed(customer: Customer) -> bool:
    commitment = customer.current.commitment
    sides = {a.side for a in commitment.agreements} if commitment else set()
    return sides == {AgreementSide.PARTNER, AgreementSide.CUSTOMER}


def stage_kpis(customer: Customer, stage: LifecycleStage, now: datetime) -> list[StageKpi]:
    """The seed's KPIs of `stage` for this customer, as far as its record holds them."""
    agent = customer.partner_role is PartnerRole.SALES_AGENT
    if agent and stage in (LifecycleStage.ADOPT, LifecycleStage.EXPAND):
        return [
            StageKpi(
                _("Partner as sales agent"), _("the vendor drives this stage: no partner KPIs")
            )
        ]
    return _KPIS[stage](customer, now)


def _land(customer: Customer, now: datetime) -> list[StageKpi]:
    renewal = customer.renewal_date
    lines = latest_licenses(customer.licenses)
    licensed = sum(line.licensed for line in lines)
    multi_year = bool(renewal and renewal > now.date() + timedelta(days=365))
    return [
        StageKpi(
            _("Under contract"),
            _("renews {day}").format(day=day_text(renewal)) if renewal else _("no contract date"),
            renewal is not None,
        ),
        StageKpi(_("Multi-year agreement"), _("yes") if multi_year else _("no"), multi_year),
        StageKpi(
            _("Users under contract"),
            count_text(licensed) if lines else _("no licenses recorded"),
        ),
    ]


def _onboard(customer: Customer, now: datetime) -> list[StageKpi]:
    first = min((d.on for i in customer.iterations for d in i.deliveries), default=None)
    if first is None:
        speed = StageKpi(_("Onboarding speed"), _("nothing delivered yet"))
    else:
        days = (first - customer.created_at.date()).days
        speed = StageKpi(
            _("Onboarding speed"),
            _("first delivery {days} after the start (target under {target})").format(
                days=days_text(days), target=ONBOARD_TARGET_DAYS
            ),
            days < ONBOARD_TARGET_DAYS,
        )
    return [speed, StageKpi(_("Trial conversion"), _("not recorded"))]


def _adopt(customer: Customer, now: datetime) -> list[StageKpi]:
    lines = latest_licenses(customer.licenses)
    licensed = sum(line.licensed for line in lines)
    active = sum(line.active for line in lines)
    usage = (
        StageKpi(
            _("Active usage"),
            _("{share} of {users} users (target {target}, three months in a row)").format(
                share=percent_text(active / licensed),
                users=count_text(licensed),
                target=percent_text(ACTIVE_USAGE_TARGET),
            ),
            active / licensed >= ACTIVE_USAGE_TARGET,
        )
        if licensed
        else StageKpi(_("Active usage"), _("no licensed users recorded"))
    )
    agreed = [
        a.at
        for i in customer.iterations
        if i.commitment
        for a in i.commitment.agreements
        if a.side is AgreementSide.CUSTOMER
    ]
    if agreed:
        days = (min(agreed) - customer.created_at).days
        plan = StageKpi(
            _("Success plan"),
            _("agreed {days} after the start (target within {target})").format(
                days=days_text(days), target=SUCCESS_PLAN_DAYS
            ),
            days <= SUCCESS_PLAN_DAYS,
        )
    else:
        plan = StageKpi(_("Success plan"), _("no statement of work agreed yet"), False)
    return [usage, plan]


def _expand(customer: Customer, now: datetime) -> list[StageKpi]:
    products = sorted({line.product for line in latest_licenses(customer.licenses)})
    workshops = sum(len(i.deliveries) for i in customer.iterations)
    delivered = ngettext(
        "{number} ({n} workshop delivered)", "{number} ({n} workshops delivered)", workshops
    )
    return [
        StageKpi(_("Iterations"), delivered.format(number=customer.current.number, n=workshops)),
        StageKpi(
            _("Services under license"), ", ".join(products) if products else _("none recorded")
        ),
    ]


def _renew(customer: Customer, now: datetime) -> list[StageKpi]:
    done = customer.renewals
    renewed = sum(o.renewed for o in done)
    kpis = [
        StageKpi(
            _("Renewals"),
            _("{renewed} of {total} renewed").format(renewed=renewed, total=len(done))
            if done
            else _("none recorded yet"),
            renewed == len(done) if done else None,
        )
    ]
    review = latest_satisfaction(customer)
    satisfaction = review.satisfaction if review else None
    kpis.append(
        StageKpi(
            _("CSAT / NPS at renewal"),
            _("NPS {nps} ({category})").format(
                nps=satisfaction.nps, category=nps_category_name(nps_category(satisfaction.nps))
            )
            if satisfaction
            else _("no satisfaction recorded"),
        )
    )
    lost = [o.reason for o in done if not o.renewed]
    if lost:
        kpis.append(StageKpi(_("Reasons for non-renewal"), "; ".join(lost), False))
    return kpis


_KPIS = {
    LifecycleStage.LAND: _land,
    LifecycleStage.ONBOARD: _onboard,
    LifecycleStage.ADOPT: _adopt,
    LifecycleStage.EXPAND: _expand,
    LifecycleStage.RENEW: _renew,
}
