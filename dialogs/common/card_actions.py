"""Typed card submits: a button's data is a pydantic model named by its `action`.

The routing table (`bot.commands.CARD_ACTIONS`) names each action's model; the bot parses a
submit once, at the edge, and hands the model to the handler. A payload that does not fit its
model (an old card, a tampered one) is answered there with the model's `stale` reply and changes
nothing. Teams adds fields of its own (`msteams`), so unknown fields are ignored; form inputs
arrive merged into the data and are fields of the form's model. No field is named `key`,
`msteams`, `id`, `type`, `title`, `verb` or `data`: clients own those (the Agents Playground
breaks on `key`).
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

Id = Annotated[str, Field(min_length=1, max_length=200)]
# What the user typed or picked: checked by the handler, which words the problems.
Input = Any


class Submit(BaseModel):
    """Every card submit: frozen, ignores fields the client adds."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    stale: ClassVar[str] = "That card is out of date, so nothing was changed."


class CancelSubmit(Submit):
    """A card's Cancel button: the same as typing `cancel`."""

    action: Literal["cancel"]


class RunCommandSubmit(Submit):
    """A button that types a command (`status Contoso`): routed as that command."""

    action: Literal["run_command"]
    command: Annotated[str, Field(min_length=1, max_length=100)]
    argument: Annotated[str, Field(max_length=2000)] = ""

    @property
    def line(self) -> str:
        """The command line the button stands for."""
        return f"{self.command} {self.argument}".strip()


class AgreeSubmit(Submit):
    """Confirm (partner) or Record customer agreement on a statement of work."""

    stale: ClassVar[str] = "That card is out of date, so nothing was recorded."
    action: Literal["agree_sow"]
    customer: Id
    iteration: int
    revision: Annotated[str, Field(max_length=200)]
    side: Literal["partner", "customer"] = "partner"
    agreed_by: Input = None


class RecordDeliverySubmit(Submit):
    """The delivery form: the card's identity and what was typed."""

    stale: ClassVar[str] = "That card is out of date, so nothing was recorded."
    action: Literal["record_delivery"]
    customer: Id
    iteration: int
    card: Annotated[str, Field(max_length=200)] = ""
    workshop: Input = None
    on: Input = None
    attendees: Input = None
    notes: Input = ""
    materials_url: Input = ""
