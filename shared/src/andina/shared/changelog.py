"""State every instance of a service serves from: a compacted changelog topic, read whole by each.

A service that answers from memory (records to screen, pending exports, a transfer graph)
writes each change of that state as an entry of its changelog topic, keyed by what changed
(compaction keeps each key's last entry) and on the partition of the country that owns it,
so that one key's entries stay in order. The instance that handled the event publishes a
batch's entries with its outputs, before the batch's offsets are committed: a crash before
then redelivers the batch, which writes them again. An entry states a version, so applying
it twice, or after a newer one, changes nothing.

Every instance reads the changelog as a global table, as Kafka Streams does: every
partition, with no consumer group, each entry applied to its memory. A record filed
through one instance is screenable through another a changelog round trip later, whichever
countries' partitions each holds, and the survivor of a killed instance already holds the
state of the partitions it takes over.

At start an instance loads the newest snapshot (:mod:`andina.shared.snapshots`) and reads
the changelog from the snapshot's offsets to its end; only then does it consume events. With
no snapshot (the first start with a changelog) the state is built from the store, with the
changelog read from the offsets its end had before the scan, and a snapshot is written.
Snapshots are written again every ``changelog_snapshot_seconds`` while entries come in.
A table that builds much from its entries (intel-exchange's screening index) also writes an
image of what it built beside each snapshot, on the instance's disk if ``changelog_image_dir``
is set (:mod:`andina.shared.table_images`); a start loads that first, when it is there whole.
A table of a few keys (the members' policies) needs neither: it is read from the topic's start.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import structlog
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.errors import KafkaError
from faststream.kafka import KafkaBroker, KafkaPublishMessage

from andina.contract.countries import CountryRegistry
from andina.contract.kafka_auth import client_options
from andina.shared.changelog_metrics import ChangelogMetrics, changelog_metrics
from andina.shared.snapshots import Entry, SnapshotStore, pack
from andina.shared.table_images import ImagedTable, ImageFile, TableImages

if TYPE_CHECKING:
    from andina.shared.service import ServiceDependencies

log = structlog.get_logger()

FOLLOW_POLL_MS = 200  # how long one read of the changelog waits for new entries
MAX_ENTRIES_PER_READ = 5_000
# Entries per producer batch: a screening record's entry is 1-2 KB, the producer's batches hold 512 KB.
ENTRIES_PER_BATCH = 200


class MissingChangelogError(RuntimeError):
    """The service's changelog topic does not exist: the deploy step has not created it."""


class StateTable(Protocol):
    """What a service holds in memory, as changelog entries (key -> the latest value)."""

    async def apply(self, entries: Sequence[Entry]) -> None:
        """Entries read from the changelog, in order: a value older than the one held changes nothing."""

    def load(self, entries: Iterable[Entry]) -> None:
        """Start-up: the whole state at once (a snapshot, or what the store holds)."""

    def frozen(self) -> Callable[[], Iterable[Entry]]:
        """The state as of now, turned into entries later, off the event loop (for a snapshot)."""


class ChangelogWriter:
    """Collects a batch's state changes; :meth:`publish` sends them with the batch's outputs."""

    def __init__(self, broker: KafkaBroker, topic: str, countries: CountryRegistry) -> None:
        self._broker = broker
        self.topic = topic
        self._countries = countries
        self._noted: dict[int, list[Entry]] = {}

    def note(self, owner: str, key: str, value: bytes) -> None:
        """A change of ``key``, owned by the country ``owner`` (whose partition keeps its entries in order)."""
        self._noted.setdefault(self._countries.partition_of(owner), []).append((key, value))

    async def publish(self) -> None:
        """Send what was noted, waiting for ``acks=all``; kept for the next attempt if the broker fails."""
        noted, self._noted = self._noted, {}
        try:
            pending = [
                await self._broker.publish_batch(
                    *(
                        KafkaPublishMessage(value, key=key.encode())
                        for key, value in entries[i : i + ENTRIES_PER_BATCH]
                    ),
                    topic=self.topic,
                    partition=partition,
                    no_confirm=True,
                )
                for partition, entries in noted.items()
                for i in range(0, len(entries), ENTRIES_PER_BATCH)
            ]
            await asyncio.gather(*pending)
        except BaseException:
            for partition, entries in noted.items():  # ahead of what was noted meanwhile: order kept
                self._noted[partition] = entries + self._noted.get(partition, [])
            raise


