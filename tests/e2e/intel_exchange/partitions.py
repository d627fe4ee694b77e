"""Reading what each country's partition received, as its agencies do."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from andina.contract.client import PartitionReader
from andina.contract.countries import CountryRegistry
from andina.contract.events.intel_exchange import intel_type
from andina.contract.topics import DELIVERIES, TopicRegistry
from tests.conftest import Keys

Events = list[dict[str, Any]]


class Bus:
    """Reads what each country's partition received on this test's topics."""

    SERVICE = "intel-exchange"

    def __init__(self, kafka: str, topics: TopicRegistry, countries: CountryRegistry, keys: Keys) -> None:
        self._kafka, self._topics, self._countries, self._keys = kafka, topics, countries, keys

    async def read(
        self, country: str, until: Callable[[Events], bool], stream: str = DELIVERIES, within: float = 30.0
    ) -> Events:
        topic = self._topics.topic(self.SERVICE, stream)
        decode = self._keys.decoder(country, stream)
        async with PartitionReader(self._kafka, topic, self._countries.partition_of(country)) as reader:
            records = await reader.read(0, lambda r: until([decode(x.value) for x in r]), within=within)
        return [decode(r.value) for r in records]


def of_type(name: str, count: int = 1) -> Callable[[Events], bool]:
    return lambda events: sum(e["type"] == intel_type(name) for e in events) >= count


def only(events: Events, name: str) -> list[dict[str, Any]]:
    return [e["data"] for e in events if e["type"] == intel_type(name)]
