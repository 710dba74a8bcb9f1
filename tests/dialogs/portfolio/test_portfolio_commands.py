"""The command functions the bot routes to: portfolio, health, kpis, export and import."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import pytest

from catalog.loader import load_catalog
from dialogs.portfolio.exchange_commands import IMPORT_USAGE, export_command, import_command
from dialogs.portfolio.portfolio_commands import health_command, kpis_command, portfolio_command
from engagement.errors import CustomerAlreadyExists
from engagement.export import export_json
from engagement.models import Customer
from tests.support.portfolio import (
    BOB,
    NOW,
    TENANT,
    TODAY,
    MemoryCustomers,
    customer,
    healthy,
    license_line,
)

Card = dict[str, Any]


def texts(card: Card | str) -> list[str]:
    assert isinstance(card, dict), card
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if node.get("type") in {"TextRun", "TextBlock"}:
                found.append(node["text"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(card)
    return found


def repository() -> MemoryCustomers:
    weak = customer("Fabrikam", owner=BOB, created_days_ago=50)
    weak.licenses = [license_line("Users - 360 Degree Reviews", 85, 0)]
    weak.renewal_date = TODAY + timedelta(days=20)
    return MemoryCustomers(
        [healthy("Contoso", renewal_days=120), weak, customer("Northwind Traders")]
    )


def both() -> tuple[MemoryCustomers, MemoryCustomers]:
    """The repository twice: as customers and as their summaries."""
    repo = repository()
    return repo, repo


# ---------------------------------------------------------------- portfolio and kpis


async def test_portfolio_lists_riskiest_first_with_kpis_on_page_one() -> None:
    card = await portfolio_command("", TENANT, "aad-ada", NOW, repository())
    shown = texts(card)
    assert [t for t in shown if t in {"Contoso", "Fabrikam", "Northwind Traders"}] == [
        "Fabrikam",
        "Northwind Traders",
        "Contoso",
    ]
    assert "renewal date passed" not in " ".join(shown)
    assert "renews in 20 days (22 Nov 2026)" in shown
    assert "Key figures · FY2027 (Jul 2026 - Jun 2027)" in shown
    assert "All customers" in shown


async def test_portfolio_mine_shows_only_the_users_customers() -> None:
    card = await portfolio_command("mine", TENANT, "aad-bob", NOW, repository())
    shown = texts(card)
    assert "Fabrikam" in shown
    assert "Contoso" not in shown
    assert "Filtered: mine (1 of 3)" in shown


async def test_portfolio_level_uses_the_catalogs_level_names() -> None:
    catalog = load_catalog()
    card = await portfolio_command(
        "level option", TENANT, "aad-ada", NOW, repository(), catalog=catalog
    )
    shown = texts(card)
    assert "Contoso" in shown
    assert "Northwind Traders" not in shown


async def test_portfolio_unknown_filter_lists_the_valid_ones() -> None:
    reply = await portfolio_command("overdue", TENANT, "aad-ada", NOW, repository())
    assert reply == (
        'I don\'t know the filter "overdue". Valid filters: `mine`, `renewals <days>`, '
        "`level <level>`, `stage <stage>`, `page <n>` (e.g. `portfolio mine renewals 90 page 2`)."
    )


async def test_portfolio_of_nothing_matching_says_so() -> None:
    card = await portfolio_command("renewals 5", TENANT, "aad-ada", NOW, repository())
    assert "No customer matches renewal within 5 days. Type portfolio to see all 3." in texts(card)


async def test_a_page_past_the_end_shows_the_last_page_and_says_so() -> None:
    card = await portfolio_command("page 9", TENANT, "aad-ada", NOW, repository())
    assert "All customers. There is no page 9; this is page 1." in texts(card)


async def test_portfolio_sees_only_its_own_tenant() -> None:
    repo = repository()
    await repo.add(customer("Elsewhere", tenant_id="tenant-b"))
    assert "Elsewhere" not in texts(await portfolio_command("", TENANT, "x", NOW, repo))


async def test_kpis_card_has_the_figures_and_a_portfolio_button() -> None:
    card = await kpis_command("", TENANT, "aad-ada", NOW, repository())
    assert isinstance(card, dict)
    shown = texts(card)
    assert shown[0] == "Partner KPIs"
    for label in ("Customers", "CSAT FY2027", "NPS FY2027", "Renewing within 90 days"):
        assert label in shown
    assert "5.00 of 5 from 1 closed iteration" in shown
    assert [a["title"] for a in card["actions"]] == ["Portfolio"]
    assert await kpis_command("bogus", TENANT, "x", NOW, repository()) == (
        'I don\'t know the filter "bogus". Valid filters: `mine`, `renewals <days>`, '
        "`level <level>`, `stage <stage>`, `page <n>` (e.g. `portfolio mine renewals 90 page 2`)."
    )


# ---------------------------------------------------------------- health


async def test_health_card_shows_score_band_every_factor_and_weights() -> None:
    card = await health_command("Fabrikam", TENANT, "aad-ada", NOW, *both())
    shown = texts(card)
    assert "Fabrikam" in shown
    for label in (
        "License utilisation",
        "Satisfaction (CSAT/NPS)",
        "Success plan (SSAT)",
        "Renewal",
    ):
        assert label in shown
    assert "missing" in shown
    assert "weight 20 · not counted" in shown
    assert "no review with CSAT/NPS yet" in shown
    assert any(t.startswith("Score ") for t in shown)


@pytest.mark.parametrize(
    ("argument", "reply"),
    [
        ("", "Which customer? Type `health <customer>`, e.g. `health Contoso`."),
        ("Tailspin", 'I don\'t know a customer called "Tailspin" in your organisation.'),
        ("!!!", "That does not work as a customer name: needs at least one letter or digit."),
    ],
)
async def test_health_explains_what_it_cannot_find(argument: str, reply: str) -> None:
    answer = await health_command(argument, TENANT, "aad-ada", NOW, *both())
    assert isinstance(answer, str)
    assert answer.startswith(reply)


async def test_health_finds_a_customer_by_id_or_part_of_the_name() -> None:
    repo = repository()
    for argument in ("northwind-traders", "northwind", "NORTHWIND TRADERS"):
        found = await health_command(argument, TENANT, "x", NOW, repo, repo)
        assert "Northwind Traders" in texts(found)
    await repo.add(customer("Northwind Logistics"))
    reply = await health_command("northwind", TENANT, "x", NOW, repo, repo)
    assert reply == (
        'Several customers match "northwind": Northwind Logistics, Northwind Traders. Which one?'
    )


# ---------------------------------------------------------------- export and import


async def test_export_gives_json_and_csv_files() -> None:
    files = await export_command("", TENANT, "aad-ada", NOW, repository())
    document = json.loads(files.json_text)
    assert document["format"] == "csf-export"
    assert [c["name"] for c in document["customers"]] == [
        "Contoso",
        "Fabrikam",
        "Northwind Traders",
    ]
    assert files.json_name == "csf-tenant-a-20261102-0930.json"
    assert files.csv_name == "csf-tenant-a-20261102-0930-assessments-goals.csv"
    rows = list(csv.DictReader(io.StringIO(files.csv_text)))
    assert [r["record"] for r in rows] == ["assessment", "goal"]
    assert files.summary.startswith("Exported 3 customers")


async def test_import_round_trip_into_an_empty_tenant() -> None:
    files = await export_command("", TENANT, "x", NOW, repository())
    target = MemoryCustomers()
    reply = await import_command("", TENANT, "x", NOW, target, document=files.json_text)
    assert reply == "Imported 3 customers (3 added) from the export of 02 Nov 2026 09:30 UTC."
    stored = await target.list(TENANT)
    originals = await repository().list(TENANT)
    assert [c.model_dump(exclude={"version"}) for c in stored] == [
        c.model_dump(exclude={"version"}) for c in originals
    ]


async def test_import_accepts_pasted_json_and_replace() -> None:
    repo = repository()
    text = export_json(TENANT, [healthy("Contoso", renewal_days=10)], NOW)
    refused = await import_command(text, TENANT, "x", NOW, repo)
    assert refused.startswith("I imported nothing: the file has 1 problem.\n- `field customers:")
    assert repo.writes == 0
    reply = await import_command("replace " + text, TENANT, "x", NOW, repo)
    assert reply.startswith("Imported 1 customer (0 added, 1 replaced)")
    contoso = await repo.get(TENANT, "contoso")
    assert contoso is not None
    assert contoso.renewal_date == TODAY + timedelta(days=10)
    assert contoso.version == 2


async def test_a_bad_file_writes_nothing_and_names_every_problem() -> None:
    data = json.loads(export_json(TENANT, (await repository().list(TENANT)), NOW))
    data["customers"][0]["iterations"][0]["number"] = 7
    data["customers"][2]["renewal_date"] = "soon"
    target = MemoryCustomers()
    reply = await import_command("", TENANT, "x", NOW, target, document=json.dumps(data))
    assert reply.splitlines()[0] == "I imported nothing: the file has 2 problems."
    assert "- `customers[0] ('contoso'): field iterations[0].number: is 7, expected 1`" in reply
    assert "- `customers[2] ('northwind-traders'): field renewal_date:" in reply
    assert target.writes == 0
    assert await target.list(TENANT) == []


async def test_a_file_from_another_tenant_writes_nothing() -> None:
    text = export_json("tenant-b", [customer("Contoso", tenant_id="tenant-b")], NOW)
    target = MemoryCustomers()
    reply = await import_command("", TENANT, "x", NOW, target, document=text)
    assert "exported from another organisation (tenant 'tenant-b')" in reply
    assert target.writes == 0


async def test_import_without_a_document_explains_how() -> None:
    assert await import_command("", TENANT, "x", NOW, MemoryCustomers()) == IMPORT_USAGE
    assert await import_command("replace", TENANT, "x", NOW, MemoryCustomers()) == IMPORT_USAGE


class RecordingWriter:
    """A bulk writer as the store would offer it."""

    def __init__(self, fail: bool = False) -> None:
        self.calls: list[tuple[str, list[str], list[str]]] = []
        self.fail = fail

    async def import_customers(
        self, tenant_id: str, add: Sequence[Customer], replace: Sequence[Customer]
    ) -> None:
        if self.fail:
            raise CustomerAlreadyExists(tenant_id, add[0].id)
        self.calls.append((tenant_id, [c.id for c in add], [c.id for c in replace]))


async def test_import_uses_the_bulk_writer_when_given() -> None:
    text = export_json(TENANT, await repository().list(TENANT), NOW)
    repo = MemoryCustomers([customer("Contoso")])
    writer = RecordingWriter()
    reply = await import_command("replace", TENANT, "x", NOW, repo, document=text, writer=writer)
    assert reply.startswith("Imported 3 customers (2 added, 1 replaced)")
    assert writer.calls == [(TENANT, ["fabrikam", "northwind-traders"], ["contoso"])]
    assert repo.writes == 0
    failing = RecordingWriter(fail=True)
    reply = await import_command(
        "", TENANT, "x", NOW, MemoryCustomers(), document=text, writer=failing
    )
    assert reply == "Nothing was imported: customer 'contoso' already exists. Please try again."
