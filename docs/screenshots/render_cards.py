"""Build the README example cards with the real card wrappers and write them as JSON.

Run from the repository root with the project's virtualenv:

    .venv/bin/python docs/screenshots/render_cards.py

It writes docs/screenshots/out/<card>.json (one Adaptive Card per file) and
docs/screenshots/out/cards.js (all of them, for page.html). `node shoot.mjs` then renders each card
with the open-source `adaptivecards` renderer in headless Chromium and saves the PNGs.

The example data is made up (customer "Contoso Pharma", partner "Ada Lovelace"), but every card
is built the way the bot builds it: real catalog, real scoring, real view builders where they are
pure functions, the lifecycle functions for the customer record, and a fixed clock.
"""

from __future__ import annotations

import asyncio
import json
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
OUT = Path(__file__).resolve().parent / "out"
sys.path.insert(0, str(ROOT))

from bot.teams_bot import PHASES, _command_help  # noqa: E402
from cards import library  # noqa: E402
from cards.forms import sow_card  # noqa: E402
from cards.reminders import ReminderItemView, reminder_card  # noqa: E402
from cards.summary import summary_card  # noqa: E402
from catalog import load_catalog  # noqa: E402
from dialogs.assess.quick_check import QuickCheck  # noqa: E402
from dialogs.assess.views import question_view, result_view  # noqa: E402
from dialogs.commit.commit_views import SowHeader, sow_view  # noqa: E402
from dialogs.deliver.proof import proof_view  # noqa: E402
from dialogs.portfolio.portfolio_commands import portfolio_command  # noqa: E402
from engagement.assessing import evaluate  # noqa: E402
from engagement.lifecycle import (  # noqa: E402
    agree,
    close_iteration,
    new_customer,
    record_assessment,
    record_commitment,
    record_delivery,
    start_ensure,
)
from engagement.models import (  # noqa: E402
    AgreementSide,
    Assessment,
    AssessmentKind,
    Commitment,
    Customer,
    Delivery,
    FactorStatus,
    Goal,
    GoalOutcome,
    GoalOwnerSide,
    GoalStatus,
    LicenseLine,
    Person,
    Review,
    Satisfaction,
    SuccessFactor,
    SuccessFactors,
    Touch,
    TouchKind,
)
from engagement.naming import customer_id_for  # noqa: E402

NOW = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
TENANT = "contoso-partner"
ADA = Person(id="aad-ada", name="Ada Lovelace")
GRACE = Person(id="aad-grace", name="Grace Hopper")
CARL = Person(id="aad-carl", name="Carl Jensen (Contoso Pharma)")

# One answer per question of the catalog: a customer with a pilot under way.
ANSWERS = {
    "contact": "hands_on",
    "environment": "pilot",
    "platform_knowledge": "basics",
    "skills": "learning",
    "use_case": "chosen",
    "next_goal": "prove",
    "governance": "designing",
    "cost": "estimates",
    "sponsor": "named_sponsor",
    "budget": "pilot",
}


def _level_answers(catalog: Any, rank: int) -> dict[str, str]:
    """The option of maturity level `rank` (1-4) for every question: a customer squarely there."""
    return {q.id: q.options[rank - 1].id for q in catalog.questionnaire.questions}


def _answers(catalog: Any, wanted: dict[str, str]) -> dict[str, str]:
    """`wanted`, checked against the catalog (a renamed option fails loudly here)."""
    for question in catalog.questionnaire.questions:
        if wanted.get(question.id) not in {o.id for o in question.options}:
            raise SystemExit(
                f"update ANSWERS: no option {wanted.get(question.id)!r} for "
                f"question {question.id!r}"
            )
    return dict(wanted)


def _assessment(catalog: Any, answers: dict[str, str], at: datetime) -> Assessment:
    evaluation = evaluate(catalog, answers)
    return Assessment(
        kind=AssessmentKind.FULL,
        answers=answers,
        dimension_scores=dict(evaluation.result.dimension_scores),
        level=evaluation.result.level,
        reasons=list(evaluation.result.reasons),
        by=ADA,
        at=at,
    ), [w.id for w in evaluation.workshops]


