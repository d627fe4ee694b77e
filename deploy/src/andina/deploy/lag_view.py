"""The lag and partitions columns of ``andina stack status``: records each service has not committed,
by country, and the countries each instance holds in its consumer group now."""

from __future__ import annotations

import asyncio
from collections import Counter

from aiokafka import TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.coordinator.protocol import ConsumerProtocolMemberAssignment

from andina.contract.kafka_auth import KafkaAuth, client_options
from andina.contract.topics import SUBMISSIONS
from andina.deploy import kafka
from andina.deploy.kafka_users import KafkaUsers
from andina.deploy.settings import Endpoints, StackSettings
from andina.shared.lag import PartitionLag, lag_of_groups

TIMEOUT = 10.0  # seconds: status must answer even when the broker does not
CLIENT_PREFIX = "andina-"  # a service instance's Kafka client id is andina-<instance>


def service_lags(settings: StackSettings, ends: Endpoints) -> dict[str, str]:
    """Per service, ``0`` or ``<records>: <country> <records>, ...``; ``?`` for all when Kafka does not answer."""
    registry, countries = ends.andina.topics(), ends.andina.countries()
    groups = {registry.consumer_group(name): name for name in registry.services}
    credentials = settings.kafka_credentials
    auth = KafkaUsers.load(credentials).admin() if credentials.exists() else KafkaAuth.from_environment()
    topics = {group: [registry.topic(name, SUBMISSIONS)] for group, name in groups.items()}
    try:
        lags = asyncio.run(asyncio.wait_for(lag_of_groups(kafka.bootstrap_servers(settings), auth, topics), TIMEOUT))
    except Exception as error:  # the kafka row of the table says why
        return dict.fromkeys(groups.values(), f"? ({type(error).__name__})")
    country_of = {countries.partition_of(code): code for code in countries.every_code}
    return {groups[group]: describe(partitions, country_of) for group, partitions in lags.items()}


def describe(partitions: list[PartitionLag], country_of: dict[int, str]) -> str:
    waiting: Counter[str] = Counter()
    for lag in partitions:
        if lag.records:
            waiting[country_of.get(lag.partition, f"partition {lag.partition}")] += lag.records
    if not waiting:
        return "0"
    return f"{sum(waiting.values())}: " + ", ".join(f"{who} {n}" for who, n in waiting.most_common())


async def assignments(bootstrap: str, auth: KafkaAuth, groups: list[str]) -> dict[str, list[TopicPartition]]:
    """Each member's partitions, by its client id, as the groups' coordinators describe them."""
    admin = AIOKafkaAdminClient(
        bootstrap_servers=bootstrap.split(","), client_id="andina-status", **client_options(auth)
    )
    try:
        await admin.start()
        held: dict[str, list[TopicPartition]] = {}
        # One group a request: aiokafka decodes a v3 answer with the v2 schema, which reads past
        # the first group of several (the field v3 adds ends each group).
        responses = [response for group in groups for response in await admin.describe_consumer_groups([group])]
        for response in responses:
            for group in response.to_object()["groups"]:
                for member in group["members"]:
                    raw = member["member_assignment"]
                    partitions = ConsumerProtocolMemberAssignment.decode(raw).partitions() if raw else []
                    held.setdefault(member["client_id"], []).extend(partitions)
        return held
    finally:
        await admin.close()


def held_partitions(settings: StackSettings, ends: Endpoints) -> dict[str, str]:
    """Per service instance (``alerts``, ``alerts-2``), the countries whose submissions it holds now."""
    registry, countries = ends.andina.topics(), ends.andina.countries()
    credentials = settings.kafka_credentials
    auth = KafkaUsers.load(credentials).admin() if credentials.exists() else KafkaAuth.from_environment()
    groups = [registry.consumer_group(name) for name in registry.services]
    try:
        members = asyncio.run(asyncio.wait_for(assignments(kafka.bootstrap_servers(settings), auth, groups), TIMEOUT))
    except Exception as error:  # the kafka row of the table says why
        return {"": f"? ({type(error).__name__})"}
    country_of = {countries.partition_of(code): code for code in countries.every_code}
    submissions = {registry.topic(name, SUBMISSIONS) for name in registry.services}
    return {
        client.removeprefix(CLIENT_PREFIX): countries_held(
            [tp.partition for tp in held if tp.topic in submissions], country_of
        )
        for client, held in members.items()
    }


def countries_held(partitions: list[int], country_of: dict[int, str]) -> str:
    """``BO EC``, and how many partitions no country writes to come with them (``BO EC +4``)."""
    named = [country_of[p] for p in sorted(partitions) if p in country_of]
    spare = len(partitions) - len(named)
    return " ".join([*named, *([f"+{spare}"] if spare else [])]) or "none"
