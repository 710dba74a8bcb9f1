"""The partner-editable catalog (levels, workshops, questionnaire) and its validating loader.

Imports engagement (the models it fills), never bot, dialogs or cards.
"""

from catalog.loader import (
    LEVELS_FILE,
    QUESTIONNAIRE_FILE,
    WORKSHOPS_FILE,
    CatalogError,
    load_catalog,
)

__all__ = ["LEVELS_FILE", "QUESTIONNAIRE_FILE", "WORKSHOPS_FILE", "CatalogError", "load_catalog"]