def _commitment(workshops: list[str], start: date) -> Commitment:
    return Commitment(
        workshops=workshops[:2],
        goals=[
            Goal(
                id="g1",
                title="Landing zone for the research data platform",
                kpi="Landing zone deployed and approved by IT security",
                owner_side=GoalOwnerSide.PARTNER,
                owner_name="Ada",
                due=start + timedelta(days=45),
            ),
            Goal(
                id="g2",
                title="First workload in production",
                kpi="Lab results portal live for 200 users",
                owner_side=GoalOwnerSide.CUSTOMER,
                owner_name="Carl",
                due=start + timedelta(days=75),
            ),
            Goal(
                id="g3",
                title="Cost visibility",
                kpi="Monthly cost report per department",
                owner_side=GoalOwnerSide.PARTNER,
                due=start + timedelta(days=60),
            ),
        ],
        success_factors=SuccessFactors(
            stakeholders=SuccessFactor(status=FactorStatus.IN_PLACE, owner="CIO (sponsor)"),
            scenarios=SuccessFactor.from_text("Lab results portal; the data lake not yet"),
            training=SuccessFactor.from_text("Two admins take AZ-104 before the pilot"),
        ),
        start=start,
        end=start + timedelta(days=90),
        customer_contact="Carl Jensen, Head of Research IT",
    )


def _customer(
    catalog: Any,
    name: str,
    *,
    owner: Person = ADA,
    stage: str,
    answers: dict[str, str] | None = None,
    outcomes: tuple[GoalStatus, ...] = (GoalStatus.ACHIEVED,) * 3,
    satisfaction: Satisfaction | None = None,
    renewal_days: int | None = None,
    touched_days_ago: int | None = None,
    licenses: tuple[int, int] | None = None,
) -> Customer:
    """A customer taken through the lifecycle up to `stage`: assess, commit, agreed, deliver,
    ensure or closed."""
    start = NOW - timedelta(days=120)
    customer = new_customer(TENANT, customer_id_for(name), name, owner, start)
    if renewal_days is not None:
        customer.renewal_date = NOW.date() + timedelta(days=renewal_days)
    if touched_days_ago is not None:
        customer.touches = [
            Touch(at=NOW - timedelta(days=touched_days_ago), by=owner, kind=TouchKind.MEETING)
        ]
    if licenses is not None:
        customer.licenses = [
            LicenseLine(
                product="Azure DevOps",
                licensed=licenses[0],
                active=licenses[1],
                as_of=NOW.date(),
            )
        ]
    if stage == "assess":
        return customer
    chosen = _answers(catalog, answers or ANSWERS)
    assessment, workshops = _assessment(catalog, chosen, start)
    record_assessment(customer, assessment, workshops, start)
    if stage == "commit":
        return customer
    record_commitment(customer, _commitment(workshops, start.date() + timedelta(days=7)), start)
    agree(customer, AgreementSide.PARTNER, owner, start + timedelta(days=2))
    agree(customer, AgreementSide.CUSTOMER, CARL, start + timedelta(days=3))
    if stage == "agreed":
        return customer
    on = start + timedelta(days=20)
    for number, workshop in enumerate(customer.current.commitment.workshops, start=1):
        delivery = Delivery(
            id=f"d{number}",
            workshop_id=workshop,
            on=(on + timedelta(days=14 * (number - 1))).date(),
            attendees=12 if number == 1 else 8,
            by=owner,
            at=on,
        )
        record_delivery(customer, delivery, on + timedelta(days=14 * (number - 1)))
    if stage == "deliver":
        return customer
    start_ensure(customer, start + timedelta(days=100))
    if stage == "ensure":
        return customer
    review = Review(
        outcomes=[
            GoalOutcome(goal_id=f"g{i}", status=status, evidence=evidence)
            for i, (status, evidence) in enumerate(
                zip(
                    outcomes,
                    (
                        "approved by IT security on 12 Oct",
                        "portal live since 20 Oct, 184 active users",
                        "report drafted, two departments still missing",
                    ),
                    strict=False,
                ),
                start=1,
            )
        ],
        satisfaction=satisfaction,
        next_steps=[
            "Move the research data lake to the landing zone",
            "Well-Architected review of the portal in Q3",
            "Finish the cost report for the remaining departments",
        ],
        by=owner,
        at=start + timedelta(days=110),
    )
    close_iteration(customer, review, start + timedelta(days=110))
    return customer


class _Customers:
    """The only part of the customer repository the portfolio command reads."""

    def __init__(self, customers: list[Customer]) -> None:
        self._customers = customers

    async def list(self, tenant_id: str) -> list[Customer]:
        return [c for c in self._customers if c.tenant_id == tenant_id]


