"""The one way a service builds the events it emits.

Every output answers a cause (the inbound event, or the timer or record it stands for): its
id derives from the cause's id, its type, its recipient and any parts that tell several
outputs of one type for one recipient apart, so a re-emission after a crash carries the same
id and is recognised downstream. It keeps the cause's conversation (correlation id), the
member on whose behalf it goes out (origin) and the handling code, unless told a stricter one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any
from uuid import UUID

from andina.contract.envelope import Envelope, Handling, service_source, unsigned_event
from andina.contract.events.base import Payload
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

    def handled_as(self, handling: Handling) -> Cause:
        return replace(self, handling=handling)


def strictest(*codes: Handling) -> Handling:
    """Data of several providers is handled under the most restrictive of their codes (h3 > h0)."""
    return max(codes, key=lambda code: code.value)


# The part of an output that is the only one of its type for its recipient: its id is derived
# with it, as it always was, so that an output re-emitted after an upgrade keeps its id.
SOLE = ""


@dataclass(frozen=True, slots=True)
class Outbox:
    """Where one service's events go: its deliveries topic (one member's partition each) and its signals topic."""

    service: str
    deliveries: str
    signals: str = ""

    def event(
        self,
        topic: str,
        recipient: str,
        event_type: str,
        payload: Payload,
        cause: Cause,
        *parts: str,
        event_id: UUID | None = None,
    ) -> Outgoing:
        """``payload`` as ``event_type`` for ``recipient``'s partition of ``topic``.

        The id is derived from the cause unless the caller derives it from something longer-lived
        (a finding, a subject) so that the same news keeps one id whichever event brought it.
        """
        return self._event(topic, recipient, event_type, payload.model_dump(mode="json"), cause, parts, event_id)

    def _event(
        self,
        topic: str,
        recipient: str,
        event_type: str,
        data: dict[str, Any],
        cause: Cause,
        parts: tuple[str, ...],
        event_id: UUID | None = None,
    ) -> Outgoing:
        return Outgoing(
            topic=topic,
            recipient=recipient,
            attributes=unsigned_event(
                id=event_id or derived_event_id(cause.id, event_type, recipient, *parts),
                type=event_type,
                source=service_source(self.service),
                origin=cause.origin,
                data=data,
                handling=cause.handling,
                correlationid=cause.correlation_id,
                causationid=cause.id,
            ),
        )

    def deliver(self, cause: Cause, event_type: str, recipient: str, payload: Payload, *parts: str) -> Outgoing:
        """An event for one member, on its partition of the deliveries topic."""
        return self.event(self.deliveries, recipient, event_type, payload, cause, *parts)

    def deliver_each(
        self, cause: Cause, event_type: str, recipients: Iterable[str], payload: Payload, *parts: str
    ) -> list[Outgoing]:
        """The same event for each recipient (once each, in code order); the payload is dumped once for all."""
        data = payload.model_dump(mode="json")
        return [self._event(self.deliveries, r, event_type, data, cause, parts) for r in sorted(set(recipients))]

    def signal(self, cause: Cause, event_type: str, country: str, payload: Payload, *parts: str) -> Outgoing:
        """A request for the 24/7 network, keyed by the country concerned."""
        return self.event(self.signals, country, event_type, payload, cause, *parts)
