"""How a service takes its batches from Kafka and commits them: fresh, and off the hot path.

Late arrivals. aiokafka fetches ahead: as soon as a batch is taken it sends the next fetch,
and that fetch's records wait in its buffer until the next poll. What reaches the broker
while a batch is handled is therefore only fetched when the *next* batch is taken, and
handled in the batch after that: two handling cycles of added latency. Taking a batch, then
waiting a few milliseconds for the fetch it set off, brings those records into the batch now.

Fetching when drained. aiokafka sends no fetch for a broker while records of one of its
partitions wait unread in the buffer, but only for ``prefetch_backoff`` (100 ms, not a consumer
option). After that it fetches the other partitions without the busy one; the broker holds that
fetch up to ``fetch.max.wait.ms`` when they have nothing new, and the busy partition's next
records wait behind it. :func:`fetch_when_drained` raises the backoff above any batch's time, so
the next fetch goes out once a batch is taken, for every partition, and returns as soon as one
has a record: the fetch wait then adds no latency, and can be long, which spares an idle
service and the broker dozens of empty fetches a second.

Offset commits. A commit is a round trip to the group coordinator (about 8 ms on the local
stack); awaited between batches it was a third of every poll cycle at 200 alerts/s. So was
writing the inbox's finish marks (a store round trip). A batch's offsets are noted once its
outputs are published; while the next batch is handled, the finish marks are written
(``before_commit``) and then the offsets committed. What is committed was always handled
and marked finished first, so at-least-once holds: a crash or a rebalance before a commit
means a redelivery, which the inbox recognises.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Protocol

import structlog
from aiokafka import ConsumerRecord, TopicPartition
from aiokafka.errors import ConsumerStoppedError, KafkaError

log = structlog.get_logger()


class FetchingConsumer(Protocol):
    """The part of ``AIOKafkaConsumer`` that takes and rewinds batches."""

    async def getmany(
        self, *partitions: TopicPartition, timeout_ms: int = 0, max_records: int | None = None
    ) -> dict[TopicPartition, list[Any]]: ...

    def seek(self, partition: TopicPartition, offset: int) -> None: ...


async def with_late_arrivals(consumer: FetchingConsumer, batch: Sequence[Any], wait_ms: int, limit: int) -> list[Any]:
    """``batch`` followed by the records fetched within ``wait_ms`` after it, ``limit`` in all.

    The records of one partition stay in offset order: the extra ones follow the batch's.
    """
    room = limit - len(batch)
    if wait_ms <= 0 or room <= 0:
        return list(batch)
    more = await consumer.getmany(timeout_ms=wait_ms, max_records=room)
    return [*batch, *(record for records in more.values() for record in records)]


BUSY_PARTITION_BACKOFF_SECONDS = 3600.0  # longer than any batch, outage retries included


def fetch_when_drained(consumer: Any) -> None:
    """Let the consumer fetch again only once its buffered records are taken (see the module's doc)."""
    fetcher = getattr(consumer, "_fetcher", None)
    if fetcher is None or not hasattr(fetcher, "_prefetch_backoff"):
        # aiokafka changed inside: latency is then bounded by fetch_max_wait_ms, as aiokafka intends.
        log.warning("cannot set aiokafka's prefetch backoff; keep ANDINA_FETCH_MAX_WAIT_MS short")
        return
    fetcher._prefetch_backoff = BUSY_PARTITION_BACKOFF_SECONDS


def rewind(consumer: FetchingConsumer, records: Sequence[Any]) -> None:
    """Seek each partition back to its earliest record, so that none is committed unhandled."""
    earliest: dict[TopicPartition, int] = {}
    for record in records:
        partition = TopicPartition(record.topic, record.partition)
        earliest[partition] = min(record.offset, earliest.get(partition, record.offset))
    for partition, offset in earliest.items():
        consumer.seek(partition, offset)


class CommittingConsumer(Protocol):
    """The part of ``AIOKafkaConsumer`` that commits offsets."""

    def assignment(self) -> set[TopicPartition]: ...

    async def commit(self, offsets: dict[TopicPartition, int]) -> None: ...


class OffsetCommitter:
    """One commit at a time, of the highest handled offset of each partition noted meanwhile.

    ``before_commit`` is awaited before each commit, with every batch noted so far handled:
    what must be durable before those records may be skipped on a restart.
    """

    def __init__(self, before_commit: Callable[[], Awaitable[None]]) -> None:
        self._before_commit = before_commit
        self._handled: dict[TopicPartition, int] = {}  # next offset to read, as Kafka commits it
        self._consumer: CommittingConsumer | None = None
        self._task: asyncio.Task[None] | None = None

    def handled(self, consumer: CommittingConsumer, records: Sequence[Any]) -> None:
        """Note ``records`` as handled; they are committed soon, in the background."""
        self._consumer = consumer
        for record in records:
            partition = TopicPartition(record.topic, record.partition)
            self._handled[partition] = max(record.offset + 1, self._handled.get(partition, 0))
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._commit_handled(), name="andina-offset-commits")

    async def _commit_handled(self) -> None:
        while self._handled and self._consumer is not None:
            noted, self._handled = self._handled, {}
            try:
                await self._before_commit()
            except Exception:
                # A bug, not an outage (the hook retries those): the records' effects exist, and
                # holding their commit back would only have them handled again after a restart.
                log.exception("before-commit step failed; committing the handled offsets anyway")
            # A partition taken away by a rebalance is no longer this consumer's to commit.
            owned = self._consumer.assignment()
            offsets = {partition: offset for partition, offset in noted.items() if partition in owned}
            if not offsets:
                continue
            try:
                await self._consumer.commit(offsets)
            except (KafkaError, ConsumerStoppedError) as error:
                # Tried again with the next batch's; a crash meanwhile means a redelivery, nothing lost.
                log.warning("offset commit failed; tried again after the next batch", error=repr(error))
                for partition, offset in offsets.items():
                    self._handled[partition] = max(offset, self._handled.get(partition, 0))
                return

    async def flush(self) -> None:
        """Wait until every offset noted so far is committed (or its commit failed)."""
        if self._task is not None:
            await self._task

    async def close(self) -> None:
        """Drop a commit still under way once the consumer is stopped: those records are redelivered."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task


def _tolerant_headers(records: tuple[ConsumerRecord[Any, Any], ...]) -> tuple[ConsumerRecord[Any, Any], ...]:
    """Drop header values that are not UTF-8: FastStream would fail on them before the gate."""

    def valid(value: bytes | None) -> bool:
        try:
            (value or b"").decode()
        except UnicodeDecodeError:
            return False
        return True

    # A record is copied only when it has such a value: dataclasses.replace costs more than the checks.
    return tuple(
        r
        if all(valid(v) for _, v in r.headers)
        else dataclasses.replace(r, headers=[(k, v) for k, v in r.headers if valid(v)])
        for r in records
    )


async def tolerant_headers_parser(records: Any, original: Any) -> Any:
    """FastStream's batch parser, given records whose header values are all UTF-8."""
    return await original(_tolerant_headers(records))


async def raw_decoder(message: Any, original: Any) -> Any:
    # The gate decodes and reports malformed JSON itself; FastStream must not try first.
    return message.body
