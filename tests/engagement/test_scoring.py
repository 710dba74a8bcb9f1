"""Scoring: seed personas land on their levels, ties go down, gates hold, bad ids are refused."""

from __future__ import annotations

from functools import cache

import pytest
from hypothesis import given
from hypothesis import strategies as st

from catalog import load_catalog
from engagement.catalog import Dimension, Option, Question, Questionnaire
from engagement.errors import DomainError
from engagement.models import MaturityLevel
from engagement.scoring import InvalidAnswer, NoAnswers, ScoreResult, level_for_score, score

AFFINE, OPTION, SOLUTION, IN_USE = list(MaturityLevel)


@cache
def shipped() -> Questionnaire:
    return load_catalog().questionnaire


def quick_only(answers: dict[str, str]) -> dict[str, str]:
    quick = {q.id for q in shipped().quick_questions}
    return {q: o for q, o in answers.items() if q in quick}


def everywhere(position: int, questions: tuple[Question, ...] | None = None) -> dict[str, str]:
    """The option at `position` (0 = least mature, -1 = most) for every question."""
    return {q.id: q.options[position].id for q in questions or shipped().questions}


# Answer sets a customer matching each seed description (seed 000) would give. Real people are
# not uniform, so each persona strays one level on a couple of questions.
PERSONAS = {
    # "hardly had any contact with Azure so far and wants to get to know the platform and
    # discover potential use cases"
    AFFINE: {
        "contact": "hardly",
        "environment": "none",
        "platform_knowledge": "overview",
        "skills": "none",
        "use_case": "none",
        "next_goal": "discover",
        "governance": "nothing",
        "cost": "unknown",
        "sponsor": "it_individuals",
        "budget": "none",
    },
    # "knows Azure, however, wants to get deeper and have first experiences in a topic"
    OPTION: {
        "contact": "demos",
        "environment": "trial",
        "platform_knowledge": "basics",
        "skills": "learning",
        "use_case": "ideas",
        "next_goal": "experience",
        "governance": "later",
        "cost": "unknown",
        "sponsor": "it_individuals",
        "budget": "training",
    },
    # "aware of his use case in Azure and wants to prove the feasibility of the solution and,
    # if necessary, to support it with a business case"
    SOLUTION: {
        "contact": "hands_on",
        "environment": "trial",
        "platform_knowledge": "services",
        "skills": "learning",
        "use_case": "chosen",
        "next_goal": "prove",
        "governance": "designing",
        "cost": "business_case",
        "sponsor": "named_sponsor",
        "budget": "pilot",
    },
    # "already operates an Azure environment but sees further potential in his business or
    # wants to improve his operation"
    IN_USE: {
        "contact": "daily",
        "environment": "production",
        "platform_knowledge": "operating",
        "skills": "engineers",
        "use_case": "live",
        "next_goal": "improve",
        "governance": "in_place",
        "cost": "optimize",
        "sponsor": "named_sponsor",
        "budget": "running",
    },
}


@pytest.mark.parametrize("level", list(MaturityLevel))
def test_seed_personas_come_out_at_their_level(level: MaturityLevel) -> None:
    result = score(shipped(), PERSONAS[level])
    assert result.level == level
    assert set(result.dimension_scores) == {d.id for d in shipped().dimensions}


@pytest.mark.parametrize("level", list(MaturityLevel))
def test_quick_check_agrees_with_the_full_assessment_for_the_personas(
    level: MaturityLevel,
) -> None:
    assert score(shipped(), quick_only(PERSONAS[level])).level == level


@pytest.mark.parametrize(
    ("answers", "level"),
    [
        pytest.param(everywhere(0), AFFINE, id="first-option-everywhere"),
        pytest.param(everywhere(-1), IN_USE, id="last-option-everywhere"),
        pytest.param(quick_only(everywhere(0)), AFFINE, id="quick-first-options"),
        pytest.param(quick_only(everywhere(-1)), IN_USE, id="quick-last-options"),
        pytest.param(everywhere(1), OPTION, id="second-option-everywhere"),
        pytest.param(everywhere(2), SOLUTION, id="third-option-everywhere"),
    ],
)
def test_uniform_answers(answers: dict[str, str], level: MaturityLevel) -> None:
    result = score(shipped(), answers)
    assert result.level == level
    assert result.overall == level.rank
    assert set(result.dimension_scores.values()) == {float(level.rank)}
    assert not result.tie
    assert result.capped_by is None


def test_quick_check_explains_it_saw_part_of_the_questionnaire() -> None:
    result = score(shipped(), quick_only(everywhere(0)))
    assert any("Based on 5 of 10 questions" in line for line in result.explanation)
    full = score(shipped(), everywhere(0))
    assert not any("Based on" in line for line in full.explanation)


@pytest.mark.parametrize("level", list(MaturityLevel))
def test_explanation_names_the_level(level: MaturityLevel) -> None:
    result = score(shipped(), PERSONAS[level])
    assert result.explanation
    assert result.explanation[0].startswith(f"Result: {level.label} (level {level.rank} of 4)")


