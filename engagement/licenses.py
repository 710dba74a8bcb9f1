"""License lines and the seed's "Current Risk Assessment" of each. Pure; imports only `engagement`.

Utilisation u = active / licensed: u < 25 % High, 25 % <= u < 60 % Medium, u >= 60 % Low. More
active than licensed users (the seed's "Learning, full use": 9 active, none licensed) is Low: an
upsell opportunity, not a churn risk. 60 % is the adoption rate the seed's vendor incentive rewards
("sustain customer adoption rates of 60% active usage"); the seed's rows put 36 % at Medium and 0 %
at High, so High ends at 25 %.
Rows: 0/85 High, 72/85 Low, 75/85 Low, 9/0 Low, 0/3,000 High, 2,954/3,000 Low, 1,087/3,000 Medium.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from engagement.models import Customer, LicenseLine
from i18n import N_, _
from i18n.formats import format_number

LICENSE_MEDIUM_AT = 0.25  # utilisation below this is High risk
LICENSE_LOW_AT = 0.6  # utilisation at or above this is Low risk


class LicenseRisk(StrEnum):
    """The seed's "Current Risk Assessment" of one license line."""

    LOW = "Low"
    MEDIUM = "Medium"
    HIGH = "High"


_RISK_TEXTS = {  # shown as _(...)
    LicenseRisk.LOW: N_("Low risk"),
    LicenseRisk.MEDIUM: N_("Medium risk"),
    LicenseRisk.HIGH: N_("High risk"),
}


def utilisation(licensed: int, active: int) -> float | None:
    """active / licensed capped at 1.0; 1.0 when users are active without licenses; None for 0/0."""
    if licensed <= 0:
        return 1.0 if active > 0 else None
    return min(active / licensed, 1.0)


def license_risk(licensed: int, active: int) -> LicenseRisk | None:
    """The seed's risk assessment of one license line (None when nothing is licensed or used)."""
    used = utilisation(licensed, active)
    if used is None:
        return None
    if used >= LICENSE_LOW_AT:
        return LicenseRisk.LOW
    return LicenseRisk.MEDIUM if used >= LICENSE_MEDIUM_AT else LicenseRisk.HIGH


def latest_licenses(lines: Iterable[LicenseLine]) -> list[LicenseLine]:
    """The newest line per product (products compared case-insensitively), in first-seen order."""
    latest: dict[str, LicenseLine] = {}
    for line in lines:
        key = line.product.casefold()
        if key not in latest or line.as_of >= latest[key].as_of:
            latest[key] = line
    return list(latest.values())


def percent(fraction: float) -> str:
    """0.64 -> `64 %`."""
    return f"{round(fraction * 100)} %"


def license_lines_in_use(customer: Customer) -> list[LicenseLine]:
    """The newest line per product that has licensed or active users, worst utilisation first."""
    lines = [line for line in latest_licenses(customer.licenses) if line.licensed or line.active]
    return sorted(lines, key=lambda line: utilisation(line.licensed, line.active) or 0.0)


def license_line_text(line: LicenseLine) -> str:
    """One line as a person reads it, with the seed's risk: `Azure: 320 of 500 licensed users
    active (64 %), Low risk`; `Microsoft 365: 9 active, none licensed, Low risk (an upsell)`."""
    found = license_risk(line.licensed, line.active)
    risk = _(_RISK_TEXTS[found]) if found else ""
    active = format_number(line.active, 0)
    if line.licensed == 0:
        return _("{product}: {active} active, none licensed, {risk} (an upsell)").format(
            product=line.product, active=active, risk=risk
        )
    used = utilisation(line.licensed, line.active) or 0.0
    return _("{product}: {active} of {licensed} licensed users active ({percent}), {risk}").format(
        product=line.product,
        active=active,
        licensed=format_number(line.licensed, 0),
        percent=percent(used),
        risk=risk,
    )


def license_utilisation(customer: Customer) -> float | None:
    """The utilisation the licenses factor scores (0.0-1.0): the customer's worst line's
    (active / licensed, capped at 1; a line used without licenses counts as fully used); None
    without license lines."""
    lines = license_lines_in_use(customer)
    return utilisation(lines[0].licensed, lines[0].active) if lines else None
