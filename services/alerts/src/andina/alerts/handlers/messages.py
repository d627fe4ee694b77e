from __future__ import annotations

from andina.alerts import SERVICE
from andina.alerts.handlers.ports import Ports
from andina.shared.events.messages import DirectedMessage
from andina.shared.fanout import deliveries
from andina.shared.gate import Inbound
from andina.shared.outputs import Outbox
from andina.shared.publishing import Outgoing


async def message_sent(inbound: Inbound[DirectedMessage], ports: Ports) -> list[Outgoing]:
    return deliveries(inbound, Outbox(SERVICE, ports.deliveries_topic), ports.countries)
