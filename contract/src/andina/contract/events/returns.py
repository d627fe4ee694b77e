"""Payloads of the assisted and protected return of trafficking victims (``andina.alerts.return-*``).

The destination country (where the victim was identified) opens a case naming the origin
country; the origin's protection authority verifies and proposes a reception plan; both
agree a travel plan, of which each country of transit learns only its own leg; handover,
reception and the follow-ups at 30, 90 and 180 days are recorded; the case closes. Every
event of a case is ``h3``, for the two countries of the case alone.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Literal
from uuid import UUID

from pydantic import AwareDatetime, Field, StringConstraints

from andina.contract.countries import CountryCode
from andina.contract.events.alerts import EscalationStep
from andina.contract.events.base import Payload, example

PROGRAMME = "returns"  # the programme's name in countries.json

Name = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Note = Annotated[str, StringConstraints(min_length=1, max_length=4000)]
CASE = "8f14e45f-ceea-467a-9d8b-1f8a2b3c4d5e"
FOLLOW_UP_DAYS = (30, 90, 180)
OPENED = {
    "origin_country": "PE",
    "victim": {"full_name": "María Quispe Huamán", "nationality": "PE", "identity_document": "DNI 71234567"},
    "age_group": "adult",
    "needs": ["medical", "psychological"],
    "consent_given": True,
    "consent_recorded_by": "Defensoría del Pueblo, Quito",
    "risk": {"level": "medium", "links_to_traffickers": "captadora del mismo distrito"},
    "identified_on": "2026-11-20",
}
LEG = {
    "country": "CO",
    "enters_at": "2026-12-10T09:00:00-05:00",
    "leaves_at": "2026-12-10T20:00:00-05:00",
    "border_posts": "Rumichaca / Ipiales - Puerto Asís",
}


class AgeGroup(StrEnum):
    """A minor's case has shorter deadlines and needs a guardian."""

    ADULT = "adult"
    MINOR = "minor"


class Need(StrEnum):
    MEDICAL = "medical"
    PSYCHOLOGICAL = "psychological"
    LEGAL = "legal"
    INTERPRETER = "interpreter"


