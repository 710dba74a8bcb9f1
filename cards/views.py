"""Plain view data the card wrappers render. Built by dialogs from domain objects; no logic here."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class CommandHelp:
    """One command line for the help and welcome cards."""

    usage: str  # e.g. "assess <customer>"
    description: str


@dataclass(frozen=True)
class PhaseHelp:
    """One of the four phases, for the help and welcome cards."""

    name: str  # "assess"
    description: str


@dataclass(frozen=True)
class OptionView:
    """One answer option; `value` goes into the submit data."""

    value: str
    label: str


@dataclass(frozen=True)
class QuestionView:
    """One question of the full assessment, shown with buttons (one Action.Submit per option)."""

    customer_name: str
    number: int  # 1-based
    total: int
    dimension: str
    text: str
    help_text: str
    options: list[OptionView]
    submit_data: list[dict[str, object]]  # one payload per option, same order as options
    back_data: dict[str, object] | None  # None on the first question
    cancel_data: dict[str, object]


@dataclass(frozen=True)
class ChoiceQuestionView:
    """A compact question inside the one-card quick check (an Input.ChoiceSet)."""

    input_id: str
    text: str
    options: list[OptionView]


@dataclass(frozen=True)
class QuickCheckView:
    """The quick-check form: 4-5 compact choice sets and one submit."""

    customer_name: str  # "" when no customer was named
    questions: list[ChoiceQuestionView]
    submit_data: dict[str, object]


@dataclass(frozen=True)
class DimensionView:
    """A dimension's score for the bar chart and its fallback."""

    name: str
    score: float  # 1.0 (least mature) .. 4.0 (most mature)
    level_label: str  # the level this score corresponds to


@dataclass(frozen=True)
class WorkshopView:
    """A catalog workshop as shown on result and catalog cards."""

    name: str
    summary: str
    duration: str
    audience: str
    format: str
    url: str
    level_labels: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ResultView:
    """The outcome of an assessment or quick check."""

    customer_name: str  # "" for an unsaved quick check
    kind_label: str  # "Quick check" / "Full assessment"
    level_label: str
    level_rank: int  # 1..4
    level_description: str
    previous_level_label: str  # "" when there is no earlier iteration
    dimensions: list[DimensionView]
    explanation: list[str]
    workshops: list[WorkshopView]
    commit_data: dict[str, object] | None  # start-commit action; None when unsaved
    save_data: dict[str, object] | None  # "save to customer" action for an unnamed quick check
    assessed_by: str
    assessed_at: str  # already formatted for display
    notes: list[str] = field(default_factory=list)  # shown under the level: its basis, warnings
    use_data: dict[str, object] | None = None  # "use this quick check's level" action
    carried_heading: str = ""  # "Next steps from iteration 1", when the iteration carries some
    carried_over: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class LevelCatalogView:
    """One maturity level and its workshops, for `catalog [level]`."""

    level_label: str
    level_description: str
    workshops: list[WorkshopView]


@dataclass(frozen=True)
class ConfirmView:
    """A yes/no question with two buttons (works in group chats, where suggested actions don't)."""

    title: str
    text: str
    yes_data: dict[str, object]
    no_data: dict[str, object]
