"""Running the customs service in process and reading what countries receive, for the customs e2e tests."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable, Collection, Mapping
from contextlib import asynccontextmanager
from typing import Any

from faststream.asgi import AsgiFastStream
from pymongo import AsyncMongoClient

from andina.contract.client import AgencyClient, PartitionReader
from andina.contract.countries import CountryRegistry
from andina.contract.envelope import Handling
from andina.contract.events.receipts import event_rejected_type
from andina.contract.topics import DELIVERIES, TopicRegistry
from andina.customs.app import create_app
from andina.customs.settings import Settings
from andina.shared.store import database_name
from tests.conftest import Keys

SERVICE = "customs"
REJECTED = event_rejected_type(SERVICE)
Event = dict[str, Any]


@asynccontextmanager
async def running(settings: Settings) -> AsyncIterator[AsgiFastStream]:
    app = create_app(settings)
    async with app.start_lifespan_context():
        yield app


async def send(
    agency: AgencyClient, event_type: str, data: Mapping[str, object], handling: Handling = Handling.H1
) -> str:
    """Submit a signed event of ``agency``'s country to the customs service; return its id."""
    event = agency.event(event_type, dict(data), handling)
    await agency.submit(SERVICE, event)
    return str(event.id)


class Partitions:
    """What each country finds on its own partition of the customs topics."""

    def __init__(self, kafka: str, topics: TopicRegistry, countries: CountryRegistry, keys: Keys) -> None:
        self._kafka = kafka
        self._topics = topics
        self._countries = countries
        self._keys = keys

    async def read(
        self,
        country: str,
        types: Collection[str],
        count: int = 1,
        within: float = 30.0,
        stream: str = DELIVERIES,
        where: Callable[[Event], bool] = lambda event: True,
    ) -> list[Event]:
        """Events of ``types`` (and ``where``) on ``country``'s partition, once ``count`` arrived or ``within`` s."""

        decode = self._keys.decoder(country, stream)

        def wanted(records: list[Any]) -> list[Event]:
            events = (decode(r.value) for r in records)
            return [e for e in events if e["type"] in types and where(e)]

        topic = self._topics.topic(SERVICE, stream)
        async with PartitionReader(self._kafka, topic, self._countries.partition_of(country)) as reader:
            records = await reader.read(0, lambda records: len(wanted(records)) >= count, within=within)
        return wanted(records)


async def stored(
    mongo_url: str,
    settings: Settings,
    collection: str,
    count: int = 1,
    within: float = 30.0,
    where: Callable[[Event], bool] = lambda document: True,
) -> list[Event]:
    """The documents (``where``) of a service's collection, once ``count`` are there or ``within`` s passed."""
    client: AsyncMongoClient[Event] = AsyncMongoClient(mongo_url)
    try:
        documents = client[database_name(settings.database_prefix, SERVICE)][collection]
        deadline = time.monotonic() + within
        while True:
            found = [d for d in await documents.find({}).to_list() if where(d)]
            if len(found) >= count or time.monotonic() > deadline:
                return found
            await asyncio.sleep(0.2)
    finally:
        await client.close()
