"""Import of a tenant's data from an export document (written by `engagement.export`). Pure.

Imports only the standard library, pydantic and `engagement`.

The export is a versioned JSON document::

    {"format": "csf-export", "version": 1, "tenant_id": "...", "exported_at": "<ISO 8601>",
     "customers": [<Customer without tenant_id>, ...], "reminders": [<object>, ...]}

Import rules (`plan_import`), all checked before anything is planned, so a refused file writes
nothing:

- The text must be JSON (UTF-8), at most MAX_DOCUMENT_BYTES; format "csf-export", version 1;
  no unknown top-level fields; at most MAX_CUSTOMERS customers.
- Tenants: the file must come from the importing tenant (its `tenant_id`), unless the caller
  explicitly allows another (a move between tenants). A customer entry may carry a `tenant_id`
  only if it equals the file's. Every planned customer gets the *importing* tenant's id, never
  the file's, so no file can place data in any other tenant's partition.
- Every customer validates as a domain Customer, its iterations are numbered 1..n, every one but
  the last is closed and the last is open (as the lifecycle leaves them). Ids are unique.
- Conflicts: a customer id that already exists in the tenant refuses the import, unless
  `replace=True`; then the file's customer replaces the stored one (customers not in the file
  are left alone). The plan says which ids are added and which replaced; versions are reset to
  0 and the store assigns its own.
- Reminders are optional objects; a reminder naming a `customer_id` must name one in the file,
  and its `tenant_id`, if any, is rewritten to the importing tenant.

The document is read in steps (`planning`; `engagement.json_outline`), never as one object:
its outline first, then each customer decoded, checked and kept as text (`CustomerTexts`), so
an import of 10,000 customers yields to other turns every few milliseconds and memory never
holds them all as objects.

A refusal raises ImportRefused with every problem found (which customer by index and id, which
field, why); the dialogs word it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Generator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError

from engagement.book_stream import CustomerTexts
from engagement.errors import DomainError
from engagement.exchange_texts import (
    customer_at,
    format_problem,
    json_message,
    json_type_of,
    short,
    validation_problems,
    version_problem,
)
from engagement.json_outline import Span, TooManyEntries, entry, outline
from engagement.models import Customer, Iteration, Phase
from engagement.slices import finish
from i18n import _, ngettext
from i18n.formats import format_number

FORMAT = "csf-export"
VERSION = 1
MAX_DOCUMENT_BYTES = 20_000_000
MAX_CUSTOMERS = 10_000
# A JSON escape of a UTF-16 surrogate: valid only as half of a pair.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


@dataclass(frozen=True)
class ImportProblem:
    """One reason an import is refused: where (a customer), which field, why."""

    where: str | None
    field: str | None
    reason: str

    def __str__(self) -> str:
        parts = [self.where] if self.where else []
        if self.field:
            parts.append(_("field {field}").format(field=self.field))
        return ": ".join([*parts, self.reason])


class ImportRefused(DomainError):
    """The document cannot be imported; nothing was planned. `problems` says why."""

    def __init__(self, problems: Sequence[ImportProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(str(p) for p in self.problems[:3]))


@dataclass(frozen=True)
class ImportPlan:
    """What to write, all validated: customers to add and to replace, already re-tenanted.

    The customers are kept as text (`CustomerTexts`) and decoded one at a time when read.
    """

    tenant_id: str
    source_tenant_id: str
    exported_at: datetime
    add: CustomerTexts
    replace: CustomerTexts
    reminders: tuple[dict[str, Any], ...]

    @property
    def customers(self) -> CustomerTexts:
        """Every customer to write, in file order within add, then replace."""
        return self.add + self.replace


class _Header(BaseModel):
    model_config = ConfigDict(extra="forbid")

    format: Literal["csf-export"]
    version: Literal[1]
    tenant_id: str = Field(min_length=1, max_length=200)
    exported_at: AwareDatetime
    customers: list[Any] = Field(max_length=MAX_CUSTOMERS)
    reminders: list[dict[str, Any]] = []


# ---------------------------------------------------------------- import


def plan_import(
    document: str | bytes | Mapping[str, Any],
    tenant_id: str,
    existing_ids: Collection[str],
    *,
    replace: bool = False,
    allow_other_tenant: bool = False,
) -> ImportPlan:
    """Validate a whole export document and plan its import into `tenant_id`.

    Args:
        document: the JSON text (or bytes, or the parsed object).
        tenant_id: the importing tenant; every planned customer gets this id.
        existing_ids: ids of the customers the tenant already has.
        replace: let the file's customers replace existing ones with the same id.
        allow_other_tenant: accept a file exported by another tenant (a deliberate move).

    Raises:
        ImportRefused: anything is wrong; every problem found is listed and nothing is planned.
    """
    return finish(
        planning(
            document,
            tenant_id,
            existing_ids,
            replace=replace,
            allow_other_tenant=allow_other_tenant,
        )
    )


def planning(
    document: str | bytes | Mapping[str, Any],
    tenant_id: str,
    existing_ids: Collection[str],
    *,
    replace: bool = False,
    allow_other_tenant: bool = False,
) -> Generator[None, None, ImportPlan]:
    """`plan_import` as steps that yield between pieces of work: on the event loop,
    `await engagement.slices.finish_in_slices(planning(...))` lets other turns run meanwhile.

    The text is read in two passes: its outline (every top-level field, and where each customer
    is), then each customer decoded, validated and kept as text. Nothing holds the whole
    document as objects.
    """
    if isinstance(document, Mapping):
        data: Any = document
        text, spans = "", None
    else:
        text = _text(document)
        data, spans = yield from _outline(text)
    header = _header(data)
    problems: list[ImportProblem] = []
    if header.tenant_id != tenant_id and not allow_other_tenant:
        problems.append(
            ImportProblem(
                None,
                "tenant_id",
                _(
                    "the file was exported from another organisation (tenant {tenant}); "
                    "import it there, or ask an administrator to move it deliberately"
                ).format(tenant=repr(header.tenant_id)),
            )
        )
    texts: list[str] = []
    ids: list[str] = []
    first_index: dict[str, int] = {}
    for index in range(len(header.customers)):
        yield
        raw = header.customers[index] if spans is None else entry(text, spans[index])
        customer, found = _customer(index, raw, header.tenant_id, tenant_id)
        problems += found
        if customer is None:
            continue
        if customer.id in first_index:
            problems.append(
                ImportProblem(
                    customer_at(index, customer.id),
                    "id",
                    _("duplicate id, already used by customers[{index}]").format(
                        index=first_index[customer.id]
                    ),
                )
            )
            continue
        first_index[customer.id] = index
        texts.append(customer.model_dump_json())
        ids.append(customer.id)
    existing = set(existing_ids)
    clashes = [customer_id for customer_id in ids if customer_id in existing]
    if clashes and not replace:
        shown = ", ".join(repr(i) for i in clashes[:10]) + (" …" if len(clashes) > 10 else "")
        problems.append(
            ImportProblem(
                None,
                "customers",
                ngettext(
                    "{count} customer already exists: {shown}; import with replace to overwrite it",
                    "{count} customers already exist: {shown}; import with replace to "
                    "overwrite them",
                    len(clashes),
                ).format(count=len(clashes), shown=shown),
            )
        )
    reminders, found = _reminders(header.reminders, set(first_index), tenant_id)
    problems += found
    if problems:
        raise ImportRefused(problems)
    return ImportPlan(
        tenant_id=tenant_id,
        source_tenant_id=header.tenant_id,
        exported_at=header.exported_at,
        add=CustomerTexts([t for t, i in zip(texts, ids, strict=True) if i not in existing]),
        replace=CustomerTexts([t for t, i in zip(texts, ids, strict=True) if i in existing]),
        reminders=tuple(reminders),
    )


def _refuse(reason: str, field: str | None = None) -> ImportRefused:
    return ImportRefused([ImportProblem(None, field, reason)])


def _text(document: str | bytes) -> str:
    size = len(document.encode() if isinstance(document, str) else document)
    if size > MAX_DOCUMENT_BYTES:
        raise _refuse(
            _("the file has {size} bytes; the limit is {limit}").format(
                size=format_number(size, 0), limit=format_number(MAX_DOCUMENT_BYTES, 0)
            )
        )
    try:
        return document.decode("utf-8-sig") if isinstance(document, bytes) else document
    except UnicodeDecodeError as error:
        raise _refuse(
            _("the file is not UTF-8 text (byte {position})").format(position=error.start)
        ) from error


def _outline(text: str) -> Generator[None, None, tuple[Any, list[Span] | None]]:
    """The document's top level, and where each customer is in `text` (`json_outline`)."""
    # Rare: only with an escaped surrogate somewhere is every value checked for a lone one.
    check = _valid_unicode if _SURROGATE_ESCAPE.search(text) else _unchecked
    try:
        return (yield from outline(text, "customers", check, MAX_CUSTOMERS))
    except TooManyEntries as error:
        limit = f"{MAX_CUSTOMERS:,}"
        reason = f"holds more than {limit} customers; import at most {limit} at once"
        raise _refuse(reason, "customers") from error
    except json.JSONDecodeError as error:
        raise _refuse(
            _("the file is not JSON: {reason} at line {line}, column {column}").format(
                reason=json_message(error.msg), line=error.lineno, column=error.colno
            )
        ) from error
    except RecursionError as error:
        raise _refuse(_("the file is not JSON this bot can read: nested too deeply")) from error


