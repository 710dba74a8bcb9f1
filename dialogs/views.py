"""Domain objects -> card view data. Formatting decisions live here, logic stays in the domain."""

from __future__ import annotations

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
from dialogs.prompts import back_data, choose_data
from engagement.assessing import Evaluation, SavedAssessment
from engagement.catalog import Catalog, Question, Workshop
from engagement.models import AssessmentKind, MaturityLevel
from engagement.scoring import level_for_score

_KIND_LABELS = {AssessmentKind.QUICK: "Quick check", AssessmentKind.FULL: "Full assessment"}


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

    A saved result (with a customer name) offers to start the commit phase.
    """
    result = evaluation.result
    level_info = catalog.level(result.level)
    previous = evaluation.previous_level
    return ResultView(
        customer_name=customer_name,
        kind_label=_KIND_LABELS[kind],
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
        explanation=list(result.explanation),
        workshops=[workshop_view(workshop) for workshop in evaluation.workshops],
        commit_data=(
            {"action": "run_command", "command": "commit", "argument": customer_name}
            if customer_name
            else None
        ),
        save_data=save_data,
        assessed_by=assessed_by,
        assessed_at=assessed_at.strftime("%d %b %Y, %H:%M UTC"),
    )


def saved_result_view(catalog: Catalog, saved: SavedAssessment) -> ResultView:
    """The result card's data for an assessment stored on a customer."""
    assessment = saved.assessment
    return result_view(
        catalog,
        saved.customer.name,
        assessment.kind,
        saved.evaluation,
        assessment.by.name,
        assessment.at,
    )


def catalog_views(catalog: Catalog, levels: Sequence[MaturityLevel]) -> list[LevelCatalogView]:
    """Workshops grouped by level for `catalog [level]`."""
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
