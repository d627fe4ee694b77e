"""Building the events a handler emits: derived ids, the causation chain, the recipient's partition."""

from __future__ import annotations

from uuid import UUID

from andina.intel_exchange import SERVICE
from andina.shared.envelope import Envelope, Handling, service_source, unsigned_event
from andina.shared.events.base import Payload
from andina.shared.ids import derived_event_id
from andina.shared.publishing import Outgoing


def directed(
    topic: str,
    recipient: str,
    event_type: str,
    payload: Payload,
    *,
    cause_id: UUID,
    correlationid: UUID,
    origin: str,
    handling: Handling,
    part: str = "",
) -> Outgoing:
    """``payload`` as ``event_type`` for ``recipient`` only, with an id derived from its cause.

    ``part`` tells apart several outputs of one type for one recipient (one per hit, say).
    """
    return Outgoing(
        topic=topic,
        recipient=recipient,
        attributes=unsigned_event(
            id=derived_event_id(cause_id, event_type, recipient, part),
            type=event_type,
            source=service_source(SERVICE),
            origin=origin,
            data=payload.model_dump(mode="json", exclude_none=True),
            handling=handling,
            correlationid=correlationid,
            causationid=cause_id,
        ),
    )


def emit(
    cause: Envelope,
    topic: str,
    recipient: str,
    event_type: str,
    payload: Payload,
    *,
    handling: Handling | None = None,
    part: str = "",
) -> Outgoing:
    """An output of the inbound event ``cause``, on behalf of its sender."""
    return directed(
        topic,
        recipient,
        event_type,
        payload,
        cause_id=cause.id,
        correlationid=cause.correlationid,
        origin=cause.origin,
        handling=handling or cause.handling,
        part=part,
    )
