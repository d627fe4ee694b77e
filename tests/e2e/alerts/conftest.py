"""The alerts service in-process, with deadlines short enough to watch escalations happen."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import pytest

from andina.alerts.app import create_app
from andina.alerts.settings import Settings
from andina.shared.client import PartitionReader
from andina.shared.countries import CountryRegistry
from andina.shared.envelope import Envelope
from andina.shared.topics import DEAD_LETTER, DELIVERIES, TopicRegistry
from tests.conftest import ServiceSettingsFactory

FAST = {
    "ack_deadline_flash": 1.5,
    "ack_deadline_urgent": 30,
    "ack_deadline_routine": 60,
    "request_deadline_urgent": 30,
    "request_deadline_normal": 2.0,
    "timer_poll_seconds": 0.2,
}


@pytest.fixture
def alerts_settings(service_settings: ServiceSettingsFactory) -> Settings:
    return service_settings(Settings).model_copy(update=FAST)


@asynccontextmanager
async def running(settings: Settings) -> AsyncIterator[None]:
    async with create_app(settings).start_lifespan_context():
        yield


Reader = Callable[..., Any]


@pytest.fixture
def inbox(kafka_bootstrap: str, topics: TopicRegistry, countries: CountryRegistry) -> Reader:
    """Events on a country's partition of the alerts deliveries (or dead-letter) topic, from offset 0."""

    async def read(country: str, count: int, within: float = 20.0, stream: str = DELIVERIES) -> list[Envelope]:
        topic = topics.topic("alerts", stream)
        async with PartitionReader(kafka_bootstrap, topic, countries.partition_of(country)) as reader:
            records = await reader.read(0, lambda r: len(r) >= count, within=within)
        if stream == DEAD_LETTER:
            return records  # type: ignore[return-value]
        return [Envelope.model_validate_json(r.value) for r in records]

    return read
