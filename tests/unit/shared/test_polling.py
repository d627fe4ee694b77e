from dataclasses import dataclass, field
from typing import Any

from aiokafka import TopicPartition

from andina.shared.polling import rewind, with_late_arrivals


@dataclass(frozen=True)
class Record:
    topic: str
    partition: int
    offset: int


@dataclass
class FetchedMeanwhile:
    """A consumer whose buffer holds what was fetched while the last batch was handled."""

    buffered: dict[TopicPartition, list[Record]]
    polls: list[dict[str, Any]] = field(default_factory=list)
    positions: dict[TopicPartition, int] = field(default_factory=dict)

    async def getmany(
        self, *partitions: TopicPartition, timeout_ms: int = 0, max_records: int | None = None
    ) -> dict[TopicPartition, list[Any]]:
        self.polls.append({"timeout_ms": timeout_ms, "max_records": max_records})
        taken, self.buffered = self.buffered, {}
        return taken

    def seek(self, partition: TopicPartition, offset: int) -> None:
        self.positions[partition] = offset


async def test_records_fetched_while_the_last_batch_was_handled_join_this_batch() -> None:
    batch = [Record("t", 0, 10), Record("t", 1, 4)]
    consumer = FetchedMeanwhile(
        {TopicPartition("t", 0): [Record("t", 0, 11)], TopicPartition("t", 2): [Record("t", 2, 0)]}
    )

    records = await with_late_arrivals(consumer, batch, wait_ms=4, limit=500)

    assert records == [*batch, Record("t", 0, 11), Record("t", 2, 0)]
    assert consumer.polls == [{"timeout_ms": 4, "max_records": 498}]


async def test_a_full_batch_or_a_zero_wait_takes_nothing_more() -> None:
    batch = [Record("t", 0, n) for n in range(3)]
    consumer = FetchedMeanwhile({TopicPartition("t", 0): [Record("t", 0, 3)]})

    assert await with_late_arrivals(consumer, batch, wait_ms=4, limit=3) == batch
    assert await with_late_arrivals(consumer, batch, wait_ms=0, limit=500) == batch
    assert consumer.polls == []


def test_a_failed_batch_rewinds_every_partition_to_its_earliest_record() -> None:
    consumer = FetchedMeanwhile({})
    records = [Record("t", 0, 10), Record("t", 1, 4), Record("t", 0, 11), Record("u", 2, 0), Record("t", 1, 3)]

    rewind(consumer, records)

    assert consumer.positions == {TopicPartition("t", 0): 10, TopicPartition("t", 1): 3, TopicPartition("u", 2): 0}
