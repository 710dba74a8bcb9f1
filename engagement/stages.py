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
from engagement.outcomes import nps_category
from engagement.renewals import EXECUTION_DAYS

ONBOARD_TARGET_DAYS = 30  # seed 002: onboarding and engagement in under 30 days
ACTIVE_USAGE_TARGET = 0.6  # seed 002: the incentive's 60 % active usage, 3 months in a row
SUCCESS_PLAN_DAYS = 90  # seed 002: success plan uploaded within 90 days
STAGE_WORDS = {stage.value: stage for stage in LifecycleStage}


@dataclass(frozen=True)
class StageKpi:
    """One KPI of a stage: its name, the measured value and whether it meets the seed's target
    (None when there is no target or no data)."""

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
        return [StageKpi("Partner as sales agent", "the vendor drives this stage: no partner KPIs")]
    return _KPIS[stage](customer, now)


def _land(customer: Customer, now: datetime) -> list[StageKpi]:
    renewal = customer.renewal_date
    lines = latest_licenses(customer.licenses)
    licensed = sum(line.licensed for line in lines)
    return [
        StageKpi(
            "Under contract",
            f"renews {renewal:%d %b %Y}" if renewal else "no contract date",
            renewal is not None,
        ),
        StageKpi(
            "Multi-year agreement",
            "yes" if renewal and renewal > now.date() + timedelta(days=365) else "no",
            bool(renewal and renewal > now.date() + timedelta(days=365)),
        ),
        StageKpi("Users under contract", f"{licensed:,}" if lines else "no licenses recorded"),
    ]


def _onboard(customer: Customer, now: datetime) -> list[StageKpi]:
    first = min((d.on for i in customer.iterations for d in i.deliveries), default=None)
    if first is None:
        speed = StageKpi("Onboarding speed", "nothing delivered yet")
    else:
        days = (first - customer.created_at.date()).days
        speed = StageKpi(
            "Onboarding speed",
            f"first delivery {days} days after the start (target under {ONBOARD_TARGET_DAYS})",
            days < ONBOARD_TARGET_DAYS,
        )
    return [speed, StageKpi("Trial conversion", "not recorded")]


def _adopt(customer: Customer, now: datetime) -> list[StageKpi]:
    lines = latest_licenses(customer.licenses)
    licensed = sum(line.licensed for line in lines)
    active = sum(line.active for line in lines)
    usage = (
        StageKpi(
            "Active usage",
            f"{active / licensed:.0%} of {licensed:,} users (target "
            f"{ACTIVE_USAGE_TARGET:.0%}, three months in a row)",
            active / licensed >= ACTIVE_USAGE_TARGET,
        )
        if licensed
        else StageKpi("Active usage", "no licensed users recorded")
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
            "Success plan",
            f"agreed {days} days after the start (target within {SUCCESS_PLAN_DAYS})",
            days <= SUCCESS_PLAN_DAYS,
        )
    else:
        plan = StageKpi("Success plan", "no statement of work agreed yet", False)
    return [usage, plan]


def _expand(customer: Customer, now: datetime) -> list[StageKpi]:
    products = sorted({line.product for line in latest_licenses(customer.licenses)})
    workshops = sum(len(i.deliveries) for i in customer.iterations)
    return [
        StageKpi("Iterations", f"{customer.current.number} ({workshops} workshops delivered)"),
        StageKpi("Services under license", ", ".join(products) if products else "none recorded"),
    ]


def _renew(customer: Customer, now: datetime) -> list[StageKpi]:
    done = customer.renewals
    renewed = sum(o.renewed for o in done)
    kpis = [
        StageKpi(
            "Renewals",
            f"{renewed} of {len(done)} renewed" if done else "none recorded yet",
            renewed == len(done) if done else None,
        )
    ]
    review = latest_satisfaction(customer)
    satisfaction = review.satisfaction if review else None
    kpis.append(
        StageKpi(
            "CSAT / NPS at renewal",
            f"NPS {satisfaction.nps} ({nps_category(satisfaction.nps).value})"
            if satisfaction
            else "no satisfaction recorded",
        )
    )
    lost = [o.reason for o in done if not o.renewed]
    if lost:
        kpis.append(StageKpi("Reasons for non-renewal", "; ".join(lost), False))
    return kpis


_KPIS = {
    LifecycleStage.LAND: _land,
    LifecycleStage.ONBOARD: _onboard,
    LifecycleStage.ADOPT: _adopt,
    LifecycleStage.EXPAND: _expand,
    LifecycleStage.RENEW: _renew,
}