@dataclass(frozen=True, slots=True)
class TableSettings:
    partitions: int
    snapshot_seconds: float


class GlobalTable:
    """Every partition of one changelog topic, applied to a :class:`StateTable` as it grows."""

    def __init__(
        self,
        table: StateTable,
        topic: str,
        settings: TableSettings,
        snapshots: SnapshotStore | None,
        rebuild: Callable[[], Awaitable[Iterable[Entry]]],
        connect: Callable[[], AIOKafkaConsumer],
        metrics: ChangelogMetrics,
        images: ImageFile | None = None,
    ) -> None:
        self._table = table
        self._images = TableImages(table, images) if images and isinstance(table, ImagedTable) else None
        self._partitions = [TopicPartition(topic, p) for p in range(settings.partitions)]
        self._settings = settings
        self._snapshots = snapshots  # None: the topic alone is the state, read from its start
        self._rebuild = rebuild  # the state as the store holds it, when there is no snapshot
        self._connect = connect  # called in the event loop, where aiokafka clients must be made
        self._consumer: AIOKafkaConsumer
        self._metrics = metrics
        self._lag, self._applied = metrics.lag(topic), metrics.applied(topic)
        self._applied_since_snapshot = 0
        self.source = ""  # where the state came from at start: image, snapshot, store or topic (its start)

    async def start(self) -> None:
        """Load the newest snapshot (else the store) and read the changelog to its end."""
        started = time.perf_counter()
        self._consumer = self._connect()
        await self._consumer.start()
        topic = self._partitions[0].topic
        if topic not in await self._consumer.topics():
            await self._consumer.stop()
            raise MissingChangelogError(f"no topic {topic}: create it with `andina topics create` (compacted)")
        self._consumer.assign(self._partitions)
        image = None if self._images is None else await self._images.restore()
        snapshot = None if self._snapshots is None or image is not None else await self._snapshots.latest()
        if self._snapshots is None:
            self.source, offsets = "topic", {}
        elif image is not None:
            self.source, offsets = "image", image
        elif snapshot is None:
            self.source = "store"
            offsets = await self._end_offsets()  # taken before the scan: what follows is applied again
            self._table.load(await self._rebuild())
            self._applied_since_snapshot = 1  # the first follow writes a snapshot
        else:
            self.source = "snapshot"
            offsets = snapshot.offsets
            self._table.load(snapshot.entries)
        end = await self._end_offsets()
        for partition in self._partitions:
            self._consumer.seek(
                partition, self._start_offset(offsets.get(partition.partition, 0), end[partition.partition])
            )
        while not await self._reached(end):
            await self._read_once()
        seconds = time.perf_counter() - started
        self._metrics.start_seconds.labels(self._metrics.service, topic, self.source).set(seconds)
        log.info("changelog table loaded", source=self.source, seconds=round(seconds, 2), offsets=end)

    def _start_offset(self, saved: int, end: int) -> int:
        """Where to read a partition from: the saved offset, or its start when the topic ends before it
        (deleted and created again since the snapshot or image): entries read again change nothing."""
        if saved <= end:
            return saved
        log.warning("changelog ends before the saved offset; reading it from its start", saved=saved, end=end)
        return 0

    async def follow(self) -> None:
        """Apply entries as they come, and write a snapshot now and then (the service's background loop)."""
        next_snapshot = time.monotonic() + (0 if self._applied_since_snapshot else self._settings.snapshot_seconds)
        try:
            while True:
                try:
                    await self._read_once()
                except KafkaError as error:  # the broker is away: the consumer reconnects by itself
                    log.warning("changelog read failed; reading again", error=repr(error))
                    await asyncio.sleep(1)
                if self._snapshots is not None and time.monotonic() >= next_snapshot:
                    next_snapshot = time.monotonic() + self._settings.snapshot_seconds
                    if self._applied_since_snapshot:
                        await self._snapshot_or_log()
        finally:
            await self.close()

    async def close(self) -> None:
        await self._consumer.stop()

    async def _snapshot_or_log(self) -> None:
        try:
            await self.snapshot()
        except Exception:  # the store is away, say: the changelog still holds everything; tried again later
            log.exception("changelog snapshot failed")

    async def snapshot(self) -> None:
        """Save the state and the offsets it covers; the encoding runs in a thread."""
        offsets = {p.partition: await self._consumer.position(p) for p in self._partitions}
        state = self._table.frozen()
        image = None if self._images is None else await self._images.capture()
        self._applied_since_snapshot = 0
        chunks = await asyncio.to_thread(lambda: list(pack(state())))
        assert self._snapshots is not None, "a table read from its topic's start takes no snapshots"
        written = await self._snapshots.save(offsets, chunks)
        log.info("changelog snapshot written", chunks=written, offsets=offsets)
        if self._images is not None and image is not None:
            await self._images.save(offsets, image)

    async def _read_once(self) -> None:
        fetched = await self._consumer.getmany(timeout_ms=FOLLOW_POLL_MS, max_records=MAX_ENTRIES_PER_READ)
        now_ms = time.time() * 1000
        for records in fetched.values():
            await self._table.apply([(r.key.decode(), r.value) for r in records if r.key and r.value is not None])
            for record in records:
                self._lag.observe(max(0.0, now_ms - record.timestamp) / 1000)
            self._applied.inc(len(records))
            self._applied_since_snapshot += len(records)

    async def _reached(self, offsets: dict[int, int]) -> bool:
        return all([await self._consumer.position(p) >= offsets[p.partition] for p in self._partitions])

    async def _end_offsets(self) -> dict[int, int]:
        ends = await self._consumer.end_offsets(self._partitions)
        return {partition.partition: offset for partition, offset in ends.items()}


