"""A service whose consumption stalls shows lag growing and its committed offset standing still.

The stall is put into the service's own consume path (every batch waits), so its handler
metrics see nothing, as when a fetch failed inside the Kafka client: the lag is read from the
broker all the same, and falls back to 0 once the service goes on.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import httpx
import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition
from faststream.asgi import AsgiFastStream
from prometheus_client.parser import text_string_to_metric_families

from andina.alerts.app import create_app
from andina.alerts.settings import Settings
from andina.contract.client import AgencyClient
from andina.contract.countries import CountryRegistry
from andina.contract.events.catalogs.alerts import MESSAGE_SENT
from andina.contract.kafka_auth import KafkaAuth, client_options
from andina.contract.topics import SUBMISSIONS, TopicRegistry
from andina.deploy.lag_view import describe
from andina.shared.lag import lag_of_groups
from andina.shared.processing import EventProcessor
from tests.conftest import ServiceSettingsFactory

pytestmark = pytest.mark.integration

MESSAGE = {"subject": "Requisitoria", "body": "Sujeto cruzó por Desaguadero", "recipients": ["BO"]}


async def lag_of(app: AsgiFastStream, topic: str, partition: int) -> dict[str, float]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://service") as client:
        text = (await client.get("/metrics")).text
    wanted = {"topic": topic, "partition": str(partition)}
    return {
        sample.name: sample.value
        for family in text_string_to_metric_families(text)
        if family.name.startswith("andina_consumer_")
        for sample in family.samples
        if wanted.items() <= sample.labels.items()
    }


async def lag_until(
    app: AsgiFastStream, topic: str, partition: int, holds: Callable[[dict[str, float]], bool]
) -> dict[str, float]:
    """The partition's lag figures once ``holds`` accepts them (20 s at most)."""
    for _ in range(100):
        figures = await lag_of(app, topic, partition)
        if holds(figures):
            break
        await asyncio.sleep(0.2)
    return figures


async def test_a_stalled_service_shows_lag_and_age_growing_and_none_once_it_goes_on(
    service_settings: ServiceSettingsFactory,
    agencies: dict[str, AgencyClient],
    countries: CountryRegistry,
    topics: TopicRegistry,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    released = asyncio.Event()
    process = EventProcessor.process

    async def stalled(self: EventProcessor, records: list[object]) -> None:
        await released.wait()
        await process(self, records)  # type: ignore[arg-type]

    monkeypatch.setattr(EventProcessor, "process", stalled)
    settings = service_settings(Settings).model_copy(update={"lag_sample_seconds": 0.5})
    submissions, pe = topics.topic("alerts", SUBMISSIONS), countries.partition_of("PE")
    app = create_app(settings)
    async with app.start_lifespan_context():
        for _ in range(3):
            await agencies["PE"].submit("alerts", agencies["PE"].event(MESSAGE_SENT, MESSAGE))

        stalled_lag = await lag_until(app, submissions, pe, lambda f: f.get("andina_consumer_lag_seconds", 0) >= 1)
        assert stalled_lag["andina_consumer_lag_records"] == 3.0
        assert stalled_lag["andina_consumer_committed_offset"] == 0.0
        released.set()
        caught_up = await lag_until(app, submissions, pe, lambda f: f.get("andina_consumer_lag_records") == 0)

    assert caught_up == {  # the three events handled and committed
        "andina_consumer_lag_records": 0.0,
        "andina_consumer_lag_seconds": 0.0,
        "andina_consumer_committed_offset": 3.0,
    }


async def test_stack_status_counts_the_records_a_group_has_not_committed_by_country(
    kafka_bootstrap: str, agencies: dict[str, AgencyClient], countries: CountryRegistry, topics: TopicRegistry
) -> None:
    submissions, group = topics.topic("alerts", SUBMISSIONS), topics.consumer_group("alerts")
    for country, count in (("PE", 5), ("CO", 2)):
        for _ in range(count):
            await agencies[country].submit("alerts", agencies[country].event(MESSAGE_SENT, MESSAGE))
    pe = TopicPartition(submissions, countries.partition_of("PE"))
    consumer = AIOKafkaConsumer(bootstrap_servers=kafka_bootstrap, group_id=group, **client_options())
    await consumer.start()
    try:
        consumer.assign([pe])
        await consumer.commit({pe: 2})  # PE's first two handled; nothing of CO's
    finally:
        await consumer.stop()

    lags = await lag_of_groups(kafka_bootstrap, KafkaAuth.from_environment(), {group: [submissions]})

    waiting = {(lag.partition, lag.committed, lag.records) for lag in lags[group] if lag.end_offset}
    assert waiting == {(pe.partition, 2, 3), (countries.partition_of("CO"), 0, 2)}
    country_of = {countries.partition_of(code): code for code in countries.codes}
    assert describe(lags[group], country_of) == "5: PE 3, CO 2"
