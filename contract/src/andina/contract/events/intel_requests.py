"""Banco Andino de Datos: the follow-up to a hit, a request for the full record.

The asker requests the record a hit referred to; the owner approves (the record goes to the
requester alone) or refuses with its ground.
"""

from __future__ import annotations

from typing import Annotated, Literal
from uuid import UUID

from pydantic import ConfigDict, Field, StringConstraints

from andina.contract.countries import CountryCode
from andina.contract.events.base import Payload
from andina.contract.events.intel_exchange import RECORD_EXAMPLE, PersonRecord, Reason, RecordId


class RecordRequest(Payload):
    """The follow-up to a hit: the asker asks the owner for the full record."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "screening_id": "1b4e28ba-2fa1-4d2e-883f-0016d3cca427",
                    "record_id": "EC-2026-000113",
                    "reason": "person held at Rumichaca; identity to be confirmed before arrest",
                }
            ]
        }
    )

    screening_id: UUID
    record_id: RecordId
    reason: Reason
    treaty: Annotated[str, StringConstraints(min_length=1, max_length=200)] | None = Field(
        None,
        description=(
            "the treaty or agreement the request rests on (e.g. Decisión 505 de la CAN); an owner's policy may"
            " release full records only on one"
        ),
    )


class RecordRequestReceived(Payload):
    """To the owner: decide with record-request-answered."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "request_id": "7c9e6679-7425-40de-944b-e07fc1f90ae7",
                    "screening_id": "1b4e28ba-2fa1-4d2e-883f-0016d3cca427",
                    "record_id": "EC-2026-000113",
                    "requested_by": "CO",
                    "reason": "person held at Rumichaca; identity to be confirmed before arrest",
                }
            ]
        }
    )

    request_id: UUID = Field(description="id of the record-requested event")
    screening_id: UUID
    record_id: RecordId
    requested_by: CountryCode
    reason: str
    treaty: str | None = Field(None, description="the treaty the request rests on, when it names one")


class RecordRequestAnswer(Payload):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"request_id": "7c9e6679-7425-40de-944b-e07fc1f90ae7", "decision": "approved"}]}
    )

    request_id: UUID
    decision: Literal["approved", "refused"]
    reason: Reason | None = Field(None, description="required when refused")


# The record the examples above ask for: EC's, released to the asker PE.
ASKED_RECORD_EXAMPLE = RECORD_EXAMPLE | {"record_id": "EC-2026-000113", "owner": "EC", "share_with": ["CO", "PE"]}


class RecordReleased(Payload):
    """To the requester only, after the owner approved."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"request_id": "7c9e6679-7425-40de-944b-e07fc1f90ae7", "record": ASKED_RECORD_EXAMPLE}]
        }
    )

    request_id: UUID
    record: PersonRecord


class RecordRequestRefused(Payload):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "request_id": "7c9e6679-7425-40de-944b-e07fc1f90ae7",
                    "record_id": "EC-2026-000113",
                    "reason": "judicial secrecy until 2027-01-15",
                }
            ]
        }
    )

    request_id: UUID
    record_id: RecordId
    reason: str
