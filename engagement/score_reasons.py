"""Why a result came out as it did, as facts: ids, ranks and scores, no sentences.

The scoring (engagement/scoring.py) gives these reasons and an assessment stores them;
engagement/explanation.py words them in the reader's language when they are shown, with the
names of the catalog shown then. Levels are ranks (1 Cloud affine .. 4 Cloud is in use), scores
are rounded to 2 decimals. Imports no other domain module, so engagement/models.py can store it.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

Rank = Annotated[int, Field(ge=1, le=4)]
Id = Annotated[str, Field(min_length=1, max_length=100)]


class _Fact(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class DimensionScore(_Fact):
    """A dimension (by id) and its score."""

    dimension: Id
    score: float


class AnswerRef(_Fact):
    """An answered question and the option chosen, by id."""

    question: Id
    option: Id


class ResultReason(_Fact):
    """The level, the overall score and how many dimension scores it is the mean of."""

    kind: Literal["result"] = "result"
    rank: Rank
    overall: float
    dimensions: int


class PartialReason(_Fact):
    """Only part of the questionnaire was answered (a quick check)."""

    kind: Literal["partial"] = "partial"
    answered: int
    questions: int


class InconsistentReason(_Fact):
    """Dimensions lie `spread` levels apart: the mature ones disagree with the basic ones."""

    kind: Literal["inconsistent"] = "inconsistent"
    mature: list[DimensionScore]
    basic: list[DimensionScore]
    spread: float


class AgreeReason(_Fact):
    """Dimensions whose scores point to the level scored (`rank`, before any gate)."""

    kind: Literal["agree"] = "agree"
    rank: Rank
    dimensions: list[DimensionScore]


class PullReason(_Fact):
    """A dimension pointing to a more (`up`) or less mature level, with its answers."""

    kind: Literal["pull"] = "pull"
    up: bool
    dimension: DimensionScore
    answers: list[AnswerRef]


class TieReason(_Fact):
    """The score lay exactly between `rank` and the next level; the tie went down to `rank`."""

    kind: Literal["tie"] = "tie"
    rank: Rank


class GateReason(_Fact):
    """A gate question (answered with `option`, or not at all) kept the result at `rank`
    instead of `scored` (its level, `needed`, wants an answer at that level or above)."""

    kind: Literal["gate"] = "gate"
    question: Id
    option: Id | None = None
    needed: Rank
    rank: Rank
    scored: Rank


ScoreReason = Annotated[
    ResultReason
    | PartialReason
    | InconsistentReason
    | AgreeReason
    | PullReason
    | TieReason
    | GateReason,
    Field(discriminator="kind"),
]
