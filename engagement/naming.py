"""Customer ids: a stable slug of the customer's name."""

from __future__ import annotations

import difflib
import hashlib
import re
import unicodedata
from collections.abc import Iterable

from engagement.errors import InvalidCustomerName

MAX_NAME_LENGTH = 100
MAX_ID_LENGTH = 60


def clean_customer_name(raw: str) -> str:
    """Collapse whitespace and strip control characters; reject empty or over-long names."""
    name = " ".join("".join(ch for ch in raw if unicodedata.category(ch)[0] != "C").split())
    if not name:
        raise InvalidCustomerName(raw, "empty")
    if len(name) > MAX_NAME_LENGTH:
        raise InvalidCustomerName(raw, f"longer than {MAX_NAME_LENGTH} characters")
    customer_id_for(name)
    return name


def customer_id_for(name: str) -> str:
    """The customer's id: `Contoso Ltd.` -> `contoso-ltd`, `Müller AG` -> `muller-ag`."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:MAX_ID_LENGTH].strip("-")
    if slug:
        return slug
    if any(ch.isalnum() for ch in name):  # e.g. a name in a non-Latin script: stable hash id
        return "c-" + hashlib.sha256(name.casefold().encode()).hexdigest()[:12]
    raise InvalidCustomerName(name, "needs at least one letter or digit")


def similar_names(name: str, known: Iterable[str], limit: int = 3) -> list[str]:
    """The known names closest to `name` (a typo, another casing, a part of the name), best first.

    `Contso` -> `Contoso`; `contoso` -> `Contoso`; `Fabrikam` -> `Fabrikam Ltd`. Names equal to
    `name` after casefolding come first; then names containing it (or contained in it); then names
    similar by edit ratio (difflib, 0.75 or more).
    """
    wanted = " ".join(name.split()).casefold()
    if not wanted:
        return []
    scored: list[tuple[float, str]] = []
    for candidate in dict.fromkeys(known):
        folded = candidate.casefold()
        if folded == wanted:
            score = 3.0
        elif len(wanted) >= 3 and (wanted in folded or folded in wanted):
            score = 2.0
        else:
            score = difflib.SequenceMatcher(None, wanted, folded).ratio()
            if score < 0.75:
                continue
        scored.append((score, candidate))
    scored.sort(key=lambda pair: (-pair[0], pair[1].casefold()))
    return [candidate for _, candidate in scored[:limit]]
