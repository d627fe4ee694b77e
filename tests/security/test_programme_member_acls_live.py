"""A member of the returns programme only (Chile) reaches the alerts service's submissions and
deliveries with its own Kafka user, and Kafka refuses it every other topic of the bus.

What it may send there is the gate's business: tests/e2e/alerts/test_returns.py shows every
event type outside the programme refused as unauthorized.
"""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator

import pytest
from aiokafka import AIOKafkaProducer
from aiokafka.errors import TopicAuthorizationFailedError

from andina.contract.client import PartitionReader
from andina.contract.countries import CountryRegistry
from andina.contract.kafka_auth import KafkaAuth, client_options
from andina.contract.topics import DELIVERIES, SUBMISSIONS, TopicRegistry
from andina.deploy.kafka_users import KafkaUsers, add_scram_users, country_user, remove_scram_users
from andina.shared.admin import connect_admin

pytestmark = pytest.mark.integration

MEMBER = "CL"


@pytest.fixture
async def chile(kafka_bootstrap: str, sasl_users: KafkaUsers) -> AsyncIterator[KafkaAuth]:
    """Chile's Kafka user: the stack's once `andina stack up` made it, else one made for the test and removed after."""
    user = country_user(MEMBER)
    if user in sasl_users.passwords:
        yield sasl_users.auth(user)
        return
    password = secrets.token_urlsafe(24)
    admin = await connect_admin(kafka_bootstrap, 10.0, sasl_users.admin())
    try:
        await add_scram_users(admin, {user: password})
        yield KafkaUsers(kafka_bootstrap, {user: password}, sasl_users.security_protocol).auth(user)
    finally:
        await remove_scram_users(admin, [user])
        await admin.close()


async def test_a_programme_only_member_reaches_the_alerts_service_and_is_refused_every_other_topic(
    kafka_bootstrap: str, chile: KafkaAuth, countries: CountryRegistry, topics: TopicRegistry
) -> None:
    assert countries.programme_reach()[MEMBER] == frozenset({"alerts"})
    allowed_write, allowed_read = topics.topic("alerts", SUBMISSIONS), topics.topic("alerts", DELIVERIES)
    partition = countries.partition_of(MEMBER)
    producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap, request_timeout_ms=10_000, **client_options(chile))
    await producer.start()
    try:
        await producer.send_and_wait(allowed_write, b"{}", key=MEMBER.encode(), partition=partition)
        refused_writes = []
        for topic in topics.all_topics():
            if topic != allowed_write:
                with pytest.raises(TopicAuthorizationFailedError):
                    await producer.send_and_wait(topic, b"{}", key=MEMBER.encode(), partition=partition)
                refused_writes.append(topic)
    finally:
        await producer.stop()

    async with PartitionReader(kafka_bootstrap, allowed_read, partition, auth=chile) as deliveries:
        assert await deliveries.read(0, lambda records: False, within=1.0) == []  # allowed, and empty
    refused_reads = []
    for topic in topics.all_topics():
        if topic != allowed_read:
            async with PartitionReader(kafka_bootstrap, topic, partition, auth=chile) as reader:
                with pytest.raises(TopicAuthorizationFailedError):
                    await reader.read(0, lambda records: len(records) >= 1, within=20.0)
            refused_reads.append(topic)

    assert len(refused_writes) == len(refused_reads) == len(topics.all_topics()) - 1
