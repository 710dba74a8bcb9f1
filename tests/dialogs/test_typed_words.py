"""Words typed as answers and command arguments are understood in English and German."""

from __future__ import annotations

import pytest

from dialogs.commit.review_words import part_named
from dialogs.reminders.renewals import parse_outcome
from engagement.models import MaturityLevel
from engagement.portfolio import PortfolioQuery, parse_query


@pytest.mark.parametrize(
    ("typed", "part"),
    [
        (" ziele", "goals"),
        ("Erfolgsfaktoren", "factors"),
        ("faktoren", "factors"),
        ("termine", "period"),
        ("daten", "period"),
        ("workshops", "workshops"),
        ("goals", "goals"),
        ("2", "goals"),
        ("zeugs", None),
    ],
)
def test_parts_of_the_statement_of_work_by_german_name(typed: str, part: str | None) -> None:
    assert part_named(typed) == part


@pytest.mark.parametrize(
    ("argument", "parsed"),
    [
        ("Contoso verlängert", ("Contoso", True, "")),
        ("Contoso erledigt", ("Contoso", True, "")),
        ("Contoso verloren Preis", ("Contoso", False, "Preis")),
        ("Contoso gekündigt: Budget", ("Contoso", False, "Budget")),
    ],
)
def test_renewal_outcomes_in_german(argument: str, parsed: tuple[str, bool, str]) -> None:
    line = parse_outcome(argument)
    assert line is not None
    assert (line.customer, line.renewed, line.reason) == parsed


def test_portfolio_filters_in_german() -> None:
    assert parse_query("meine, Verlängerungen 60 Tage, Reifegrad 3, Seite 2") == PortfolioQuery(
        True, 60, MaturityLevel.CLOUD_IS_A_SOLUTION, 2
    )
    assert parse_query("alle seite 4") == PortfolioQuery(page=4)
