"""One member's flood holds up no other: urgent events first, every partition its turn, each in order."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiokafka import TopicPartition

from andina.shared.lanes import Lanes, handle_in_lanes

TOPIC = "andina.alerts.submissions.v1"
PE, CO, BO = 3, 1, 0


@dataclass(frozen=True)
class Record:
    partition: int
    offset: int
    urgent: bool = False
    topic: str = TOPIC


def flood(partition: int, count: int, first: int = 0) -> list[Record]:
    return [Record(partition, first + n) for n in range(count)]


def lanes(chunk: int = 64, full: int = 500) -> Lanes:
    return Lanes(lambda record: record.urgent, chunk, full)


def where(records: list[Record]) -> list[tuple[int, int]]:
    return [(r.partition, r.offset) for r in records]


def test_a_partition_with_an_urgent_event_goes_first_up_to_that_event_in_order() -> None:
    held = lanes()
    held.add([*flood(PE, 300), Record(CO, 7), Record(CO, 8, urgent=True), Record(CO, 9)])

    assert where(held.next_chunk()) == [(CO, 7), (CO, 8)]  # CO's record before its FLASH stays before it
    following = held.next_chunk()
    assert (CO, 9) in where(following)
    assert len(following) == 64  # then every partition its share: CO's last one, the rest PE's
    assert sorted(where(following))[:2] == [(CO, 9), (PE, 0)]


def test_partitions_take_turns_and_a_lone_partition_keeps_the_chunk_size_where_urgent_events_may_come() -> None:
    held = lanes(chunk=64, full=500)
    held.add([*flood(PE, 600), *flood(BO, 40)])

    first = held.next_chunk()
    assert sum(r.partition == BO for r in first) == 32
    assert sum(r.partition == PE for r in first) == 32
    second = held.next_chunk()
    assert (sum(r.partition == BO for r in second), len(second)) == (8, 64)  # BO's last 8, PE the rest
    third = held.next_chunk()
    assert ({r.partition for r in third}, len(third)) == ({PE}, 64)  # alone, so that a FLASH never waits long


def test_a_service_without_urgent_events_handles_a_lone_partition_in_big_chunks() -> None:
    held = Lanes(None, chunk=64, full=500)
    held.add([*flood(PE, 600), *flood(BO, 10)])

    assert len(held.next_chunk()) == 64  # two partitions: each its share
    assert (len(held.next_chunk()), len(held.next_chunk())) == (500, 46)  # PE alone: as batches


def test_the_records_of_a_partition_taken_away_by_a_rebalance_are_dropped() -> None:
    held = lanes()
    held.add([*flood(PE, 5), Record(CO, 0, urgent=True)])

    held.keep_only({TopicPartition(TOPIC, PE)})

    assert where(held.next_chunk()) == [(PE, n) for n in range(5)]
    assert not held


@dataclass
class Broker:
    """A consumer whose buffer receives ``arrivals[n]`` once ``n`` chunks were handled."""

    arrivals: dict[int, list[Record]]
    partitions: tuple[int, ...] = (BO, CO, PE)
    handled_chunks: int = 0
    paused_now: set[TopicPartition] = field(default_factory=set)
    pauses: list[set[int]] = field(default_factory=list)
    seeks: dict[int, int] = field(default_factory=dict)
    fetches: int = 0

    def assignment(self) -> set[TopicPartition]:
        return {TopicPartition(TOPIC, p) for p in self.partitions}

    def pause(self, *partitions: TopicPartition) -> None:
        self.paused_now |= set(partitions)
        self.pauses.append({p.partition for p in partitions})

    def resume(self, *partitions: TopicPartition) -> None:
        self.paused_now -= set(partitions)

    def paused(self) -> set[TopicPartition]:
        return set(self.paused_now)

    def seek(self, partition: TopicPartition, offset: int) -> None:
        self.seeks[partition.partition] = offset

    async def getmany(
        self, *partitions: TopicPartition, timeout_ms: int = 0, max_records: int | None = None
    ) -> dict[TopicPartition, list[Any]]:
        self.fetches += 1
        fetched = self.arrivals.pop(self.handled_chunks, [])
        return {TopicPartition(TOPIC, p): [r for r in fetched if r.partition == p] for p in self.partitions}


async def test_a_flash_fetched_during_a_flood_is_handled_next_not_after_the_flood() -> None:
    broker = Broker(arrivals={1: [Record(CO, 0, urgent=True)]})
    held = lanes(chunk=64, full=200)
    chunks: list[list[tuple[int, int]]] = []
    committed: list[Record] = []

    async def handle(chunk: list[Record]) -> None:
        chunks.append(where(chunk))
        broker.handled_chunks += 1

    held.add(flood(PE, 1_000))
    await handle_in_lanes(broker, held, handle, committed.extend, top_up_until=10_000)

    assert chunks[1] == [(CO, 0)]  # right after the chunk that was being handled when it arrived
    assert sorted(where(committed)) == sorted([(CO, 0), *((PE, n) for n in range(1_000))])
    assert {PE} in broker.pauses  # PE's full queue stopped its fetches meanwhile
    assert broker.paused_now == set()  # and every pause was lifted once drained


async def test_a_flash_is_handled_while_a_chunk_of_another_partition_is_still_under_way() -> None:
    flash = Record(CO, 0, urgent=True)
    broker = Broker(arrivals={})
    held = lanes(chunk=64, full=200)
    steps: list[str] = []
    flash_handled = asyncio.Event()

    async def handle(chunk: list[Record]) -> None:
        if flash in chunk:
            steps.append("flash")
            flash_handled.set()
            return
        steps.append(f"chunk of {len(chunk)}")
        if len(steps) == 1:
            broker.arrivals[0] = [flash]  # fetched while this chunk is handled
            await asyncio.wait_for(flash_handled.wait(), timeout=5)  # it never comes if it must wait for us
        steps.append("chunk done")

    held.add(flood(PE, 100))
    await handle_in_lanes(broker, held, handle, lambda chunk: None, top_up_until=10_000)

    assert steps[:3] == ["chunk of 64", "flash", "chunk done"]


async def test_a_flash_waits_for_the_chunk_under_way_that_holds_earlier_records_of_its_partition() -> None:
    flash = Record(CO, 5, urgent=True)
    broker = Broker(arrivals={})
    held = lanes(chunk=64, full=200)
    handled: list[list[tuple[int, int]]] = []

    async def handle(chunk: list[Record]) -> None:
        if broker.fetches == 0:
            broker.arrivals[0] = [flash]
            for _ in range(100):  # until the FLASH was fetched and what came of it decided
                if broker.fetches >= 2:
                    break
                await asyncio.sleep(0)
        handled.append(where(chunk))

    held.add([*flood(PE, 100), *flood(CO, 5)])
    await handle_in_lanes(broker, held, handle, lambda chunk: None, top_up_until=10_000)

    assert (CO, 4) in handled[0]
    assert handled[1] == [(CO, 5)]  # after CO's earlier records, never beside them


async def test_a_failure_reads_every_partition_again_from_its_first_record_not_handled() -> None:
    broker = Broker(arrivals={})
    held = lanes(chunk=10, full=100)
    held.add([*flood(PE, 30), *flood(BO, 30, first=100)])
    handled: list[Record] = []

    async def handle(chunk: list[Record]) -> None:
        if handled:
            raise ConnectionError("the store went away")
        handled.extend(chunk)

    with pytest.raises(ConnectionError):
        await handle_in_lanes(broker, held, handle, lambda chunk: None, top_up_until=1_000)

    assert broker.seeks == {PE: 5, BO: 105}  # the first chunk's 5 + 5 were handled
    assert not held