# --- mixed and contradictory answers -------------------------------------------------------------


def test_strong_experience_but_nothing_else_lands_in_the_middle_and_says_why() -> None:
    answers = everywhere(0)
    for question in shipped().questions:
        if question.dimension in {"experience", "knowledge"}:
            answers[question.id] = question.options[-1].id
    result = score(shipped(), answers)
    # (4 + 4 + 1 + 1 + 1) / 5 = 2.2
    assert result.overall == 2.2
    assert result.level == OPTION
    text = "\n".join(result.explanation)
    assert "Points to a more mature level: Azure experience (4.00)" in text
    assert "Points to a less mature level: Use case and goal (1.00)" in text
    assert '"Yes, workloads in production"' in text


def test_in_use_everywhere_but_no_environment_is_capped_by_the_gate() -> None:
    answers = everywhere(-1) | {"environment": "trial"}
    result = score(shipped(), answers)
    assert result.overall == 3.8
    assert result.level == SOLUTION
    assert result.capped_by == "environment"
    gate_line = result.explanation[-1]
    assert gate_line.startswith("Cloud is in use needs a matching answer to")
    assert '"A trial or sandbox subscription"' in gate_line


def test_unanswered_gate_question_gives_no_in_use() -> None:
    answers = quick_only(everywhere(-1))
    del answers["environment"]
    result = score(shipped(), answers)
    assert result.level == SOLUTION
    assert result.capped_by == "environment"
    assert "was not answered" in result.explanation[-1]


def test_gate_does_not_touch_lower_results() -> None:
    result = score(shipped(), PERSONAS[SOLUTION])
    assert result.capped_by is None


def test_a_single_answer_scores_its_dimension_only() -> None:
    result = score(shipped(), {"next_goal": "prove"})
    assert result.dimension_scores == {"use_case": 3.0}
    assert result.level == SOLUTION


# --- the rule itself, on a small questionnaire ---------------------------------------------------


def ladder(prefix: str) -> tuple[Option, ...]:
    return tuple(
        Option(id=f"{prefix}{lvl.rank}", label=lvl.label, level=lvl) for lvl in MaturityLevel
    )


def small(
    questions_per_dimension: dict[str, int], gate: MaturityLevel | None = None
) -> Questionnaire:
    """Dimensions with n questions each, options "o1".."o4" = rank; question "a1" may be a gate.

    Dimension "pad" only fills the quick check up to its minimum; tests never answer it, and an
    unanswered dimension does not count.
    """
    dimensions = tuple(
        Dimension(id=d, name=d.upper(), description=d) for d in [*questions_per_dimension, "pad"]
    )
    questions = tuple(
        Question(
            id=f"{d}{i}",
            dimension=d,
            text=f"{d} {i}?",
            quick=gate is not None and (d, i) == ("a", 1),
            options=ladder("o"),
            required_for=gate if (d, i) == ("a", 1) else None,
        )
        for d, n in questions_per_dimension.items()
        for i in range(1, n + 1)
    )
    padding = tuple(
        Question(id=f"pad{i}", dimension="pad", text="pad?", quick=True, options=ladder("o"))
        for i in range(4)
    )
    return Questionnaire(dimensions=dimensions, questions=questions + padding)


def ranks(**answer_ranks: int) -> dict[str, str]:
    return {question_id: f"o{rank}" for question_id, rank in answer_ranks.items()}


def test_dimensions_weigh_the_same_whatever_their_number_of_questions() -> None:
    questionnaire = small({"a": 3, "b": 1})
    # Per question the mean would be (4+4+4+1)/4 = 3.25 -> solution; per dimension (4+1)/2 = 2.5.
    result = score(questionnaire, ranks(a1=4, a2=4, a3=4, b1=1))
    assert result.dimension_scores == {"a": 4.0, "b": 1.0}
    assert result.overall == 2.5
    assert result.level == OPTION


@pytest.mark.parametrize(
    ("answers", "overall", "level", "tie"),
    [
        (ranks(a1=1, b1=2), 1.5, AFFINE, True),
        (ranks(a1=2, b1=3), 2.5, OPTION, True),
        (ranks(a1=3, b1=4), 3.5, SOLUTION, True),
        (ranks(a1=1, b1=1, c1=2), 1.33, AFFINE, False),
        (ranks(a1=1, b1=2, c1=2), 1.67, OPTION, False),
        (ranks(a1=2, b1=3, c1=3), 2.67, SOLUTION, False),
        (ranks(a1=3, b1=4, c1=4), 3.67, IN_USE, False),
    ],
)
def test_nearest_level_and_ties_resolve_downward(
    answers: dict[str, str], overall: float, level: MaturityLevel, tie: bool
) -> None:
    result = score(small({"a": 1, "b": 1, "c": 1}), answers)
    assert result.overall == overall
    assert result.level == level
    assert result.tie is tie
    tie_lines = [line for line in result.explanation if "exactly between" in line]
    assert len(tie_lines) == int(tie)
    if tie:
        assert "a tie goes to the less mature level" in tie_lines[0]


