"""Fan-out of a directed message to its recipients' partitions, under handling rules and the members' policies.

The same in every service that accepts ``message-sent``: each recipient other than the sender is decided
(``receive-message`` on the sender's ``Message``), so the sender's outbound and the recipient's inbound
rules both apply; the message goes to all it names or to none (:mod:`andina.shared.policy.all_or_none`),
and every decision is audited, one entry per message."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from andina.contract.countries import CountryRegistry
from andina.contract.envelope import Envelope, Handling
from andina.contract.events.messages import (
    ALL_MEMBERS,
    DirectedMessage,
    MessageDelivered,
    message_delivered_type,
)
from andina.contract.rejections import Reason, Rejected
from andina.shared.audit_log import Audit
from andina.shared.gate import Inbound
from andina.shared.outputs import Cause, Outbox
from andina.shared.policy.all_or_none import refuse_unless_all_permitted, sent_to_all
from andina.shared.policy.engine import RECEIVE_MESSAGE, Decision, Member, Resource, kind_of
from andina.shared.policy.handler import PolicyDecisions
from andina.shared.publishing import Outgoing
from andina.shared.timers import Clock

MESSAGE = "Message"
MESSAGE_RELAYED, MESSAGE_REFUSED = "message-relayed", "message-refused"
WHY = "directed message"


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
        note = countries.programme_note(unknown)
        raise Rejected(Reason.UNKNOWN_COUNTRY, f"recipients {unknown} are not member countries{note}")
    if not recipients:
        raise Rejected(Reason.INVALID_PAYLOAD, "a message needs at least one recipient")
    return sorted(set(recipients))


class MessagePorts(Protocol):
    """What relaying a directed message needs: the service's outbox, the members, their policies, the audit."""

    @property
    def outbox(self) -> Outbox: ...
    @property
    def countries(self) -> CountryRegistry: ...
    @property
    def policies(self) -> PolicyDecisions: ...
    @property
    def audit(self) -> Audit: ...
    @property
    def clock(self) -> Clock: ...


def message_checked(inbound: Inbound[DirectedMessage], ports: MessagePorts) -> list[str]:
    """The recipients of a message, or its refusal (the rules on its content, run alone by /validate)."""
    envelope = inbound.envelope
    return resolve_recipients(envelope.origin, inbound.payload.recipients, envelope.handling, ports.countries)


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


def decide_message(
    cause: Envelope, event_type: str, recipients: Iterable[str], policies: PolicyDecisions
) -> dict[str, Decision]:
    """Each recipient's decision on getting ``event_type`` with what ``cause``'s sender sends it (a message, a
    request); the sender's own copy needs none."""
    service, kind = event_type.split(".")[1], kind_of(event_type)
    attributes = {"handling": cause.handling.value, "service": service, "kind": kind}
    resource = Resource(MESSAGE, str(cause.id), cause.origin, attributes)
    return {r: policies.decide(Member(r), RECEIVE_MESSAGE, resource, {}) for r in recipients if r != cause.origin}


async def message_sent(inbound: Inbound[DirectedMessage], ports: MessagePorts) -> list[Outgoing]:
    """The handler of ``andina.<service>.message-sent.v1``, the same in every service."""
    envelope = inbound.envelope
    outputs = deliveries(inbound, ports.outbox, ports.countries)
    recipients = [o.recipient for o in outputs]
    event_type = message_delivered_type(ports.outbox.service)
    decided = decide_message(envelope, event_type, recipients, ports.policies)
    subject = f"message/{envelope.id}"
    await refuse_unless_all_permitted(envelope, decided, MESSAGE_REFUSED, subject, ports.audit)
    await ports.audit.append([sent_to_all(envelope, MESSAGE_RELAYED, subject, WHY, recipients, decided, ports.clock())])
    return outputs
