"""A handler that fails on one event (a bug, an input no rule foresaw) never blocks the others.

The event is dead-lettered as `handler-failed`, its sender is told, and the events around it
are processed; without this the batch would be retried forever and the consumer would stall.
"""

from __future__ import annotations

import pytest

from andina.contract.client import AgencyClient
from andina.contract.countries import CountryRegistry
from andina.contract.envelope import Envelope
from andina.contract.events.catalogs import alerts as alerts_catalog
from andina.contract.events.messages import DirectedMessage
from andina.contract.events.receipts import event_rejected_type
from andina.contract.topics import DEAD_LETTER, DELIVERIES, TopicRegistry
from andina.shared.gate import Inbound
from andina.shared.processing import Route
from andina.shared.publishing import Outgoing
from andina.shared.service import ServiceDefinition, build_dependencies, service_app
from andina.shared.settings import AndinaSettings
from andina.shared.store import WriteBatch
from tests.conftest import Keys, ServiceSettingsFactory, read_partition

pytestmark = pytest.mark.integration

SENT = alerts_catalog.MESSAGE_SENT
handled: list[str] = []


async def fragile(inbound: Inbound[DirectedMessage], unit: WriteBatch) -> list[Outgoing]:
    if inbound.payload.subject == "boom":
        raise ZeroDivisionError("a bug in a handler")
    handled.append(inbound.payload.subject)
    return []


async def test_a_failing_handler_dead_letters_its_event_and_the_next_ones_are_processed(
    kafka_bootstrap: str,
    service_settings: ServiceSettingsFactory,
    agencies: dict[str, AgencyClient],
    countries: CountryRegistry,
    topics: TopicRegistry,
    keys: Keys,
) -> None:
    deps = build_dependencies("alerts", service_settings(AndinaSettings))
    app = service_app(
        deps, ServiceDefinition(routes={SENT: Route(DirectedMessage, fragile)}, emits={SENT: DirectedMessage})
    )
    pe = agencies["PE"]
    events = [pe.event(SENT, {"subject": s, "body": "b", "recipients": ["CO"]}) for s in ("before", "boom", "after")]
    for event in events:
        await pe.submit("alerts", event)

    async with app.start_lifespan_context():
        partition = countries.partition_of("PE")
        dead = await read_partition(kafka_bootstrap, topics.topic("alerts", DEAD_LETTER), partition, 1)
        notices = await read_partition(kafka_bootstrap, topics.topic("alerts", DELIVERIES), partition, 1)

    assert handled == ["before", "after"]
    assert [dict(r.headers)["andina-dlq-reason"] for r in dead] == [b"handler-failed"]
    assert Envelope.model_validate_json(dead[0].value).id == events[1].id
    notice = keys.opener("PE").open(notices[0].value)
    assert notice.type == event_rejected_type("alerts")
    assert notice.data["reason"] == "handler-failed"
    assert "a bug in a handler" not in notice.data["detail"]  # the error's text stays with the operators
