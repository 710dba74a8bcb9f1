"""`readiness`: the organisation's customer-success readiness self-assessment (seed 002).

One form card per section of the checklist; each card's button carries everything answered so
far (`answers`: one digit per element, in checklist order), so no draft is stored and a card
clicked again after a restart still works. The last card scores the answers and stores the
assessment under the id chosen when it started: a repeated final click records nothing twice.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from typing import Any

from botbuilder.core import TurnContext

from cards.forms import Button, Choice, Field, FormView, form_card
from cards.summary import Fact, LinePoint, Section, SummaryView, summary_card
from dialogs.common.card_actions import ReadinessSubmit
from dialogs.common.messages import day_text
from dialogs.common.turn import card_message, tenant_of, user_of
from engagement.catalog_text import InLanguages
from engagement.clock import Clock
from engagement.ports import ReadinessStore
from engagement.readiness import (
    SCALE_STEPS,
    SECTION_POINTS,
    ReadinessAssessment,
    ReadinessChecklist,
    gaps,
    score_readiness,
)
from i18n import _, current_language, ngettext

READINESS_ACTION = "readiness"
INPUT_PREFIX = "r_"  # input ids: never a field name clients own (id, type, data, …)
MAX_HISTORY = 5
MAX_GAPS = 8
_NEW_WORDS = frozenset({"new", "again", "start", "retake", "neu", "nochmal", "erneut"})


def _day(assessment: ReadinessAssessment) -> str:
    return day_text(assessment.taken_at)


def _taker(assessment: ReadinessAssessment) -> str:
    return assessment.taken_by_name or _("someone")


def _points_color(points: int) -> str:
    share = points / SECTION_POINTS
    return "attention" if share <= 0.4 else "warning" if share <= 0.6 else "good"


class Readiness:
    """The readiness command and the buttons of its section cards."""

    def __init__(self, checklist: ReadinessChecklist, store: ReadinessStore, clock: Clock) -> None:
        self._loaded = checklist  # scored against: stored names stay the file's own
        self._languages = InLanguages(checklist)
        self._store = store
        self._clock = clock

    @property
    def _checklist(self) -> ReadinessChecklist:
        """The checklist with its texts in the turn's language (same ids and fingerprint)."""
        return self._languages.get(current_language())

    async def command(self, context: TurnContext, argument: str) -> None:
        """`readiness`: the latest result with its history, or the first section when there is
        none yet; `readiness new` starts a new assessment."""
        history = await self._store.history(tenant_of(context))
        if history and argument.casefold() not in _NEW_WORDS:
            await context.send_activity(card_message(self.result_card(history)))
            return
        if argument and argument.casefold() not in _NEW_WORDS:
            await context.send_activity(
                _("There is no readiness assessment yet; here is the first section.")
            )
        previous = history[-1] if history else None
        started = secrets.token_hex(8)
        await context.send_activity(card_message(self.section_card(0, "", started, previous)))

    async def answer(self, context: TurnContext, value: ReadinessSubmit) -> None:
        """A section card's button: the next section, or the scored result after the last."""
        sections = self._checklist.section
        step, answers, started = value.step, value.answers, value.started
        if (
            step >= len(sections)
            or value.checklist != self._checklist.fingerprint
            or len(answers) != sum(len(s.element) for s in sections[:step])
        ):
            await context.send_activity(_(ReadinessSubmit.stale))
            return
        section = sections[step]
        scores = [_score(value.input(INPUT_PREFIX + element.id)) for element in section.element]
        if None in scores:
            missing = sum(score is None for score in scores)
            await context.send_activity(
                _("Please score every element of this section ({missing} without a score).").format(
                    missing=missing
                )
            )
            await context.send_activity(card_message(self.section_card(step, answers, started)))
            return
        answers += "".join(str(score) for score in scores)
        if step + 1 < len(sections):
            history = await self._store.history(tenant_of(context))
            previous = history[-1] if history else None
            card = self.section_card(step + 1, answers, started, previous)
            await context.send_activity(card_message(card))
            return
        await self._finish(context, answers, started)

    async def _finish(self, context: TurnContext, answers: str, started: str) -> None:
        elements = [e.id for s in self._loaded.section for e in s.element]
        user = user_of(context)
        assessment = score_readiness(
            self._loaded,
            {element: int(digit) for element, digit in zip(elements, answers, strict=True)},
            assessment_id=started,
            tenant_id=tenant_of(context),
            taken_by=(user.id, user.name),
            now=self._clock.now(),
        )
        if not await self._store.add(assessment):
            await context.send_activity(_("That assessment was already recorded; here it is."))
        history = await self._store.history(assessment.tenant_id)
        await context.send_activity(card_message(self.result_card(history)))

    def section_card(
        self,
        step: int,
        answers: str,
        started: str,
        previous: ReadinessAssessment | None = None,
    ) -> dict[str, Any]:
        """The form card of section `step` (0-based); `previous` pre-fills earlier scores."""
        checklist = self._checklist
        section = checklist.section[step]
        count = len(checklist.section)
        choices = [
            Choice(str(rank), f"{rank} · {label}")
            for rank, label in enumerate(checklist.scale, start=1)
        ]
        prior = previous.scores if previous else {}
        fields = [
            Field(
                "choice",
                INPUT_PREFIX + element.id,
                element.text,
                value=str(prior[element.id]) if element.id in prior else "",
                placeholder=_("Score 1-{steps}").format(steps=SCALE_STEPS),
                required=True,
                choices=choices,
                error=_("Please score this element."),
            )
            for element in section.element
        ]
        last = step + 1 == count
        data: dict[str, object] = {
            "action": READINESS_ACTION,
            "step": step,
            "answers": answers,
            "started": started,
            "checklist": checklist.fingerprint,
        }
        intro = [section.description]
        if step == 0:
            how = _(
                "{count} sections of up to {points} points each. Score every element from 1 "
                "({lowest}) to {steps} ({highest})."
            ).format(
                count=count,
                points=SECTION_POINTS,
                lowest=checklist.scale[0],
                steps=SCALE_STEPS,
                highest=checklist.scale[-1],
            )
            if prior:
                how += " " + _("Your organisation's last scores are filled in.")
            intro.append(how)
        return form_card(
            FormView(
                title=_("Readiness {number} of {count}: {section}").format(
                    number=step + 1, count=count, section=section.name
                ),
                fields=fields,
                buttons=[
                    Button(_("Show the result") if last else _("Next section"), data, positive=True)
                ],
                intro=intro,
            )
        )

    def result_card(self, history: Sequence[ReadinessAssessment]) -> dict[str, Any]:
        """The latest assessment: points per section, level and next steps, gaps, history."""
        latest = history[-1]
        level = next((lvl for lvl in self._checklist.level if lvl.name == latest.level), None)
        names = {section.id: section.name for section in self._checklist.section}
        points = [
            Fact(names.get(s.id, s.name), f"{s.points} / {SECTION_POINTS}", _points_color(s.points))
            for s in latest.sections
        ]
        points.append(Fact(_("Total"), f"{latest.total} / {latest.out_of}"))
        weakest = latest.weakest()
        steps = [
            *(level.next_steps if level else ()),
            _("Start with {section} ({points} / {most}), the weakest section.").format(
                section=names.get(weakest.id, weakest.name),
                points=weakest.points,
                most=SECTION_POINTS,
            ),
        ]
        scale = self._checklist.scale
        found = gaps(self._checklist, latest)
        gap_lines = [f"{scale[score - 1]}: {element.text}" for element, score in found[:MAX_GAPS]]
        if len(found) > MAX_GAPS:
            more = len(found) - MAX_GAPS
            gap_lines.append(
                ngettext(
                    "… and {n} more scored 1 or 2", "… and {n} more scored 1 or 2", more
                ).format(n=more)
            )
        sections = [
            Section(_("Points per section"), facts=points),
            Section(_("Next steps ({level})").format(level=latest.level), lines=steps),
        ]
        if gap_lines:
            sections.append(Section(_("Gaps (scored 1 or 2)"), lines=gap_lines))
        sections.append(Section(_("History"), lines=_history_lines(history)))
        shown = list(history)[-MAX_HISTORY:]
        return summary_card(
            SummaryView(
                title=_("Partner readiness: {level}").format(level=latest.level),
                subtitle=_("{total} of {most} points · taken by {name} on {day}").format(
                    total=latest.total, most=latest.out_of, name=_taker(latest), day=_day(latest)
                ),
                sections=sections,
                buttons=[
                    Button(
                        _("Take it again"),
                        {"action": "run_command", "command": "readiness", "argument": "new"},
                    )
                ],
                chart_title=_("Readiness points") if len(shown) > 1 else "",
                points=[
                    LinePoint(_day(a), float(a.total), f"{a.total} / {a.out_of}") for a in shown
                ]
                if len(shown) > 1
                else (),
            )
        )


