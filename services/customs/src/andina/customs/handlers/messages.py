"""Directed messages between customs administrations (named members, or all)."""

from __future__ import annotations

from andina.customs import SERVICE
from andina.shared.countries import CountryRegistry
from andina.shared.events.messages import DirectedMessage
from andina.shared.fanout import deliveries
from andina.shared.gate import Inbound
from andina.shared.outputs import Outbox
from andina.shared.publishing import Outgoing


async def message_sent(
    inbound: Inbound[DirectedMessage], *, countries: CountryRegistry, deliveries_topic: str
) -> list[Outgoing]:
    return deliveries(inbound, Outbox(SERVICE, deliveries_topic), countries)
