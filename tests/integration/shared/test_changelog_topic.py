"""The deploy step creates a service's changelog compacted: the broker keeps each key's last entry."""

from __future__ import annotations

import pytest
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType

from andina.contract.kafka_auth import client_options
from andina.contract.topics import CHANGELOG, SUBMISSIONS, TopicRegistry

pytestmark = pytest.mark.integration


async def cleanup_policy(admin: AIOKafkaAdminClient, topic: str) -> str:
    [response] = await admin.describe_configs([ConfigResource(ConfigResourceType.TOPIC, topic)])
    [(_, _, _, _, entries)] = response.resources
    return next(str(value) for name, value, *_ in entries if name == "cleanup.policy")


async def test_a_changelog_topic_is_compacted_and_the_others_are_not(
    kafka_bootstrap: str, topics: TopicRegistry
) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=kafka_bootstrap.split(","), **client_options())
    await admin.start()
    try:
        changelog = await cleanup_policy(admin, topics.topic("intel-exchange", CHANGELOG))
        submissions = await cleanup_policy(admin, topics.topic("intel-exchange", SUBMISSIONS))
    finally:
        await admin.close()

    assert (changelog, submissions) == ("compact", "delete")
