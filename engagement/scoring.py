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

Scores are computed exactly and rounded to 2 decimals only for display in `ScoreResult`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from fractions import Fraction

from pydantic import BaseModel, ConfigDict

from engagement.catalog import Option, Question, Questionnaire
from engagement.errors import DomainError
from engagement.models import MaturityLevel

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

    `tie` is True when the overall score lay exactly between two levels (resolved downward);
    `capped_by` names the gate question that kept the result below its level, if any.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    level: MaturityLevel
    dimension_scores: dict[str, float]
    overall: float
    explanation: list[str]
    tie: bool = False
    capped_by: str | None = None
    disagreements: list[str] = []  # dimensions whose answers contradict each other


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
    explanation = _explain(questionnaire, chosen, exact, overall, level, tie, gate)
    disagreements = _disagreements(questionnaire, exact)
    explanation[1:1] = disagreements
    return ScoreResult(
        level=level,
        dimension_scores={d: _display(s) for d, s in exact.items()},
        overall=_display(overall),
        explanation=explanation,
        tie=tie,
        capped_by=gate.id if gate is not None else None,
        disagreements=disagreements,
    )


INCONSISTENT_SPREAD = 2  # dimension scores this many levels apart contradict each other


def _disagreements(questionnaire: Questionnaire, exact: dict[str, Fraction]) -> list[str]:
    """A warning when dimensions lie `INCONSISTENT_SPREAD` or more levels apart (production
    workloads, yet hardly any contact with Azure): the mean of such answers is no level the
    customer is at, so the result names the dimensions that disagree."""
    if len(exact) < 2 or max(exact.values()) - min(exact.values()) < INCONSISTENT_SPREAD:
        return []

    def named(dimension_ids: list[str]) -> str:
        parts = []
        for dimension_id in dimension_ids:
            dimension = questionnaire.dimension(dimension_id)
            name = dimension.name if dimension else dimension_id
            parts.append(f"{name} ({float(exact[dimension_id]):.2f})")
        return ", ".join(parts)

    high, low = max(exact.values()), min(exact.values())
    mature = [d for d, value in exact.items() if high - value < 1]
    basic = [d for d, value in exact.items() if value - low < 1]
    return [
        f"Inconsistent answers: {named(mature)} disagree with {named(basic)} by "
        f"{float(high - low):.2f} levels. Check these answers with the customer before relying "
        "on the level."
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


def _explain(
    questionnaire: Questionnaire,
    chosen: list[tuple[Question, Option]],
    exact: dict[str, Fraction],
    overall: Fraction,
    level: MaturityLevel,
    tie: bool,
    gate: Question | None,
) -> list[str]:
    """Readable sentences: the result, which dimensions agree or pull, the rules that applied."""
    count = len(exact)
    lines = [
        f"Result: {level.label} (level {level.rank} of 4). The overall score is "
        f"{float(overall):.2f} on a scale from 1 ({MaturityLevel.CLOUD_AFFINE.label}) to 4 "
        f"({MaturityLevel.CLOUD_IS_IN_USE.label}), the mean of {count} dimension "
        f"score{'s' if count != 1 else ''}."
    ]
    if len(chosen) < len(questionnaire.questions):
        lines.append(
            f"Based on {len(chosen)} of {len(questionnaire.questions)} questions; "
            "the full assessment gives a more reliable picture."
        )
    scored = _nearest_rank(overall)[0]  # before a gate
    agree, up, down = [], [], []
    for dimension_id, value in exact.items():
        dimension = questionnaire.dimension(dimension_id)
        name = dimension.name if dimension else dimension_id
        text = f"{name} ({float(value):.2f})"
        dimension_rank = _nearest_rank(value)[0]
        if dimension_rank > scored:
            up.append(f"{text}: {_answers_in(chosen, dimension_id)}")
        elif dimension_rank < scored:
            down.append(f"{text}: {_answers_in(chosen, dimension_id)}")
        else:
            agree.append(text)
    if agree:
        lines.append(f"In line with {MaturityLevel.from_rank(scored).label}: {', '.join(agree)}.")
    lines += [f"Points to a more mature level: {item}." for item in up]
    lines += [f"Points to a less mature level: {item}." for item in down]
    if tie:
        upper = MaturityLevel.from_rank(scored + 1)
        lines.append(
            f"The score lies exactly between {MaturityLevel.from_rank(scored).label} and "
            f"{upper.label}; a tie goes to the less mature level, because a workshop that is "
            "a little too basic is a safer mistake than one that assumes too much."
        )
    if gate is not None and gate.required_for is not None:
        answer = next((o for q, o in chosen if q.id == gate.id), None)
        given = f'was answered "{answer.label}"' if answer else "was not answered"
        lines.append(
            f'{gate.required_for.label} needs a matching answer to "{gate.text}", which {given}; '
            f"so the result is {level.label} instead of "
            f"{MaturityLevel.from_rank(scored).label}."
        )
    return lines


def _answers_in(chosen: list[tuple[Question, Option]], dimension_id: str) -> str:
    return "; ".join(f'"{o.label}" ({q.text})' for q, o in chosen if q.dimension == dimension_id)
