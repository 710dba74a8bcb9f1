"""The card buttons of the routing table (`bot.commands` has the text commands): the model each
button's data is parsed into at the edge (the model names the `action`) and its handler."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic

from bot.command_types import Handler, P
from dialogs.common import card_actions as submits

if TYPE_CHECKING:
    from bot.handlers import Handlers


@dataclass(frozen=True)
class CardAction(Generic[P]):
    """A card button: the model its data is parsed into at the edge (`dialogs.common.
    card_actions`; the model names the `action`) and its handler, which receives that model."""

    model: type[submits.Submit]
    handler: Callable[[Handlers], Handler[P]]
    # Pressed in a shared chat, its answer goes to the presser privately.
    private: bool = True

    @property
    def action(self) -> str:
        return self.model.action_name()


# Buttons that type a command (`run_command`: the command and its argument) are routed as that
# command; the buttons of a waiting prompt (`choose`, `back`, `form`) belong to its flow.
RUN_COMMAND_ACTION = submits.RunCommandSubmit.action_name()
CARD_ACTIONS: tuple[CardAction[Any], ...] = (
    CardAction(submits.QuickCheckSubmit, lambda h: h.quick_check.submit),
    CardAction(submits.SaveQuickCheckSubmit, lambda h: h.quick_check.save),
    # sends its card privately itself
    CardAction(submits.NewQuickCheckSubmit, lambda h: h.quick_check.start_new, private=False),
    CardAction(submits.UseAssessmentSubmit, lambda h: h.quick_check.use),
    CardAction(submits.AgreeSubmit, lambda h: h.agreements.agree),
    CardAction(submits.RecordDeliverySubmit, lambda h: h.delivery.record_delivery),
    CardAction(submits.ReviewSubmit, lambda h: h.delivery.review),
    CardAction(submits.EnsureAnywaySubmit, lambda h: h.delivery.ensure_anyway),
    CardAction(submits.SavePlanSubmit, lambda h: h.account.save_plan),
    CardAction(submits.ReadinessSubmit, lambda h: h.readiness.answer),
    CardAction(submits.LogTouchSubmit, lambda h: h.reminders.card_action),
    CardAction(submits.SnoozeSubmit, lambda h: h.reminders.card_action),
    CardAction(submits.DoneSubmit, lambda h: h.reminders.card_action),
    CardAction(submits.CancelSubmit, lambda h: h.flows.cancel_button, private=False),
)
ACTIONS = {entry.action: entry for entry in CARD_ACTIONS}
# Every button's data, one discriminated union on `action`: the table's models, run_command and
# the buttons of a waiting prompt (parsed by the prompt: dialogs.common.prompts).
CARD_SUBMIT = submits.submit_union(
    [*(entry.model for entry in CARD_ACTIONS), submits.RunCommandSubmit, *submits.PROMPT_SUBMITS]
)
