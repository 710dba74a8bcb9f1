"""Export and import: the round trip, every refusal naming its problem, and the safe CSV."""

from __future__ import annotations

import copy
import csv
import io
import json
from collections.abc import Callable
from typing import Any

import pytest

from engagement.clock import FixedClock
from engagement.exchange import MAX_CUSTOMERS, MAX_DOCUMENT_BYTES, ImportRefused, plan_import
from engagement.export import (
    CSV_COLUMNS,
    assessments_and_goals_csv,
    export_document,
    export_json,
    safe_cell,
)
from engagement.models import Customer, GoalStatus
from tests.support.portfolio import (
    NOW,
    TENANT,
    customer,
    healthy,
    license_line,
    run_iteration,
    touch,
)

Document = dict[str, Any]


def sample() -> list[Customer]:
    second = healthy("Fabrikam")
    second.licenses = [*second.licenses, license_line("Users - Learning", 0, 9)]
    fresh = customer("Northwind Traders")
    touch(fresh, 3)
    return [healthy("Contoso"), second, fresh]


def document() -> Document:
    data: Document = json.loads(export_json(TENANT, sample(), NOW))
    return data


def comparable(item: Customer) -> dict[str, Any]:
    return item.model_dump(mode="json", exclude={"tenant_id", "version"})


def refused(source: Any, tenant_id: str = TENANT, existing: set[str] | None = None) -> str:
    with pytest.raises(ImportRefused) as caught:
        plan_import(source, tenant_id, existing or set())
    return "\n".join(str(problem) for problem in caught.value.problems)


# ---------------------------------------------------------------- round trip


def test_export_is_a_versioned_document_of_the_tenants_customers() -> None:
    other = customer("Elsewhere", tenant_id="tenant-b")
    data = export_document(TENANT, [*sample(), other], NOW, [{"kind": "check_in"}])
    assert list(data) == ["format", "version", "tenant_id", "exported_at", "customers", "reminders"]
    assert (data["format"], data["version"], data["tenant_id"]) == ("csf-export", 1, TENANT)
    assert data["exported_at"] == NOW.isoformat()
    assert [c["id"] for c in data["customers"]] == ["contoso", "fabrikam", "northwind-traders"]
    assert all("tenant_id" not in c for c in data["customers"])
    assert {"iterations", "touches", "licenses"} <= set(data["customers"][0])
    assert data["reminders"] == [{"kind": "check_in"}]


def test_round_trip_gives_equal_customers() -> None:
    originals = sample()
    plan = plan_import(export_json(TENANT, originals, NOW), TENANT, set())
    assert [comparable(c) for c in plan.add] == [comparable(c) for c in originals]
    assert all(c.tenant_id == TENANT and c.version == 0 for c in plan.add)
    assert not plan.replace
    assert (plan.source_tenant_id, plan.exported_at) == (TENANT, NOW)


def test_a_deliberate_move_rewrites_the_tenant_to_the_importers() -> None:
    originals = sample()
    text = export_json(TENANT, originals, NOW)
    plan = plan_import(text, "tenant-new", set(), allow_other_tenant=True)
    assert {c.tenant_id for c in plan.customers} == {"tenant-new"}
    assert [comparable(c) for c in plan.customers] == [comparable(c) for c in originals]
    assert plan.source_tenant_id == TENANT


def test_bytes_with_a_bom_and_parsed_objects_are_accepted() -> None:
    text = export_json(TENANT, sample(), NOW)
    assert len(plan_import(("\ufeff" + text).encode(), TENANT, set()).add) == 3
    assert len(plan_import(json.loads(text), TENANT, set()).add) == 3


def test_existing_ids_are_refused_unless_replace_is_asked() -> None:
    text = export_json(TENANT, sample(), NOW)
    message = refused(text, existing={"contoso", "other"})
    assert "1 customer already exists: 'contoso'; import with replace" in message
    plan = plan_import(text, TENANT, {"contoso", "other"}, replace=True)
    assert [c.id for c in plan.replace] == ["contoso"]
    assert [c.id for c in plan.add] == ["fabrikam", "northwind-traders"]


def test_reminders_are_re_tenanted_and_must_name_a_customer_in_the_file() -> None:
    data = document()
    data["reminders"] = [
        {"customer_id": "contoso", "kind": "renewal", "tenant_id": "tenant-x"},
        {"kind": "digest"},
    ]
    plan = plan_import(data, TENANT, set())
    assert plan.reminders == (
        {"customer_id": "contoso", "kind": "renewal", "tenant_id": TENANT},
        {"kind": "digest"},
    )
    data["reminders"] = [{"customer_id": "ghost"}]
    assert (
        refused(data) == "reminders[0]: field customer_id: 'ghost' is not a customer in this file"
    )


