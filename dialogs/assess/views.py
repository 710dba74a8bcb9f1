"""Domain objects -> card view data. Formatting decisions live here, logic stays in the domain."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import datetime

from cards.views import (
    DimensionView,
    LevelCatalogView,
    OptionView,
    QuestionView,
    ResultView,
    WorkshopView,
)
from dialogs.common.messages import day_text, score_text
from dialogs.common.prompts import back_data, choose_data
from engagement.assessing import Evaluation, SavedAssessment
from engagement.catalog import Catalog, Question, Workshop
from engagement.explanation import explain
from engagement.models import Assessment, AssessmentKind, MaturityLevel
from engagement.score_reasons import InconsistentReason
from engagement.scoring import level_for_score
from i18n import N_, _, ngettext

USE_ASSESSMENT_ACTION = "use_assessment"
_KIND_LABELS = {AssessmentKind.QUICK: N_("Quick check"), AssessmentKind.FULL: N_("Full assessment")}
_NOT_APPLIED = {
    AssessmentKind.QUICK: N_(
        "Not applied: {customer}'s level stays {level}, from the quick check of {day} (score "
        "{score}). This quick check is kept beside it."
    ),
    AssessmentKind.FULL: N_(
        "Not applied: {customer}'s level stays {level}, from the full assessment of {day} "
        "(score {score}). This quick check is kept beside it."
    ),
}


def workshop_view(workshop: Workshop) -> WorkshopView:
    """A workshop for a card."""
    return WorkshopView(
        name=workshop.name,
        summary=workshop.summary,
        duration=workshop.duration,
        audience=workshop.audience,
        format=workshop.format.value,
        url=workshop.link,
        level_labels=[level.label for level in workshop.levels],
    )


def _placed(workshop: Workshop, level: MaturityLevel) -> WorkshopView:
    """A recommended workshop; one from a neighbouring level (padding) says so in its name."""
    view = workshop_view(workshop)
    if level in workshop.levels:
        return view
    higher = min(w.rank for w in workshop.levels) > level.rank
    placed = _("{workshop} · next level") if higher else _("{workshop} · previous level")
    return dataclasses.replace(view, name=placed.format(workshop=view.name))


def question_view(
    catalog: Catalog, customer_name: str, index: int, key: str, question: Question
) -> QuestionView:
    """Question `index` (0-based) of the full assessment, with its buttons' submit data."""
    dimension = catalog.questionnaire.dimension(question.dimension)
    return QuestionView(
        customer_name=customer_name,
        number=index + 1,
        total=len(catalog.questionnaire.questions),
        dimension=dimension.name if dimension else question.dimension,
        text=question.text,
        help_text=question.help,
        options=[OptionView(value=option.id, label=option.label) for option in question.options],
        submit_data=[choose_data(key, option.id) for option in question.options],
        back_data=back_data(key) if index > 0 else None,
        cancel_data={"action": "cancel"},
    )


def result_view(
    catalog: Catalog,
    customer_name: str,
    kind: AssessmentKind,
    evaluation: Evaluation,
    assessed_by: str,
    assessed_at: datetime,
    *,
    save_data: dict[str, object] | None = None,
) -> ResultView:
    """The result card's data for a scored assessment or quick check.

    A saved result (with a customer name) offers to start the commit phase. Texts come from the
    catalog in the turn's language (`evaluation`'s workshops are matched by id).
    """
    shown = {workshop.id: workshop for workshop in catalog.workshops}
    result = evaluation.result
    level_info = catalog.level(result.level)
    previous = evaluation.previous_level
    return ResultView(
        customer_name=customer_name,
        kind_label=_(_KIND_LABELS[kind]),
        level_label=result.level.label,
        level_rank=result.level.rank,
        level_description=level_info.description,
        previous_level_label=previous.label if previous else "",
        dimensions=[
            DimensionView(
                name=_dimension_name(catalog, dimension_id),
                score=value,
                level_label=level_for_score(value).label,
            )
            for dimension_id, value in result.dimension_scores.items()
        ],
        explanation=explain(result.reasons, catalog.questionnaire),
        workshops=[
            _placed(shown.get(workshop.id, workshop), result.level)
            for workshop in evaluation.workshops
        ],
        commit_data=(
            {"action": "run_command", "command": "commit", "argument": customer_name}
            if customer_name
            else None
        ),
        save_data=save_data,
        assessed_by=assessed_by,
        assessed_at=_("{day}, {time} UTC").format(
            day=day_text(assessed_at), time=f"{assessed_at:%H:%M}"
        ),
        notes=explain(
            [r for r in result.reasons if isinstance(r, InconsistentReason)], catalog.questionnaire
        ),
    )


