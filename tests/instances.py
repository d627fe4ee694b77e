"""Several instances of one service in process, in one consumer group: which partitions each holds."""

from __future__ import annotations

import asyncio
import time
from typing import cast

import httpx
from aiokafka import AIOKafkaConsumer
from faststream.asgi import AsgiFastStream
from prometheus_client.parser import text_string_to_metric_families

from andina.contract.countries import CountryRegistry

GIVE_UP_SECONDS = 60.0


def assigned(app: AsgiFastStream) -> set[int]:
    """The submissions partitions the instance holds now (none before its consumer starts)."""
    consumer = cast(AIOKafkaConsumer | None, app.broker.subscribers[0].consumer)  # type: ignore[union-attr]
    return set() if consumer is None else {partition.partition for partition in consumer.assignment()}


async def balanced(apps: list[AsgiFastStream]) -> list[set[int]]:
    """Each instance's partitions, once the group has given every instance some."""
    deadline = time.monotonic() + GIVE_UP_SECONDS
    while not all(held := [assigned(app) for app in apps]):
        assert time.monotonic() < deadline, f"the group never gave both instances partitions: {held}"
        await asyncio.sleep(0.5)
    return held


def holder(held: list[set[int]], country: str) -> int:
    """Which of the instances holds ``country``'s partition."""
    partition = CountryRegistry.load().partition_of(country)
    return next(i for i, partitions in enumerate(held) if partition in partitions)


def held_by_another(held: list[set[int]], country: str, among: tuple[str, ...]) -> str:
    """The first of ``among`` whose partition is held by another instance than ``country``'s."""
    return next(c for c in among if holder(held, c) != holder(held, country))


async def scraped(app: AsgiFastStream, name: str) -> dict[frozenset[tuple[str, str]], float]:
    """A sample family of the service's /metrics, as Prometheus would scrape it: labels -> value."""
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://service") as client:
        text = (await client.get("/metrics")).text
    return {
        frozenset(sample.labels.items()): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == name
    }


async def until_scraped(app: AsgiFastStream, name: str, at_least: float, what: str) -> None:
    """Wait until the sum of a sample family of the instance's /metrics reaches ``at_least``."""
    deadline = time.monotonic() + GIVE_UP_SECONDS
    while sum((await scraped(app, name)).values()) < at_least:
        assert time.monotonic() < deadline, what
        await asyncio.sleep(0.2)
