"""Each service relays directed messages of its own community, on its own topics."""

import importlib

import pytest

from andina.shared.countries import CountryRegistry
from andina.shared.envelope import Envelope
from andina.shared.events.messages import DirectedMessage
from andina.shared.gate import Inbound

SERVICES = {
    "alerts": "alerts",
    "intel-exchange": "intel_exchange",
    "customs": "customs",
    "finance-trace": "finance_trace",
}


@pytest.mark.parametrize(("service", "package"), SERVICES.items())
async def test_a_service_accepts_its_own_message_type_and_delivers_on_its_own_topic(service: str, package: str) -> None:
    catalog = importlib.import_module(f"andina.{package}.domain.catalog")
    handlers = importlib.import_module(f"andina.{package}.handlers")
    assert set(catalog.ACCEPTS) == {f"andina.{service}.message-sent.v1"}
    envelope = Envelope.model_validate(
        {
            "specversion": "1.0",
            "id": "6a1f3c2e-0000-4000-8000-000000000001",
            "source": "/countries/EC/agencies/senae",
            "type": f"andina.{service}.message-sent.v1",
            "time": "2026-11-23T03:00:00Z",
            "data": {},
            "origin": "EC",
            "handling": "h2",
            "correlationid": "6a1f3c2e-0000-4000-8000-000000000001",
            "signer": "EC",
            "signature": "A" * 88,
        }
    )
    message = DirectedMessage(subject="Contenedor", body="MSKU1234567 con doble fondo", recipients="all")

    outputs = await handlers.message_sent(
        Inbound(envelope, message), countries=CountryRegistry.load(), deliveries_topic=f"andina.{service}.deliveries.v1"
    )

    assert [o.recipient for o in outputs] == ["BO", "CO", "PE"]
    assert {o.topic for o in outputs} == {f"andina.{service}.deliveries.v1"}
    assert {o.attributes["type"] for o in outputs} == {catalog.MESSAGE_DELIVERED}
    assert {o.attributes["source"] for o in outputs} == {f"/services/{service}"}
