"""What dialogs and handlers need, injected once by the composition root."""

from __future__ import annotations

from dataclasses import dataclass

from engagement.catalog import Catalog
from engagement.clock import Clock
from engagement.ports import CustomerRepository, CustomerSummaries


@dataclass(frozen=True)
class DialogServices:
    """The domain services a dialog may call."""

    customers: CustomerRepository
    catalog: Catalog
    clock: Clock
    summaries: CustomerSummaries  # portfolio, kpis, customers: never every customer file