def _valid_unicode(value: Any) -> None:
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as error:
        raise _refuse(
            _("the file holds text that is not valid Unicode (a lone surrogate)")
        ) from error


def _unchecked(value: Any) -> None:
    """Nothing to check."""


def _header(data: Any) -> _Header:
    if not isinstance(data, dict):
        raise _refuse(
            _("the file holds a JSON {type}, not an export object").format(type=json_type_of(data))
        )
    if data.get("format") != FORMAT:
        raise _refuse(format_problem(data.get("format"), FORMAT), "format")
    version = data.get("version")
    if version != VERSION or isinstance(version, bool):
        raise _refuse(version_problem(version, VERSION), "version")
    try:
        return _Header.model_validate(data)
    except ValidationError as error:
        raise ImportRefused(_problems(None, error)) from error


def _customer(
    index: int, entry: Any, file_tenant: str, tenant_id: str
) -> tuple[Customer | None, list[ImportProblem]]:
    entry_id = entry.get("id") if isinstance(entry, dict) else None
    where = customer_at(index, entry_id)
    if not isinstance(entry, dict):
        problem = _("is a JSON {type}, not an object").format(type=json_type_of(entry))
        return None, [ImportProblem(where, None, problem)]
    claimed = entry.get("tenant_id", file_tenant)
    if claimed != file_tenant:
        return None, [
            ImportProblem(
                where,
                "tenant_id",
                _(
                    "names tenant {tenant}, not the file's tenant; refused so that no entry "
                    "can write into another tenant"
                ).format(tenant=short(claimed)),
            )
        ]
    try:
        customer = Customer.model_validate({**entry, "tenant_id": tenant_id, "version": 0})
    except ValidationError as error:
        return None, _problems(where, error)
    problems = [ImportProblem(where, field, reason) for field, reason in _lifecycle(customer)]
    return (None if problems else customer), problems


