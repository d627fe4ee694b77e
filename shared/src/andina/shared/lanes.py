"""Urgent events first, and every member's partition its turn: one member's flood holds up no other.

A poll hands over what aiokafka has buffered, partition by partition: during one member's
flood a batch is that member's records, the next batch too, and another member's FLASH alert
waits behind thousands of them (seconds, measured by ``bench flood``). Worse, aiokafka fetches
nothing more while records wait in its buffer (:func:`andina.shared.consuming.fetch_when_drained`),
so an alert that reaches the broker meanwhile is not even fetched.

So a service takes every buffered record into :class:`Lanes`, one queue per partition, and
handles them in chunks: first each partition that holds an urgent event, up to and including
that event; then the others in turn, a share of the chunk each. Between chunks it takes what
was fetched meanwhile. A partition whose queue is full is paused, so the fetcher brings the
other partitions' records rather than more of the flood; it is resumed once its queue drains.
The records of one partition are always handled in order, so what is committed was handled.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Awaitable, Callable, Iterable
from typing import Any, Protocol

from aiokafka import TopicPartition

from andina.shared.consuming import rewind

Urgency = Callable[[Any], bool]  # whether a record (an aiokafka ConsumerRecord) must be handled first


class PausingConsumer(Protocol):
    """The part of ``AIOKafkaConsumer`` that lanes use besides polling."""

    def assignment(self) -> set[TopicPartition]: ...

    def pause(self, *partitions: TopicPartition) -> None: ...

    def resume(self, *partitions: TopicPartition) -> None: ...

    def paused(self) -> set[TopicPartition]: ...


class Lanes:
    """Records taken from Kafka and not handled yet, one queue per partition, in offset order."""

    def __init__(self, urgent: Urgency | None, chunk: int, full: int) -> None:
        self._urgent = urgent
        self._chunk = chunk  # records handled at once when several partitions wait, or urgent ones may come
        self._full = full  # records held for one partition before it is paused
        self._queues: dict[TopicPartition, deque[Any]] = {}
        self._urgent_up_to: dict[TopicPartition, int] = {}  # each partition's last urgent record's offset

    def __bool__(self) -> bool:
        return any(self._queues.values())

    def add(self, records: Iterable[Any]) -> None:
        for record in records:
            partition = TopicPartition(record.topic, record.partition)
            self._queues.setdefault(partition, deque()).append(record)
            if self._urgent is not None and self._urgent(record):
                self._urgent_up_to[partition] = record.offset

    def held(self) -> list[Any]:
        return [record for queue in self._queues.values() for record in queue]

    def clear(self) -> None:
        self._queues.clear()
        self._urgent_up_to.clear()

    def next_chunk(self) -> list[Any]:
        """What to handle now: the urgent partitions' records up to their urgent event, else a fair share."""
        if self._urgent_up_to:
            chunk = []
            for partition, last in self._urgent_up_to.items():
                queue = self._queues[partition]
                while queue and queue[0].offset <= last:
                    chunk.append(queue.popleft())
            self._urgent_up_to.clear()
            return chunk
        waiting = [queue for queue in self._queues.values() if queue]
        # One partition alone is handled in big chunks, unless an urgent event may come meanwhile:
        # then it waits one chunk at most.
        room = self._full if len(waiting) == 1 and self._urgent is None else self._chunk
        chunk = []
        while waiting and len(chunk) < room:  # equal shares; what a short queue leaves goes to the others
            share = max(1, (room - len(chunk)) // len(waiting))
            for queue in waiting:
                chunk.extend(queue.popleft() for _ in range(min(share, len(queue), room - len(chunk))))
            waiting = [queue for queue in waiting if queue]
        return chunk

    def keep_only(self, assigned: set[TopicPartition]) -> None:
        """Drop the records of partitions taken away by a rebalance: their new owner handles them."""
        for partition in [p for p in self._queues if p not in assigned]:
            del self._queues[partition]
            self._urgent_up_to.pop(partition, None)

    def throttle(self, consumer: PausingConsumer) -> None:
        """Pause the partitions whose queue is full; resume the others this pausing had stopped."""
        assigned, paused = consumer.assignment(), consumer.paused()
        full = {p for p, queue in self._queues.items() if len(queue) >= self._full} & assigned
        if full - paused:
            consumer.pause(*(full - paused))
        if drained := (paused - full) & assigned:
            consumer.resume(*drained)


class LaneConsumer(PausingConsumer, Protocol):
    async def getmany(
        self, *partitions: TopicPartition, timeout_ms: int = 0, max_records: int | None = None
    ) -> dict[TopicPartition, list[Any]]: ...

    def seek(self, partition: TopicPartition, offset: int) -> None: ...


async def handle_in_lanes(
    consumer: LaneConsumer,
    lanes: Lanes,
    handle: Callable[[list[Any]], Awaitable[None]],
    handled: Callable[[list[Any]], None],
    top_up_until: int,
) -> None:
    """Handle every record held, chunk by chunk, taking what was fetched meanwhile until ``top_up_until``
    records were handled (so that a call ends, and the poll loop's metrics see it). On a failure every
    partition is read again from its first record not handled, as :func:`rewind` does for a batch."""
    chunk: list[Any] = []
    done = 0
    try:
        while lanes:
            lanes.keep_only(consumer.assignment())
            chunk = lanes.next_chunk()
            if chunk:
                await handle(chunk)
                handled(chunk)
                done += len(chunk)
            chunk = []
            if done < top_up_until:
                lanes.add(record for records in (await consumer.getmany(timeout_ms=0)).values() for record in records)
            lanes.throttle(consumer)
    except BaseException:
        rewind(consumer, [*chunk, *lanes.held()])
        lanes.clear()
        consumer.resume(*consumer.paused())
        raise
