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
from dialogs.common.prompts import back_data, choose_data
from engagement.assessing import Evaluation, SavedAssessment
from engagement.catalog import Catalog, Question, Workshop
from engagement.models import Assessment, AssessmentKind, MaturityLevel
from engagement.scoring import level_for_score

USE_ASSESSMENT_ACTION = "use_assessment"
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


def _placed(workshop: Workshop, level: MaturityLevel) -> WorkshopView:
    """A recommended workshop; one from a neighbouring level (padding) says so in its name."""
    view = workshop_view(workshop)
    if level in workshop.levels:
        return view
    higher = min(w.rank for w in workshop.levels) > level.rank
    return dataclasses.replace(view, name=f"{view.name} · {'next' if higher else 'previous'} level")


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
        workshops=[_placed(workshop, result.level) for workshop in evaluation.workshops],
        commit_data=(
            {"action": "run_command", "command": "commit", "argument": customer_name}
            if customer_name
            else None
        ),
        save_data=save_data,
        assessed_by=assessed_by,
        assessed_at=assessed_at.strftime("%d %b %Y, %H:%M UTC"),
        notes=list(result.disagreements),
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
            carried_heading=f"Next steps from iteration {iteration.number - 1}",
            carried_over=list(iteration.carried_over),
        )
    basis = iteration.assessment
    if basis is None or not iteration.set_aside:
        return view
    if not saved.set_aside:
        kept = len(iteration.set_aside)
        note = (
            f"The level of iteration {iteration.number} comes from this "
            f"{_KIND_LABELS[assessment.kind].lower()}; {kept} earlier assessment(s) of this "
            "iteration are kept beside it."
        )
        return dataclasses.replace(view, notes=[note, *view.notes])
    note = (
        f"Not applied: {saved.customer.name}'s level stays {basis.level.label}, from the "
        f"{_KIND_LABELS[basis.kind].lower()} of {basis.at:%d %b %Y} (score "
        f"{overall_score(basis):.2f}). This quick check is kept beside it."
    )
    use = {
        "action": USE_ASSESSMENT_ACTION,
        "customer": saved.customer.id,
        "iteration": iteration.number,
        "assessed_at": assessment.at.isoformat(),
    }
    return dataclasses.replace(view, notes=[note, *view.notes], use_data=use, commit_data=None)


def overall_score(assessment: Assessment) -> float:
    """The mean of the assessment's dimension scores (the score its level was taken from)."""
    scores = list(assessment.dimension_scores.values())
    return sum(scores) / len(scores) if scores else 0.0


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
