"""Kafka ACLs stop at the topic, so a country's user CAN fetch another country's partition of a
deliveries topic (see tests/security/test_kafka_acls.py for what the ACLs do refuse). What keeps
that partition private is the sealing: the services seal each delivery, whole, for its recipient."""

from __future__ import annotations

import pytest

from andina.alerts.app import create_app
from andina.alerts.settings import Settings
from andina.contract.client import AgencyClient, PartitionReader
from andina.contract.countries import CountryRegistry
from andina.contract.envelope import Handling, SealedEnvelope
from andina.contract.events.catalogs import alerts as alerts_catalog
from andina.contract.sealing import Unopenable
from andina.contract.topics import DELIVERIES, TopicRegistry
from andina.deploy.kafka_users import KafkaUsers
from tests.conftest import Keys, ServiceSettingsFactory

pytestmark = pytest.mark.integration

SENT = alerts_catalog.MESSAGE_SENT
MESSAGE = {"subject": "Requisitoria", "body": "Sujeto con orden de captura cruzó Desaguadero", "recipients": ["CO"]}


async def test_a_country_reading_anothers_partition_gets_an_event_it_cannot_open(
    kafka_bootstrap: str,
    sasl_users: KafkaUsers,
    service_settings: ServiceSettingsFactory,
    agencies: dict[str, AgencyClient],
    countries: CountryRegistry,
    topics: TopicRegistry,
    keys: Keys,
) -> None:
    sent = agencies["PE"].event(SENT, MESSAGE, Handling.H2)
    topic, partition = topics.topic("alerts", DELIVERIES), countries.partition_of("CO")

    async with create_app(service_settings(Settings)).start_lifespan_context():
        await agencies["PE"].submit("alerts", sent)
        async with PartitionReader(kafka_bootstrap, topic, partition, auth=sasl_users.country("CO")) as co:
            for_co = await co.read(0, lambda records: len(records) >= 1)
    async with PartitionReader(kafka_bootstrap, topic, partition, auth=sasl_users.country("EC")) as ec:
        seen_by_ec = await ec.read(0, lambda records: len(records) >= 1)

    assert keys.opener("CO").open(for_co[0].value).data["body"] == MESSAGE["body"]
    assert [r.value for r in seen_by_ec] == [for_co[0].value]  # Kafka let EC fetch CO's partition...
    assert b"Desaguadero" not in seen_by_ec[0].value  # ...but the data is not there in clear,
    # nor what the event is, who sent it, or which conversation it belongs to.
    assert SealedEnvelope.model_validate_json(seen_by_ec[0].value).type == "andina.alerts.sealed.v1"
    for hidden in ("message-delivered", '"origin"', '"handling"', str(sent.id)):
        assert hidden.encode() not in seen_by_ec[0].value, hidden
    with pytest.raises(Unopenable, match="sealed for CO, not for EC"):
        keys.opener("EC").open(seen_by_ec[0].value)
