"""`export` and `import`: the tenant's data out as files, and back in, all of it or nothing.

Like the other portfolio commands, each takes the text after the command, the tenant and user,
`now` and the customer repository; export returns the file contents, import the reply text. No
botbuilder; the rules live in `engagement.exchange`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from engagement.book_stream import customer_ids, each_customer
from engagement.errors import DomainError
from engagement.exchange import ImportPlan, ImportRefused, planning
from engagement.export import CsvRows, export_entry, export_footer, export_header
from engagement.ports import CustomerImportWriter, CustomerRepository
from engagement.slices import finish_in_slices

MAX_PROBLEMS_SHOWN = 10
IMPORT_USAGE = (
    "Attach the export file (.json) to a message that says `import`, or paste its JSON after "
    "`import`. Add `replace` (`import replace`) to overwrite customers that already exist."
)


@dataclass(frozen=True)
class ExportFiles:
    """What `export` produces: the JSON document and the CSV, with file names and a summary."""

    json_name: str
    json_text: str
    csv_name: str
    csv_text: str
    summary: str


async def export_command(
    argument: str,
    tenant_id: str,
    user_id: str,
    now: datetime,
    customers: CustomerRepository,
    *,
    reminders: Iterable[Mapping[str, Any]] = (),
) -> ExportFiles:
    """`export`: the tenant's data as a csf-export JSON document and a CSV of assessments and
    goals (for spreadsheets and backlogs).

    One pass over the book, a customer at a time (`each_customer`), yielding to other turns
    between customers: only the output text grows with the book.
    """
    json_parts = [export_header(tenant_id, now)]
    rows = CsvRows()
    csv_parts = [rows.header()]
    count = 0
    async for customer in each_customer(customers, tenant_id):
        json_parts.append(export_entry(customer, first=count == 0))
        csv_parts.append(rows.of(customer))
        count += 1
    json_parts.append(export_footer(reminders))
    stem = f"csf-{_file_part(tenant_id)}-{now:%Y%m%d-%H%M}"
    records = rows.records
    return ExportFiles(
        json_name=f"{stem}.json",
        json_text="".join(json_parts),
        csv_name=f"{stem}-assessments-goals.csv",
        csv_text="".join(csv_parts),
        summary=(
            f"Exported {count:,} customer"
            + ("" if count == 1 else "s")
            + f" with their iterations, touches and licenses, and {records:,} assessment and "
            "goal rows as CSV. Keep the JSON file: import reads it back."
        ),
    )


def _file_part(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9-]+", "-", text).strip("-")[:40] or "tenant"


async def import_command(
    argument: str,
    tenant_id: str,
    user_id: str,
    now: datetime,
    customers: CustomerRepository,
    *,
    document: str | bytes | None = None,
    writer: CustomerImportWriter | None = None,
) -> str:
    """`import [replace] [<json>]`: check the whole document, then write all of it or nothing.

    The JSON comes from `document` (an attached file) or from the argument. Without `writer`
    the customers are written one by one through the repository, which is not atomic if the
    store fails half-way (the reply says what was written then).
    """
    words = argument.strip()
    replace = bool(re.match(r"^replace\b", words, re.IGNORECASE))
    text = words[len("replace") :].strip() if replace else words
    source = document if document is not None else text
    if not source:
        return IMPORT_USAGE
    existing = await customer_ids(customers, tenant_id)
    try:
        # Parsing and validating 10,000 customers takes seconds: in slices between other turns.
        plan = await finish_in_slices(planning(source, tenant_id, existing, replace=replace))
    except ImportRefused as refused:
        return refusal_text(refused)
    if not plan.customers:
        return "The file holds no customers, so there was nothing to import."
    if writer is not None:
        try:
            await writer.import_customers(tenant_id, plan.add, plan.replace)
        except DomainError as error:
            return f"Nothing was imported: {error}. Please try again."
    else:
        written = await _write_one_by_one(customers, plan)
        if written is not None:
            return written
    return _imported_text(plan)


def refusal_text(refused: ImportRefused) -> str:
    """The reply to a refused import: nothing imported, and every problem (up to 10)."""
    problems = refused.problems
    # Code spans: the problems quote the file, which must not turn into Markdown or HTML.
    lines = [f"- `{_code(str(problem))}`" for problem in problems[:MAX_PROBLEMS_SHOWN]]
    if len(problems) > MAX_PROBLEMS_SHOWN:
        lines.append(f"- … and {len(problems) - MAX_PROBLEMS_SHOWN} more")
    count = f"{len(problems)} problem" + ("" if len(problems) == 1 else "s")
    return f"I imported nothing: the file has {count}.\n" + "\n".join(lines)


def _code(text: str) -> str:
    return text.replace("`", "'").replace("\n", " ")


async def _write_one_by_one(customers: CustomerRepository, plan: ImportPlan) -> str | None:
    done = 0
    try:
        for customer in plan.add:
            await customers.add(customer)
            done += 1
        for customer in plan.replace:
            stored = await customers.get(plan.tenant_id, customer.id)
            if stored is None:
                await customers.add(customer)
            else:
                await customers.save(customer.model_copy(update={"version": stored.version}))
            done += 1
    except DomainError as error:
        return (
            f"The import stopped after {done} of {len(plan.customers)} customers: {error}. "
            "The rest was not written; check the portfolio and import again with replace."
        )
    return None


def _imported_text(plan: ImportPlan) -> str:
    exported = plan.exported_at.astimezone(UTC)
    parts = [f"{len(plan.add):,} added"]
    if plan.replace:
        parts.append(f"{len(plan.replace):,} replaced")
    text = (
        f"Imported {len(plan.customers):,} customer"
        + ("" if len(plan.customers) == 1 else "s")
        + f" ({', '.join(parts)}) from the export of {exported:%d %b %Y %H:%M} UTC."
    )
    if plan.reminders:
        text += f" The file's {len(plan.reminders)} reminders were not imported."
    return text
