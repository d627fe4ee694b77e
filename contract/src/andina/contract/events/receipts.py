"""What a sender learns about its own refused events, on its own partition."""

from __future__ import annotations

from functools import cache
from typing import Any
from uuid import UUID

from pydantic import ConfigDict, Field

from andina.contract.events.base import Payload


def event_rejected_type(service: str) -> str:
    return f"andina.{service}.event-rejected.v1"


def _rejected_example(service: str) -> dict[str, Any]:
    return {
        "event_id": "0b6c3f7e-5a1d-4c2b-9e8f-7a6d5c4b3a21",
        "event_type": f"andina.{service}.message-sent.v1",  # every service relays directed messages
        "reason": "unknown-country",
        "detail": "recipients ['AR'] are not member countries (AR takes part in the returns programme only)",
    }


class EventRejected(Payload):
    """Sent to the origin of an authenticated event that the service refused; nothing changed.

    Records that fail before their signature is verified are not answered so (their sender is
    unknown): the member their record key names gets a ``refused-in-your-name`` notice instead.
    """

    model_config = ConfigDict(json_schema_extra={"examples": [_rejected_example("alerts")]})

    event_id: UUID = Field(description="id of the refused event")
    event_type: str
    reason: str = Field(description="one of the dead-letter reasons, e.g. invalid-payload, unauthorized")
    detail: str


def refused_in_your_name_type(service: str) -> str:
    return f"andina.{service}.refused-in-your-name.v1"


class RefusedInYourName(Payload):
    """Sent to a member when records sent in its name (its country code as the record key) were refused
    before any signature of it was verified: a signature that does not verify, an unknown signer, an
    envelope or JSON that cannot be read, an origin that is not the key's country.

    Either the member's system sends malformed events, or someone else sends events in its name.
    Nothing of the refused records is echoed (whoever sent them may not be the member); the
    operators see them on the dead-letter topic. At most one notice per reason a minute: ``refused``
    counts the records refused since the previous notice of that reason, this one included.
    """

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"reason": "bad-signature", "refused": 3, "first_offset": 1204, "last_offset": 1206},
            ]
        }
    )

    reason: str = Field(description="the dead-letter reason: bad-signature, unknown-signer, invalid-envelope, ...")
    refused: int = Field(ge=1, description="records refused for this reason since the previous notice")
    first_offset: int = Field(
        description="offset of the first of them on the member's submissions partition; the records in between"
        " need not all have been refused"
    )
    last_offset: int = Field(
        description="offset of the last of them: the records refused within a minute of a notice are told"
        " together when that minute ends"
    )


@cache
def _event_rejected_of(service: str) -> type[EventRejected]:
    """EventRejected whose published example names one of ``service``'s own types."""
    config = ConfigDict(json_schema_extra={"examples": [_rejected_example(service)]})
    return type("EventRejected", (EventRejected,), {"model_config": config, "__doc__": EventRejected.__doc__})


def receipts(service: str) -> dict[str, type[Payload]]:
    """What every service sends a sender about its refused records, besides its own events."""
    return {
        event_rejected_type(service): _event_rejected_of(service),
        refused_in_your_name_type(service): RefusedInYourName,
    }
