"""Watching a relay's output topic from outside, without slowing the relay down.

While a relay runs, only the topic's end offsets are polled (one small request every
``POLL_SECONDS``). Afterwards the whole output is read back: every record's producer
timestamp (CreateTime, set when the relay sent it) gives the throughput of the measured
events, with the warm-up events excluded, the same way for every relay.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable
from dataclasses import dataclass
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition

from andina.contract.kafka_auth import client_options

POLL_SECONDS = 0.1


class RelayStalledError(RuntimeError):
    """The relay did not produce the expected outputs in time."""


@dataclass(frozen=True)
class Window:
    """Throughput of outputs ``warmup+1`` .. ``warmup+events`` by their send timestamps.

    ``first``/``last`` are the rates over the first and last tenth of those outputs: they
    show a relay that slows down as it goes (e.g. a store that grows).
    """

    events: int
    seconds: float
    first: float
    last: float

    @property
    def per_second(self) -> float:
        return _rate(self.events, self.seconds)


def _rate(events: int, seconds: float) -> float:
    return events / seconds if seconds > 0 else float("nan")


def measured_window(timestamps_ms: list[int], warmup: int, events: int) -> Window:
    """The span from the last warm-up output to the last measured one.

    ``events`` outputs are sent after the warm-up's last, so that span carries exactly them.
    """
    if warmup < 1:
        raise ValueError("at least one warm-up event is needed to open the window")
    if len(timestamps_ms) < warmup + events:
        raise ValueError(f"only {len(timestamps_ms)} outputs, {warmup + events} expected")
    span = sorted(timestamps_ms)[warmup - 1 : warmup + events]  # events + 1 timestamps
    tenth = max(1, events // 10)
    return Window(
        events=events,
        seconds=(span[-1] - span[0]) / 1000,
        first=_rate(tenth, (span[tenth] - span[0]) / 1000),
        last=_rate(tenth, (span[-1] - span[-1 - tenth]) / 1000),
    )


def _consumer(bootstrap: str) -> Any:
    return AIOKafkaConsumer(
        bootstrap_servers=bootstrap.split(","), enable_auto_commit=False, group_id=None, **client_options()
    )


def _partitions(topic: str, count: int) -> list[Any]:
    return [TopicPartition(topic, p) for p in range(count)]


async def record_count(bootstrap: str, topic: str, partitions: int) -> int:
    consumer = _consumer(bootstrap)
    await consumer.start()
    try:
        return sum((await consumer.end_offsets(_partitions(topic, partitions))).values())
    finally:
        await consumer.stop()


async def wait_for_outputs(
    bootstrap: str,
    topic: str,
    partitions: int,
    expected: int,
    give_up_after: float,
    relay: Awaitable[Any] | None = None,
) -> float:
    """Wait until ``topic`` holds ``expected`` records; return the seconds waited.

    Fails early when ``relay`` (a task running the relay) ends with an error.
    """
    consumer = _consumer(bootstrap)
    await consumer.start()
    started = time.perf_counter()
    try:
        assigned = _partitions(topic, partitions)
        while True:
            count = sum((await consumer.end_offsets(assigned)).values())
            if count >= expected:
                return time.perf_counter() - started
            if isinstance(relay, asyncio.Task) and relay.done():
                relay.result()  # raises the relay's error
                raise RelayStalledError(f"the relay stopped after {count} of {expected} outputs on {topic}")
            if time.perf_counter() - started > give_up_after:
                raise RelayStalledError(f"{count} of {expected} outputs on {topic} after {give_up_after:.0f} s")
            await asyncio.sleep(POLL_SECONDS)
    finally:
        await consumer.stop()


async def read_back(bootstrap: str, topic: str, partitions: int) -> list[tuple[int, bytes | None, bytes]]:
    """Every record of ``topic``: (producer timestamp in ms, key, value)."""
    consumer = _consumer(bootstrap)
    await consumer.start()
    try:
        assigned = _partitions(topic, partitions)
        ends = await consumer.end_offsets(assigned)
        consumer.assign(assigned)
        await consumer.seek_to_beginning(*assigned)
        remaining = {tp for tp, end in ends.items() if end > 0}
        records: list[tuple[int, bytes | None, bytes]] = []
        while remaining:
            batches = await consumer.getmany(*remaining, timeout_ms=1000, max_records=5000)
            for tp, batch in batches.items():
                records.extend((r.timestamp, r.key, r.value) for r in batch)
                if batch and batch[-1].offset + 1 >= ends[tp]:
                    remaining.discard(tp)
        return records
    finally:
        await consumer.stop()
