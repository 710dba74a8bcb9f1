"""What dialogs and handlers need, injected once by the composition root."""

from __future__ import annotations

from dataclasses import dataclass, field

from engagement.catalog import Catalog
from engagement.catalog_text import InLanguages
from engagement.clock import Clock
from engagement.ports import CustomerRepository, CustomerSummaries
from i18n import current_language


@dataclass(frozen=True)
class DialogServices:
    """The domain services a dialog may call."""

    customers: CustomerRepository
    loaded_catalog: Catalog  # as the files say; `catalog` is it in the turn's language
    clock: Clock
    summaries: CustomerSummaries  # portfolio, kpis, customers: never every customer file
    _languages: InLanguages[Catalog] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_languages", InLanguages(self.loaded_catalog))

    @property
    def catalog(self) -> Catalog:
        """The catalog with its texts in the turn's language (same ids, order and levels)."""
        return self._languages.get(current_language())
