"""Customs mutual assistance (Naples II, Johannesburg, CAN rules): requests, their lifecycle, answers.

A request goes to one administration; its answer and every change of its status go back
to the requester only. Spontaneous assistance is information sent unasked to named members.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Literal, Self
from uuid import UUID

from pydantic import AwareDatetime, ConfigDict, Field, model_validator

from andina.contract.countries import CountryCode
from andina.contract.envelope import EvaluationCode
from andina.contract.events.base import Payload
from andina.contract.events.customs.common import (
    Attachment,
    ContainerId,
    Conveyance,
    Goods,
    Party,
    Person,
    Reference,
    ShortText,
    Text,
)


class Action(StrEnum):
    VERIFY_DECLARATION = "verify-declaration"
    SURVEIL_PERSONS = "surveil-persons"
    SURVEIL_GOODS = "surveil-goods"
    SURVEIL_VEHICLES = "surveil-vehicles"
    PROVIDE_DOCUMENTS = "provide-documents"
    MAKE_INQUIRIES = "make-inquiries"


class Urgency(StrEnum):
    URGENT = "urgent"
    ROUTINE = "routine"


class RequestStatus(StrEnum):
    SUBMITTED = "submitted"
    ACKNOWLEDGED = "acknowledged"
    IN_PROGRESS = "in-progress"
    ANSWERED = "answered"
    PARTIALLY_ANSWERED = "partially-answered"
    REFUSED = "refused"
    CLOSED = "closed"


class RefusalGround(StrEnum):
    SOVEREIGNTY = "sovereignty-security-public-policy"
    OUTSIDE_LEGAL_BASIS = "outside-legal-basis"
    INSUFFICIENT_INFORMATION = "insufficient-information"
    JUDICIAL_PROCEEDINGS = "judicial-proceedings"
    DISPROPORTIONATE_BURDEN = "disproportionate-burden"
    OTHER = "other"


class DeclarationRef(Payload):
    country: CountryCode
    number: Reference


class Subject(Payload):
    """Who and what the case is about; at least one entry."""

    persons: list[Person] = Field(default_factory=list, max_length=50)
    companies: list[Party] = Field(default_factory=list, max_length=50)
    goods: list[Goods] = Field(default_factory=list, max_length=50)
    conveyances: list[Conveyance] = Field(default_factory=list, max_length=50)
    containers: list[ContainerId] = Field(default_factory=list, max_length=200)
    declarations: list[DeclarationRef] = Field(default_factory=list, max_length=50)

    @model_validator(mode="after")
    def _not_empty(self) -> Self:
        if not any((self.persons, self.companies, self.goods, self.conveyances, self.containers, self.declarations)):
            raise ValueError("a subject names at least one person, company, good, conveyance, container or declaration")
        return self


SUBJECT_EXAMPLE: dict[str, Any] = {
    "companies": [{"name": "Minera Aurífera del Sur S.A.C.", "tax_id": "20601234567", "country": "PE"}],
    "goods": [{"hs_code": "710812", "description": "Oro en bruto", "quantity": "120.5", "unit": "kg"}],
    "declarations": [{"country": "PE", "number": "118-2026-40-012345"}],
}
REQUEST_EXAMPLE: dict[str, Any] = {
    "requested": "BO",
    "subject": SUBJECT_EXAMPLE,
    "legal_basis": "Decisión 478 de la CAN, art. 5",
    "facts": "La exportación declara 120,5 kg de oro; el precio declarado es 40 % inferior al de mercado.",
    "actions": ["verify-declaration", "provide-documents"],
    "urgency": "routine",
    "deadline": "2026-12-07T17:00:00-05:00",
    "attachments": [{"name": "factura-0042.pdf", "sha256": "ab" * 32, "size": 183_422}],
    "reference": "SUNAT-IA-2026-0042",
}


class AssistanceRequest(Payload):
    model_config = ConfigDict(json_schema_extra={"examples": [REQUEST_EXAMPLE]})

    requested: CountryCode = Field(description="the administration asked; a member other than the requester")
    subject: Subject
    legal_basis: ShortText = Field(description="the agreement and article the request rests on")
    facts: Text
    actions: list[Action] = Field(min_length=1, max_length=len(Action))
    urgency: Urgency
    deadline: AwareDatetime | None = Field(
        None, description="when absent, set from the urgency by the service; one already passed is refused"
    )
    attachments: list[Attachment] = Field(default_factory=list, max_length=20)
    reference: Reference | None = Field(None, description="the requester's own file reference")


class AssistanceRequestDelivered(AssistanceRequest):
    """The request, as the requested administration receives it."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{**REQUEST_EXAMPLE, "request_id": "1b4e28ba-2fa1-4d2e-883f-0016d3cca427", "requester": "PE"}]
        }
    )

    request_id: UUID = Field(description="id of the assistance-requested event; replies name it")
    requester: CountryCode
    deadline: AwareDatetime


