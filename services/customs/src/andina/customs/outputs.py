"""Building the events the service emits: deliveries keyed by the country that may see them, and signals.

Every output's id derives from its cause (the inbound event, or the record a timer
stands for), its type and its recipient, so a re-emission carries the same id.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from uuid import UUID

from andina.customs import SERVICE
from andina.shared.envelope import Envelope, Handling, service_source, unsigned_event
from andina.shared.events.base import Payload
from andina.shared.events.catalogs.customs import ALERT_REQUESTED
from andina.shared.events.signals import AlertRequested
from andina.shared.ids import derived_event_id
from andina.shared.publishing import Outgoing


@dataclass(frozen=True, slots=True)
class Cause:
    """What outputs answer: their ids derive from ``id``; they keep its correlation, origin and handling."""

    id: UUID
    correlation_id: UUID
    origin: str
    handling: Handling

    @classmethod
    def of(cls, envelope: Envelope) -> Cause:
        return cls(envelope.id, envelope.correlationid, envelope.origin, envelope.handling)


def strictest(*codes: Handling) -> Handling:
    """Data of several providers is handled under the most restrictive of their codes (h3 > h0)."""
    return max(codes, key=lambda code: code.value)


class Emitter:
    def __init__(self, deliveries_topic: str, signals_topic: str) -> None:
        self._deliveries = deliveries_topic
        self._signals = signals_topic

    def _event(self, topic: str, cause: Cause, event_type: str, recipient: str, data: Payload, *tag: str) -> Outgoing:
        return Outgoing(
            topic=topic,
            recipient=recipient,
            attributes=unsigned_event(
                id=derived_event_id(cause.id, event_type, recipient, *tag),
                type=event_type,
                source=service_source(SERVICE),
                origin=cause.origin,
                data=data.model_dump(mode="json", exclude_none=True),
                handling=cause.handling,
                correlationid=cause.correlation_id,
                causationid=cause.id,
            ),
        )

    def deliver(
        self, cause: Cause, event_type: str, recipients: Iterable[str], data: Payload, *tag: str
    ) -> list[Outgoing]:
        """One event per recipient, on that recipient's partition of the deliveries topic."""
        return [self._event(self._deliveries, cause, event_type, r, data, *tag) for r in sorted(set(recipients))]

    def signal(self, cause: Cause, alert: AlertRequested) -> Outgoing:
        """An alert request for the 24/7 network, keyed by the country concerned."""
        return self._event(self._signals, cause, ALERT_REQUESTED, alert.country, alert, alert.reference)
