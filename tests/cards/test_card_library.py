"""Card wrappers: Adaptive Card shape, exact submit data, hostile text and the size limit."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from cards import renderer
from cards.library import (
    ELLIPSIS,
    LINE_CHARS,
    MAX_CATALOG_WORKSHOPS,
    MAX_COMMANDS,
    MAX_RESULT_WORKSHOPS,
    SHORT_CHARS,
    TEXT_CHARS,
    WELCOME_COMMANDS,
    catalog_card,
    clip,
    confirm_card,
    help_card,
    notice_card,
    question_card,
    quick_check_card,
    result_card,
    welcome_card,
    wire_size,
)
from cards.portfolio import (
    ChartSlice,
    HealthFactorView,
    HealthView,
    KpiView,
    PortfolioRowView,
    PortfolioView,
    health_card,
    portfolio_card,
)
from cards.renderer import MAX_CARD_BYTES, CardRenderError, card_size
from cards.views import (
    ChoiceQuestionView,
    CommandHelp,
    ConfirmView,
    DimensionView,
    LevelCatalogView,
    OptionView,
    PhaseHelp,
    QuestionView,
    QuickCheckView,
    ResultView,
    WorkshopView,
)
from tests.support.cards import BIG, HOSTILE, MARK, of_type, strings, walk

SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"

Card = dict[str, Any]


# ---------------------------------------------------------------- helpers


def runs(card: Card) -> list[str]:
    return [run["text"] for run in of_type(card, "TextRun")]


def submits(card: Card) -> list[dict[str, Any]]:
    return of_type(card, "Action.Submit")


# ---------------------------------------------------------------- view builders


def phases(text: str, n: int) -> list[PhaseHelp]:
    return [PhaseHelp(text, text) for _ in range(n)]


def commands(text: str, n: int) -> list[CommandHelp]:
    return [CommandHelp(text, text) for _ in range(n)]


def options(text: str, n: int) -> list[OptionView]:
    return [OptionView(f"v{i}", text) for i in range(n)]


def question_view(text: str, n: int) -> QuestionView:
    return QuestionView(
        customer_name=text,
        number=3,
        total=10,
        dimension=text,
        text=text,
        help_text=text,
        options=options(text, n),
        submit_data=[
            {"action": "answer", "question": "q3", "value": f"v{i}", "note": HOSTILE}
            for i in range(n)
        ],
        back_data={"action": "back", "question": "q3"},
        cancel_data={"action": "cancel"},
    )


def quick_view(text: str, n: int, n_options: int | None = None) -> QuickCheckView:
    return QuickCheckView(
        customer_name=text,
        questions=[
            ChoiceQuestionView(f"q{i}", text, options(text, n if n_options is None else n_options))
            for i in range(n)
        ],
        submit_data={"action": "quick_check", "card": "c-1", "note": HOSTILE},
    )


def workshop(text: str, i: int = 0) -> WorkshopView:
    return WorkshopView(
        name=text,
        summary=text,
        duration=text,
        audience=text,
        format=text,
        url=f"https://example.com/workshops/{i}",
        level_labels=[text],
    )


def result_view(text: str, n: int, *, workshops: int | None = None) -> ResultView:
    return ResultView(
        customer_name=text,
        kind_label=text,
        level_label=text,
        level_rank=3,
        level_description=text,
        previous_level_label=text,
        dimensions=[DimensionView(text, 1.0 + (i % 4), text) for i in range(n)],
        explanation=[text] * n,
        workshops=[workshop(text, i) for i in range(n if workshops is None else workshops)],
        commit_data={"action": "start_commit", "customer": "contoso", "note": HOSTILE},
        save_data=None,
        assessed_by=text,
        assessed_at=text,
    )


def level_view(text: str, n: int) -> LevelCatalogView:
    return LevelCatalogView(text, text, [workshop(text, i) for i in range(n)])


def confirm_view(text: str) -> ConfirmView:
    return ConfirmView(text, text, {"action": "yes", "note": HOSTILE}, {"action": "no"})


def portfolio_view(text: str, n: int) -> PortfolioView:
    row = PortfolioRowView(
        text, text, "red", "42", text, text, {"action": "run_command", "note": HOSTILE}
    )
    return PortfolioView(
        title=text,
        scope=text,
        rows=[row] * n,
        page=1,
        pages=2,
        total=n,
        empty_text=text,
        level_chart=[ChartSlice(text, i + 1, str(i % 4 + 1)) for i in range(n)],
        band_chart=[ChartSlice(text, i + 1, "green") for i in range(n)],
        kpis=KpiView(text, [(text, text)] * n),
        next_data={"action": "run_command", "command": "portfolio", "argument": "page 2"},
    )


def health_view(text: str, n: int) -> HealthView:
    factor = HealthFactorView(text, "yellow", text, text, text, text)
    return HealthView(text, 55, "yellow", [text] * n, [factor] * n, {"action": "run_command"})


# One builder per card (a template name and a variant); `n` is the length of every list.
BUILDERS: dict[str, Callable[[str, int], Card]] = {
    "welcome": lambda t, n: welcome_card(phases(t, n), commands(t, n)),
    "help": lambda t, n: help_card(phases(t, n), commands(t, n)),
    "question": lambda t, n: question_card(question_view(t, n)),
    "quick_check": lambda t, n: quick_check_card(quick_view(t, n)),
    "result": lambda t, n: result_card(result_view(t, n)),
    "result-unsaved": lambda t, n: result_card(
        dataclasses.replace(
            result_view(t, n),
            customer_name="",
            previous_level_label="",
            commit_data=None,
            save_data={"action": "save_quick_check", "card": "c-1", "note": HOSTILE},
        )
    ),
    "catalog": lambda t, n: catalog_card([level_view(t, n) for _ in range(min(n, 4))]),
    "confirm": lambda t, n: confirm_card(confirm_view(t)),
    "notice": lambda t, n: notice_card(t, t),
    "portfolio": lambda t, n: portfolio_card(portfolio_view(t, n)),
    "portfolio-kpis": lambda t, n: portfolio_card(
        dataclasses.replace(portfolio_view(t, n), show_rows=False, rows=[], next_data=None)
    ),
    "health": lambda t, n: health_card(health_view(t, n)),
    "health-unknown": lambda t, n: health_card(
        dataclasses.replace(health_view(t, n), score=None, band="unknown")
    ),
}
# Cards that show no view text when their lists are empty.
LIST_ONLY = {"welcome", "help", "catalog"}


def assert_adaptive_card(card: Card) -> None:
    """The basic Adaptive Card 1.5 shape, plus our own rules."""
    assert card["$schema"] == SCHEMA
    assert card["type"] == "AdaptiveCard"
    assert card["version"] == "1.5"
    assert isinstance(card["body"], list)
    assert card["body"]
    for element in walk(card["body"]):
        if "type" in element:
            assert isinstance(element["type"], str)
        if element.get("type") == "TextBlock":
            assert element["wrap"] is True, element
            assert MARK not in element["text"], "view text must not be Markdown-rendered"
        if str(element.get("type", "")).startswith("Chart."):
            assert "fallback" in element, element
        if element.get("type") == "Action.Submit":
            assert isinstance(element["data"], dict)
            assert element["title"]
    ids = [element["id"] for element in walk(card) if "id" in element]
    assert len(ids) == len(set(ids))
    assert card_size(card) <= wire_size(card) <= MAX_CARD_BYTES


def assert_intact(card: Card, text: str) -> None:
    """Wherever a piece of `text` appears, the whole of `text` appears, unchanged."""
    for value in strings(card):
        if MARK in value:
            assert MARK not in value.replace(text, ""), value


def assert_clipped_from(card: Card, text: str) -> None:
    """Every shown piece of `text` is `text` itself or a prefix of it ending in the ellipsis."""
    for value in strings(card, skip="data"):  # submit data is never shortened
        for part in value.removeprefix("Quick check: ").split(" · "):
            if MARK in part and part != text:
                assert part.endswith(ELLIPSIS), part[:80]
                assert text.startswith(part.removesuffix(ELLIPSIS)), part[:80]


# ---------------------------------------------------------------- every card


# Templates whose hostile-text tests live in another module, next to their wrappers.
TESTED_ELSEWHERE = {
    "form": "test_card_forms.py",
    "sow": "test_card_forms.py",
    "summary": "test_card_summary.py",
    "reminder": "test_reminder_cards.py",
    "reminder_list": "test_reminder_cards.py",
}


def test_every_template_has_a_builder() -> None:
    templates = {
        path.name.removesuffix(".json.j2")
        for path in (Path(renderer.__file__).parent / "templates").glob("*.json.j2")
        if not path.name.startswith("_")
    }
    here = Path(__file__).parent
    elsewhere = {name for name, module in TESTED_ELSEWHERE.items() if (here / module).exists()}
    assert templates == {name.split("-")[0] for name in BUILDERS} | elsewhere


@pytest.mark.parametrize("n", [0, 1, 3, 10])
@pytest.mark.parametrize("name", BUILDERS)
def test_hostile_text_round_trips_exactly(name: str, n: int) -> None:
    card = BUILDERS[name](HOSTILE, n)
    assert_adaptive_card(card)
    assert_intact(card, HOSTILE)
    if n or name not in LIST_ONLY:
        assert HOSTILE in set(strings(card))


@pytest.mark.parametrize(
    ("name", "n"),
    # 50 questions of 50 options cannot fit in any card, see the test below.
    [(name, n) for name in BUILDERS for n in (0, 3, 10, 50) if (name, n) != ("quick_check", 50)],
)
def test_ten_kb_text_everywhere_stays_under_the_limit(name: str, n: int) -> None:
    card = BUILDERS[name](BIG, n)
    assert_adaptive_card(card)
    assert_clipped_from(card, BIG)
    assert BIG not in set(strings(card))


def test_quick_check_too_big_for_any_card_fails_loudly_instead_of_dropping_questions() -> None:
    with pytest.raises(CardRenderError, match=r"quick_check\.json\.j2.*over 28000"):
        quick_check_card(quick_view("x" * 100, 50))


def test_huge_submit_data_fails_loudly_instead_of_being_cut() -> None:
    view = dataclasses.replace(confirm_view("Sure?"), yes_data={"blob": "x" * MAX_CARD_BYTES})
    with pytest.raises(CardRenderError, match=r"confirm\.json\.j2.*bytes"):
        confirm_card(view)


def test_cards_are_json_documents() -> None:
    for build in BUILDERS.values():
        card = build("Contoso", 3)
        assert json.loads(json.dumps(card)) == card


# ---------------------------------------------------------------- truncation rules


def test_clip_keeps_short_text_and_cuts_long_text_with_an_ellipsis() -> None:
    assert clip("Contoso", 7) == "Contoso"
    assert clip("Contoso Ltd", 8) == "Contoso" + ELLIPSIS
    assert clip("Contoso Ltd", 9) == "Contoso" + ELLIPSIS  # trailing space dropped
    assert len(clip(BIG, 100)) == 100


def test_realistic_maximum_result_keeps_the_full_field_limits() -> None:
    view = result_view(BIG, 5, workshops=4)
    view = dataclasses.replace(view, explanation=[BIG] * 8)
    card = result_card(view)
    shown = set(runs(card))
    assert clip(BIG, SHORT_CHARS) in shown  # customer, level, labels
    assert clip(BIG, LINE_CHARS) in shown  # explanation lines, summaries
    assert clip(BIG, TEXT_CHARS) in shown  # level description
    assert wire_size(card) <= MAX_CARD_BYTES


def test_realistic_maximum_quick_check_keeps_the_full_field_limits() -> None:
    card = quick_check_card(quick_view(BIG, 5, n_options=5))
    sets = of_type(card, "Input.ChoiceSet")
    assert {s["label"] for s in sets} == {clip(BIG, TEXT_CHARS)}
    assert {c["title"] for s in sets for c in s["choices"]} == {clip(BIG, LINE_CHARS)}


def test_shrinking_never_drops_questions_or_options() -> None:
    card = quick_check_card(quick_view(BIG, 10, n_options=10))
    sets = of_type(card, "Input.ChoiceSet")
    assert [s["id"] for s in sets] == [f"q{i}" for i in range(10)]
    assert all([c["value"] for c in s["choices"]] == [f"v{i}" for i in range(10)] for s in sets)


# ---------------------------------------------------------------- welcome and help


def test_welcome_offers_quick_check_and_help() -> None:
    card = welcome_card(phases("assess", 4), commands("help", 6))
    assert [(a["title"], a["data"]) for a in card["actions"]] == [
        ("Quick check", {"action": "run_command", "command": "quick check"}),
        ("Help", {"action": "run_command", "command": "help"}),
    ]
    assert runs(card).count("help") == 2 * WELCOME_COMMANDS
    assert "Customer Success Framework" in json.dumps(card)


def test_help_lists_every_command_and_the_tips() -> None:
    cmds = [CommandHelp(f"cmd{i} <customer>", f"does {i}") for i in range(5)]
    card = help_card(
        [PhaseHelp(p, f"{p} it") for p in ("assess", "commit", "deliver", "ensure")], cmds
    )
    shown = runs(card)
    for command in cmds:
        assert command.usage in shown
        assert command.description in shown
    assert {"assess", "commit", "deliver", "ensure"} <= set(shown)
    tips = " ".join(block["text"] for block in of_type(card, "TextBlock"))
    assert "@mention" in tips
    assert "cancel" in tips


def test_help_caps_commands_and_says_how_many_were_left_out() -> None:
    card = help_card([], commands("c", MAX_COMMANDS + 3))
    assert runs(card).count("c") == 2 * MAX_COMMANDS
    assert "… and 3 more commands" in runs(card)


# ---------------------------------------------------------------- question


def test_question_has_one_submit_per_option_with_its_exact_data() -> None:
    view = question_view(HOSTILE, 4)
    card = question_card(view)
    option_actions = [
        action for s in of_type(card, "ActionSet") for action in s["actions"]
    ]  # body buttons, one ActionSet each, so they stack vertically
    assert [a["data"] for a in option_actions] == view.submit_data
    assert [a["title"] for a in option_actions] == [o.label for o in view.options]
    assert len(of_type(card, "ActionSet")) == 4
    assert [a["title"] for a in card["actions"]] == ["Back", "Cancel"]
    assert [a["data"] for a in card["actions"]] == [view.back_data, view.cancel_data]


def test_question_prints_numbered_options_and_progress() -> None:
    view = dataclasses.replace(
        question_view("x", 0),
        options=[OptionView("a", "None yet"), OptionView("b", "Some")],
        submit_data=[{"action": "answer", "value": "a"}, {"action": "answer", "value": "b"}],
        dimension="Governance",
    )
    card = question_card(view)
    shown = runs(card)
    assert "Question 3 of 10" in shown
    assert "Governance" in shown
    assert [t for t in shown if t in {"1. ", "2. ", "None yet", "Some"}] == [
        "1. ",
        "None yet",
        "2. ",
        "Some",
    ]
    bar = next(e for e in walk(card) if e.get("type") == "ColumnSet")
    assert [c["width"] for c in bar["columns"]] == [3, 7]


def test_each_numbered_option_line_answers_when_tapped_with_the_full_text() -> None:
    view = question_view(HOSTILE, 4)
    card = question_card(view)
    lines = [e for e in walk(card) if e.get("type") == "Container" and "selectAction" in e]
    assert [line["selectAction"]["data"] for line in lines] == view.submit_data
    assert [runs(line)[1] for line in lines] == [o.label for o in view.options]
    assert [line["selectAction"]["title"] for line in lines] == [o.label for o in view.options]


def test_a_question_too_big_for_tappable_lines_keeps_its_buttons_and_fits() -> None:
    card = question_card(question_view(BIG, 50))
    assert not [e for e in walk(card) if "selectAction" in e]
    assert len(of_type(card, "ActionSet")) == 50


def test_first_question_has_no_back_button() -> None:
    card = question_card(dataclasses.replace(question_view("x", 2), back_data=None))
    assert [a["title"] for a in card["actions"]] == ["Cancel"]


def test_last_question_bar_is_full() -> None:
    card = question_card(dataclasses.replace(question_view("x", 2), number=10))
    bar = next(e for e in walk(card) if e.get("type") == "ColumnSet")
    assert [c["width"] for c in bar["columns"]] == [10]


def test_question_needs_one_payload_per_option() -> None:
    view = dataclasses.replace(question_view("x", 3), submit_data=[{"action": "answer"}])
    with pytest.raises(ValueError, match="3 options but 1 submit payloads"):
        question_card(view)


# ---------------------------------------------------------------- quick check


def test_quick_check_has_one_required_compact_choice_set_per_question() -> None:
    view = quick_view(HOSTILE, 5, n_options=4)
    card = quick_check_card(view)
    sets = of_type(card, "Input.ChoiceSet")
    assert [s["id"] for s in sets] == [q.input_id for q in view.questions]
    for choice_set, question in zip(sets, view.questions, strict=True):
        assert choice_set["isRequired"] is True
        assert choice_set["style"] == "compact"
        assert choice_set["errorMessage"]
        assert choice_set["label"] == question.text
        assert choice_set["choices"] == [
            {"title": o.label, "value": o.value} for o in question.options
        ]
    [show] = submits(card)
    assert show["title"] == "Show level"
    assert show["data"] == view.submit_data


def test_quick_check_title_names_the_customer_when_known() -> None:
    named = quick_check_card(dataclasses.replace(quick_view("x", 1), customer_name="Contoso"))
    unnamed = quick_check_card(dataclasses.replace(quick_view("x", 1), customer_name=""))
    assert runs(named)[0] == "Quick check: Contoso"
    assert runs(unnamed)[0] == "Quick check"


# ---------------------------------------------------------------- result


def test_result_gauge_shows_the_level_with_a_fallback() -> None:
    card = result_card(result_view("x", 3))
    [gauge] = of_type(card, "Chart.Gauge")
    assert (gauge["min"], gauge["max"], gauge["value"]) == (0, 4, 3)
    assert [s["size"] for s in gauge["segments"]] == [1, 1, 1, 1]
    assert gauge["fallback"] == {"type": "TextBlock", "text": "Level 3 of 4", "wrap": True}


def test_result_bar_chart_has_every_dimension_and_a_fallback() -> None:
    view = dataclasses.replace(
        result_view("x", 0),
        dimensions=[
            DimensionView("Governance", 2.5, "Cloud is an option"),
            DimensionView("Security", 3.25, "Cloud is a solution"),
        ],
    )
    card = result_card(view)
    [bar] = of_type(card, "Chart.HorizontalBar")
    assert bar["data"] == [{"x": "Governance", "y": 2.5}, {"x": "Security", "y": 3.25}]
    # Values at the bars, no axis: an auto-scaled axis read "0, 0.33, 0.67 ... 2" on a 1-4 scale.
    assert bar["displayMode"] == "AbsoluteNoAxis"
    fallback_text = runs(bar["fallback"])
    assert fallback_text == [
        "Governance",
        "2.5",
        " · ",
        "Cloud is an option",
        "Security",
        "3.2",
        " · ",
        "Cloud is a solution",
    ]


def test_result_without_dimensions_has_no_bar_chart() -> None:
    assert of_type(result_card(result_view("x", 0)), "Chart.HorizontalBar") == []


def test_result_shows_previous_level_and_explanation_and_footer() -> None:
    view = dataclasses.replace(
        result_view("x", 0),
        level_label="Cloud is a solution",
        previous_level_label="Cloud is an option",
        explanation=["Pilot planned", "Sponsor named"],
        assessed_by="Ada",
        assessed_at="3 March 2025",
        kind_label="Full assessment",
    )
    shown = runs(result_card(view))
    assert shown[4:8] == ["was ", "Cloud is an option", ", now ", "Cloud is a solution"]
    assert [t for t in shown if t in {"• ", "Pilot planned", "Sponsor named"}] == [
        "• ",
        "Pilot planned",
        "• ",
        "Sponsor named",
    ]
    assert "".join(shown[-7:]) == "Assessed by Ada on 3 March 2025 · Full assessment"


def test_result_without_previous_level_does_not_say_was() -> None:
    view = dataclasses.replace(result_view("x", 0), previous_level_label="")
    assert "was " not in runs(result_card(view))


def test_result_commit_button_only_when_saved() -> None:
    view = result_view("x", 1)
    card = result_card(view)
    assert [(a["title"], a["data"]) for a in card["actions"]] == [
        ("Start commit phase", view.commit_data)
    ]
    assert of_type(card, "Input.Text") == []
    assert "actions" not in result_card(dataclasses.replace(view, commit_data=None))


def test_unsaved_quick_check_result_offers_save_to_customer() -> None:
    save: dict[str, object] = {"action": "save_quick_check", "card": "c-1"}
    card = result_card(dataclasses.replace(result_view("x", 1), commit_data=None, save_data=save))
    [name] = of_type(card, "Input.Text")
    assert name["id"] == "customer_name"
    assert name["label"] == "Save to customer"
    assert name["maxLength"] == 100
    assert name["placeholder"] == "Customer name"
    assert [(a["title"], a["data"]) for a in submits(card)] == [("Save", save)]


def test_result_workshops_link_out_and_are_capped() -> None:
    view = result_view("x", 0, workshops=MAX_RESULT_WORKSHOPS + 2)
    card = result_card(view)
    links = of_type(card, "Action.OpenUrl")
    assert [link["url"] for link in links] == [w.url for w in view.workshops][:MAX_RESULT_WORKSHOPS]
    assert all(link["title"] == "Learn more" for link in links)
    assert "… and 2 more workshops" in runs(card)


def test_workshop_shows_name_summary_and_facts() -> None:
    w = WorkshopView("Landing zone", "Build it", "2 days", "IT", "Remote", "https://x.test/lz")
    card = result_card(dataclasses.replace(result_view("x", 0), workshops=[w]))
    shown = runs(card)
    assert shown.index("Landing zone") + 1 == shown.index("Build it")
    assert "2 days · IT · Remote" in shown


@pytest.mark.parametrize("url", ["", "javascript:alert(1)", "ftp://x", "https://x/" + "a" * 3000])
def test_workshop_without_a_web_link_has_no_learn_more(url: str) -> None:
    view = dataclasses.replace(result_view("x", 0), workshops=[workshop("x")])
    view = dataclasses.replace(view, workshops=[dataclasses.replace(view.workshops[0], url=url)])
    assert of_type(result_card(view), "Action.OpenUrl") == []


# ---------------------------------------------------------------- catalog, confirm, notice


def test_catalog_lists_levels_and_their_workshops() -> None:
    levels = [
        LevelCatalogView("Cloud affine", "New to Azure", [workshop("Envisioning")]),
        LevelCatalogView("Cloud is in use", "Runs Azure", []),
    ]
    shown = runs(catalog_card(levels))
    assert shown[:3] == ["Cloud affine", "New to Azure", "Envisioning"]
    assert "Cloud is in use" in shown
    assert "No workshops at this level yet." in json.dumps(catalog_card(levels))


def test_catalog_caps_workshops_and_points_to_one_level() -> None:
    card = catalog_card([level_view("w", 5) for _ in range(4)])
    assert len(of_type(card, "Action.OpenUrl")) == MAX_CATALOG_WORKSHOPS
    [note] = [t for t in runs(card) if t.startswith("…")]
    assert note == (
        "… and 8 more workshops. Type catalog and a level (e.g. catalog 2) to see all of one level"
    )


def test_one_level_catalog_caps_workshops_without_pointing_to_itself() -> None:
    card = catalog_card([level_view("w", MAX_CATALOG_WORKSHOPS + 1)])
    assert [t for t in runs(card) if t.startswith("…")] == ["… and 1 more workshop"]


def test_empty_catalog_says_so() -> None:
    assert "no workshops" in json.dumps(catalog_card([]))


def test_confirm_has_yes_and_no_with_their_data() -> None:
    view = confirm_view("Start the commit phase for Contoso?")
    card = confirm_card(view)
    assert [(a["title"], a["data"]) for a in card["actions"]] == [
        ("Yes", view.yes_data),
        ("No", view.no_data),
    ]


def test_notice_shows_title_and_text() -> None:
    assert runs(notice_card("Out of date", "That card is out of date.")) == [
        "Out of date",
        "That card is out of date.",
    ]


def test_the_explanation_is_one_tap_away_not_always_shown() -> None:
    card = BUILDERS["result"](HOSTILE, 3)
    toggles = of_type(card, "Action.ToggleVisibility")
    assert [t["title"] for t in toggles] == ["Why this level?"]
    (hidden,) = [e for e in walk(card) if e.get("id") == toggles[0]["targetElements"][0]]
    assert hidden["isVisible"] is False
    assert HOSTILE in [run["text"] for run in of_type(hidden, "TextRun")]
