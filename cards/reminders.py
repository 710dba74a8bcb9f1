"""Reminder cards: one reminder, a digest of several, and the "coming up" list.

View data in, Adaptive Card 1.5 dicts out, like `cards.library`; never imports botbuilder or the
domain. Customer names and reminder texts are shown in `TextRun`s (no Markdown). Each reminder
carries its one-click actions; their submit data names the action and the ids it acts on, so a
click on an old card (after a restart, days later) is still understood:

    {"action": "log_touch", "customer": <id>, "reminder": <rid>}
    {"action": "snooze", "customer": <id>, "reminder": <rid>, "days": 1 | 7}
    {"action": "run_command", "command": "status", "argument": <customer name>}
    {"action": "run_command", "command": "brief", "argument": <customer name>}  (check-in, renewal)
    {"action": "reminder_done", "customer": <id>, "reminder": <rid>}

Texts are shortened, never ids or submit data; a card that is still too big with the shortest
texts raises `CardRenderError` (only possible with absurd ids, as the item counts are capped).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from cards.library import clip, oversize
from cards.renderer import CardRenderError, render_card
from i18n import _, ngettext

LOG_TOUCH_ACTION = "log_touch"
SNOOZE_ACTION = "snooze"
REMINDER_DONE_ACTION = "reminder_done"
RUN_COMMAND_ACTION = "run_command"
STATUS_COMMAND = "status"
BRIEF_COMMAND = "brief"

MAX_DIGEST_ITEMS = 10  # the sender splits longer digests into several cards
MAX_LIST_ROWS = 30

_TITLE_CHARS = 150
_NAME_CHARS = 100
_TEXT_CHARS = 300
_MIN_CHARS = 20
_SHRINK_STEPS = (1.0, 0.5, 0.25, 0.0)


@dataclass(frozen=True)
class ReminderItemView:
    """One reminder as shown on a card."""

    reminder_id: str
    customer_id: str
    customer_name: str
    title: str  # "Check in with Contoso"
    why: str  # "No touch for 15 days (last on Mon 19 Oct 2026)"
    due: str  # "Mon 2 Nov 2026" or "today" / "3 days overdue (Fri 30 Oct)"
    overdue: bool = False
    brief: bool = False  # offer the call brief (check-ins and renewals: a call is coming)


@dataclass(frozen=True)
class UpcomingView:
    """One row of the "coming up" list."""

    when: str  # "due now", "Mon 16 Nov"
    customer_name: str
    title: str
    why: str
    due_now: bool = False


def log_touch_data(customer_id: str, reminder_id: str) -> dict[str, Any]:
    """Submit data of "Log touch"."""
    return {"action": LOG_TOUCH_ACTION, "customer": customer_id, "reminder": reminder_id}


def snooze_data(customer_id: str, reminder_id: str, days: int) -> dict[str, Any]:
    """Submit data of "Snooze <days>"."""
    return {"action": SNOOZE_ACTION, "customer": customer_id, "reminder": reminder_id, "days": days}


def done_data(customer_id: str, reminder_id: str) -> dict[str, Any]:
    """Submit data of "Done"."""
    return {"action": REMINDER_DONE_ACTION, "customer": customer_id, "reminder": reminder_id}


def status_data(customer_name: str) -> dict[str, Any]:
    """Submit data of "Open status": runs the `status <customer>` command."""
    return {"action": RUN_COMMAND_ACTION, "command": STATUS_COMMAND, "argument": customer_name}


def brief_data(customer_name: str) -> dict[str, Any]:
    """Submit data of "Call brief": runs the `brief <customer>` command."""
    return {"action": RUN_COMMAND_ACTION, "command": BRIEF_COMMAND, "argument": customer_name}


def _actions(item: ReminderItemView) -> list[dict[str, Any]]:
    # Two buttons fit a phone's width; the rest go to the "..." menu (mode secondary).
    brief = (
        [{"title": _("Call brief"), "data": brief_data(item.customer_name), "mode": "primary"}]
        if item.brief
        else []
    )
    return [
        {
            "title": _("Log touch"),
            "data": log_touch_data(item.customer_id, item.reminder_id),
            "mode": "primary",
        },
        *brief,
        {
            "title": _("Snooze 1 day"),
            "data": snooze_data(item.customer_id, item.reminder_id, 1),
            "mode": "secondary" if item.brief else "primary",
        },
        {
            "title": _("Snooze 1 week"),
            "data": snooze_data(item.customer_id, item.reminder_id, 7),
            "mode": "secondary",
        },
        {"title": _("Open status"), "data": status_data(item.customer_name), "mode": "secondary"},
        {
            "title": _("Done"),
            "data": done_data(item.customer_id, item.reminder_id),
            "mode": "secondary",
        },
    ]


def _limit(text: str, chars: int, scale: float) -> str:
    return clip(text, max(_MIN_CHARS, int(chars * scale)))


def _item(item: ReminderItemView, scale: float) -> dict[str, Any]:
    return {
        "title": _limit(item.title, _TITLE_CHARS, scale),
        "customer_name": _limit(item.customer_name, _NAME_CHARS, scale),
        "why": _limit(item.why, _TEXT_CHARS, scale),
        "due": _limit(item.due, _NAME_CHARS, scale),
        "due_color": "Attention" if item.overdue else "Default",
        "actions": _actions(item),
    }


def _fitted(name: str, build: Callable[[float], dict[str, Any]]) -> dict[str, Any]:
    size = 0
    for scale in _SHRINK_STEPS:
        card = build(scale)
        size = oversize(card)
        if not size:
            return card
    raise CardRenderError(f"{name}.json.j2", f"{size} bytes with all text shortened")


def _reminder(
    items: Sequence[ReminderItemView], heading: str, more: str, *, digest: bool
) -> dict[str, Any]:
    def build(scale: float) -> dict[str, Any]:
        return render_card(
            "reminder",
            digest=digest,
            heading=heading,
            heading_size="Medium" if digest else "Small",
            heading_weight="Bolder" if digest else "Default",
            title_size="Default" if digest else "Medium",
            items=[_item(item, scale) for item in items],
            more=more,
        )

    return _fitted("reminder", build)


def reminder_card(item: ReminderItemView) -> dict[str, Any]:
    """One reminder: what, which customer, why now, when due; Log touch, Snooze, Status, Done."""
    return _reminder([item], _("Reminder"), "", digest=False)


def reminder_digest_card(items: Sequence[ReminderItemView]) -> dict[str, Any]:
    """Several reminders in one card, each with its own actions (at most MAX_DIGEST_ITEMS shown).

    Raises:
        ValueError: `items` is empty.
    """
    if not items:
        raise ValueError("a digest needs at least one reminder")
    shown = items[:MAX_DIGEST_ITEMS]
    left = len(items) - len(shown)
    heading = ngettext("{count} reminder", "{count} reminders", len(items)).format(count=len(items))
    more = (
        _("… and {count} more: type reminders to see them all").format(count=left)
        if left > 0
        else ""
    )
    return _reminder(shown, heading, more, digest=True)


def reminder_list_card(heading: str, rows: Sequence[UpcomingView], empty: str) -> dict[str, Any]:
    """The "coming up" list: one line per reminder, due ones first; `empty` when there are none."""
    shown = rows[:MAX_LIST_ROWS]
    left = len(rows) - len(shown)
    more = _("… and {count} more").format(count=left) if left > 0 else ""

    def build(scale: float) -> dict[str, Any]:
        views = [
            {
                "when": _limit(row.when, _NAME_CHARS, scale),
                "color": "Attention" if row.due_now else "Default",
                "customer_name": _limit(row.customer_name, _NAME_CHARS, scale),
                "title": _limit(row.title, _TITLE_CHARS, scale),
                "why": _limit(row.why, _TEXT_CHARS, scale),
            }
            for row in shown
        ]
        return render_card(
            "reminder_list",
            heading=_limit(heading, _TITLE_CHARS, scale),
            rows=views,
            empty=_limit(empty, _TEXT_CHARS, scale),
            more=more,
        )

    return _fitted("reminder_list", build)
