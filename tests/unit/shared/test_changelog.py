"""The changelog: a batch's state changes go out in order per owner; every instance rebuilds the same table."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition
from faststream.kafka import KafkaBroker
from prometheus_client import CollectorRegistry

from andina.contract.countries import CountryRegistry
from andina.contract.topics import TopicRegistry
from andina.shared.changelog import (
    ENTRIES_PER_BATCH,
    ChangelogWriter,
    GlobalTable,
    MissingChangelogError,
    TableSettings,
)
from andina.shared.changelog_metrics import ChangelogMetrics
from andina.shared.snapshots import CHUNK_ENTRIES, Entry, Snapshot, SnapshotStore, pack, unpack
from andina.shared.table_images import ImageFile

TOPIC = "andina.intel-exchange.changelog.v1"


@dataclass
class Broker:
    sent: list[tuple[int, list[tuple[bytes, bytes]]]] = field(default_factory=list)
    down: bool = False

    async def publish_batch(self, *messages: Any, topic: str, partition: int, no_confirm: bool) -> asyncio.Future[None]:
        if self.down:
            raise ConnectionError("broker away")
        self.sent.append((partition, [(m.key, m.body) for m in messages]))
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        done.set_result(None)
        return done


def writer(broker: Broker) -> ChangelogWriter:
    return ChangelogWriter(cast(KafkaBroker, broker), TOPIC, CountryRegistry.load())


def test_a_batch_s_changes_go_to_their_owners_partitions_in_order() -> None:
    broker = Broker()
    changes = writer(broker)
    changes.note("EC", "EC-1", b"v1")
    changes.note("PE", "PE-1", b"v1")
    changes.note("EC", "EC-1", b"v2")

    asyncio.run(changes.publish())

    countries = CountryRegistry.load()
    assert sorted(broker.sent) == sorted(
        [
            (countries.partition_of("EC"), [(b"EC-1", b"v1"), (b"EC-1", b"v2")]),
            (countries.partition_of("PE"), [(b"PE-1", b"v1")]),
        ]
    )


def test_a_large_batch_s_changes_go_out_in_producer_sized_batches_in_order() -> None:
    broker = Broker()
    changes = writer(broker)
    for version in range(ENTRIES_PER_BATCH + 1):
        changes.note("EC", "EC-1", b"v%d" % version)

    asyncio.run(changes.publish())

    assert [len(entries) for _, entries in broker.sent] == [ENTRIES_PER_BATCH, 1]
    assert [value for _, entries in broker.sent for _, value in entries][-1] == b"v%d" % ENTRIES_PER_BATCH


def test_changes_the_broker_refused_go_out_with_the_next_batch_first() -> None:
    broker = Broker(down=True)
    changes = writer(broker)
    changes.note("EC", "EC-1", b"v1")
    with pytest.raises(ConnectionError):
        asyncio.run(changes.publish())
    changes.note("EC", "EC-1", b"v2")
    broker.down = False

    asyncio.run(changes.publish())

    assert [entries for _, entries in broker.sent] == [[(b"EC-1", b"v1"), (b"EC-1", b"v2")]]


def test_a_snapshot_packs_its_entries_into_chunks_and_back() -> None:
    entries = [(f"K-{i}", b'{"v":%d}' % i) for i in range(CHUNK_ENTRIES + 5)]

    chunks = list(pack(entries))

    assert len(chunks) == 2
    assert [entry for chunk in chunks for entry in unpack(chunk)] == entries


@dataclass(frozen=True)
class Record:
    partition: int
    offset: int
    key: bytes
    value: bytes
    timestamp: int = 0


@dataclass
class Log:
    """A changelog topic of two partitions, read as aiokafka's consumer does (assign, seek, getmany)."""

    records: dict[int, list[Record]] | None  # None: the topic does not exist
    positions: dict[int, int] = field(default_factory=dict)

    def append(self, partition: int, key: str, value: bytes) -> None:
        assert self.records is not None
        entries = self.records.setdefault(partition, [])
        entries.append(Record(partition, len(entries), key.encode(), value))

    async def start(self) -> None: ...
    async def stop(self) -> None: ...

    async def topics(self) -> set[str]:
        return {TOPIC} if self.records is not None else set()

    def assign(self, partitions: list[TopicPartition]) -> None:
        self.positions = {p.partition: 0 for p in partitions}

    def seek(self, partition: TopicPartition, offset: int) -> None:
        self.positions[partition.partition] = offset

    async def position(self, partition: TopicPartition) -> int:
        return self.positions[partition.partition]

    async def end_offsets(self, partitions: list[TopicPartition]) -> dict[TopicPartition, int]:
        return {p: len((self.records or {}).get(p.partition, [])) for p in partitions}

    async def getmany(self, timeout_ms: int, max_records: int) -> dict[TopicPartition, list[Record]]:
        fetched = {}
        for partition, position in self.positions.items():
            if records := (self.records or {}).get(partition, [])[
                position : position + 1
            ]:  # one at a time: several reads
                fetched[TopicPartition(TOPIC, partition)] = records
                self.positions[partition] = position + 1
        return fetched