async def _nothing_stored() -> Iterable[Entry]:
    return ()


def global_table(
    deps: ServiceDependencies,
    table: StateTable,
    topic: str,
    rebuild: Callable[[], Awaitable[Iterable[Entry]]] | None,
    snapshot_format: int = 1,
) -> GlobalTable:
    """``table`` kept from ``topic`` in a service, its snapshots in the service's database.

    ``rebuild`` None: the topic alone holds the state (a few keys), read from its start at each
    start, with no snapshot. ``snapshot_format``: raised when the table's entries gain a kind.
    """
    settings = deps.settings

    def connect() -> AIOKafkaConsumer:  # outside any group: every partition, nothing committed
        return AIOKafkaConsumer(
            bootstrap_servers=settings.kafka_bootstrap_servers.split(","),
            client_id=f"andina-{deps.service}-changelog",
            group_id=None,
            enable_auto_commit=False,
            # An offset the broker no longer holds (below the log's start): the table is read again from
            # its start, never skipped to its end.
            auto_offset_reset="earliest",
            fetch_max_wait_ms=FOLLOW_POLL_MS,
            **client_options(settings.kafka_auth()),
        )

    return GlobalTable(
        table,
        topic,
        TableSettings(deps.topics.partitions, settings.changelog_snapshot_seconds),
        None if rebuild is None else SnapshotStore(deps.db, topic, snapshot_format),
        rebuild or _nothing_stored,
        connect,
        changelog_metrics(deps.service, deps.metrics.registry),
        ImageFile(Path(settings.changelog_image_dir), topic) if settings.changelog_image_dir else None,
    )
