"""The lag column of ``andina stack status``: records each service has not committed, by country."""

from __future__ import annotations

import asyncio
from collections import Counter

from andina.deploy import kafka
from andina.deploy.kafka_users import KafkaUsers
from andina.deploy.settings import Endpoints, StackSettings
from andina.shared.lag import PartitionLag, lag_of_groups
from andina.shared.settings import KafkaAuth
from andina.shared.topics import SUBMISSIONS

TIMEOUT = 10.0  # seconds: status must answer even when the broker does not


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
