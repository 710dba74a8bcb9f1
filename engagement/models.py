"""Domain records: Customer (tenant-scoped aggregate) with its Iterations through the four phases.

A Customer is stored and versioned as one document: its iterations, touches and license lines change
together, so one optimistic-concurrency `version` protects all of them.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator

from engagement.score_reasons import ScoreReason

ShortText = Annotated[str, Field(max_length=200)]
LongText = Annotated[str, Field(max_length=2000)]


class Record(BaseModel):
    """Base for domain records: unknown fields rejected, assignments validated."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class Phase(StrEnum):
    """Where an iteration stands: assess -> commit -> deliver -> ensure -> closed."""

    ASSESS = "assess"
    COMMIT = "commit"
    DELIVER = "deliver"
    ENSURE = "ensure"
    CLOSED = "closed"


class MaturityLevel(StrEnum):
    """The four maturity levels of the framework, from least to most mature."""

    CLOUD_AFFINE = "cloud_affine"
    CLOUD_IS_AN_OPTION = "cloud_is_an_option"
    CLOUD_IS_A_SOLUTION = "cloud_is_a_solution"
    CLOUD_IS_IN_USE = "cloud_is_in_use"

    @property
    def rank(self) -> int:
        """1 (least mature) .. 4 (most mature)."""
        return list(MaturityLevel).index(self) + 1

    @property
    def label(self) -> str:
        """The level's name as the framework writes it."""
        return _LEVEL_LABELS[self]

    @classmethod
    def from_rank(cls, rank: int) -> MaturityLevel:
        """The level for a rank 1..4; ValueError outside that range."""
        if not 1 <= rank <= len(cls):
            raise ValueError(f"maturity rank must be 1..{len(cls)}, got {rank}")
        return list(cls)[rank - 1]


_LEVEL_LABELS = {
    MaturityLevel.CLOUD_AFFINE: "Cloud affine",
    MaturityLevel.CLOUD_IS_AN_OPTION: "Cloud is an option",
    MaturityLevel.CLOUD_IS_A_SOLUTION: "Cloud is a solution",
    MaturityLevel.CLOUD_IS_IN_USE: "Cloud is in use",
}


class Person(Record):
    """A Teams user: stable id (AAD object id where known) and display name."""

    id: Annotated[str, Field(min_length=1, max_length=200)]
    name: ShortText = ""


class Contact(Record):
    """A person on the customer's side."""

    name: ShortText
    role: ShortText = ""
    email: ShortText = ""


class LicenseLine(Record):
    """Licensed vs active users of one product, as of a date."""

    product: ShortText
    licensed: Annotated[int, Field(ge=0)]
    active: Annotated[int, Field(ge=0)]
    as_of: date


class TouchKind(StrEnum):
    """How the partner touched the customer."""

    CALL = "call"
    MEETING = "meeting"
    MAIL = "mail"
    CHAT = "chat"
    OTHER = "other"


class Touch(Record):
    """One customer touch; check-in reminders count these."""

    at: AwareDatetime
    by: Person
    kind: TouchKind = TouchKind.OTHER
    note: LongText = ""


class AssessmentKind(StrEnum):
    """A quick check during a call, or the full questionnaire."""

    QUICK = "quick"
    FULL = "full"


class Assessment(Record):
    """The outcome of an assessment: answers, per-dimension scores, level and why (`reasons`,
    worded when shown by engagement/explanation.py; records from before keep their English
    `explanation` instead)."""

    kind: AssessmentKind
    answers: dict[str, str]
    dimension_scores: dict[str, float]
    level: MaturityLevel
    reasons: list[ScoreReason] = []
    explanation: list[str] = []
    by: Person
    at: AwareDatetime
    # The card instance it was submitted on (quick check): one card counts once per customer,
    # in whichever conversation it is pressed.
    card: Annotated[str, Field(max_length=100)] | None = None


class GoalOwnerSide(StrEnum):
    """Which side owns a goal."""

    CUSTOMER = "customer"
    PARTNER = "partner"


class Goal(Record):
    """A committed goal with a measurable success criterion (its KPI) and, as a success metric
    (seed 004), the KPI's value before the engagement and the value aimed for."""

    id: Annotated[str, Field(min_length=1, max_length=40)]
    title: ShortText
    kpi: ShortText
    owner_side: GoalOwnerSide
    owner_name: ShortText = ""
    due: date
    baseline: ShortText = ""  # the KPI's value when committed ("40 % of workloads tagged")
    target: ShortText = ""  # the value aimed for ("95 %")


class FactorStatus(StrEnum):
    """How far one success factor is established (seed 004: "SSAT status and gaps")."""

    MISSING = "missing"
    IN_PROGRESS = "in_progress"
    IN_PLACE = "in_place"


class SuccessFactor(Record):
    """One success factor of the success plan: its status, who owns it and the gap left."""

    status: FactorStatus = FactorStatus.MISSING
    owner: ShortText = ""
    gap: LongText = ""

    @classmethod
    def from_text(cls, text: str) -> SuccessFactor:
        """A factor kept as free text (before the success plan): the text becomes the gap, and
        the factor counts as in progress when there was text, else as missing."""
        text = text.strip()
        return cls(status=FactorStatus.IN_PROGRESS if text else FactorStatus.MISSING, gap=text)


def _factor_from_text(raw: object) -> object:
    return SuccessFactor.from_text(raw) if isinstance(raw, str) else raw


