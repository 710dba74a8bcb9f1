"""Partner KPIs: fiscal-year boundaries, CSAT over the fiscal year, pipeline, phases and levels."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from engagement.clock import FixedClock
from engagement.kpis import fiscal_year, net_promoter_score, partner_kpis
from engagement.models import Customer, MaturityLevel, Phase, Satisfaction
from i18n import use_language
from tests.support.portfolio import NOW, TODAY, customer, healthy, run_iteration, satisfied


@pytest.mark.parametrize(
    ("day", "start_month", "start", "name"),
    [
        (date(2026, 6, 30), 7, date(2025, 7, 1), 2026),  # Microsoft FY2026: Jul 2025 - Jun 2026
        (date(2026, 7, 1), 7, date(2026, 7, 1), 2027),
        (date(2026, 11, 2), 7, date(2026, 7, 1), 2027),
        (date(2026, 1, 1), 1, date(2026, 1, 1), 2026),  # calendar year
        (date(2026, 12, 31), 1, date(2026, 1, 1), 2026),
        (date(2026, 3, 31), 4, date(2025, 4, 1), 2026),
        (date(2026, 4, 1), 4, date(2026, 4, 1), 2027),
        (date(2026, 2, 1), 2, date(2026, 2, 1), 2027),
    ],
)
def test_fiscal_year_boundaries(day: date, start_month: int, start: date, name: int) -> None:
    year = fiscal_year(day, start_month)
    assert (year.start, year.name) == (start, name)
    assert year.end == date(start.year + 1, start.month, 1)
    assert day in year
    assert year.end not in year
    assert date.fromordinal(year.start.toordinal() - 1) not in year


def test_fiscal_year_label_and_bad_start_month() -> None:
    assert fiscal_year(date(2026, 6, 30)).label == "FY2026 (Jul 2025 - Jun 2026)"
    with use_language("de"):
        assert fiscal_year(date(2026, 6, 30)).label == "GJ2026 (Juli 2025 \u2013 Juni 2026)"
    with pytest.raises(ValueError, match=r"1\.\.12"):
        fiscal_year(date(2026, 1, 1), 13)


def closed_at(moment: datetime, answer: Satisfaction | None) -> Customer:
    """A customer whose first iteration closed exactly at `moment`."""
    target = customer(f"Closed {moment:%Y%m%d%H%M%S}", created_days_ago=800)
    run_iteration(target, FixedClock(moment), satisfaction=answer, step=timedelta(0))
    assert target.iterations[0].closed_at == moment
    return target


def test_csat_averages_iterations_closed_in_the_current_fiscal_year() -> None:
    customers = [
        closed_at(datetime(2026, 6, 30, 23, 59, 59, tzinfo=UTC), satisfied(1, 1, 1, 0)),  # FY26
        closed_at(datetime(2026, 7, 1, 0, 0, tzinfo=UTC), satisfied(5, 5, 5, 10)),  # FY27
        closed_at(datetime(2026, 10, 1, tzinfo=UTC), satisfied(4, 4, 4, 6)),  # FY27
        closed_at(datetime(2026, 10, 2, tzinfo=UTC), None),  # no survey: not counted
    ]
    kpis = partner_kpis(customers, NOW)
    assert kpis.fiscal_year.name == 2027
    assert kpis.csat_reviews == 2
    assert kpis.csat_average == pytest.approx((5 + 4) / 2)
    assert kpis.nps == 0  # one promoter, one detractor


def test_fiscal_year_start_month_is_configurable() -> None:
    customers = [
        closed_at(datetime(2026, 6, 30, 12, tzinfo=UTC), satisfied(2, 2, 2, 5)),
        closed_at(datetime(2026, 7, 1, 12, tzinfo=UTC), satisfied(5, 5, 5, 10)),
    ]
    assert partner_kpis(customers, NOW, fiscal_start_month=1).csat_average == pytest.approx(3.5)
    assert partner_kpis(customers, NOW).csat_average == pytest.approx(5.0)


def test_no_closed_iteration_gives_no_csat_rather_than_zero() -> None:
    kpis = partner_kpis([customer()], NOW)
    assert (kpis.csat_average, kpis.csat_reviews, kpis.nps) == (None, 0, None)


def test_renewal_pipeline_counts_90_and_180_days_and_overdue_apart() -> None:
    customers = []
    for i, days in enumerate([0, 90, 91, 180, 181, -1, None]):
        target = customer(f"R{i}")
        target.renewal_date = TODAY + timedelta(days=days) if days is not None else None
        customers.append(target)
    kpis = partner_kpis(customers, NOW)
    assert kpis.renewals == {90: 2, 180: 4}
    assert kpis.renewals_overdue == 1
    assert kpis.customers == 7


def test_customers_per_phase_and_level() -> None:
    customers = [healthy("A"), healthy("B"), customer("C")]
    kpis = partner_kpis(customers, NOW)
    assert kpis.by_phase == {Phase.ASSESS: 3, Phase.COMMIT: 0, Phase.DELIVER: 0, Phase.ENSURE: 0}
    assert kpis.by_level == {
        MaturityLevel.CLOUD_AFFINE: 0,
        MaturityLevel.CLOUD_IS_AN_OPTION: 2,
        MaturityLevel.CLOUD_IS_A_SOLUTION: 0,
        MaturityLevel.CLOUD_IS_IN_USE: 0,
        None: 1,
    }


@pytest.mark.parametrize(
    ("scores", "nps"),
    [([], None), ([10], 100), ([0], -100), ([9, 7, 6], 0), ([10, 9, 8, 3], 25)],
)
def test_net_promoter_score(scores: list[int], nps: int | None) -> None:
    assert net_promoter_score(scores) == nps