def _lifecycle(customer: Customer) -> list[tuple[str, str]]:
    """(field, reason) for iterations the lifecycle could not have produced."""
    found = []
    iterations: list[Iteration] = customer.iterations
    for position, iteration in enumerate(iterations):
        field = f"iterations[{position}]"
        if iteration.number != position + 1:
            found.append(
                (
                    f"{field}.number",
                    _("is {number}, expected {expected}").format(
                        number=iteration.number, expected=position + 1
                    ),
                )
            )
        last = position == len(iterations) - 1
        closed = iteration.phase == Phase.CLOSED
        if not last and (not closed or iteration.closed_at is None or iteration.review is None):
            found.append((f"{field}.phase", _("an earlier iteration must be closed with a review")))
        if last and closed:
            found.append((f"{field}.phase", _("the last iteration must be open, not closed")))
    return found


def _reminders(
    reminders: list[dict[str, Any]], customer_ids: set[str], tenant_id: str
) -> tuple[list[dict[str, Any]], list[ImportProblem]]:
    planned, problems = [], []
    for index, reminder in enumerate(reminders):
        customer_id = reminder.get("customer_id")
        if customer_id is not None and customer_id not in customer_ids:
            problems.append(
                ImportProblem(
                    f"reminders[{index}]",
                    "customer_id",
                    _("{customer} is not a customer in this file").format(
                        customer=short(customer_id)
                    ),
                )
            )
            continue
        planned.append(
            {**reminder, "tenant_id": tenant_id} if "tenant_id" in reminder else dict(reminder)
        )
    return planned, problems


def _problems(where: str | None, error: ValidationError) -> list[ImportProblem]:
    return [ImportProblem(where, field, reason) for field, reason in validation_problems(error)]