class RiskLevel(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class Placement(StrEnum):
    SHELTER = "shelter"
    FAMILY = "family"


class ReturnStatus(StrEnum):
    OPENED = "opened"
    RECEPTION_PROPOSED = "reception-proposed"
    TRAVEL_PLANNED = "travel-planned"
    TRAVEL_AGREED = "travel-agreed"
    HANDED_OVER = "handed-over"
    RECEIVED = "received"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"


class Victim(Payload):
    """The minimum needed to verify identity and nationality."""

    full_name: Name
    nationality: CountryCode
    identity_document: Annotated[str, StringConstraints(min_length=1, max_length=60)] = Field(
        description="number of an identity document or civil registry entry, as the origin can verify it"
    )


class RiskAssessment(Payload):
    level: RiskLevel
    threats_in_origin_community: Note | None = None
    links_to_traffickers: Note | None = None


class ReturnCaseOpened(Payload):
    """The destination country opens a case naming the origin country (submission, h3 only)."""

    model_config = example(**OPENED)

    origin_country: CountryCode = Field(description="the victim's country of origin, which receives them")
    victim: Victim
    age_group: AgeGroup
    guardian: Name | None = Field(None, description="the minor's guardian (person or agency): required for a minor")
    needs: list[Need] = Field(default_factory=list, description="assistance needed on the way and on arrival")
    consent_given: bool = Field(description="the victim's informed consent to return: no case proceeds without it")
    consent_recorded_by: Name = Field(description="who recorded the consent")
    risk: RiskAssessment
    urgent_health_risk: bool = Field(False, description="shortens every deadline, as for a minor")
    identified_on: date = Field(description="when the destination identified the victim (figures: days to return)")


class CaseStep(Payload):
    """A step of a case that carries nothing but the case (travel agreed, case closed)."""

    model_config = example(case_id=CASE)

    case_id: UUID


class ReceptionPlan(Payload):
    receiving_agency: Name
    placement: Placement
    follow_up_agency: Name


class ReceptionProposed(Payload):
    """The origin's protection authority verified identity and nationality and proposes a reception plan."""

    model_config = example(
        case_id=CASE,
        identity_verified=True,
        reception={
            "receiving_agency": "MIMP, Dirección de Protección Especial",
            "placement": "shelter",
            "follow_up_agency": "MIMP, UPE Lima",
        },
    )

    case_id: UUID
    identity_verified: bool = Field(description="identity and nationality verified: a case goes on only when true")
    reception: ReceptionPlan


class TransitLeg(Payload):
    """A country crossed on the way: all it learns of the case."""

    country: CountryCode
    enters_at: AwareDatetime
    leaves_at: AwareDatetime
    border_posts: Name = Field(description="where the escort enters and leaves")


class TravelPlan(Payload):
    departs_at: AwareDatetime
    arrives_at: AwareDatetime
    route: list[TransitLeg] = Field(default_factory=list, description="countries crossed, in order")
    escort: Name = Field(description="the escorting agency and officers")
    travel_document: Name = Field(description="the document the victim travels on")


class TravelPlanned(Payload):
    """The destination proposes the travel plan; dates in order (departure, each leg, arrival)."""

    model_config = example(
        case_id=CASE,
        travel={
            "departs_at": "2026-12-10T08:00:00-05:00",
            "arrives_at": "2026-12-11T18:00:00-05:00",
            "route": [LEG],
            "escort": "DINAPEN, 2 agentes",
            "travel_document": "salvoconducto consular 2026-114",
        },
    )

    case_id: UUID
    travel: TravelPlan


class Confirmed(Payload):
    """Handover (by the destination) or reception (by the origin) confirmed."""

    model_config = example(case_id=CASE, at="2026-12-11T18:20:00-05:00")

    case_id: UUID
    at: AwareDatetime


class FollowUpRecorded(Payload):
    """The origin records a follow-up of the returned victim."""

    model_config = example(case_id=CASE, day=30, outcome="En albergue, asiste a terapia, sin contacto con captores")

    case_id: UUID
    day: Literal[30, 90, 180]
    outcome: Note


class CaseWithdrawn(Payload):
    """A country of the case withdraws from it, giving the ground; the case ends."""

    model_config = example(case_id=CASE, ground="La víctima retiró su consentimiento")

    case_id: UUID
    ground: Note


class ReturnCaseUpdate(Payload):
    """The case as it stands, for the two countries of the case only (h3)."""

    model_config = example(
        case_id=CASE,
        destination="EC",
        origin_country="PE",
        status="reception-proposed",
        case=OPENED,
    )

    case_id: UUID
    destination: CountryCode
    origin_country: CountryCode
    status: ReturnStatus
    case: ReturnCaseOpened
    reception: ReceptionPlan | None = None
    travel: TravelPlan | None = None
    handed_over_at: datetime | None = None
    received_at: datetime | None = None
    follow_ups: dict[str, str] = Field(default_factory=dict, description="day -> outcome")
    withdrawn_by: CountryCode | None = None
    ground: str | None = None


class ReturnTransit(Payload):
    """What a country of transit gets: its own leg and what lets the escort pass, nothing of the victim."""

    model_config = example(
        case_id=CASE,
        leg=LEG,
        escort="DINAPEN, 2 agentes",
        travel_document="salvoconducto consular 2026-114",
    )

    case_id: UUID
    leg: TransitLeg
    escort: str
    travel_document: str


class ReturnDeadline(Payload):
    """A reminder before a step's deadline, or the step overdue and escalated (to both countries)."""

    model_config = example(
        case_id=CASE, awaiting="reception-proposed", responsible="PE", due_by="2026-11-25T12:00:00+00:00", overdue=False
    )

    case_id: UUID
    awaiting: str = Field(description="the step awaited (a status, or follow-up-<day>)")
    responsible: CountryCode
    due_by: datetime
    overdue: bool
    escalated_to: EscalationStep | None = Field(None, description="the contact point the overdue step goes to now")
    contact: str | None = Field(None, description="that contact point of the responsible country, from the directory")