def _history_lines(history: Sequence[ReadinessAssessment]) -> list[str]:
    if len(history) == 1:
        return [_("First assessment of your organisation. Retake it with `readiness new`.")]
    latest, before = history[-1], history[-2]
    change = latest.total - before.total
    if change > 0:
        trend = ngettext("Up {n} point since {day}.", "Up {n} points since {day}.", change).format(
            n=change, day=_day(before)
        )
    elif change < 0:
        trend = ngettext(
            "Down {n} point since {day}.", "Down {n} points since {day}.", -change
        ).format(n=-change, day=_day(before))
    else:
        trend = _("Unchanged since {day}.").format(day=_day(before))
    lines = [trend]
    for assessment in reversed(list(history)[-MAX_HISTORY:]):
        lines.append(
            f"{_day(assessment)}: {assessment.total} / {assessment.out_of}, {assessment.level}"
            f" ({_taker(assessment)})"
        )
    if len(history) > MAX_HISTORY:
        earlier = len(history) - MAX_HISTORY
        lines.append(ngettext("… and {n} earlier", "… and {n} earlier", earlier).format(n=earlier))
    return lines


def _score(raw: object) -> int | None:
    """A submitted score 1-5 (Teams sends choice values as strings), else None."""
    text = str(raw).strip() if isinstance(raw, str | int) and not isinstance(raw, bool) else ""
    return int(text) if text in {"1", "2", "3", "4", "5"} else None