def build_cards() -> dict[str, dict[str, Any]]:
    """Every README card, by file name (without .json)."""
    catalog = load_catalog()
    cards: dict[str, dict[str, Any]] = {}

    cards["welcome"] = library.welcome_card(PHASES, _command_help())
    cards["help"] = library.help_card(PHASES, _command_help())

    questions = catalog.questionnaire.questions
    index = 3
    cards["question"] = library.question_card(
        question_view(catalog, "Contoso Pharma", index, "assess-1", questions[index])
    )

    quick = QuickCheck.__new__(QuickCheck)  # only _view is used: it needs the catalog alone
    quick._services = type("Services", (), {"catalog": catalog})()
    cards["quick-check"] = library.quick_check_card(quick._view("Contoso Pharma", 1))

    answers = _answers(catalog, ANSWERS)
    evaluation = evaluate(catalog, answers)
    cards["result"] = library.result_card(
        result_view(
            catalog,
            "Contoso Pharma",
            AssessmentKind.FULL,
            evaluation,
            ADA.name,
            NOW,
        )
    )

    committed = _customer(catalog, "Contoso Pharma", stage="commit")
    workshops = committed.current.recommendations
    record_commitment(committed, _commitment(workshops, NOW.date() + timedelta(days=7)), NOW)
    agree(committed, AgreementSide.PARTNER, ADA, NOW)
    cards["sow"] = sow_card(
        sow_view(catalog, SowHeader.of(committed), committed.current.commitment)
    )

    closed = _customer(
        catalog,
        "Contoso Pharma",
        stage="closed",
        outcomes=(GoalStatus.ACHIEVED, GoalStatus.ACHIEVED, GoalStatus.PARTIALLY),
        satisfaction=Satisfaction(overall=5, value=4, team=5, nps=9, comment=""),
    )
    cards["proof"] = summary_card(proof_view(catalog, closed, closed.iterations[0]))

    portfolio = [
        closed,
        _customer(
            catalog,
            "Fabrikam Logistics",
            stage="deliver",
            renewal_days=41,
            answers=_level_answers(catalog, 4),
            touched_days_ago=3,
            licenses=(120, 97),
        ),
        _customer(
            catalog,
            "Northwind Traders",
            owner=GRACE,
            stage="commit",
            renewal_days=18,
            answers=_level_answers(catalog, 2),
            touched_days_ago=34,
        ),
        _customer(catalog, "Tailspin Toys", stage="assess", touched_days_ago=60),
        _customer(
            catalog,
            "Woodgrove Bank",
            owner=GRACE,
            stage="ensure",
            renewal_days=150,
            answers=_level_answers(catalog, 4),
            touched_days_ago=9,
            licenses=(400, 212),
        ),
        _customer(
            catalog,
            "Adventure Works Cycles",
            stage="agreed",
            renewal_days=-5,
            answers=_level_answers(catalog, 1),
            touched_days_ago=21,
        ),
        _customer(
            catalog,
            "Litware Inc.",
            stage="closed",
            answers=_level_answers(catalog, 2),
            satisfaction=Satisfaction(overall=4, value=3, team=4, nps=8, comment=""),
            renewal_days=240,
            touched_days_ago=12,
            licenses=(50, 44),
        ),
    ]
    closed.renewal_date = NOW.date() + timedelta(days=95)
    closed.touches = [Touch(at=NOW - timedelta(days=6), by=ADA, kind=TouchKind.CALL)]
    closed.licenses = [
        LicenseLine(product="Microsoft 365 E3", licensed=300, active=271, as_of=NOW.date())
    ]
    cards["portfolio"] = asyncio.run(
        portfolio_command(
            "", TENANT, ADA.id, NOW, _Customers(portfolio), catalog=catalog, page_size=5
        )
    )

    cards["reminder"] = reminder_card(
        ReminderItemView(
            reminder_id="r-42",
            customer_id="northwind-traders",
            customer_name="Northwind Traders",
            title="Check in with Northwind Traders",
            why="No touch for 34 days (last on Tue 29 Sep 2026); the renewal is in 18 days",
            due="2 days overdue (Sat 31 Oct)",
            overdue=True,
        )
    )
    return cards


def main() -> None:
    OUT.mkdir(exist_ok=True)
    cards = build_cards()
    for name, card in cards.items():
        if not isinstance(card, dict):
            raise SystemExit(f"{name}: expected a card, got {card!r}")
        (OUT / f"{name}.json").write_text(json.dumps(card, indent=2, ensure_ascii=False))
    (OUT / "cards.js").write_text("window.CARDS = " + json.dumps(cards, ensure_ascii=False) + ";\n")
    sys.stdout.write(f"wrote {len(cards)} cards to {OUT.relative_to(ROOT)}: {', '.join(cards)}\n")


if __name__ == "__main__":
    main()