@dataclass
class Table:
    state: dict[str, bytes] = field(default_factory=dict)

    async def apply(self, entries: Sequence[Entry]) -> None:
        self.state.update(entries)

    def load(self, entries: Iterable[Entry]) -> None:
        self.state = dict(entries)

    def frozen(self) -> Callable[[], Iterable[Entry]]:
        copy = list(self.state.items())
        return lambda: copy


TableT = TypeVar("TableT", bound=Table)


@dataclass
class Snapshots:
    saved: Snapshot | None = None

    async def latest(self) -> Snapshot | None:
        return self.saved

    async def save(self, offsets: dict[int, int], chunks: Iterable[bytes]) -> int:
        self.saved = Snapshot(offsets, [entry for chunk in chunks for entry in unpack(chunk)])
        return 1


def global_table(
    log: Log, snapshots: Snapshots, store: list[Entry], table: TableT, images: ImageFile | None = None
) -> tuple[TableT, GlobalTable]:
    """``table`` kept from ``log``; ``images``: its images on disk, if it makes some."""

    async def rebuild() -> list[Entry]:
        return store

    shared = GlobalTable(
        table,
        TOPIC,
        TableSettings(partitions=2, snapshot_seconds=300),
        cast(SnapshotStore, snapshots),
        rebuild,
        lambda: cast(AIOKafkaConsumer, log),
        ChangelogMetrics("intel-exchange", CollectorRegistry()),
        images,
    )
    return table, shared


def test_without_a_snapshot_the_store_then_the_changelog_make_the_table_and_a_snapshot() -> None:
    log, snapshots = Log({}), Snapshots()
    log.append(0, "A", b"a1")
    log.append(1, "B", b"b1")
    table, shared = global_table(log, snapshots, store=[("A", b"a1"), ("B", b"b1"), ("C", b"c1")], table=Table())

    async def start_then_snapshot() -> None:
        await shared.start()
        log.append(0, "A", b"a2")  # filed through another instance meanwhile
        await shared.snapshot()

    asyncio.run(start_then_snapshot())

    assert shared.source == "store"
    assert table.state == {"A": b"a1", "B": b"b1", "C": b"c1"}
    assert snapshots.saved == Snapshot({0: 1, 1: 1}, [("A", b"a1"), ("B", b"b1"), ("C", b"c1")])


def test_an_instance_starts_from_the_snapshot_and_the_changelog_since_its_offsets() -> None:
    log = Log({})
    for partition, key, value in [(0, "A", b"a1"), (1, "B", b"b1"), (0, "A", b"a2"), (1, "D", b"d1")]:
        log.append(partition, key, value)
    snapshots = Snapshots(Snapshot({0: 1, 1: 1}, [("A", b"a1"), ("B", b"b1")]))
    table, shared = global_table(log, snapshots, store=[("wrong", b"the store is not read")], table=Table())

    asyncio.run(shared.start())

    assert shared.source == "snapshot"
    assert table.state == {"A": b"a2", "B": b"b1", "D": b"d1"}


def test_a_changelog_that_ends_before_the_snapshot_s_offsets_is_read_from_its_start() -> None:
    # The topic was deleted and created again since the snapshot: its offsets name nothing.
    log = Log({})
    for partition, key, value in [(0, "A", b"a2"), (1, "D", b"d1")]:
        log.append(partition, key, value)
    snapshots = Snapshots(Snapshot({0: 7, 1: 9}, [("A", b"a1"), ("B", b"b1")]))
    table, shared = global_table(log, snapshots, store=[], table=Table())

    asyncio.run(shared.start())

    assert table.state == {"A": b"a2", "B": b"b1", "D": b"d1"}


def test_an_instance_refuses_to_start_without_its_changelog_topic_and_says_how_to_create_it() -> None:
    _, shared = global_table(Log(None), Snapshots(), store=[], table=Table())

    with pytest.raises(MissingChangelogError, match="andina topics create"):
        asyncio.run(shared.start())


def test_only_changelog_topics_are_compacted() -> None:
    registry = TopicRegistry.load()

    assert registry.compacted(registry.topic("intel-exchange", "changelog"))
    assert not registry.compacted(registry.topic("intel-exchange", "submissions"))
