"""Maturity scoring: answers to the questionnaire -> a level, dimension scores and the reasons.

Pure and deterministic (exact fractions, no clock, no randomness). The rule:

1. Every answered option counts its level's rank: 1 Cloud affine .. 4 Cloud is in use.
2. A dimension's score is the mean of its answered options (1.0-4.0). Only dimensions with at
   least one answer get a score, so a quick check that covers part of the questionnaire works.
3. The overall score is the mean of the dimension scores: every dimension weighs the same, so a
   dimension with more questions does not dominate.
4. The level is the rank nearest to the overall score. An exact tie (x.5) goes DOWN to the less
   mature level: recommending a workshop one level too basic costs the customer a little time and
   is easily corrected in the next iteration, while one level too advanced assumes knowledge, a use
   case or an environment the customer does not have, and the engagement fails.
5. Gates: a question with `required_for` (in the shipped catalog: "Does the customer run
   workloads in Azure today?" for Cloud is in use, because the framework defines that level as
   "already operates an Azure environment") caps the result one level below its level unless it
   is answered with an option at that level or above. An unanswered gate question caps too: no
   evidence of operation, no "in use".

For any complete answer set the level lies between the least and the most mature option given
(means stay within that range, rounding goes to an integer within it, and a gate only caps when
one of the answers is below the gate's level).

Scores are computed exactly and rounded to 2 decimals only for display in `ScoreResult` and its
reasons (engagement/score_reasons.py), which engagement/explanation.py words when shown.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from fractions import Fraction

from pydantic import BaseModel, ConfigDict, PrivateAttr

from engagement.catalog import Option, Question, Questionnaire
from engagement.errors import DomainError
from engagement.explanation import explain
from engagement.models import MaturityLevel
from engagement.score_reasons import (
    AgreeReason,
    AnswerRef,
    DimensionScore,
    GateReason,
    InconsistentReason,
    PartialReason,
    PullReason,
    ResultReason,
    ScoreReason,
    TieReason,
)

_HALF = Fraction(1, 2)


class InvalidAnswer(DomainError):
    """An answer names a question or an option the questionnaire does not have."""

    def __init__(self, question_id: str, option_id: str) -> None:
        self.question_id = question_id
        self.option_id = option_id
        super().__init__(f"no option {option_id!r} for question {question_id!r}")


class NoAnswers(DomainError):
    """Nothing was answered, so there is nothing to score."""

    def __init__(self) -> None:
        super().__init__("no answers to score")


class ScoreResult(BaseModel):
    """The outcome of scoring: the level, per-dimension and overall scores, and why.

    `reasons` say why as facts (ids and numbers, stored with an assessment); `explanation` words
    them in the current language. `tie` is True when the overall score lay exactly between two
    levels (resolved downward); `capped_by` names the gate question that kept the result below
    its level, if any.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    level: MaturityLevel
    dimension_scores: dict[str, float]
    overall: float
    reasons: list[ScoreReason]
    tie: bool = False
    capped_by: str | None = None
    _questionnaire: Questionnaire | None = PrivateAttr(default=None)

    @property
    def explanation(self) -> list[str]:
        """The reasons as sentences in the current language (the scored questionnaire's names)."""
        return explain(self.reasons, self._questionnaire)


def score(questionnaire: Questionnaire, answers: Mapping[str, str]) -> ScoreResult:
    """Score `answers` (question id -> option id; any non-empty subset of the questions).

    Raises:
        InvalidAnswer: an unknown question id, or an option id the question does not offer.
        NoAnswers: `answers` is empty.
    """
    chosen = _resolve(questionnaire, answers)
    if not chosen:
        raise NoAnswers
    exact = {
        dimension.id: _mean(
            [option.level.rank for q, option in chosen if q.dimension == dimension.id]
        )
        for dimension in questionnaire.dimensions
        if any(q.dimension == dimension.id for q, _ in chosen)
    }
    overall = _mean(list(exact.values()))
    rank, tie = _nearest_rank(overall)
    gate = _unmet_gate(questionnaire, answers, rank)
    if gate is not None and gate.required_for is not None:
        rank = gate.required_for.rank - 1
    level = MaturityLevel.from_rank(rank)
    reasons = _reasons(questionnaire, chosen, exact, overall, level, tie, gate)
    reasons[1:1] = _disagreements(exact)
    result = ScoreResult(
        level=level,
        dimension_scores={d: _display(s) for d, s in exact.items()},
        overall=_display(overall),
        reasons=reasons,
        tie=tie,
        capped_by=gate.id if gate is not None else None,
    )
    result._questionnaire = questionnaire
    return result