class SuccessFactors(Record):
    """The success plan: the four success factors of the FastTrack success workshop (SSAT)."""

    stakeholders: SuccessFactor = Field(default_factory=SuccessFactor)
    scenarios: SuccessFactor = Field(default_factory=SuccessFactor)
    awareness: SuccessFactor = Field(default_factory=SuccessFactor)
    training: SuccessFactor = Field(default_factory=SuccessFactor)

    _migrate = field_validator("stakeholders", "scenarios", "awareness", "training", mode="before")(
        _factor_from_text
    )


class AgreementSide(StrEnum):
    """The two sides that must agree to a statement of work."""

    PARTNER = "partner"
    CUSTOMER = "customer"


class Agreement(Record):
    """Who agreed to the statement of work, for which side, and when."""

    side: AgreementSide
    by: Person
    at: AwareDatetime


class Commitment(Record):
    """The statement of work: workshops, goals, success factors, dates, agreements."""

    workshops: Annotated[list[str], Field(min_length=1)]
    goals: Annotated[list[Goal], Field(min_length=1, max_length=5)]
    success_factors: SuccessFactors = Field(default_factory=SuccessFactors)
    start: date
    end: date
    customer_contact: ShortText = ""
    agreements: list[Agreement] = []


class Delivery(Record):
    """One delivered workshop or engagement."""

    id: Annotated[str, Field(min_length=1, max_length=40)]
    workshop_id: str
    on: date
    attendees: Annotated[int, Field(ge=0, le=100_000)] = 0
    notes: LongText = ""
    materials_url: ShortText = ""
    by: Person
    at: AwareDatetime


class GoalStatus(StrEnum):
    """How far a committed goal was reached."""

    ACHIEVED = "achieved"
    PARTIALLY = "partially"
    NOT_ACHIEVED = "not_achieved"


class GoalOutcome(Record):
    """A committed goal checked against what happened, with evidence and the KPI's measured
    value (the success metric's result)."""

    goal_id: str
    status: GoalStatus
    evidence: LongText = ""
    measured: ShortText = ""


class Satisfaction(Record):
    """A short CSAT (each 1-5) and NPS (0-10)."""

    overall: Annotated[int, Field(ge=1, le=5)]
    value: Annotated[int, Field(ge=1, le=5)]
    team: Annotated[int, Field(ge=1, le=5)]
    nps: Annotated[int, Field(ge=0, le=10)]
    comment: LongText = ""


class Review(Record):
    """The ensure phase's result: proof of execution, satisfaction, next steps."""

    outcomes: list[GoalOutcome]
    satisfaction: Satisfaction | None = None
    next_steps: Annotated[list[ShortText], Field(max_length=5)] = []
    # The success plan as it stood at the review (each factor's status asked at ensure).
    success_factors: SuccessFactors | None = None
    by: Person
    at: AwareDatetime


class Iteration(Record):
    """One pass through assess -> commit -> deliver -> ensure."""

    number: Annotated[int, Field(ge=1)]
    phase: Phase = Phase.ASSESS
    started_at: AwareDatetime
    phase_changed_at: AwareDatetime
    carried_over: list[ShortText] = []
    assessment: Assessment | None = None  # the basis of the iteration's level
    set_aside: list[Assessment] = []  # other assessments of this iteration, kept (newest last)
    recommendations: list[str] = []
    commitment: Commitment | None = None
    deliveries: list[Delivery] = []
    review: Review | None = None
    closed_at: AwareDatetime | None = None

    @property
    def undelivered(self) -> list[str]:
        """Committed workshop ids with no recorded delivery, in the order committed."""
        delivered = {d.workshop_id for d in self.deliveries}
        committed = self.commitment.workshops if self.commitment else []
        return [w for w in committed if w not in delivered]


class LifecycleStage(StrEnum):
    """Where the customer is in the partner's lifecycle (seed 002, "Who does what?")."""

    LAND = "land"
    ONBOARD = "onboard"
    ADOPT = "adopt"
    EXPAND = "expand"
    RENEW = "renew"


class PartnerRole(StrEnum):
    """The partner's role with this customer (seed 002): it changes which KPIs are asked."""

    SALES_AGENT = "agent"  # sells; the vendor drives the lifecycle
    SUCCESS_MANAGER = "csm"  # runs the whole lifecycle


class RenewalOutcome(Record):
    """How a renewal ended: renewed, or lost with its reason code (seed 002: "tracking of reason
    codes for non-renewal")."""

    renewal_date: date
    renewed: bool
    reason: ShortText = ""  # required when lost
    by: Person
    at: AwareDatetime


class Customer(Record):
    """A customer of the partner, scoped to one Teams tenant; the unit of storage and versioning."""

    tenant_id: Annotated[str, Field(min_length=1, max_length=200)]
    id: Annotated[str, Field(min_length=1, max_length=60, pattern=r"^[a-z0-9][a-z0-9-]*$")]
    name: Annotated[str, Field(min_length=1, max_length=100)]
    owner: Person
    contacts: list[Contact] = []
    renewal_date: date | None = None
    renewals: list[RenewalOutcome] = []  # outcomes of past renewals, oldest first
    stage: LifecycleStage | None = None  # set by the CSM; None: derived (engagement.stages)
    partner_role: PartnerRole = PartnerRole.SUCCESS_MANAGER
    licenses: list[LicenseLine] = []
    touches: list[Touch] = []
    iterations: Annotated[list[Iteration], Field(min_length=1)]
    version: Annotated[int, Field(ge=0)] = 0
    created_at: AwareDatetime
    updated_at: AwareDatetime

    @property
    def current(self) -> Iteration:
        """The open (or last) iteration."""
        return self.iterations[-1]

    @property
    def previous_assessment(self) -> Assessment | None:
        """The latest assessment of an earlier iteration, for showing the trend."""
        for iteration in reversed(self.iterations[:-1]):
            if iteration.assessment is not None:
                return iteration.assessment
        return None
