"""Building the alerts service's outgoing events: signed by the service, ids derived from
what caused them, in the conversation (correlation id) of the alert or request."""

from __future__ import annotations

from uuid import UUID

from andina.alerts import SERVICE
from andina.shared.envelope import Handling, service_source, unsigned_event
from andina.shared.events.base import Payload
from andina.shared.ids import derived_event_id
from andina.shared.publishing import Outgoing


def directed(
    topic: str,
    recipient: str,
    event_type: str,
    payload: Payload,
    *,
    origin: str,
    handling: Handling,
    cause: UUID,
    correlation: UUID | None,
    id_parts: tuple[str, ...] = (),
) -> Outgoing:
    """An event for ``recipient``'s partition, caused by event or timer ``cause``."""
    return Outgoing(
        topic=topic,
        recipient=recipient,
        attributes=unsigned_event(
            id=derived_event_id(cause, event_type, recipient, *id_parts),
            type=event_type,
            source=service_source(SERVICE),
            origin=origin,
            data=payload.model_dump(mode="json"),
            handling=handling,
            correlationid=correlation or cause,
            causationid=cause,
        ),
    )
