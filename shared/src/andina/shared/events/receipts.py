"""What a sender learns about its own refused events, on its own partition."""

from __future__ import annotations

from uuid import UUID

from pydantic import ConfigDict, Field

from andina.shared.events.base import Payload


def event_rejected_type(service: str) -> str:
    return f"andina.{service}.event-rejected.v1"


class EventRejected(Payload):
    """Sent to the origin of an authenticated event that the service refused; nothing changed.

    Events that fail before their signature is verified are not answered (their sender is
    unknown); they only reach the dead-letter topic, like every refused record.
    """

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "event_id": "0b6c3f7e-5a1d-4c2b-9e8f-7a6d5c4b3a21",
                    "event_type": "andina.alerts.message-sent.v1",
                    "reason": "unknown-country",
                    "detail": "recipients ['AR'] are not member countries",
                }
            ]
        }
    )

    event_id: UUID = Field(description="id of the refused event")
    event_type: str
    reason: str = Field(description="one of the dead-letter reasons, e.g. invalid-payload, unauthorized")
    detail: str
