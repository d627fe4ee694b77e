"""Fan-out of a directed message to its recipients' partitions, under handling rules."""

from __future__ import annotations

from typing import Protocol

from andina.shared.countries import CountryRegistry
from andina.shared.envelope import Handling
from andina.shared.events.messages import (
    ALL_MEMBERS,
    DirectedMessage,
    MessageDelivered,
    message_delivered_type,
)
from andina.shared.gate import Inbound
from andina.shared.outputs import Cause, Outbox
from andina.shared.publishing import Outgoing
from andina.shared.rejections import Reason, Rejected


def resolve_recipients(
    sender: str, recipients: list[str] | str, handling: Handling, countries: CountryRegistry
) -> list[str]:
    """The member countries a message goes to; h3 data goes to named recipients only."""
    if recipients == ALL_MEMBERS:
        if handling is Handling.H3:
            raise Rejected(Reason.UNAUTHORIZED, "handling h3 allows named recipients only, not all members")
        return [code for code in countries.codes if code != sender]
    unknown = sorted(code for code in recipients if code not in countries)
    if unknown:
        raise Rejected(Reason.UNKNOWN_COUNTRY, f"recipients {unknown} are not member countries")
    if not recipients:
        raise Rejected(Reason.INVALID_PAYLOAD, "a message needs at least one recipient")
    return sorted(set(recipients))


class MessagePorts(Protocol):
    """What relaying a directed message needs: the service's outbox and the members."""

    @property
    def outbox(self) -> Outbox: ...
    @property
    def countries(self) -> CountryRegistry: ...


def deliveries(inbound: Inbound[DirectedMessage], outbox: Outbox, countries: CountryRegistry) -> list[Outgoing]:
    """One delivery event per recipient, keyed by that recipient, with a derived id."""
    envelope, message = inbound.envelope, inbound.payload
    recipients = resolve_recipients(envelope.origin, message.recipients, envelope.handling, countries)
    delivered = MessageDelivered(
        message_id=envelope.id,
        sender=envelope.origin,
        subject=message.subject,
        body=message.body,
        reference=message.reference,
        evaluation=message.evaluation,
        recipients=recipients,
    )
    event_type = message_delivered_type(outbox.service)
    return outbox.deliver_each(Cause.of(envelope), event_type, recipients, delivered)


async def message_sent(inbound: Inbound[DirectedMessage], ports: MessagePorts) -> list[Outgoing]:
    """The handler of ``andina.<service>.message-sent.v1``, the same in every service."""
    return deliveries(inbound, ports.outbox, ports.countries)
