"""Export of a tenant's data: the csf-export JSON document (`engagement.exchange` reads it back)
and a CSV of assessments and goals. Pure.

The JSON is produced piece by piece (`export_parts`: the header, then one customer per line), so
a caller can yield to other work between customers: 10,000 customers take seconds to encode.

The CSV has one row per assessment and one per committed goal (with its outcome when reviewed),
told apart by the `record` column. Cells that a spreadsheet would run as a formula (starting
with = + - @, or a tab or carriage return) get a leading single quote.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime
from typing import Any

from engagement.exchange import FORMAT, VERSION
from engagement.models import Customer, GoalOutcome, Iteration
from i18n import N_, _

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# The CSV's columns; the header row names them in the turn's language (English: these keys).
CSV_COLUMNS = (
    N_("record"),
    N_("customer_id"),
    N_("customer_name"),
    N_("iteration"),
    N_("phase"),
    N_("assessment_kind"),
    N_("level"),
    N_("assessed_at"),
    N_("assessed_by"),
    N_("dimension_scores"),
    N_("goal_id"),
    N_("goal_title"),
    N_("kpi"),
    N_("owner_side"),
    N_("owner_name"),
    N_("due"),
    N_("outcome"),
    N_("evidence"),
)


def export_document(
    tenant_id: str,
    customers: Iterable[Customer],
    now: datetime,
    reminders: Iterable[Mapping[str, Any]] = (),
) -> dict[str, Any]:
    """The tenant's customers (and optional reminders) as an export document (JSON-ready)."""
    return json.loads(export_json(tenant_id, customers, now, reminders))  # type: ignore[no-any-return]


def export_json(
    tenant_id: str,
    customers: Iterable[Customer],
    now: datetime,
    reminders: Iterable[Mapping[str, Any]] = (),
) -> str:
    """The export document as JSON text (UTF-8 characters kept), one customer per line."""
    return "".join(export_parts(tenant_id, customers, now, reminders))


def export_parts(
    tenant_id: str,
    customers: Iterable[Customer],
    now: datetime,
    reminders: Iterable[Mapping[str, Any]] = (),
) -> Iterator[str]:
    """`export_json` in pieces: the header, each customer of the tenant, the reminders."""
    yield export_header(tenant_id, now)
    first = True
    for customer in customers:
        if customer.tenant_id == tenant_id:
            yield export_entry(customer, first=first)
            first = False
    yield export_footer(reminders)


def export_header(tenant_id: str, now: datetime) -> str:
    """The export document up to its first customer."""
    header = {"format": FORMAT, "version": VERSION, "tenant_id": tenant_id}
    header["exported_at"] = now.isoformat()
    return json.dumps(header, ensure_ascii=False)[:-1] + ',\n "customers": ['


def export_entry(customer: Customer, *, first: bool) -> str:
    """One customer's line of the export document (its tenant left out: the header names it)."""
    document = customer.model_dump(mode="json", exclude={"tenant_id"})
    return ("\n" if first else ",\n") + json.dumps(document, ensure_ascii=False)


def export_footer(reminders: Iterable[Mapping[str, Any]] = ()) -> str:
    """The export document after its last customer: the reminders, and the end."""
    listed = [dict(reminder) for reminder in reminders]
    return '\n ],\n "reminders": ' + json.dumps(listed, ensure_ascii=False) + "\n}\n"


def safe_cell(value: object) -> str:
    """The value as text a spreadsheet shows and never evaluates as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def assessments_and_goals_csv(customers: Iterable[Customer]) -> str:
    """One row per assessment and one per committed goal, for spreadsheets and backlogs."""
    return "".join(csv_parts(customers))


def csv_parts(customers: Iterable[Customer]) -> Iterator[str]:
    """`assessments_and_goals_csv` in pieces: the header line, then each customer's rows."""
    rows = CsvRows()
    yield rows.header()
    for customer in customers:
        yield rows.of(customer)


class CsvRows:
    """The CSV's header line and each customer's rows as text, counting the records written."""

    def __init__(self) -> None:
        self._buffer = io.StringIO()
        self._writer = csv.writer(self._buffer)
        self.records = 0

    def header(self) -> str:
        """The header line, in the turn's language."""
        self._writer.writerow([_(column) for column in CSV_COLUMNS])
        return self._taken()

    def of(self, customer: Customer) -> str:
        """The customer's rows: one per assessment and one per committed goal."""
        for iteration in customer.iterations:
            for row in _rows(customer, iteration):
                self._writer.writerow([safe_cell(row.get(column)) for column in CSV_COLUMNS])
                self.records += 1
        return self._taken()

    def _taken(self) -> str:
        text = self._buffer.getvalue()
        self._buffer.seek(0)
        self._buffer.truncate()
        return text


def _rows(customer: Customer, iteration: Iteration) -> list[dict[str, object]]:
    base: dict[str, object] = {
        "customer_id": customer.id,
        "customer_name": customer.name,
        "iteration": iteration.number,
        "phase": iteration.phase.value,
    }
    rows = []
    assessment = iteration.assessment
    if assessment is not None:
        scores = "; ".join(f"{k}={v:.2f}" for k, v in sorted(assessment.dimension_scores.items()))
        rows.append(
            {
                **base,
                "record": "assessment",
                "assessment_kind": assessment.kind.value,
                "level": assessment.level.label,
                "assessed_at": assessment.at.isoformat(),
                "assessed_by": assessment.by.name or assessment.by.id,
                "dimension_scores": scores,
            }
        )
    outcomes: dict[str, GoalOutcome] = (
        {o.goal_id: o for o in iteration.review.outcomes} if iteration.review else {}
    )
    goals = iteration.commitment.goals if iteration.commitment else []
    for goal in goals:
        outcome = outcomes.get(goal.id)
        rows.append(
            {
                **base,
                "record": "goal",
                "goal_id": goal.id,
                "goal_title": goal.title,
                "kpi": goal.kpi,
                "owner_side": goal.owner_side.value,
                "owner_name": goal.owner_name,
                "due": goal.due.isoformat(),
                "outcome": outcome.status.value if outcome else "",
                "evidence": outcome.evidence if outcome else "",
            }
        )
    return rows
