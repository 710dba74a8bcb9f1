"""The shipped catalog files load and validate; broken copies fail with file, entry and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from catalog import LEVELS_FILE, QUESTIONNAIRE_FILE, WORKSHOPS_FILE, CatalogError, load_catalog
from engagement.catalog import Catalog
from engagement.models import MaturityLevel
from tests.support.catalog_files import (
    FILES,
    PACKAGE_DIR,
    assert_broken_copy_names,
    copy_catalog,
    edit,
)

# Seed 000, "assess - the maturity model": the framework's own words, kept verbatim.
SEED_DESCRIPTIONS = {
    MaturityLevel.CLOUD_AFFINE: "The customer has hardly had any contact with Azure so far and "
    "wants to get to know the platform and discover potential use cases.",
    MaturityLevel.CLOUD_IS_AN_OPTION: "The customer knows Azure, however, wants to get deeper and "
    "have first experiences in a topic.",
    MaturityLevel.CLOUD_IS_A_SOLUTION: "The customer is aware of his use case in Azure and wants "
    "to prove the feasibility of the solution and, if necessary, to support it with a business "
    "case.",
    MaturityLevel.CLOUD_IS_IN_USE: "Customer already operates an Azure environment but sees "
    "further potential in his business or wants to improve his operation.",
}

# Seed 000: the offerings per level (name fragments as the seed words them).
SEED_OFFERINGS = {
    MaturityLevel.CLOUD_AFFINE: ["Azure Enablement Workshop", "EBC"],
    MaturityLevel.CLOUD_IS_AN_OPTION: ["Microsoft Cloud Workshops", "Azure Governance Workshop"],
    MaturityLevel.CLOUD_IS_A_SOLUTION: ["Architecture Design Session (ADS)", "Pilot"],
    MaturityLevel.CLOUD_IS_IN_USE: ["Microsoft Cloud Workshop", "Azure Optimization Workshop"],
}


@pytest.fixture(scope="module")
def shipped() -> Catalog:
    return load_catalog()


# --- the shipped files ---------------------------------------------------------------------------


def test_shipped_catalog_has_the_four_levels_in_rank_order(shipped: Catalog) -> None:
    assert [info.id for info in shipped.levels] == list(MaturityLevel)
    assert [info.rank for info in shipped.levels] == [1, 2, 3, 4]


@pytest.mark.parametrize("level", list(MaturityLevel))
def test_level_descriptions_are_the_seed_verbatim(shipped: Catalog, level: MaturityLevel) -> None:
    info = shipped.level(level)
    assert info.description == SEED_DESCRIPTIONS[level]
    assert info.name == level.label
    assert info.signals


@pytest.mark.parametrize("level", list(MaturityLevel))
def test_every_seed_offering_is_in_its_level(shipped: Catalog, level: MaturityLevel) -> None:
    names = [w.name for w in shipped.workshops_for(level)]
    for fragment in SEED_OFFERINGS[level]:
        assert any(fragment in name for name in names), (fragment, names)


def test_ids_are_unique(shipped: Catalog) -> None:
    questionnaire = shipped.questionnaire
    for ids in (
        [w.id for w in shipped.workshops],
        [q.id for q in questionnaire.questions],
        [d.id for d in questionnaire.dimensions],
    ):
        assert len(ids) == len(set(ids))
    for question in questionnaire.questions:
        assert len({o.id for o in question.options}) == len(question.options)


def test_workshop_links_point_to_the_material(shipped: Catalog) -> None:
    for workshop in shipped.workshops:
        if workshop.name.startswith("Microsoft Cloud Workshop"):
            assert workshop.link == "http://microsoftcloudworkshop.com/"
        else:
            assert workshop.link.startswith("https://"), workshop.id
        assert workshop.outcomes
        assert workshop.summary


def test_workshops_for_orders_by_rank(shipped: Catalog) -> None:
    for info in shipped.levels:
        ranks = [w.rank for w in shipped.workshops_for(info.id)]
        assert ranks == sorted(ranks)
        assert ranks, f"no workshop for {info.id}"


def test_workshop_lookup(shipped: Catalog) -> None:
    ads = shipped.workshop("ads")
    assert ads is not None
    assert ads.levels == (MaturityLevel.CLOUD_IS_A_SOLUTION,)
    assert shipped.workshop("nope") is None


def test_questionnaire_shape(shipped: Catalog) -> None:
    questionnaire = shipped.questionnaire
    assert len(questionnaire.questions) == 10
    assert 4 <= len(questionnaire.dimensions) <= 5
    quick = questionnaire.quick_questions
    assert len(quick) == 5
    # One quick question per dimension, so the quick check sees every aspect of maturity.
    assert {q.dimension for q in quick} == {d.id for d in questionnaire.dimensions}
    assert questionnaire.question("environment") is not None
    assert questionnaire.question("nope") is None


def test_every_question_offers_one_option_per_level_least_mature_first(shipped: Catalog) -> None:
    for question in shipped.questionnaire.questions:
        assert [o.level for o in question.options] == list(MaturityLevel), question.id
        assert all(len(o.label) <= 60 for o in question.options)


def test_in_use_is_gated_by_the_environment_question(shipped: Catalog) -> None:
    gates = [q for q in shipped.questionnaire.questions if q.required_for is not None]
    assert [(q.id, q.required_for) for q in gates] == [
        ("environment", MaturityLevel.CLOUD_IS_IN_USE)
    ]


# --- loading from elsewhere ----------------------------------------------------------------------


def test_loads_from_another_directory(tmp_path: Path) -> None:
    directory = copy_catalog(tmp_path / "partner")
    edit(directory / WORKSHOPS_FILE, 'name = "Pilot or PoC"', 'name = "Pilot (PoC)"')
    loaded = load_catalog(directory)
    pilot = loaded.workshop("pilot-poc")
    assert pilot is not None
    assert pilot.name == "Pilot (PoC)"


def test_default_directory_is_the_package(shipped: Catalog) -> None:
    assert load_catalog(PACKAGE_DIR) == shipped


# --- broken copies -------------------------------------------------------------------------------

BROKEN = [
    pytest.param(
        WORKSHOPS_FILE,
        'levels = ["cloud_affine"]\nrank = 2',
        'levels = ["cloud_affine"]\nrank = "second"',
        "workshop 'executive-briefing' (entry 2)",
        "rank",
        "valid integer",
        id="bad-field-type",
    ),
    pytest.param(
        WORKSHOPS_FILE,
        'name = "Architecture Design Session (ADS)"\nlevels = ["cloud_is_a_solution"]',
        'name = "Architecture Design Session (ADS)"\nlevels = ["cloud_is_solution"]',
        "workshop 'ads' (entry 5)",
        "levels",
        "'cloud_is_solution'",
        id="unknown-workshop-level",
    ),
    pytest.param(
        QUESTIONNAIRE_FILE,
        'label = "Daily work in a live Azure environment", level = "cloud_is_in_use"',
        'label = "Daily work in a live Azure environment", level = "cloud_in_use"',
        "question 'contact' (entry 1), option 'daily' (entry 4)",
        "level",
        "'cloud_in_use'",
        id="unknown-option-level",
    ),
    pytest.param(
        WORKSHOPS_FILE,
        'id = "pilot-poc"',
        'id = "ads"',
        "workshop 'ads' (entry 6)",
        "id",
        "duplicate id, already used by entry 5",
        id="duplicate-workshop-id",
    ),
    pytest.param(
        QUESTIONNAIRE_FILE,
        'id = "skills"',
        'id = "contact"',
        "question 'contact' (entry 4)",
        "id",
        "duplicate id",
        id="duplicate-question-id",
    ),
    pytest.param(
        QUESTIONNAIRE_FILE,
        '    { id = "running", label = "A running budget for Azure consumption", '
        'level = "cloud_is_in_use", label_de = "Ein laufendes Budget für den Azure-Verbrauch" },\n',
        "",
        "question 'budget' (entry 10)",
        "options",
        "exactly 4 options, found 3",
        id="three-options",
    ),
    pytest.param(
        QUESTIONNAIRE_FILE,
        '    { id = "unknown", label = "No idea yet what Azure would cost", '
        'level = "cloud_affine", label_de = "Noch keine Vorstellung, was Azure kosten würde" },\n'
        '    { id = "estimates", label = "Rough estimates, pricing calculator", '
        'level = "cloud_is_an_option", label_de = "Grobe Schätzungen, Preisrechner" },\n',
        '    { id = "estimates", label = "Rough estimates, pricing calculator", '
        'level = "cloud_is_an_option", label_de = "Grobe Schätzungen, Preisrechner" },\n'
        '    { id = "unknown", label = "No idea yet what Azure would cost", '
        'level = "cloud_affine", label_de = "Noch keine Vorstellung, was Azure kosten würde" },\n',
        "question 'cost' (entry 8)",
        "options",
        "least to most mature",
        id="unordered-options",
    ),
    pytest.param(
        QUESTIONNAIRE_FILE,
        'label = "Hardly any contact so far"',
        'label = "Hardly any contact so far, not even a demo or a trial account yet"',
        "question 'contact' (entry 1), option 'hardly' (entry 1)",
        "label",
        "at most 60 characters",
        id="label-too-long",
    ),
    pytest.param(
        QUESTIONNAIRE_FILE,
        'id = "sponsor"\ndimension = "sponsorship"',
        'id = "sponsor"\ndimension = "sponsors"',
        "question 'sponsor' (entry 9)",
        "dimension",
        "unknown dimension 'sponsors'",
        id="unknown-dimension",
    ),
    pytest.param(
        QUESTIONNAIRE_FILE,
        'id = "skills"\ndimension = "knowledge"',
        'id = "skills"\ndimension = "knowledge"\nquick = true',
        None,
        "quick",
        "found 6",
        id="too-many-quick-questions",
    ),
    pytest.param(
        QUESTIONNAIRE_FILE,
        'quick = true\nrequired_for = "cloud_is_in_use"',
        'required_for = "cloud_is_in_use"',
        "question 'environment' (entry 2)",
        "quick",
        "gate question",
        id="gate-not-in-quick-check",
    ),
    pytest.param(
        WORKSHOPS_FILE,
        'rank = 1\nsummary = "A structured design session',
        'rank = 1\ncolour = "blue"\nsummary = "A structured design session',
        "workshop 'ads' (entry 5)",
        "colour",
        "unknown field",
        id="unknown-field",
    ),
    pytest.param(
        WORKSHOPS_FILE,
        'link = "https://learn.microsoft.com/en-us/azure/architecture/"',
        'link = "learn.microsoft.com/en-us/azure/architecture/"',
        "workshop 'ads' (entry 5)",
        "link",
        "should match pattern",
        id="link-without-scheme",
    ),
    pytest.param(
        WORKSHOPS_FILE,
        'levels = ["cloud_is_in_use"]\nrank = 1',
        "rank = 1",
        "workshop 'azure-optimization' (entry 8)",
        "levels",
        "required field is missing",
        id="missing-field",
    ),
    pytest.param(
        LEVELS_FILE,
        'id = "cloud_is_in_use"',
        'id = "cloud_is_an_option"',
        "level 'cloud_is_an_option' (entry 4)",
        "id",
        "duplicate id",
        id="level-described-twice",
    ),
    pytest.param(
        LEVELS_FILE,
        'signals = [\n    "Production workloads',
        'signals = "Production workloads" \nignored = [\n    "Production workloads',
        "level 'cloud_is_in_use' (entry 4)",
        "signals",
        "should be a list",
        id="string-instead-of-list",
    ),
]


@pytest.mark.parametrize(("file", "old", "new", "entry", "field", "reason"), BROKEN)
def test_broken_copy_names_file_entry_and_field(
    tmp_path: Path, file: str, old: str, new: str, entry: str | None, field: str, reason: str
) -> None:
    assert_broken_copy_names(tmp_path, (file, old, new), entry, field, reason)


def test_level_without_a_workshop_is_named(tmp_path: Path) -> None:
    directory = copy_catalog(tmp_path)
    path = directory / WORKSHOPS_FILE
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            'levels = ["cloud_affine"]', 'levels = ["cloud_is_an_option"]'
        ),
        encoding="utf-8",
    )
    with pytest.raises(CatalogError, match="no workshop lists level 'cloud_affine'") as raised:
        load_catalog(directory)
    assert raised.value.file == WORKSHOPS_FILE
    assert raised.value.field == "levels"


def test_level_missing_from_levels_file_is_named(tmp_path: Path) -> None:
    directory = copy_catalog(tmp_path)
    path = directory / LEVELS_FILE
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index('[[level]]\nid = "cloud_is_in_use"')], encoding="utf-8")
    with pytest.raises(
        CatalogError, match=r"levels.toml: level 'cloud_is_in_use' is not described"
    ):
        load_catalog(directory)


@pytest.mark.parametrize("file", FILES)
def test_missing_file_is_named(tmp_path: Path, file: str) -> None:
    directory = copy_catalog(tmp_path)
    (directory / file).unlink()
    with pytest.raises(CatalogError, match=rf"^{file}: file not found in ") as raised:
        load_catalog(directory)
    assert raised.value.file == file


def test_toml_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    directory = copy_catalog(tmp_path)
    path = directory / WORKSHOPS_FILE
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    number = next(i for i, line in enumerate(lines, 1) if line.startswith('id = "ads"'))
    lines[number - 1] = 'id = "ads\n'  # unterminated string
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(CatalogError) as raised:
        load_catalog(directory)
    assert raised.value.file == WORKSHOPS_FILE
    assert raised.value.entry == f"line {number}"
    assert str(raised.value).startswith(f"workshops.toml: line {number}: TOML syntax error")


def test_non_utf8_file_is_named(tmp_path: Path) -> None:
    directory = copy_catalog(tmp_path)
    (directory / LEVELS_FILE).write_bytes(b'[[level]]\nname = "Cloud \xe4ffine"\n')
    with pytest.raises(CatalogError, match=r"^levels.toml: not UTF-8"):
        load_catalog(directory)


def test_every_problem_in_a_file_is_reported(tmp_path: Path) -> None:
    directory = copy_catalog(tmp_path)
    edit(directory / WORKSHOPS_FILE, 'id = "pilot-poc"', 'id = "Pilot PoC"')
    ads_link = 'link = "https://learn.microsoft.com/en-us/azure/architecture/"'
    edit(
        directory / WORKSHOPS_FILE,
        f'format = "on-site"\n{ads_link}',
        f'format = "onsite"\n{ads_link}',
    )
    with pytest.raises(CatalogError) as raised:
        load_catalog(directory)
    fields = {(p.entry, p.field) for p in raised.value.problems}
    assert ("workshop 'ads' (entry 5)", "format") in fields
    assert ("workshop 'Pilot PoC' (entry 6)", "id") in fields
    assert len(str(raised.value).splitlines()) == len(raised.value.problems)


def test_a_bad_list_item_is_reported_once(tmp_path: Path) -> None:
    directory = copy_catalog(tmp_path)
    edit(directory / WORKSHOPS_FILE, 'id = "ads"', 'id = "ads"\nlevels = ["solution"]')
    edit(
        directory / WORKSHOPS_FILE,
        'name = "Architecture Design Session (ADS)"\nlevels = ["cloud_is_a_solution"]\n',
        'name = "Architecture Design Session (ADS)"\n',
    )
    with pytest.raises(CatalogError) as raised:
        load_catalog(directory)
    assert len(raised.value.problems) == 1
    assert raised.value.reason.startswith("item 1: Input should be 'cloud_affine'")