def saved_result_view(catalog: Catalog, saved: SavedAssessment) -> ResultView:
    """The result card's data for an assessment stored on a customer; when the iteration has
    more than one assessment, the card says which one its level comes from."""
    assessment = saved.assessment
    view = result_view(
        catalog,
        saved.customer.name,
        assessment.kind,
        saved.evaluation,
        assessment.by.name,
        assessment.at,
    )
    iteration = saved.customer.current
    if iteration.carried_over:
        view = dataclasses.replace(
            view,
            carried_heading=_("Next steps from iteration {number}").format(
                number=iteration.number - 1
            ),
            carried_over=list(iteration.carried_over),
        )
    basis = iteration.assessment
    if basis is None or not iteration.set_aside:
        return view
    if not saved.set_aside:
        note = _applied(assessment.kind, iteration.number, len(iteration.set_aside))
        return dataclasses.replace(view, notes=[note, *view.notes])
    note = _(_NOT_APPLIED[basis.kind]).format(
        customer=saved.customer.name,
        level=basis.level.label,
        day=day_text(basis.at),
        score=score_text(overall_score(basis)),
    )
    use = {
        "action": USE_ASSESSMENT_ACTION,
        "customer": saved.customer.id,
        "iteration": iteration.number,
        "assessed_at": assessment.at.isoformat(),
    }
    return dataclasses.replace(view, notes=[note, *view.notes], use_data=use, commit_data=None)


def _applied(kind: AssessmentKind, number: int, kept: int) -> str:
    """That the level now comes from this assessment, with `kept` others beside it."""
    if kind is AssessmentKind.QUICK:
        note = ngettext(
            "The level of iteration {number} comes from this quick check; {kept} earlier "
            "assessment of this iteration is kept beside it.",
            "The level of iteration {number} comes from this quick check; {kept} earlier "
            "assessments of this iteration are kept beside it.",
            kept,
        )
    else:
        note = ngettext(
            "The level of iteration {number} comes from this full assessment; {kept} earlier "
            "assessment of this iteration is kept beside it.",
            "The level of iteration {number} comes from this full assessment; {kept} earlier "
            "assessments of this iteration are kept beside it.",
            kept,
        )
    return note.format(number=number, kept=kept)


def overall_score(assessment: Assessment) -> float:
    """The mean of the assessment's dimension scores (the score its level was taken from)."""
    scores = list(assessment.dimension_scores.values())
    return sum(scores) / len(scores) if scores else 0.0


def catalog_views(catalog: Catalog, levels: Sequence[MaturityLevel]) -> list[LevelCatalogView]:
    """Workshops grouped by level for `catalog [level]`, in the turn's language."""
    return [
        LevelCatalogView(
            level_label=level.label,
            level_description=catalog.level(level).description,
            workshops=[workshop_view(workshop) for workshop in catalog.workshops_for(level)],
        )
        for level in levels
    ]


def _dimension_name(catalog: Catalog, dimension_id: str) -> str:
    dimension = catalog.questionnaire.dimension(dimension_id)
    return dimension.name if dimension else dimension_id
