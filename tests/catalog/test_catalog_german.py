"""The catalog in German: every text of the shipped files has its German twin, `in_language`
swaps them in, and a copy with a German text missing fails at start-up naming entry and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from catalog import LEVELS_FILE, QUESTIONNAIRE_FILE, WORKSHOPS_FILE, load_catalog
from engagement.catalog import Catalog, Dimension, LevelInfo, Option, Question
from engagement.catalog_text import in_language
from engagement.models import MaturityLevel
from tests.support.catalog_files import assert_broken_copy_names, copy_catalog, edit

SHIPPED = load_catalog()
GERMAN = in_language(SHIPPED, "de")


def test_english_is_the_catalog_itself() -> None:
    assert in_language(SHIPPED, "en") is SHIPPED
    assert in_language(SHIPPED, "fr") is SHIPPED


def test_levels_read_in_german_and_keep_the_frameworks_names() -> None:
    affine = GERMAN.level(MaturityLevel.CLOUD_AFFINE)
    assert affine.description.startswith("Der Kunde hatte bisher kaum Berührungspunkte mit Azure")
    assert affine.signals[1] == "„Was könnte die Cloud für uns tun?“"
    assert [info.name for info in GERMAN.levels] == [info.name for info in SHIPPED.levels]
    assert GERMAN.find_level("option") is MaturityLevel.CLOUD_IS_AN_OPTION


def test_the_questionnaire_reads_in_german_with_the_same_ids_and_levels() -> None:
    english, german = SHIPPED.questionnaire, GERMAN.questionnaire
    assert [q.id for q in german.questions] == [q.id for q in english.questions]
    environment = german.question("environment")
    assert environment is not None
    assert environment.text == "Betreibt der Kunde heute Workloads in Azure?"
    assert [o.label for o in environment.options][-1] == "Ja, Workloads in Produktion"
    assert [(o.id, o.level) for o in environment.options] == [
        (o.id, o.level) for o in english.questions[1].options
    ]
    assert german.dimensions[0].name == "Azure-Erfahrung"
    assert german.quick_questions == tuple(q for q in german.questions if q.quick)


def test_every_german_text_differs_from_the_english_and_labels_stay_distinct() -> None:
    for english, german in zip(
        SHIPPED.questionnaire.questions, GERMAN.questionnaire.questions, strict=True
    ):
        assert german.text != english.text
        assert german.help != english.help or not english.help
        labels = [o.label for o in german.options]
        assert len(set(labels)) == len(labels)
        assert not set(labels) & {o.label for o in english.options}, english.id
    for english_w, german_w in zip(SHIPPED.workshops, GERMAN.workshops, strict=True):
        assert german_w.summary != english_w.summary
        assert german_w.outcomes != english_w.outcomes
        assert len(german_w.prerequisites) == len(english_w.prerequisites)


def test_workshops_keep_the_frameworks_names_unless_the_catalog_gives_german_ones() -> None:
    names = {w.id: w.name for w in GERMAN.workshops}
    assert names["ads"] == "Architecture Design Session (ADS)"
    assert names["azure-enablement"] == "Azure Enablement Workshop"
    assert names["pilot-poc"] == "Pilot oder PoC"
    assert names["well-architected-review"].endswith("(eigenes Angebot)")
    ads = GERMAN.workshop("ads")
    assert ads is not None
    assert ads.duration == "1-2 Tage"
    assert ads.link == "https://learn.microsoft.com/en-us/azure/architecture/"


def test_a_catalog_built_in_code_without_german_reads_as_english() -> None:
    options = tuple(Option(id=f"o{lvl.rank}", label="x", level=lvl) for lvl in MaturityLevel)
    level = LevelInfo(
        id=MaturityLevel.CLOUD_AFFINE, name="A", description="d", signals=("s",), name_de=None
    )
    assert in_language(level, "de") == level
    question = Question(id="q", dimension="d", text="?", options=options, text_de="De?")
    german = in_language(question, "de")
    assert (german.text, german.options) == ("De?", options)
    dimension = Dimension(id="d", name="D", description="d", name_de="De")
    assert in_language(dimension, "de").name == "De"
    assert isinstance(GERMAN, Catalog)


MISSING = [
    pytest.param(
        LEVELS_FILE,
        'description_de = "Der Kunde kennt Azure, möchte aber',
        'description_en = "Der Kunde kennt Azure, möchte aber',
        "level 'cloud_is_an_option' (entry 2)",
        "description_en",
        "unknown field",
        id="misspelt-twin",
    ),
    pytest.param(
        LEVELS_FILE,
        'description_de = "Der Kunde kennt Azure, möchte aber',
        '# description_de = "Der Kunde kennt Azure, möchte aber',
        "level 'cloud_is_an_option' (entry 2)",
        "description_de",
        "German text missing",
        id="level-description",
    ),
    pytest.param(
        QUESTIONNAIRE_FILE,
        ', label_de = "Bisher kaum Kontakt"',
        "",
        "question 'contact' (entry 1), option 'hardly' (entry 1)",
        "label_de",
        "German text missing",
        id="option-label",
    ),
    pytest.param(
        QUESTIONNAIRE_FILE,
        'label_de = "Bisher kaum Kontakt"',
        'label_de = "Bisher kaum Kontakt, nicht einmal eine Demo oder ein Testkonto"',
        "question 'contact' (entry 1), option 'hardly' (entry 1)",
        "label_de",
        "at most 60 characters",
        id="german-label-too-long",
    ),
    pytest.param(
        QUESTIONNAIRE_FILE,
        'help_de = "Zertifizierungen sind ein Hinweis, keine Voraussetzung."\n',
        "",
        "question 'skills' (entry 4)",
        "help_de",
        "German text missing",
        id="question-help",
    ),
    pytest.param(
        QUESTIONNAIRE_FILE,
        'name_de = "Governance und Kosten"\n',
        "",
        "dimension 'operation' (entry 4)",
        "name_de",
        "German text missing",
        id="dimension-name",
    ),
    pytest.param(
        WORKSHOPS_FILE,
        '    "Genehmigtes Budget für den Pilot",\n',
        "",
        "workshop 'pilot-poc' (entry 6)",
        "prerequisites_de",
        "2 German lines for 3 English ones",
        id="fewer-german-lines",
    ),
    pytest.param(
        WORKSHOPS_FILE,
        'duration_de = "2-6 Wochen"\n',
        "",
        "workshop 'pilot-poc' (entry 6)",
        "duration_de",
        "German text missing",
        id="workshop-duration",
    ),
]


@pytest.mark.parametrize(("file", "old", "new", "entry", "field", "reason"), MISSING)
def test_a_missing_or_broken_german_text_names_file_entry_and_field(
    tmp_path: Path, file: str, old: str, new: str, entry: str, field: str, reason: str
) -> None:
    assert_broken_copy_names(tmp_path, (file, old, new), entry, field, reason)


def test_german_names_may_be_left_out(tmp_path: Path) -> None:
    edit(copy_catalog(tmp_path) / WORKSHOPS_FILE, 'name_de = "Pilot oder PoC"\n', "")
    loaded = load_catalog(tmp_path)
    pilot = in_language(loaded, "de").workshop("pilot-poc")
    assert pilot is not None
    assert pilot.name == "Pilot or PoC"
