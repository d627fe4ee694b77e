"""Directed messages: relayed as every service relays them, to all the members named or, when a policy
refuses one, to none (the sender is told the rules)."""

from __future__ import annotations

from andina.customs.handlers.policies import refuse_unless_all_permitted, release, sharing
from andina.customs.handlers.ports import Ports
from andina.shared.events.catalogs.customs import MESSAGE_DELIVERED
from andina.shared.events.messages import DirectedMessage
from andina.shared.fanout import deliveries
from andina.shared.gate import Inbound
from andina.shared.publishing import Outgoing


async def message_sent(inbound: Inbound[DirectedMessage], ports: Ports) -> list[Outgoing]:
    envelope = inbound.envelope
    outputs = deliveries(inbound, ports.outbox, ports.countries)
    owners = {output.recipient: envelope.origin for output in outputs}
    shared = sharing(ports, MESSAGE_DELIVERED, envelope.id, envelope.handling, owners)
    subject = f"message/{envelope.id}"
    await refuse_unless_all_permitted(envelope, shared, subject, ports.audit)
    return await release(ports, outputs, shared, subject, "directed message")
