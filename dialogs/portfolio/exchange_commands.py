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

from dialogs.common.messages import day_text
from engagement.book_stream import customer_ids, each_customer
from engagement.errors import ConcurrencyConflict, CustomerAlreadyExists, DomainError
from engagement.exchange import ImportPlan, ImportRefused, planning
from engagement.export import CsvRows, export_entry, export_footer, export_header
from engagement.ports import CustomerImportWriter, CustomerRepository
from engagement.slices import finish_in_slices
from i18n import N_, _, ngettext
from i18n.formats import format_number

MAX_PROBLEMS_SHOWN = 10
IMPORT_USAGE = N_(  # shown as _(IMPORT_USAGE)
    "Attach the export file (.json) to a message that says `import`, or paste its JSON after "
    "`import`. Add `replace` (`import replace`) to overwrite customers that already exist."
)
# TRANSLATORS: the end of the CSV file's name (letters and hyphens only)
CSV_FILE = N_("assessments-goals")
# `import replace` in either language
_REPLACE = re.compile(r"^(replace|ersetzen)\b", re.IGNORECASE)


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
        csv_name=f"{stem}-{_(CSV_FILE)}.csv",
        csv_text="".join(csv_parts),
        summary=export_summary(count, records),
    )


def export_summary(customers: int, records: int) -> str:
    """What `export` says it made: how many customers and CSV rows."""
    exported = ngettext(
        "Exported {count} customer with their iterations, touches and licenses",
        "Exported {count} customers with their iterations, touches and licenses",
        customers,
    ).format(count=format_number(customers, 0))
    rows = ngettext(
        "{exported}, and {count} assessment and goal row as CSV.",
        "{exported}, and {count} assessment and goal rows as CSV.",
        records,
    ).format(exported=exported, count=format_number(records, 0))
    return rows + " " + _("Keep the JSON file: import reads it back.")


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
    said = _REPLACE.match(words)
    replace = said is not None
    text = words[said.end() :].strip() if said else words
    source = document if document is not None else text
    if not source:
        return _(IMPORT_USAGE)
    existing = await customer_ids(customers, tenant_id)
    try:
        # Parsing and validating 10,000 customers takes seconds: in slices between other turns.
        plan = await finish_in_slices(planning(source, tenant_id, existing, replace=replace))
    except ImportRefused as refused:
        return refusal_text(refused)
    if not plan.customers:
        return _("The file holds no customers, so there was nothing to import.")
    if writer is not None:
        try:
            await writer.import_customers(tenant_id, plan.add, plan.replace)
        except DomainError as error:
            return _("Nothing was imported: {problem}. Please try again.").format(
                problem=store_problem(error)
            )
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
        more = len(problems) - MAX_PROBLEMS_SHOWN
        lines.append("- " + _("… and {count} more").format(count=more))
    heading = ngettext(
        "I imported nothing: the file has {count} problem.",
        "I imported nothing: the file has {count} problems.",
        len(problems),
    ).format(count=len(problems))
    return heading + "\n" + "\n".join(lines)


def store_problem(error: DomainError) -> str:
    """Why the store refused a write, in the turn's language (English: the error itself)."""
    if isinstance(error, CustomerAlreadyExists):
        return _("customer {customer} already exists").format(customer=repr(error.customer_id))
    if isinstance(error, ConcurrencyConflict):
        return _("{key}: expected version {expected}, store has {actual}").format(
            key=error.key, expected=error.expected_version, actual=error.actual_version
        )
    return str(error)


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
        return _(
            "The import stopped after {done} of {total} customers: {problem}. The rest was not "
            "written; check the portfolio and import again with replace."
        ).format(done=done, total=len(plan.customers), problem=store_problem(error))
    return None


def _imported_text(plan: ImportPlan) -> str:
    exported = plan.exported_at.astimezone(UTC)
    parts = [_("{count} added").format(count=format_number(len(plan.add), 0))]
    if plan.replace:
        parts.append(_("{count} replaced").format(count=format_number(len(plan.replace), 0)))
    total = len(plan.customers)
    text = ngettext(
        "Imported {count} customer ({parts}) from the export of {day} {time} UTC.",
        "Imported {count} customers ({parts}) from the export of {day} {time} UTC.",
        total,
    ).format(
        count=format_number(total, 0),
        parts=", ".join(parts),
        day=day_text(exported),
        time=f"{exported:%H:%M}",
    )
    if plan.reminders:
        text += " " + ngettext(
            "The file's {count} reminder was not imported.",
            "The file's {count} reminders were not imported.",
            len(plan.reminders),
        ).format(count=len(plan.reminders))
    return text
