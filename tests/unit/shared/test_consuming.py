import asyncio
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any
from unittest.mock import MagicMock

from aiokafka import ConsumerRecord, TopicPartition
from aiokafka.consumer.fetcher import Fetcher
from aiokafka.errors import CommitFailedError
from structlog.testing import capture_logs

from andina.shared.consuming import (
    BUSY_PARTITION_BACKOFF_SECONDS,
    OffsetCommitter,
    fetch_when_drained,
    rewind,
    tolerant_headers_parser,
    with_late_arrivals,
)

P0, P1, P2 = TopicPartition("t", 0), TopicPartition("t", 1), TopicPartition("t", 2)


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


@dataclass
class GroupMember:
    """A consumer that owns some partitions; each commit waits until the test lets it through."""

    owned: set[TopicPartition]
    commits: list[dict[TopicPartition, int]] = field(default_factory=list)
    failures: int = 0
    gate: asyncio.Event = field(default_factory=asyncio.Event)

    def assignment(self) -> set[TopicPartition]:
        return self.owned

    async def commit(self, offsets: dict[TopicPartition, int]) -> None:
        await self.gate.wait()
        if self.failures:
            self.failures -= 1
            raise CommitFailedError("the group rebalanced")
        self.commits.append(offsets)


async def nothing_to_write() -> None:
    pass


async def test_the_next_offset_after_each_partitions_last_handled_record_is_committed() -> None:
    consumer = GroupMember({P0, P1})
    consumer.gate.set()
    committer = OffsetCommitter(before_commit=nothing_to_write)

    committer.handled(consumer, [Record("t", 0, 7), Record("t", 1, 3), Record("t", 0, 9), Record("t", 0, 8)])
    await committer.flush()

    assert consumer.commits == [{P0: 10, P1: 4}]


async def test_batches_handled_during_a_commit_go_in_the_next_one_never_out_of_order() -> None:
    consumer = GroupMember({P0, P1})
    committer = OffsetCommitter(before_commit=nothing_to_write)

    committer.handled(consumer, [Record("t", 0, 1)])
    await asyncio.sleep(0)  # the first commit is under way, held at the gate
    committer.handled(consumer, [Record("t", 0, 2)])
    committer.handled(consumer, [Record("t", 1, 5), Record("t", 0, 3)])
    consumer.gate.set()
    await committer.flush()

    assert consumer.commits == [{P0: 2}, {P0: 4, P1: 6}]


async def test_partitions_a_rebalance_took_away_are_not_committed() -> None:
    consumer = GroupMember({P0})
    consumer.gate.set()
    committer = OffsetCommitter(before_commit=nothing_to_write)

    committer.handled(consumer, [Record("t", 0, 1), Record("t", 2, 8)])
    await committer.flush()

    assert consumer.commits == [{P0: 2}]
    assert P2 not in consumer.commits[0]


async def test_a_failed_commit_is_tried_again_with_the_next_batch() -> None:
    consumer = GroupMember({P0, P1}, failures=1)
    consumer.gate.set()
    committer = OffsetCommitter(before_commit=nothing_to_write)

    committer.handled(consumer, [Record("t", 0, 4)])
    await committer.flush()
    assert consumer.commits == []

    committer.handled(consumer, [Record("t", 1, 0)])
    await committer.flush()
    assert consumer.commits == [{P0: 5, P1: 1}]


async def test_what_must_be_durable_is_written_before_each_commit_never_after() -> None:
    consumer = GroupMember({P0})
    consumer.gate.set()
    steps: list[str] = []

    async def mark_finished() -> None:
        await asyncio.sleep(0.01)  # a store round trip: the commit must wait for it
        steps.append(f"finished before commit {len(consumer.commits) + 1}")

    committer = OffsetCommitter(before_commit=mark_finished)
    committer.handled(consumer, [Record("t", 0, 1)])
    await committer.flush()
    committer.handled(consumer, [Record("t", 0, 2)])
    await committer.flush()

    assert steps == ["finished before commit 1", "finished before commit 2"]
    assert consumer.commits == [{P0: 2}, {P0: 3}]


async def test_a_failing_step_before_the_commit_is_logged_and_the_handled_offsets_still_committed() -> None:
    consumer = GroupMember({P0})
    consumer.gate.set()

    async def broken() -> None:
        raise RuntimeError("a bug in the finish step")

    committer = OffsetCommitter(before_commit=broken)
    with capture_logs() as logs:
        committer.handled(consumer, [Record("t", 0, 6)])
        await committer.flush()

    assert consumer.commits == [{P0: 7}]
    assert [entry["log_level"] for entry in logs] == ["error"]


async def test_a_consumer_fetches_again_only_once_its_buffered_records_are_taken() -> None:
    # aiokafka's own fetcher, as the pinned version builds it: the backoff must be where we set it.
    client = MagicMock(_metadata_max_age_ms=300_000)
    fetcher = Fetcher(client, MagicMock())
    try:
        fetch_when_drained(SimpleNamespace(_fetcher=fetcher))

        assert fetcher._prefetch_backoff == BUSY_PARTITION_BACKOFF_SECONDS
    finally:
        await fetcher.close()


def test_a_consumer_without_that_setting_keeps_working_and_the_operators_are_told() -> None:
    with capture_logs() as logs:
        fetch_when_drained(SimpleNamespace(_fetcher=SimpleNamespace()))

    assert [entry["log_level"] for entry in logs] == ["warning"]


def test_a_header_value_that_is_not_utf8_is_dropped_and_the_records_go_on_to_the_gate() -> None:
    def record(offset: int, headers: list[tuple[str, bytes]]) -> ConsumerRecord[bytes, bytes]:
        return ConsumerRecord("t", 0, offset, 0, 0, b"PE", b"{}", None, 2, 2, headers)

    clean, broken = record(1, [("content-type", b"application/json")]), record(2, [("a", b"\xff"), ("b", b"ok")])
    seen: list[tuple[ConsumerRecord[bytes, bytes], ...]] = []

    async def parser(records: tuple[ConsumerRecord[bytes, bytes], ...]) -> str:
        seen.append(records)
        return "parsed"

    assert asyncio.run(tolerant_headers_parser((clean, broken), parser)) == "parsed"
    assert [r.headers for r in seen[0]] == [[("content-type", b"application/json")], [("b", b"ok")]]
    assert [r.offset for r in seen[0]] == [1, 2]
