"""The delivery card (`deliver <customer>`) and the checks of what comes back, in the turn's
language: a German user reads German labels and gets German errors for bad input."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import date, datetime

from cards.forms import Button, Choice, Field, FormView
from dialogs.commit.commitment_input import InputProblems, Problem, date_value, text_value
from dialogs.common.card_actions import RecordDeliverySubmit
from engagement.models import Customer, Delivery, Person
from i18n import _

RECORD_DELIVERY_ACTION = "record_delivery"
MAX_ATTENDEES_DIGITS = 6


def delivery_form_view(customer: Customer, names: Mapping[str, str], today: date) -> FormView:
    """The delivery card for the customer's committed workshops (the first undelivered one
    preselected)."""
    iteration = customer.current
    commitment = iteration.commitment
    assert commitment is not None
    delivered = {d.workshop_id for d in iteration.deliveries}
    pending = [w for w in commitment.workshops if w not in delivered] or list(commitment.workshops)
    return FormView(
        title=_("Deliver · {customer}").format(customer=customer.name),
        intro=[
            _("Delivered so far: {delivered} of {committed} committed workshops.").format(
                delivered=len(delivered), committed=len(commitment.workshops)
            )
        ],
        fields=[
            Field(
                "choice",
                "workshop",
                _("Workshop or engagement"),
                pending[0],
                choices=[Choice(w, names.get(w, w)) for w in commitment.workshops],
            ),
            Field("date", "on", _("Delivered on"), today.isoformat(), required=True),
            Field(
                "text",
                "attendees",
                _("Number of attendees"),
                "",
                _("e.g. 12"),
                max_length=MAX_ATTENDEES_DIGITS,
            ),
            Field("multiline", "notes", _("Notes (optional)"), max_length=2000),
            Field(
                "text",
                "materials_url",
                _("Link to the materials (optional)"),
                "",
                "https://…",
                max_length=200,
            ),
        ],
        buttons=[
            Button(
                _("Record delivery"),
                {
                    "action": RECORD_DELIVERY_ACTION,
                    "customer": customer.id,
                    "iteration": iteration.number,
                    "card": uuid.uuid4().hex[:16],
                },
                positive=True,
            )
        ],
    )


def _attendees(raw: object) -> int:
    """The number typed (blank is 0); -1 when it is not a whole number of at most 6 digits."""
    text = str(raw or "0").strip()
    return int(text) if text.isdigit() and len(text) <= MAX_ATTENDEES_DIGITS else -1


def read_delivery(
    value: RecordDeliverySubmit,
    card_id: str,
    committed: list[str],
    today: date,
    by: Person,
    now: datetime,
) -> Delivery:
    """The submitted delivery, checked; InputProblems naming every wrong input."""
    problems: list[Problem] = []
    workshop = str(value.workshop or "")
    if workshop not in committed:
        problems.append(Problem("workshop", _("Pick one of the committed workshops.")))
    on = today
    try:
        on = date_value(value.on, "on", _("The delivery date"), today, not_before=None)
        if on > today:
            problems.append(
                Problem("on", _("The delivery date is in the future; record it once it happened."))
            )
    except InputProblems as error:
        problems += error.problems
    attendees = _attendees(value.attendees)
    if attendees < 0:
        problems.append(
            Problem("attendees", _("The number of attendees must be a whole number (0 or more)."))
        )
    notes = url = ""
    try:
        notes = text_value(value.notes, "notes", _("The notes"), 2000, required=False)
        url = text_value(value.materials_url, "materials_url", _("The link"), 200, required=False)
        if url and not url.startswith(("https://", "http://")):
            problems.append(
                Problem("materials_url", _("The link must start with https:// or http://."))
            )
    except InputProblems as error:
        problems += error.problems
    if problems:
        raise InputProblems(problems)
    return Delivery(
        id=card_id or uuid.uuid4().hex[:16],
        workshop_id=workshop,
        on=on,
        attendees=attendees,
        notes=notes,
        materials_url=url,
        by=by,
        at=now,
    )