INCONSISTENT_SPREAD = 2  # dimension scores this many levels apart contradict each other


def _disagreements(exact: dict[str, Fraction]) -> list[ScoreReason]:
    """A warning when dimensions lie `INCONSISTENT_SPREAD` or more levels apart (production
    workloads, yet hardly any contact with Azure): the mean of such answers is no level the
    customer is at, so the result names the dimensions that disagree."""
    if len(exact) < 2 or max(exact.values()) - min(exact.values()) < INCONSISTENT_SPREAD:
        return []
    high, low = max(exact.values()), min(exact.values())
    return [
        InconsistentReason(
            mature=[_scored(d, value) for d, value in exact.items() if high - value < 1],
            basic=[_scored(d, value) for d, value in exact.items() if value - low < 1],
            spread=_display(high - low),
        )
    ]


def _resolve(
    questionnaire: Questionnaire, answers: Mapping[str, str]
) -> list[tuple[Question, Option]]:
    """The answered questions with their chosen options, in questionnaire order."""
    picked: dict[str, Option] = {}
    for question_id, option_id in answers.items():
        question = questionnaire.question(question_id)
        option = question.option(option_id) if question is not None else None
        if option is None:
            raise InvalidAnswer(question_id, option_id)
        picked[question_id] = option
    return [(q, picked[q.id]) for q in questionnaire.questions if q.id in picked]


def _mean(values: list[int] | list[Fraction]) -> Fraction:
    return Fraction(sum(values)) / len(values)


def _display(value: Fraction) -> float:
    return round(float(value), 2)


def level_for_score(score: float) -> MaturityLevel:
    """The level a 1.0-4.0 score points to, by the same rule as the overall result."""
    rank, _ = _nearest_rank(Fraction(score).limit_denominator(1000))
    return MaturityLevel.from_rank(min(4, max(1, rank)))


def _nearest_rank(value: Fraction) -> tuple[int, bool]:
    """The nearest integer rank, an exact half going down; and whether it was such a tie."""
    below = math.floor(value)
    rest = value - below
    if rest == _HALF:
        return below, True
    return (below + 1 if rest > _HALF else below), False


def _unmet_gate(
    questionnaire: Questionnaire, answers: Mapping[str, str], rank: int
) -> Question | None:
    """The most restrictive gate that the answers do not open for a result of `rank`."""
    unmet = []
    for question in questionnaire.questions:
        gate = question.required_for
        if gate is None or rank < gate.rank:
            continue
        option = question.option(answers[question.id]) if question.id in answers else None
        if option is None or option.level.rank < gate.rank:
            unmet.append(question)
    return min(unmet, key=_gate_rank, default=None)


def _gate_rank(question: Question) -> int:
    return question.required_for.rank if question.required_for is not None else 0


def _reasons(
    questionnaire: Questionnaire,
    chosen: list[tuple[Question, Option]],
    exact: dict[str, Fraction],
    overall: Fraction,
    level: MaturityLevel,
    tie: bool,
    gate: Question | None,
) -> list[ScoreReason]:
    """Why: the result, which dimensions agree or pull, the rules that applied."""
    reasons: list[ScoreReason] = [
        ResultReason(rank=level.rank, overall=_display(overall), dimensions=len(exact))
    ]
    if len(chosen) < len(questionnaire.questions):
        reasons.append(PartialReason(answered=len(chosen), questions=len(questionnaire.questions)))
    scored = _nearest_rank(overall)[0]  # before a gate
    agree: list[DimensionScore] = []
    pulls: dict[bool, list[ScoreReason]] = {True: [], False: []}
    for dimension_id, value in exact.items():
        dimension_rank = _nearest_rank(value)[0]
        if dimension_rank == scored:
            agree.append(_scored(dimension_id, value))
            continue
        answers = [
            AnswerRef(question=q.id, option=o.id) for q, o in chosen if q.dimension == dimension_id
        ]
        up = dimension_rank > scored
        pulls[up].append(PullReason(up=up, dimension=_scored(dimension_id, value), answers=answers))
    if agree:
        reasons.append(AgreeReason(rank=scored, dimensions=agree))
    reasons += pulls[True] + pulls[False]
    if tie:
        reasons.append(TieReason(rank=scored))
    if gate is not None and gate.required_for is not None:
        answer = next((o for q, o in chosen if q.id == gate.id), None)
        reasons.append(
            GateReason(
                question=gate.id,
                option=answer.id if answer else None,
                needed=gate.required_for.rank,
                rank=level.rank,
                scored=scored,
            )
        )
    return reasons


def _scored(dimension_id: str, value: Fraction) -> DimensionScore:
    return DimensionScore(dimension=dimension_id, score=_display(value))