def test_tie_is_exact_not_a_rounded_float() -> None:
    # 1/3 + 1/3 ... style sums that a float mean would blur: (1 + 2 + 2)/3 per dimension etc.
    questionnaire = small({"a": 3, "b": 3})
    result = score(questionnaire, ranks(a1=1, a2=2, a3=2, b1=3, b2=3, b3=4))
    # a = 5/3, b = 10/3, overall = 5/2 exactly -> a tie
    assert result.dimension_scores == {"a": 1.67, "b": 3.33}
    assert result.tie
    assert result.level == OPTION


def test_gate_caps_one_level_below_its_level() -> None:
    questionnaire = small({"a": 2, "b": 1}, gate=IN_USE)
    capped = score(questionnaire, ranks(a1=3, a2=4, b1=4))
    assert (capped.level, capped.capped_by) == (SOLUTION, "a1")
    opened = score(questionnaire, ranks(a1=4, a2=3, b1=4))
    assert (opened.level, opened.capped_by) == (IN_USE, None)


def test_dimension_scores_are_rounded_to_two_decimals() -> None:
    result = score(small({"a": 3}), ranks(a1=1, a2=1, a3=2))
    assert result.dimension_scores == {"a": 1.33}
    assert result.overall == 1.33


# --- invalid input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question_id", "option_id"),
    [
        ("no_such_question", "none"),
        ("environment", "no_such_option"),
        ("environment", "hardly"),  # an option of another question
        ("environment", ""),
    ],
)
def test_unknown_ids_raise_invalid_answer(question_id: str, option_id: str) -> None:
    answers = PERSONAS[OPTION] | {question_id: option_id}
    with pytest.raises(InvalidAnswer) as raised:
        score(shipped(), answers)
    assert (raised.value.question_id, raised.value.option_id) == (question_id, option_id)
    assert isinstance(raised.value, DomainError)


def test_no_answers_is_a_domain_error() -> None:
    with pytest.raises(NoAnswers):
        score(shipped(), {})


def test_result_is_frozen() -> None:
    result = score(shipped(), everywhere(0))
    with pytest.raises(ValueError, match="frozen"):
        result.level = IN_USE  # type: ignore[misc]


# --- properties ----------------------------------------------------------------------------------


@st.composite
def complete_answers(draw: st.DrawFn) -> dict[str, str]:
    return {q.id: draw(st.sampled_from(q.options)).id for q in shipped().questions}


@st.composite
def partial_answers(draw: st.DrawFn) -> dict[str, str]:
    """Any subset that includes the gate question (quick checks always ask it)."""
    answers = draw(complete_answers())
    keep = draw(st.sets(st.sampled_from(sorted(answers))))
    return {q: o for q, o in answers.items() if q in keep or q == "environment"}


def answer_ranks(answers: dict[str, str]) -> list[int]:
    ranks_ = []
    for question_id, option_id in answers.items():
        question = shipped().question(question_id)
        assert question is not None
        option = question.option(option_id)
        assert option is not None
        ranks_.append(option.level.rank)
    return ranks_


@given(complete_answers())
def test_level_lies_between_the_least_and_most_mature_answer(answers: dict[str, str]) -> None:
    result = score(shipped(), answers)
    given_ranks = answer_ranks(answers)
    assert min(given_ranks) <= result.level.rank <= max(given_ranks)
    assert 1.0 <= result.overall <= 4.0
    assert all(1.0 <= s <= 4.0 for s in result.dimension_scores.values())
    assert result.explanation
    assert result.level.label in result.explanation[0]


@given(partial_answers())
def test_partial_answers_stay_within_the_answers_too(answers: dict[str, str]) -> None:
    result = score(shipped(), answers)
    given_ranks = answer_ranks(answers)
    assert min(given_ranks) <= result.level.rank <= max(given_ranks)
    answered_dimensions = {shipped().question(q).dimension for q in answers}  # type: ignore[union-attr]
    assert set(result.dimension_scores) == answered_dimensions


@given(complete_answers())
def test_scoring_is_deterministic(answers: dict[str, str]) -> None:
    first: ScoreResult = score(shipped(), answers)
    again = score(shipped(), dict(reversed(list(answers.items()))))
    assert first == again
    assert first.model_dump_json() == again.model_dump_json()


@pytest.mark.parametrize(
    ("score", "level"),
    [
        (1.0, MaturityLevel.CLOUD_AFFINE),
        (1.5, MaturityLevel.CLOUD_AFFINE),
        (1.51, MaturityLevel.CLOUD_IS_AN_OPTION),
        (2.5, MaturityLevel.CLOUD_IS_AN_OPTION),
        (3.5, MaturityLevel.CLOUD_IS_A_SOLUTION),
        (3.67, MaturityLevel.CLOUD_IS_IN_USE),
        (4.0, MaturityLevel.CLOUD_IS_IN_USE),
    ],
)
def test_a_dimension_score_names_its_level_by_the_same_tie_rule(
    score: float, level: MaturityLevel
) -> None:
    assert level_for_score(score) is level
