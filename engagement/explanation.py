"""A result's reasons (engagement/score_reasons.py) as readable sentences in the turn's language.

Worded when shown, with the names of the questionnaire shown (its texts in the reader's
language); the level names stay as the framework writes them. A reason naming a question,
option or dimension the questionnaire no longer has (or without one) shows its id.
"""

from __future__ import annotations

from collections.abc import Sequence

from engagement.catalog import Questionnaire
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
from i18n import _, ngettext
from i18n.formats import format_fixed


def explain(reasons: Sequence[ScoreReason], questionnaire: Questionnaire | None) -> list[str]:
    """One sentence per reason, in order."""
    return [_sentence(reason, questionnaire) for reason in reasons]


def _sentence(reason: ScoreReason, questionnaire: Questionnaire | None) -> str:
    match reason:
        case ResultReason():
            return _result(reason)
        case PartialReason():
            return ngettext(
                "Based on {answered} of {questions} question; the full assessment gives a more "
                "reliable picture.",
                "Based on {answered} of {questions} questions; the full assessment gives a more "
                "reliable picture.",
                reason.questions,
            ).format(answered=reason.answered, questions=reason.questions)
        case InconsistentReason():
            return _(
                "Inconsistent answers: {mature} disagree with {basic} by {spread} levels. Check "
                "these answers with the customer before relying on the level."
            ).format(
                mature=_scores(reason.mature, questionnaire),
                basic=_scores(reason.basic, questionnaire),
                spread=format_fixed(reason.spread),
            )
        case AgreeReason():
            return _("In line with {level}: {dimensions}.").format(
                level=_label(reason.rank), dimensions=_scores(reason.dimensions, questionnaire)
            )
        case PullReason():
            pull = (
                _("Points to a more mature level: {dimension}: {answers}.")
                if reason.up
                else _("Points to a less mature level: {dimension}: {answers}.")
            )
            return pull.format(
                dimension=_scores([reason.dimension], questionnaire),
                answers="; ".join(_answer(answer, questionnaire) for answer in reason.answers),
            )
        case TieReason():
            return _(
                "The score lies exactly between {lower} and {upper}; a tie goes to the less "
                "mature level, because a workshop that is a little too basic is a safer mistake "
                "than one that assumes too much."
            ).format(lower=_label(reason.rank), upper=_label(reason.rank + 1))
        case GateReason():
            return _gate(reason, questionnaire)


def _result(reason: ResultReason) -> str:
    return ngettext(
        "Result: {level} (level {rank} of 4). The overall score is {score} on a scale from 1 "
        "({lowest}) to 4 ({highest}), the mean of {n} dimension score.",
        "Result: {level} (level {rank} of 4). The overall score is {score} on a scale from 1 "
        "({lowest}) to 4 ({highest}), the mean of {n} dimension scores.",
        reason.dimensions,
    ).format(
        level=_label(reason.rank),
        rank=reason.rank,
        score=format_fixed(reason.overall),
        lowest=MaturityLevel.CLOUD_AFFINE.label,
        highest=MaturityLevel.CLOUD_IS_IN_USE.label,
        n=reason.dimensions,
    )


def _gate(reason: GateReason, questionnaire: Questionnaire | None) -> str:
    question = questionnaire.question(reason.question) if questionnaire else None
    parts = {
        "needed": _label(reason.needed),
        "question": question.text if question else reason.question,
        "level": _label(reason.rank),
        "scored": _label(reason.scored),
    }
    if reason.option is None:
        return _(
            '{needed} needs a matching answer to "{question}", which was not answered; so the '
            "result is {level} instead of {scored}."
        ).format(**parts)
    option = question.option(reason.option) if question else None
    return _(
        '{needed} needs a matching answer to "{question}", which was answered "{option}"; so '
        "the result is {level} instead of {scored}."
    ).format(option=option.label if option else reason.option, **parts)


def _label(rank: int) -> str:
    return MaturityLevel.from_rank(rank).label


def _scores(scores: Sequence[DimensionScore], questionnaire: Questionnaire | None) -> str:
    """`Azure experience (4.00), Knowledge and skills (3.50)`."""
    parts = []
    for item in scores:
        dimension = questionnaire.dimension(item.dimension) if questionnaire else None
        name = dimension.name if dimension else item.dimension
        parts.append(f"{name} ({format_fixed(item.score)})")
    return ", ".join(parts)


def _answer(answer: AnswerRef, questionnaire: Questionnaire | None) -> str:
    """`"Yes, workloads in production" (Does the customer run workloads in Azure today?)`."""
    question = questionnaire.question(answer.question) if questionnaire else None
    option = question.option(answer.option) if question else None
    return _('"{option}" ({question})').format(
        option=option.label if option else answer.option,
        question=question.text if question else answer.question,
    )
