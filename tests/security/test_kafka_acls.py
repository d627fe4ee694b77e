"""On the SASL stack, each country's Kafka user may write only submissions and read only deliveries.

Kafka refuses the rest outright (an authorization error, not a silent wait): a country
cannot read what another country submitted, nor dead letters or signals, nor publish
where the services publish, nor join a service's consumer group
(tests/e2e/alerts/test_kafka_credentials.py shows a service doing its job as its own user).
Kafka ACLs stop at the topic: reading another country's partition of a deliveries topic
is NOT prevented by them; each delivery there is sealed, whole, for its recipient instead
(tests/security/test_sealed_deliveries_live.py).
"""

from __future__ import annotations

import pytest
from aiokafka import AIOKafkaConsumer
from aiokafka.errors import GroupAuthorizationFailedError, TopicAuthorizationFailedError

from andina.contract.client import AgencyClient, PartitionReader
from andina.contract.countries import CountryRegistry
from andina.contract.envelope import Handling
from andina.contract.events.catalogs import alerts as alerts_catalog
from andina.contract.events.signals import SIGNALS
from andina.contract.kafka_auth import client_options
from andina.contract.topics import DEAD_LETTER, DELIVERIES, TopicRegistry
from andina.deploy.kafka_users import KafkaUsers

pytestmark = pytest.mark.integration

SENT = alerts_catalog.MESSAGE_SENT
MESSAGE = {"subject": "Requisitoria", "body": "Sujeto con orden de captura cruzó Rumichaca", "recipients": ["PE"]}


async def test_a_country_cannot_read_what_another_country_submitted(
    kafka_bootstrap: str,
    sasl_users: KafkaUsers,
    agencies: dict[str, AgencyClient],
    countries: CountryRegistry,
) -> None:
    submitted = await agencies["CO"].submit("alerts", agencies["CO"].event(SENT, MESSAGE, Handling.H1))
    topic, partition = submitted.topic, countries.partition_of("CO")
    async with PartitionReader(kafka_bootstrap, topic, partition, auth=sasl_users.admin()) as admin:
        assert len(await admin.read(0, lambda records: len(records) >= 1)) == 1  # the record is there to be read

    async with PartitionReader(kafka_bootstrap, topic, partition, auth=sasl_users.country("PE")) as pe:
        with pytest.raises(TopicAuthorizationFailedError):
            await pe.read(0, lambda records: len(records) >= 1, within=20.0)


@pytest.mark.parametrize("stream", [DEAD_LETTER, SIGNALS])
async def test_a_country_cannot_read_dead_letters_or_signals(
    kafka_bootstrap: str, sasl_users: KafkaUsers, countries: CountryRegistry, topics: TopicRegistry, stream: str
) -> None:
    topic, partition = topics.topic("customs", stream), countries.partition_of("PE")
    async with PartitionReader(kafka_bootstrap, topic, partition, auth=sasl_users.country("PE")) as pe:
        with pytest.raises(TopicAuthorizationFailedError):
            await pe.read(0, lambda records: len(records) >= 1, within=20.0)


async def test_a_country_cannot_publish_where_a_service_publishes(
    sasl_users: KafkaUsers, agencies: dict[str, AgencyClient], topics: TopicRegistry
) -> None:
    forged = agencies["PE"].event(SENT, MESSAGE, Handling.H1)

    with pytest.raises(TopicAuthorizationFailedError):
        await agencies["PE"].send_raw(topics.topic("alerts", DELIVERIES), b"CO", forged.wire)
    with pytest.raises(TopicAuthorizationFailedError):
        await agencies["PE"].send_raw(topics.topic("intel-exchange", SIGNALS), b"CO", forged.wire)


async def test_a_country_cannot_join_a_services_consumer_group(
    kafka_bootstrap: str, sasl_users: KafkaUsers, topics: TopicRegistry
) -> None:
    consumer = AIOKafkaConsumer(
        topics.topic("alerts", DELIVERIES),
        bootstrap_servers=kafka_bootstrap,
        group_id=topics.consumer_group("alerts"),
        **client_options(sasl_users.country("PE")),
    )
    try:
        with pytest.raises(GroupAuthorizationFailedError):
            await consumer.start()
    finally:
        await consumer.stop()
