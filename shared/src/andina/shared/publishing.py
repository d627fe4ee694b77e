"""Publishing signed events and dead letters through the broker."""

from __future__ import annotations

import asyncio
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from faststream.kafka import KafkaBroker, KafkaPublishMessage

from andina.contract.countries import CountryRegistry
from andina.contract.envelope import CONTENT_TYPE
from andina.contract.rejections import Rejected
from andina.contract.sealing import DeliverySealer
from andina.contract.signing import SignerKey
from andina.shared.metrics import ServiceMetrics
from andina.shared.store import RecordPosition

# Enough of an oversized record to recognise it, without making the dead letter oversized too.
OVERSIZED_PREFIX_BYTES = 4096
# One producer batch; the broker factory sizes the producer's batches to hold it.
MAX_BATCH_BYTES = 512 * 1024


@dataclass(frozen=True, slots=True)
class Outgoing:
    """An event to emit: unsigned attributes, the topic, and the country whose partition gets it."""

    topic: str
    recipient: str
    attributes: dict[str, Any]


class EventPublisher:
    """Signs events with the service's key and publishes them, waiting for ``acks=all``.

    Events for one recipient on one topic go out as one Kafka batch on that country's
    partition (the partitioner's mapping), each record keyed by the recipient: one
    request per recipient instead of one per event, in order. On the topics countries read
    (``sealed_topics``: the deliveries), each event is sealed, whole, for its recipient first.
    """

    def __init__(
        self,
        broker: KafkaBroker,
        key: SignerKey,
        countries: CountryRegistry,
        metrics: ServiceMetrics,
        sealer: DeliverySealer,
        sealed_topics: frozenset[str],
    ) -> None:
        self._broker = broker
        self._key = key
        self._countries = countries
        self._metrics = metrics
        self._sealer = sealer
        self._sealed_topics = sealed_topics

    async def publish(self, outgoing: Iterable[Outgoing]) -> None:
        by_destination: dict[tuple[str, str], list[Outgoing]] = defaultdict(list)
        for event in outgoing:
            by_destination[(event.topic, event.recipient)].append(event)
        pending = []
        for (topic, recipient), events in by_destination.items():
            key = recipient.encode()
            if topic in self._sealed_topics:
                signed = [self._key.sign(self._sealer.seal(event.attributes, recipient)) for event in events]
            else:
                signed = [self._key.sign(event.attributes) for event in events]
            for chunk in _chunks(signed, MAX_BATCH_BYTES):
                pending.append(
                    await self._broker.publish_batch(
                        *(KafkaPublishMessage(value, key=key) for value in chunk),
                        topic=topic,
                        partition=self._countries.partition_of(recipient),
                        headers={"content-type": CONTENT_TYPE},
                        no_confirm=True,
                    )
                )
            for event_type, count in Counter(event.attributes["type"] for event in events).items():
                self._metrics.published.labels(self._metrics.service, event_type, recipient).inc(count)
        await asyncio.gather(*pending)


def _chunks(values: list[bytes], limit: int) -> Iterator[list[bytes]]:
    """Consecutive runs of ``values`` whose total size stays under ``limit`` (at least one each)."""
    chunk: list[bytes] = []
    size = 0
    for value in values:
        if chunk and size + len(value) > limit:
            yield chunk
            chunk, size = [], 0
        chunk.append(value)
        size += len(value) + 128  # record overhead: key, headers, framing
    if chunk:
        yield chunk


class DeadLetters:
    """Sends a refused record to the service's dead-letter topic.

    The value is the original bytes (a prefix when oversized), so a fixed record can be
    replayed as it was; the reason and the source position travel in headers.
    """

    def __init__(self, broker: KafkaBroker, topic: str, countries: CountryRegistry, metrics: ServiceMetrics) -> None:
        self._broker = broker
        self.topic = topic
        self._countries = countries
        self._metrics = metrics

    async def send(self, key: bytes | None, value: bytes, position: RecordPosition, rejection: Rejected) -> None:
        sender = key.decode("ascii", "replace") if key else None
        known = sender is not None and sender in self._countries
        await self._broker.publish(
            value[:OVERSIZED_PREFIX_BYTES] if len(value) > OVERSIZED_PREFIX_BYTES else value,
            topic=self.topic,
            key=key if known else None,
            partition=None if known else self._countries.unattributed_partition,
            headers={
                "andina-dlq-reason": rejection.reason.value,
                "andina-dlq-detail": rejection.detail[:1000],
                "andina-dlq-service": self._metrics.service,
                "andina-dlq-source-topic": position.topic,
                "andina-dlq-source-partition": str(position.partition),
                "andina-dlq-source-offset": str(position.offset),
                "andina-dlq-original-bytes": str(len(value)),
            },
        )
        self._metrics.dead_letters.labels(self._metrics.service, rejection.reason.value).inc()
