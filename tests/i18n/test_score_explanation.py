"""The result's explanation (issue 18): stored as facts, worded when shown in the reader's
language with German numbers (`2,00`) and the catalog's German texts; English reads as before,
and an assessment stored before keeps its English text."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from catalog import load_catalog
from engagement.catalog import Questionnaire
from engagement.catalog_text import in_language
from engagement.explanation import explain
from engagement.models import Assessment, AssessmentKind, MaturityLevel, Person
from engagement.score_reasons import GateReason, PullReason
from engagement.scoring import score
from i18n import use_language
from tests.support.cards import choice_sets, submit_data, texts
from tests.support.conversation import Conversation
from tests.support.correctness import last_card

ENGLISH = load_catalog().questionnaire
GERMAN = in_language(load_catalog(), "de").questionnaire
# Everything most mature, but only a trial subscription: capped by the gate, and the
# trial answer pulls the experience dimension down.
CAPPED = {q.id: q.options[-1].id for q in ENGLISH.questions} | {"environment": "trial"}


def _german(questionnaire: Questionnaire, answers: dict[str, str]) -> list[str]:
    with use_language("de"):
        return explain(score(questionnaire, answers).reasons, GERMAN)


def test_a_german_reader_gets_the_explanation_in_german() -> None:
    lines = _german(GERMAN, CAPPED)
    assert lines[0] == (
        "Ergebnis: Cloud is a solution (Stufe 3 von 4). Der Gesamtwert ist 3,80 auf einer "
        "Skala von 1 (Cloud affine) bis 4 (Cloud is in use), der Mittelwert aus 5 "
        "Dimensionswerten."
    )
    text = "\n".join(lines)
    assert "Deutet auf einen niedrigeren Reifegrad: Azure-Erfahrung (3,00): „" in text
    assert lines[-1].startswith(
        "Cloud is in use setzt eine passende Antwort auf „Betreibt der Kunde heute Workloads in "
        "Azure?“ voraus, beantwortet wurde aber „"
    )
    assert not any(word in text for word in ("Result", "Points to", "needs a matching", "3.80"))


def test_an_english_reader_reads_what_the_scoring_always_said() -> None:
    result = score(ENGLISH, CAPPED)
    assert explain(result.reasons, ENGLISH) == result.explanation
    assert result.explanation[0].startswith(
        "Result: Cloud is a solution (level 3 of 4). The overall score is 3.80"
    )
    assert result.explanation[-1].startswith(
        'Cloud is in use needs a matching answer to "Does the customer run workloads in Azure '
        'today?", which was answered "A trial or sandbox subscription"'
    )


def test_the_reasons_are_the_same_whichever_language_scored() -> None:
    english, german = score(ENGLISH, CAPPED), score(GERMAN, CAPPED)
    assert english.reasons == german.reasons
    assert any(isinstance(reason, GateReason) for reason in german.reasons)
    assert any(isinstance(reason, PullReason) for reason in german.reasons)
    # scored by a German user, read by an English one
    assert explain(german.reasons, ENGLISH) == english.explanation


def test_a_stored_assessment_keeps_its_reasons_and_old_records_their_text() -> None:
    result = score(GERMAN, CAPPED)
    stored = Assessment(
        kind=AssessmentKind.FULL,
        answers=CAPPED,
        dimension_scores=result.dimension_scores,
        level=result.level,
        reasons=result.reasons,
        by=Person(id="ada"),
        at=datetime(2026, 11, 2, tzinfo=UTC),
    )
    loaded = Assessment.model_validate_json(stored.model_dump_json())
    assert loaded.reasons == result.reasons
    assert loaded.explanation == []
    old = stored.model_dump(mode="json", exclude={"reasons"}) | {"explanation": ["Result: old"]}
    assert Assessment.model_validate(old).explanation == ["Result: old"]
    assert Assessment.model_validate(old).level is MaturityLevel.CLOUD_IS_A_SOLUTION


def test_ids_the_questionnaire_no_longer_has_are_shown_as_ids() -> None:
    reason = GateReason(question="gone", option="old", needed=4, rank=3, scored=4)
    with use_language("de"):
        (line,) = explain([reason], GERMAN)
    assert "„gone“" in line
    assert "„old“" in line


async def test_a_german_quick_check_explains_and_warns_in_german(personal: Conversation) -> None:
    german = replace(personal, locale="de-DE")
    card = last_card(await german.say("schnellcheck"))
    value = dict(submit_data(card, "Reifegrad anzeigen"))
    for number, choice_set in enumerate(choice_sets(card)):
        value[choice_set["id"]] = choice_set["choices"][3 if number % 2 == 0 else 0]["value"]
    result = texts(last_card(await german.submit(value)))
    assert "Widersprüchliche Antworten:" in result
    assert "Ergebnis: " in result
    assert "Beruht auf 5 von 10 Fragen" in result
    assert "Inconsistent answers" not in result
    assert "Result: " not in result
