"""Taking a batch that is fresh, not one cycle old.

aiokafka fetches ahead: as soon as a batch is taken it sends the next fetch, and that
fetch's records wait in its buffer until the next poll. What reaches the broker while a
batch is handled is therefore only fetched when the *next* batch is taken, and handled in
the batch after that: two handling cycles of added latency. Taking a batch, then waiting a
few milliseconds for the fetch it set off, brings those records into the batch now.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from aiokafka import TopicPartition


class Consumer(Protocol):
    """The part of ``AIOKafkaConsumer`` used here."""

    async def getmany(
        self, *partitions: TopicPartition, timeout_ms: int = 0, max_records: int | None = None
    ) -> dict[TopicPartition, list[Any]]: ...

    def seek(self, partition: TopicPartition, offset: int) -> None: ...


async def with_late_arrivals(consumer: Consumer, batch: Sequence[Any], wait_ms: int, limit: int) -> list[Any]:
    """``batch`` followed by the records fetched within ``wait_ms`` after it, ``limit`` in all.

    The records of one partition stay in offset order: the extra ones follow the batch's.
    """
    room = limit - len(batch)
    if wait_ms <= 0 or room <= 0:
        return list(batch)
    more = await consumer.getmany(timeout_ms=wait_ms, max_records=room)
    return [*batch, *(record for records in more.values() for record in records)]


def rewind(consumer: Consumer, records: Sequence[Any]) -> None:
    """Seek each partition back to its earliest record, so that none is committed unhandled."""
    earliest: dict[TopicPartition, int] = {}
    for record in records:
        partition = TopicPartition(record.topic, record.partition)
        earliest[partition] = min(record.offset, earliest.get(partition, record.offset))
    for partition, offset in earliest.items():
        consumer.seek(partition, offset)
