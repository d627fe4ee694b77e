"""Payloads of request relay between 24/7 contact points (``andina.alerts.request-*``).

A contact point relays its authority's information request to a counterpart; the answer
goes back only to the requesting country, with the same correlation id.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from pydantic import AwareDatetime, Field, StringConstraints

from andina.contract.countries import CountryCode
from andina.contract.events.alerts import RequestStatus, RequestUrgency
from andina.contract.events.base import Payload, example

Text = Annotated[str, StringConstraints(min_length=1, max_length=20_000)]


class RequestSubmitted(Payload):
    """A contact point relays a request to a counterpart (submission, keyed by the requester)."""

    model_config = example(
        to="PE",
        subject="Antecedentes y movimientos migratorios de Juan Mamani Quispe, DNI 40123456",
        legal_basis="Decisión 505 CAN; Ley 1970 de Bolivia, art. 138",
        urgency="urgent",
        requesting_authority="Fiscalía Departamental de La Paz",
    )

    to: CountryCode
    subject: Text
    legal_basis: Annotated[str, StringConstraints(min_length=1, max_length=500)]
    urgency: RequestUrgency
    requesting_authority: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    answer_by: AwareDatetime | None = Field(None, description="earlier deadline than the urgency's; in the future")


class RequestAcknowledged(Payload):
    """The counterpart starts working on a request (status in-progress)."""

    model_config = example(request_id="8f14e45f-ceea-467a-9d8b-1f8a2b3c4d5e", by="Oficial de guardia, INTERPOL Lima")

    request_id: UUID
    by: Annotated[str, StringConstraints(min_length=1, max_length=120)]


class RequestAnswered(Payload):
    """The counterpart answers; the answer goes only to the requester."""

    model_config = example(
        request_id="8f14e45f-ceea-467a-9d8b-1f8a2b3c4d5e", answer="Registra salida por Desaguadero el 2026-11-20."
    )

    request_id: UUID
    answer: Text


class RequestRefused(Payload):
    """The counterpart refuses, giving the ground."""

    model_config = example(
        request_id="8f14e45f-ceea-467a-9d8b-1f8a2b3c4d5e", ground="Falta autorización judicial según la ley peruana"
    )

    request_id: UUID
    ground: Annotated[str, StringConstraints(min_length=1, max_length=2000)]


class RequestClosed(Payload):
    """The requester closes its request."""

    model_config = example(request_id="8f14e45f-ceea-467a-9d8b-1f8a2b3c4d5e")

    request_id: UUID


class RequestUpdate(Payload):
    """A request as it stands, for the requester or the counterpart, on its own partition."""

    model_config = example(
        request_id="8f14e45f-ceea-467a-9d8b-1f8a2b3c4d5e",
        requester="BO",
        counterpart="PE",
        status="answered",
        subject="Antecedentes y movimientos migratorios de Juan Mamani Quispe, DNI 40123456",
        legal_basis="Decisión 505 CAN",
        urgency="urgent",
        answer_by="2026-11-23T11:40:00+00:00",
        answer="Registra salida por Desaguadero el 2026-11-20.",
        in_time=True,
    )

    request_id: UUID
    requester: CountryCode
    counterpart: CountryCode
    status: RequestStatus
    subject: str
    legal_basis: str
    urgency: RequestUrgency
    answer_by: datetime
    answer: str | None = None
    ground: str | None = None
    in_time: bool | None = Field(None, description="answered or refused before the deadline")


class RequestDeadline(Payload):
    """A reminder before the deadline (to the counterpart), or an overdue notice (to both)."""

    model_config = example(
        request_id="8f14e45f-ceea-467a-9d8b-1f8a2b3c4d5e",
        requester="BO",
        counterpart="PE",
        answer_by="2026-11-23T11:40:00+00:00",
        overdue=False,
    )

    request_id: UUID
    requester: CountryCode
    counterpart: CountryCode
    answer_by: datetime
    overdue: bool
