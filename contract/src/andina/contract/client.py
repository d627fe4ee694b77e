"""A small client for agency systems: submit signed events, read one's own partition.

This is what an integrator's system does on the bus; the demo, the tests and the
benchmarks use it too, so they exercise the contract exactly as agencies will.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import structlog
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord, TopicPartition
from aiokafka.errors import TopicAuthorizationFailedError

from andina.contract.countries import CountryRegistry
from andina.contract.envelope import CONTENT_TYPE, Handling, agency_source, unsigned_event
from andina.contract.fetching import undecodable_reason
from andina.contract.kafka_auth import KafkaAuth, client_options
from andina.contract.signing import SignerKey
from andina.contract.topics import SUBMISSIONS, CountryPartitioner, TopicRegistry

log = structlog.get_logger()


@dataclass(frozen=True, slots=True)
class SignedEvent:
    id: UUID
    wire: bytes


@dataclass(frozen=True, slots=True)
class Position:
    topic: str
    partition: int
    offset: int


def agency_event(
    key: SignerKey, agency: str, event_type: str, data: dict[str, Any], handling: Handling = Handling.H0, **extra: Any
) -> SignedEvent:
    """A new event from ``agency`` of the country ``key`` belongs to, signed with that key."""
    attributes = unsigned_event(
        type=event_type,
        source=agency_source(key.signer, agency),
        origin=key.signer,
        data=data,
        handling=handling,
        **extra,
    )
    return SignedEvent(UUID(attributes["id"]), key.sign(attributes))


class AgencyClient:
    """One agency of one country, signing with its country's key.

    ``auth``: the country's Kafka user (default: this process's ``ANDINA_KAFKA_*`` variables).
    """

    def __init__(
        self,
        bootstrap_servers: str,
        key: SignerKey,
        countries: CountryRegistry,
        topics: TopicRegistry,
        agency: str = "policia",
        auth: KafkaAuth | None = None,
    ) -> None:
        self.country = key.signer
        self._key = key
        self._agency = agency
        self._topics = topics
        self._producer = AIOKafkaProducer(
            bootstrap_servers=bootstrap_servers.split(","),
            acks="all",
            enable_idempotence=True,
            partitioner=CountryPartitioner(countries),
            **client_options(auth),
        )

    async def __aenter__(self) -> AgencyClient:
        await self._producer.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._producer.stop()

    def event(
        self, event_type: str, data: dict[str, Any], handling: Handling = Handling.H0, **extra: Any
    ) -> SignedEvent:
        """A new event from this agency, signed with its country's key."""
        return agency_event(self._key, self._agency, event_type, data, handling, **extra)

    async def submit(self, service: str, event: SignedEvent) -> Position:
        """Send a signed event to ``service``'s submissions topic, keyed by this country."""
        return await self.send_raw(self._topics.topic(service, SUBMISSIONS), self.country.encode(), event.wire)

    async def send_raw(self, topic: str, key: bytes | None, value: bytes, partition: int | None = None) -> Position:
        """Send any bytes, as they are: for replays and for testing the gate."""
        metadata = await self._producer.send_and_wait(
            topic, value, key=key, partition=partition, headers=[("content-type", CONTENT_TYPE.encode())]
        )
        return Position(topic, metadata.partition, metadata.offset)


def readable(record: ConsumerRecord[bytes, bytes]) -> bool:
    """False for a batch the client could not decode (:mod:`andina.contract.fetching`), logged as an error."""
    if (reason := undecodable_reason(record)) is None:
        return True
    log.error(
        "undecodable batch skipped", topic=record.topic, partition=record.partition, offset=record.offset, reason=reason
    )
    return False


class PartitionReader:
    """Reads one partition of one topic from a given offset, as a country's agency does."""

    def __init__(self, bootstrap_servers: str, topic: str, partition: int, auth: KafkaAuth | None = None) -> None:
        self._partition = TopicPartition(topic, partition)
        self._consumer = AIOKafkaConsumer(
            bootstrap_servers=bootstrap_servers.split(","), enable_auto_commit=False, **client_options(auth)
        )

    async def __aenter__(self) -> PartitionReader:
        await self._consumer.start()
        self._consumer.assign([self._partition])
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._consumer.stop()

    async def end_offset(self) -> int:
        offsets = await self._consumer.end_offsets([self._partition])
        return int(offsets[self._partition])

    async def read(
        self,
        start: int,
        until: Callable[[list[ConsumerRecord[bytes, bytes]]], bool],
        within: float = 30.0,
    ) -> list[ConsumerRecord[bytes, bytes]]:
        """Records from ``start`` on, until ``until(records)`` holds or ``within`` seconds pass.

        Raises TopicAuthorizationFailedError when this user may not see the topic at all (aiokafka
        would otherwise retry in silence until ``within`` runs out).
        """
        self._consumer.seek(self._partition, start)
        records: list[ConsumerRecord[bytes, bytes]] = []
        deadline = time.monotonic() + within
        while not until(records) and time.monotonic() < deadline:
            if self._partition.topic in self._consumer._client.cluster.unauthorized_topics:
                raise TopicAuthorizationFailedError(self._partition.topic)
            batch = await self._consumer.getmany(self._partition, timeout_ms=200)
            records.extend(record for record in batch.get(self._partition, []) if readable(record))
            await asyncio.sleep(0)
        return records