# ---------------------------------------------------------------- refusals


def _set(path: str, value: Any) -> Callable[[Document], None]:
    """Set `customers[0].iterations[0].phase`-style paths (dots and [i])."""

    def change(data: Document) -> None:
        target: Any = data
        parts = path.replace("[", ".").replace("]", "").split(".")
        for part in parts[:-1]:
            target = target[int(part)] if part.isdigit() else target[part]
        last = parts[-1]
        if value is _DELETE:
            del target[last]
        else:
            target[int(last) if last.isdigit() else last] = value

    return change


_DELETE = object()


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (_set("format", "other-export"), "field format: is 'other-export'; a CSF export has"),
        (_set("format", _DELETE), "field format: is missing; a CSF export has format 'csf-export'"),
        (_set("version", 2), "field version: 2 is not supported; this bot reads version 1"),
        (_set("version", "1"), "field version: '1' is not supported"),
        (_set("version", True), "field version: True is not supported"),
        (_set("exported_at", "2026-11-02T09:30:00"), "field exported_at: Input should have"),
        (_set("customers", {"a": 1}), "field customers: Input should be a valid list"),
        (_set("extra", 1), "field extra: is not a known field"),
        (_set("customers[0].name", _DELETE), "customers[0] ('contoso'): field name: is missing"),
        (
            _set("customers[1].renewal_date", "soon"),
            "customers[1] ('fabrikam'): field renewal_date: Input should be a valid date",
        ),
        (
            _set("customers[0].licenses[0].licensed", "many"),
            "customers[0] ('contoso'): field licenses[0].licensed: Input should be a valid integer",
        ),
        (
            _set("customers[2].id", "Not A Slug"),
            "customers[2] ('Not A Slug'): field id: String should match pattern",
        ),
        (
            _set("customers[0].iterations[0].phase", "bogus"),
            "customers[0] ('contoso'): field iterations[0].phase: Input should be 'assess'",
        ),
        (
            _set("customers[0].iterations[0].number", 2),
            "customers[0] ('contoso'): field iterations[0].number: is 2, expected 1",
        ),
        (
            _set("customers[0].iterations[0].phase", "deliver"),
            "customers[0] ('contoso'): field iterations[0].phase: an earlier iteration must be "
            "closed with a review",
        ),
        (
            _set("customers[2].iterations[0].phase", "closed"),
            "customers[2] ('northwind-traders'): field iterations[0].phase: the last iteration "
            "must be open",
        ),
        (_set("customers[1].iterations", []), "customers[1] ('fabrikam'): field iterations"),
        (_set("customers[1]", "fabrikam"), "customers[1]: is a JSON string, not an object"),
        (_set("customers[1].id", "contoso"), "customers[1] ('contoso'): field id: duplicate id"),
        (_set("customers[0].secret", 1), "customers[0] ('contoso'): field secret: is not a known"),
        (_set("reminders", [1]), "field reminders[0]: Input should be a valid dictionary"),
    ],
)
def test_bad_documents_are_refused_naming_the_problem(
    change: Callable[[Document], None], expected: str
) -> None:
    data = document()
    change(data)
    assert expected in refused(json.dumps(data))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "the file is not JSON: Expecting value at line 1, column 1"),
        ('{"format": "csf-export",', "the file is not JSON: Expecting property name"),
        ("[1, 2]", "the file holds a JSON array, not an export object"),
        ("null", "the file holds a JSON null, not an export object"),
        ("[" * 100_000, "the file is not JSON"),
    ],
)
def test_text_that_is_not_an_export_object_is_refused(text: str, expected: str) -> None:
    assert expected in refused(text)


def test_lone_surrogates_are_refused_and_pairs_accepted() -> None:
    assert "lone surrogate" in refused('{"format": "csf-export", "x": "\\ud800"}')
    assert "lone surrogate" not in refused('{"format": "csf-export", "x": "\\ud83d\\ude00"}')


def test_not_utf8_and_too_big_are_refused() -> None:
    assert "not UTF-8" in refused(b"\xff\xfe{}")
    assert f"the limit is {MAX_DOCUMENT_BYTES:,}" in refused(" " * (MAX_DOCUMENT_BYTES + 1))


