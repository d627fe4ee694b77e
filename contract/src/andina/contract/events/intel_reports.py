"""Intelligence reports for named recipients, the entities they link, and firearm trace requests.

A report names entities (persons, organizations, phones, vehicles, vessels); entities
named in several reports connect them. "What is connected to X within N hops" is answered
only through the reports the asking country may read. Firearm traces follow the request
lifecycle of Directive 2023/977: urgent ones are due within 8 hours, others within 7 days.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal
from uuid import UUID

from pydantic import ConfigDict, Field, JsonValue, StringConstraints

from andina.contract.countries import CountryCode
from andina.contract.envelope import EvaluationCode
from andina.contract.events.base import Payload

Short = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Text = Annotated[str, StringConstraints(min_length=1, max_length=20_000)]


class ReportTopic(StrEnum):
    DRUG_TRAFFICKING = "drug-trafficking"
    ILLEGAL_MINING = "illegal-mining"
    ARMS_TRAFFICKING = "arms-trafficking"
    MONEY_LAUNDERING = "money-laundering"
    HUMAN_TRAFFICKING = "human-trafficking"
    OTHER = "other"


class EntityKind(StrEnum):
    PERSON = "person"
    ORGANIZATION = "organization"
    PHONE = "phone"
    VEHICLE = "vehicle"
    VESSEL = "vessel"


class Entity(Payload):
    kind: EntityKind
    value: Short = Field(description="name, number or plate as written; compared normalised")
    role: Annotated[str, StringConstraints(max_length=60)] | None = Field(
        None, description="e.g. leader, member, contact, route, courier"
    )


_REPORT_EXAMPLE: dict[str, JsonValue] = {
    "reference": "DIRANDRO-2026-771",
    "subject": "Clan del Golfo: envíos por Tumbes",
    "topic": "drug-trafficking",
    "body": "Fuente humana informa que el grupo usa camiones de fruta desde Tumbes hacia Huaquillas.",
    "evaluation": "B2",
    "recipients": ["CO", "EC"],
    "entities": [
        {"kind": "organization", "value": "Clan del Golfo"},
        {"kind": "person", "value": "Juan Carlos Quispe Huamán", "role": "leader"},
        {"kind": "phone", "value": "+51 987 654 321", "role": "contact"},
        {"kind": "vehicle", "value": "ABC-123"},
    ],
}


class IntelligenceReport(Payload):
    """Sent to named recipients only (never to all members), with its 4x4 evaluation."""

    model_config = ConfigDict(json_schema_extra={"examples": [_REPORT_EXAMPLE]})

    reference: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    subject: Short
    topic: ReportTopic
    body: Text
    evaluation: EvaluationCode
    recipients: list[CountryCode] = Field(min_length=1, description="the only countries that receive it")
    entities: list[Entity] = Field(default_factory=list, max_length=200)


class ReportDelivered(IntelligenceReport):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{**_REPORT_EXAMPLE, "report_id": "1b4e28ba-2fa1-4d2e-883f-0016d3cca427", "sender": "PE"}]
        }
    )

    report_id: UUID = Field(description="id of the report-submitted event")
    sender: CountryCode


class ConnectionQuery(Payload):
    model_config = ConfigDict(json_schema_extra={"examples": [{"kind": "phone", "value": "987654321", "hops": 2}]})

    kind: EntityKind
    value: Short
    hops: int = Field(ge=1, le=4)


class Connection(Payload):
    kind: EntityKind
    value: str
    distance: int
    reports: list[UUID] = Field(description="reports, readable by the asker, that link it one hop closer")


class ConnectionsAnswered(Payload):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "query_id": "7c9e6679-7425-40de-944b-e07fc1f90ae7",
                    "kind": "phone",
                    "value": "987654321",
                    "hops": 2,
                    "connections": [
                        {
                            "kind": "person",
                            "value": "Juan Carlos Quispe Huamán",
                            "distance": 1,
                            "reports": ["1b4e28ba-2fa1-4d2e-883f-0016d3cca427"],
                        }
                    ],
                }
            ]
        }
    )

    query_id: UUID
    kind: EntityKind
    value: str
    hops: int
    connections: list[Connection]


_TRACE_EXAMPLE: dict[str, JsonValue] = {
    "make": "Glock",
    "model": "17",
    "serial_number": "BXK-448",
    "caliber": "9x19mm",
    "country_of_seizure": "EC",
    "recipients": ["PE", "CO"],
    "urgent": False,
    "reference": "DINASED-2026-0091",
}


class FirearmTraceRequest(Payload):
    model_config = ConfigDict(json_schema_extra={"examples": [_TRACE_EXAMPLE]})

    make: Short
    model: Short
    serial_number: Annotated[str, StringConstraints(min_length=1, max_length=60)]
    caliber: Annotated[str, StringConstraints(min_length=1, max_length=30)]
    country_of_seizure: CountryCode
    recipients: list[CountryCode] | Literal["all"]
    urgent: bool = Field(False, description="due within 8 hours instead of 7 days")
    reference: Annotated[str, StringConstraints(max_length=100)] | None = None


class FirearmTraceReceived(FirearmTraceRequest):
    """To each asked country: answer with firearm-trace-answered before ``due_at``."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    **_TRACE_EXAMPLE,
                    "request_id": "7c9e6679-7425-40de-944b-e07fc1f90ae7",
                    "requester": "EC",
                    "due_at": "2026-11-30T03:40:00+00:00",
                }
            ]
        }
    )

    request_id: UUID
    requester: CountryCode
    due_at: str


class FirearmTraceAnswer(Payload):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "request_id": "7c9e6679-7425-40de-944b-e07fc1f90ae7",
                    "result": "found",
                    "details": "Imported 2019 by Armería Lima SAC; sold 2021 to a licensed holder; stolen 2024.",
                }
            ]
        }
    )

    request_id: UUID
    result: Literal["found", "not-found"]
    details: Annotated[str, StringConstraints(max_length=5000)] | None = None


class FirearmTraceAnswerDelivered(FirearmTraceAnswer):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "request_id": "7c9e6679-7425-40de-944b-e07fc1f90ae7",
                    "answered_by": "PE",
                    "result": "found",
                    "details": "Imported 2019 by Armería Lima SAC; sold 2021 to a licensed holder; stolen 2024.",
                }
            ]
        }
    )

    answered_by: CountryCode


class FirearmTraceOverdue(Payload):
    """To the requester and to the silent country, when an asked country missed the deadline."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "request_id": "7c9e6679-7425-40de-944b-e07fc1f90ae7",
                    "requester": "EC",
                    "silent": "CO",
                    "due_at": "2026-11-30T03:40:00+00:00",
                }
            ]
        }
    )

    request_id: UUID
    requester: CountryCode
    silent: CountryCode
    due_at: str
