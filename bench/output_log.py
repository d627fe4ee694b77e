"""Every event that arrives on some partitions of a topic, read as each country's agency reads it.

One :class:`~andina.contract.client.PartitionReader` per partition tails it from offset 0 and
notes each event's id, type, conversation and arrival time; a sealed delivery is opened first,
with the key of the country whose partition it is on. The fault tests count outputs by id with
it; the soak benchmark measures latencies with it.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import orjson

from andina.contract.client import PartitionReader
from andina.contract.sealing import Unopenable

Decode = Callable[[bytes], dict[str, Any]]


@dataclass(frozen=True, slots=True)
class Arrival:
    partition: int
    id: str
    type: str
    correlationid: str
    arrived: float  # time.time() when the reader had it


def arrival(partition: int, value: bytes, arrived: float, decode: Decode = orjson.loads) -> Arrival:
    """What the log keeps of one record; one that is not an event (a dead letter may not be) has no type."""
    try:
        event = decode(value)
        return Arrival(partition, str(event["id"]), str(event["type"]), str(event["correlationid"]), arrived)
    except (orjson.JSONDecodeError, Unopenable, KeyError, TypeError):
        return Arrival(partition, value[:64].hex(), "", "", arrived)


class OutputLog:
    """Tails ``partitions`` of ``topic`` while open; ``arrivals`` grows as events come.

    ``decoders``: how to read each partition's records (a deliveries topic: its country's
    opener); plain JSON where none is given.
    """

    def __init__(
        self, bootstrap_servers: str, topic: str, partitions: Iterable[int], decoders: Mapping[int, Decode] = {}
    ) -> None:
        self.topic = topic
        self.arrivals: list[Arrival] = []
        self._readers = {p: PartitionReader(bootstrap_servers, topic, p) for p in partitions}
        self._decoders = decoders
        self._tasks: list[asyncio.Task[None]] = []

    async def __aenter__(self) -> OutputLog:
        for reader in self._readers.values():
            await reader.__aenter__()
        self._tasks = [asyncio.create_task(self._tail(p, r)) for p, r in self._readers.items()]
        return self

    async def _tail(self, partition: int, reader: PartitionReader) -> None:
        offset = 0
        while True:
            records = await reader.read(offset, lambda r: len(r) > 0, within=1.0)
            now = time.time()
            decode = self._decoders.get(partition, orjson.loads)
            self.arrivals.extend(arrival(partition, r.value, now, decode) for r in records if r.value is not None)
            if records:
                offset = records[-1].offset + 1

    async def __aexit__(self, *exc: object) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        for reader in self._readers.values():
            await reader.__aexit__()

    def failed(self) -> BaseException | None:
        """The error a reader stopped with, if one did (a test must not wait on a dead reader)."""
        for task in self._tasks:
            if task.done() and not task.cancelled() and task.exception() is not None:
                return task.exception()
        return None


Key = tuple[str, str, str]  # conversation (correlation id), event type, recipient country


@dataclass(frozen=True)
class Tally:
    """Outputs found against those expected, by distinct event id."""

    expected: int
    distinct: int  # expected outputs found, each counted once
    missing: list[Key]  # expected outputs not found (a key twice when two are missing)
    unexpected: list[Key]  # conversations, types or recipients nobody expected (or more than expected)
    republished: int  # records carrying an id already seen: at-least-once re-publishes

    @property
    def lost(self) -> int:
        return len(self.missing)


def tally(expected: Mapping[Key, int], arrivals: Iterable[Arrival], country_of: Mapping[int, str]) -> Tally:
    ids: dict[Key, set[str]] = defaultdict(set)
    records = 0
    for a in arrivals:
        ids[(a.correlationid, a.type, country_of.get(a.partition, f"partition-{a.partition}"))].add(a.id)
        records += 1
    found = {key: len(ids.get(key, ())) for key in expected}
    unexpected = [key for key, seen in ids.items() if len(seen) > expected.get(key, 0)]
    distinct = sum(min(count, expected[key]) for key, count in found.items())
    missing = [key for key, count in found.items() for _ in range(expected[key] - min(count, expected[key]))]
    republished = records - sum(len(s) for s in ids.values())
    return Tally(sum(expected.values()), distinct, missing, unexpected, republished)
