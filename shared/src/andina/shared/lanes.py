"""Urgent events first, and every member's partition its turn: one member's flood holds up no other.

A poll hands over what aiokafka has buffered, partition by partition: during one member's
flood a batch is that member's records, the next batch too, and another member's FLASH alert
waits behind thousands of them (seconds, measured by ``bench flood``). Worse, aiokafka fetches
nothing more while records wait in its buffer (:func:`andina.shared.consuming.fetch_when_drained`),
so an alert that reaches the broker meanwhile is not even fetched.

So a service takes every buffered record into :class:`Lanes`, one queue per partition, and
handles them in chunks: first each partition that holds an urgent event, up to and including
that event; then the others in turn, a share of the chunk each. A partition whose queue is full
is paused, so the fetcher brings the other partitions' records rather than more of the flood;
it is resumed once its queue drains.

An urgent event does not wait for the chunk under way either. While a chunk is handled, what is
fetched meanwhile is taken at once; an urgent event of a partition that has no record in that
chunk is handled beside it (its partition's records up to it), so its wait is its own handling,
not a chunk of the flood's as well (seconds on a loaded machine, measured by ``bench flood``).
Never two chunks of one partition at once: the records of one partition are always handled in
order, so what is committed was handled. Events of different partitions were never ordered
between themselves (two instances of a service handle them at once too).
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Awaitable, Callable, Collection, Iterable
from dataclasses import dataclass
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

    def next_urgent(self, busy: Collection[TopicPartition] = ()) -> list[Any]:
        """The records up to their urgent event of every partition that holds one, but those ``busy``."""
        chunk: list[Any] = []
        for partition in [p for p in self._urgent_up_to if p not in busy]:
            last = self._urgent_up_to.pop(partition)
            queue = self._queues[partition]
            while queue and queue[0].offset <= last:
                chunk.append(queue.popleft())
        return chunk

    def next_chunk(self) -> list[Any]:
        """What to handle now: the urgent partitions' records up to their urgent event, else a fair share."""
        if urgent := self.next_urgent():
            return urgent
        waiting = [queue for queue in self._queues.values() if queue]
        # One partition alone is handled in big chunks, unless urgent events may come: an urgent event
        # of that partition waits for the chunk under way (one of another is handled beside it).
        room = self._full if len(waiting) == 1 and self._urgent is None else self._chunk
        chunk: list[Any] = []
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


@dataclass
class _UnderWay:
    """A chunk being handled in its own task while urgent events are watched for."""

    records: list[Any]
    task: asyncio.Task[None]

    @property
    def partitions(self) -> set[TopicPartition]:
        return {TopicPartition(r.topic, r.partition) for r in self.records}


async def _take_fetched_while(consumer: LaneConsumer, lanes: Lanes, under_way: asyncio.Task[None]) -> None:
    """Take into ``lanes`` what is fetched before ``under_way`` ends (a wait, not a spin)."""
    fetching = asyncio.ensure_future(consumer.getmany(timeout_ms=FETCH_WATCH_MS))
    try:
        await asyncio.wait({under_way, fetching}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        if not fetching.done():
            fetching.cancel()  # safe: aiokafka takes records from its buffer only after its wait
            await asyncio.wait({fetching})
        # Taken even when this wait is cancelled: the consumer's position is past them, and a failure
        # rewinds to what the lanes hold.
        if not fetching.cancelled() and fetching.exception() is None:
            lanes.add(record for records in fetching.result().values() for record in records)
    if not fetching.cancelled():
        fetching.result()  # a fetch's failure fails the call


FETCH_WATCH_MS = 1_000  # longest one wait for records while a chunk is handled (it returns as soon as one comes)


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
    under_way: _UnderWay | None = None
    urgent: list[Any] = []
    done = 0
    try:
        while lanes or under_way is not None:
            lanes.keep_only(consumer.assignment())
            if under_way is None:
                if chunk := lanes.next_chunk():
                    under_way = _UnderWay(chunk, asyncio.ensure_future(handle(chunk)))
            elif urgent := lanes.next_urgent(under_way.partitions):
                await handle(urgent)
                handled(urgent)
                done += len(urgent)
                urgent = []
            topping_up = done < top_up_until
            if under_way is not None:
                if topping_up:
                    await _take_fetched_while(consumer, lanes, under_way.task)
                else:
                    await asyncio.wait({under_way.task})
                if under_way.task.done():
                    under_way.task.result()  # its failure fails the call
                    handled(under_way.records)
                    done += len(under_way.records)
                    under_way = None
            elif topping_up:
                lanes.add(record for records in (await consumer.getmany(timeout_ms=0)).values() for record in records)
            lanes.throttle(consumer)
    except BaseException:
        unhandled = [*urgent, *lanes.held()]
        if under_way is not None:
            under_way.task.cancel()
            await asyncio.wait({under_way.task})
            unhandled += under_way.records  # even if it finished meanwhile: it was not noted as handled
        rewind(consumer, unhandled)
        lanes.clear()
        consumer.resume(*consumer.paused())
        raise
