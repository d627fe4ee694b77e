"""Directed messages: information a country sends to named members, or to all of them.

Every service carries them for its own community (24/7 contact points, intelligence
officers, customs administrations, FIUs) as ``andina.<service>.message-sent.v1``; each
recipient gets one ``andina.<service>.message-delivered.v1`` on its own partition.
"""

from __future__ import annotations

from typing import Annotated, Literal
from uuid import UUID

from pydantic import ConfigDict, Field, StringConstraints

from andina.contract.countries import CountryCode
from andina.contract.envelope import EvaluationCode
from andina.contract.events.base import Payload

ALL_MEMBERS = "all"

Text = Annotated[str, StringConstraints(min_length=1, max_length=20_000)]


def message_sent_type(service: str) -> str:
    return f"andina.{service}.message-sent.v1"


def message_delivered_type(service: str) -> str:
    return f"andina.{service}.message-delivered.v1"


class DirectedMessage(Payload):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "subject": "Vehículo robado cruzó la frontera",
                    "body": "Camioneta placa ABC-123, reportada robada en Lima, cruzó por Aguas Verdes a las 03:40.",
                    "recipients": ["CO", "EC"],
                    "reference": "DIRINCRI-2026-0412",
                    "evaluation": "B2",
                }
            ]
        }
    )

    subject: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    body: Text
    recipients: list[CountryCode] | Literal["all"] = Field(
        description='member countries to deliver to, or "all" (not allowed with handling h3)'
    )
    reference: Annotated[str, StringConstraints(max_length=100)] | None = Field(
        None, description="the sender's own file reference"
    )
    evaluation: EvaluationCode | None = Field(None, description="4x4 evaluation, e.g. B2")


class MessageDelivered(Payload):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "message_id": "1b4e28ba-2fa1-4d2e-883f-0016d3cca427",
                    "sender": "PE",
                    "subject": "Vehículo robado cruzó la frontera",
                    "body": "Camioneta placa ABC-123, reportada robada en Lima, cruzó por Aguas Verdes a las 03:40.",
                    "reference": "DIRINCRI-2026-0412",
                    "evaluation": "B2",
                    "recipients": ["CO", "EC"],
                }
            ]
        }
    )

    message_id: UUID = Field(description="id of the message-sent event")
    sender: CountryCode
    subject: str
    body: str
    reference: str | None = None
    evaluation: EvaluationCode | None = None
    recipients: list[CountryCode] = Field(description="every country this message was delivered to")