def test_a_file_from_another_tenant_is_refused() -> None:
    message = refused(export_json("tenant-b", [customer("Contoso", tenant_id="tenant-b")], NOW))
    assert message.startswith("field tenant_id: the file was exported from another organisation")
    assert "'tenant-b'" in message


def test_an_entry_cannot_smuggle_a_third_tenant_into_the_import() -> None:
    data = document()
    data["customers"][1]["tenant_id"] = "tenant-c"
    message = refused(data)
    assert message.startswith("customers[1] ('fabrikam'): field tenant_id: names tenant 'tenant-c'")
    data["customers"][1]["tenant_id"] = TENANT  # the file's own tenant may be repeated
    assert {c.tenant_id for c in plan_import(data, TENANT, set()).customers} == {TENANT}


def test_every_problem_is_reported_at_once_and_nothing_is_planned() -> None:
    data = document()
    data["customers"][0]["name"] = ""
    data["customers"][2]["touches"][0]["at"] = "yesterday"
    data["customers"].append(copy.deepcopy(data["customers"][1]))
    with pytest.raises(ImportRefused) as caught:
        plan_import(data, TENANT, {"fabrikam"})
    problems = [str(p) for p in caught.value.problems]
    assert len(problems) == 4
    assert problems[0].startswith("customers[0] ('contoso'): field name:")
    assert problems[1].startswith("customers[2] ('northwind-traders'): field touches[0].at:")
    assert problems[2] == (
        "customers[3] ('fabrikam'): field id: duplicate id, already used by customers[1]"
    )
    assert problems[3].startswith("field customers: 1 customer already exists: 'fabrikam'")


# ---------------------------------------------------------------- CSV


def test_csv_has_one_row_per_assessment_and_per_goal() -> None:
    target = customer("Contoso", created_days_ago=40)
    run_iteration(
        target,
        FixedClock(NOW.replace(day=1)),
        outcomes=(GoalStatus.ACHIEVED, GoalStatus.PARTIALLY),
        titles=("Landing zone", "Cost reviews"),
    )
    rows = list(csv.DictReader(io.StringIO(assessments_and_goals_csv([target, customer("B")]))))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert [(r["record"], r["goal_id"], r["outcome"]) for r in rows] == [
        ("assessment", "", ""),
        ("goal", "g1", "achieved"),
        ("goal", "g2", "partially"),
    ]
    assessment = rows[0]
    assert assessment["level"] == "Cloud is an option"
    assert assessment["dimension_scores"] == "governance=2.00; security=2.50"
    assert rows[2]["goal_title"] == "Cost reviews"
    assert rows[2]["evidence"] == "evidence 2"


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+SUM(A1:A9)", "'+SUM(A1:A9)"),
        ("-2+3", "'-2+3"),
        ("@cmd", "'@cmd"),
        ("\tTab", "'\tTab"),
        ("\rCR", "'\rCR"),
        ("Plain = text", "Plain = text"),
        ("", ""),
        (None, ""),
        (3, "3"),
    ],
)
def test_cells_that_start_like_a_formula_get_a_quote(raw: object, shown: str) -> None:
    assert safe_cell(raw) == shown


def test_csv_from_hostile_text_never_starts_a_cell_with_a_formula() -> None:
    target = customer("=cmd|' /C calc'!A0", created_days_ago=40)
    run_iteration(
        target,
        FixedClock(NOW.replace(day=1)),
        outcomes=(GoalStatus.ACHIEVED, GoalStatus.NOT_ACHIEVED),
        titles=("+1+1", "@SUM(1)"),
    )
    commitment = target.iterations[0].commitment
    assert commitment is not None
    commitment.goals[0].kpi = "-1 cost"
    commitment.goals[0].owner_name = "=evil()"
    text = assessments_and_goals_csv([target])
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@", "\t", "\r"))]
    assert "'=cmd|' /C calc'!A0" in cells
    assert {"'+1+1", "'@SUM(1)", "'-1 cost", "'=evil()"} <= set(cells)


def test_a_file_with_more_customers_than_the_limit_is_refused_before_it_is_read_whole() -> None:
    entries = ", ".join(["0"] * (MAX_CUSTOMERS + 1))
    text = '{"format": "csf-export", "version": 1, "customers": [' + entries + "], broken"
    assert (
        refused(text)
        == "field customers: holds more than 10,000 customers; import at most 10,000 at once"
    )
