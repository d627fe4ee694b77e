"""Acting as FIUs on the real bus: submit events, read what reached one's own partition."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from andina.contract.client import AgencyClient, PartitionReader, SignedEvent
from andina.contract.countries import CountryRegistry
from andina.contract.envelope import Handling
from andina.contract.events.finance_trace import finance_type
from andina.contract.topics import DELIVERIES, TopicRegistry
from andina.finance_trace.app import create_app
from andina.finance_trace.settings import Settings
from tests.conftest import Keys

SERVICE = "finance-trace"
Event = dict[str, Any]


def hours_ago(hours: float) -> str:
    return (datetime.now(UTC) - timedelta(hours=hours)).isoformat()


@asynccontextmanager
async def running(settings: Settings) -> AsyncIterator[None]:
    async with create_app(settings).start_lifespan_context():
        yield


@dataclass
class Fius:
    kafka: str
    topics: TopicRegistry
    countries: CountryRegistry
    agencies: dict[str, AgencyClient]
    keys: Keys
    seen: list[Event] = field(default_factory=list)  # every event read, for the id contract

    async def send(
        self, country: str, name: str, data: dict[str, Any], handling: Handling = Handling.H1
    ) -> SignedEvent:
        """Submit ``andina.finance-trace.<name>.v1`` from ``country``'s FIU."""
        event = self.agencies[country].event(finance_type(name), data, handling)
        await self.agencies[country].submit(SERVICE, event)
        return event

    async def read(
        self, country: str, until: Callable[[list[Event]], bool], within: float = 45.0, stream: str = DELIVERIES
    ) -> list[Event]:
        """Every event on ``country``'s partition of ``stream``, read until ``until(events)`` or ``within`` s."""
        events: list[Event] = []
        decode = self.keys.decoder(country, stream)

        def enough(records: list[Any]) -> bool:
            events[:] = [decode(r.value) for r in records]
            return until(events)

        topic = self.topics.topic(SERVICE, stream)
        async with PartitionReader(self.kafka, topic, self.countries.partition_of(country)) as reader:
            await reader.read(0, enough, within=within)
        self.seen += events
        return events

    async def wait_for(self, country: str, name: str, count: int = 1, within: float = 45.0) -> list[Event]:
        """Events of type ``name`` on ``country``'s partition, once ``count`` arrived (or the time is up)."""

        def arrived(events: list[Event]) -> bool:
            return len(of_type(events, name)) >= count

        return of_type(await self.read(country, arrived, within), name)


def of_type(events: list[Event], name: str) -> list[Event]:
    return [e for e in events if e["type"] == finance_type(name)]


def types(events: list[Event]) -> list[str]:
    return sorted(e["type"].split(".")[2] for e in events)
