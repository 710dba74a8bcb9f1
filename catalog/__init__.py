"""The partner-editable catalog (levels, workshops, questionnaire, readiness checklist) and its
validating loader.

Imports engagement (the models it fills), never bot, dialogs or cards.
"""

from catalog.loader import (
    LEVELS_FILE,
    QUESTIONNAIRE_FILE,
    READINESS_FILE,
    WORKSHOPS_FILE,
    CatalogError,
    load_catalog,
    load_readiness,
)

__all__ = [
    "LEVELS_FILE",
    "QUESTIONNAIRE_FILE",
    "READINESS_FILE",
    "WORKSHOPS_FILE",
    "CatalogError",
    "load_catalog",
    "load_readiness",
]