class AssistanceStatusUpdate(Payload):
    """The requested administration acknowledges, starts work on, or refuses a request."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"request_id": "1b4e28ba-2fa1-4d2e-883f-0016d3cca427", "status": "acknowledged"},
                {
                    "request_id": "1b4e28ba-2fa1-4d2e-883f-0016d3cca427",
                    "status": "refused",
                    "ground": "judicial-proceedings",
                    "note": "Caso bajo reserva fiscal",
                },
            ]
        }
    )

    request_id: UUID
    status: Literal[RequestStatus.ACKNOWLEDGED, RequestStatus.IN_PROGRESS, RequestStatus.REFUSED]
    ground: RefusalGround | None = Field(None, description="required when refusing, absent otherwise")
    note: Text | None = None

    @model_validator(mode="after")
    def _ground_with_refusal(self) -> Self:
        if (self.status is RequestStatus.REFUSED) != (self.ground is not None):
            raise ValueError("a refusal gives its ground; other statuses give none")
        return self


ANSWER_EXAMPLE: dict[str, Any] = {
    "request_id": "1b4e28ba-2fa1-4d2e-883f-0016d3cca427",
    "outcome": "answered",
    "findings": "La importación DUI 2026-201-C-777 declara 120,5 kg; el valor coincide con la factura adjunta.",
    "attachments": [{"name": "dui-777.pdf", "sha256": "cd" * 32, "size": 92_113}],
    "evaluation": "A2",
}


class AssistanceAnswer(Payload):
    """The requested administration's answer, complete or partial."""

    model_config = ConfigDict(json_schema_extra={"examples": [ANSWER_EXAMPLE]})

    request_id: UUID
    outcome: Literal[RequestStatus.ANSWERED, RequestStatus.PARTIALLY_ANSWERED]
    findings: Text
    attachments: list[Attachment] = Field(default_factory=list, max_length=20)
    evaluation: EvaluationCode | None = None
    outstanding: Text | None = Field(None, description="what a partial answer still owes")


class AssistanceAnswerDelivered(AssistanceAnswer):
    """The answer, delivered to the requester only."""

    model_config = ConfigDict(json_schema_extra={"examples": [{**ANSWER_EXAMPLE, "responder": "BO"}]})

    responder: CountryCode


class AssistanceClosure(Payload):
    """The requester closes its request (answered, withdrawn, or no longer needed)."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"request_id": "1b4e28ba-2fa1-4d2e-883f-0016d3cca427", "note": "Gracias"}]}
    )

    request_id: UUID
    note: Text | None = None


class AssistanceStatusChanged(Payload):
    """Told to the other party of a request when its status changes."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "request_id": "1b4e28ba-2fa1-4d2e-883f-0016d3cca427",
                    "status": "acknowledged",
                    "previous": "submitted",
                    "changed_by": "BO",
                    "deadline": "2026-12-07T17:00:00-05:00",
                }
            ]
        }
    )

    request_id: UUID
    status: RequestStatus
    previous: RequestStatus
    changed_by: CountryCode
    ground: RefusalGround | None = None
    note: str | None = None
    deadline: AwareDatetime


class AssistanceDeadlineNotice(Payload):
    """A reminder before a request's deadline (to the requested), or its overdue notice (to both)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "request_id": "1b4e28ba-2fa1-4d2e-883f-0016d3cca427",
                    "requester": "PE",
                    "requested": "BO",
                    "status": "acknowledged",
                    "deadline": "2026-12-07T17:00:00-05:00",
                    "reference": "SUNAT-IA-2026-0042",
                }
            ]
        }
    )

    request_id: UUID
    requester: CountryCode
    requested: CountryCode
    status: RequestStatus
    deadline: AwareDatetime
    reference: str | None = None


SPONTANEOUS_EXAMPLE: dict[str, Any] = {
    "recipients": ["CO", "EC"],
    "subject": {"conveyances": [{"mode": "road", "identifier": "V4X-882"}], "containers": ["MSCU1234565"]},
    "facts": "Camión con mercurio no declarado visto en Desaguadero rumbo al norte.",
    "legal_basis": "Decisión 478 de la CAN, art. 9",
    "evaluation": "B2",
    "reference": "ANB-ES-2026-0007",
}


class SpontaneousAssistance(Payload):
    """Information sent without a request, to named members only."""

    model_config = ConfigDict(json_schema_extra={"examples": [SPONTANEOUS_EXAMPLE]})

    recipients: list[CountryCode] = Field(
        min_length=1, description="named members (never all); at least one other than the sender (else refused)"
    )
    subject: Subject
    facts: Text
    legal_basis: ShortText | None = None
    attachments: list[Attachment] = Field(default_factory=list, max_length=20)
    evaluation: EvaluationCode | None = None
    reference: Reference | None = None


class SpontaneousAssistanceDelivered(SpontaneousAssistance):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {**SPONTANEOUS_EXAMPLE, "information_id": "1b4e28ba-2fa1-4d2e-883f-0016d3cca427", "sender": "BO"}
            ]
        }
    )

    information_id: UUID = Field(description="id of the spontaneous-assistance-sent event")
    sender: CountryCode
