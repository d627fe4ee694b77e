"""Consumer lag as Kafka operators measure it: from the broker's side, whatever stops a consumer.

A service's handler metrics see only what reaches a handler; a consumer stuck inside its Kafka
client, in a rebalance, or behind a store outage leaves them silent. Lag is read from the broker
instead, as Burrow and kafka-lag-exporter do: per partition, the log end offset against the
offset the service's group committed, over connections of their own (an admin client and a
consumer outside the group), so a stalled fetch does not stall the measure.

The age of the oldest unprocessed record is estimated as kafka-lag-exporter does: each
sample notes when the log end reached which offset, and the committed offset is looked up in
that table (interpolated between samples), so no record needs to be read.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import structlog
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from prometheus_client import CollectorRegistry

from andina.contract.kafka_auth import KafkaAuth, client_options
from andina.shared.metrics import Declare
from andina.shared.settings import AndinaSettings

log = structlog.get_logger()

HISTORY = 120  # samples of the log end kept per partition: 10 minutes at the default interval


@dataclass(frozen=True, slots=True)
class PartitionLag:
    topic: str
    partition: int
    end_offset: int
    committed: int  # the group's next offset to read; the log start when it never committed

    @property
    def records(self) -> int:
        return max(self.end_offset - self.committed, 0)


async def group_lag(
    admin: AIOKafkaAdminClient, ends: AIOKafkaConsumer, group: str, topics: Sequence[str]
) -> list[PartitionLag]:
    """Every partition of ``topics``: its log end and what ``group`` committed there."""
    described = await admin.describe_topics(list(topics))
    partitions = [
        TopicPartition(topic["topic"], partition["partition"])
        for topic in described
        if not topic["error_code"]
        for partition in sorted(topic["partitions"], key=lambda p: p["partition"])
    ]
    if not partitions:
        return []
    end_offsets = await ends.end_offsets(partitions)
    committed = {
        tp: metadata.offset
        for tp, metadata in (await admin.list_consumer_group_offsets(group, partitions=partitions)).items()
        if metadata.offset >= 0
    }
    never_committed = [tp for tp in partitions if tp not in committed]
    if never_committed:  # the group starts from the earliest record still kept
        committed |= await ends.beginning_offsets(never_committed)
    return [PartitionLag(tp.topic, tp.partition, int(end_offsets[tp]), int(committed[tp])) for tp in partitions]


async def lag_of_groups(
    bootstrap: str, auth: KafkaAuth, topics_of_group: Mapping[str, Sequence[str]]
) -> dict[str, list[PartitionLag]]:
    """Each group's lag on its topics and on any other topic it committed offsets on (``andina stack status``)."""
    options = client_options(auth)
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap.split(","), client_id="andina-lag", **options)
    ends = AIOKafkaConsumer(bootstrap_servers=bootstrap.split(","), enable_auto_commit=False, **options)
    try:
        await admin.start()
        await ends.start()
        lags = {}
        for group, topics in topics_of_group.items():
            committed_on = {tp.topic for tp in await admin.list_consumer_group_offsets(group)}
            lags[group] = await group_lag(admin, ends, group, sorted({*topics, *committed_on}))
        return lags
    finally:
        await ends.stop()
        await admin.close()


class EndOffsetHistory:
    """When each partition's log end reached which offset, to date the record at a committed offset."""

    def __init__(self, size: int = HISTORY) -> None:
        self._size = size
        self._samples: dict[tuple[str, int], deque[tuple[int, float]]] = {}

    def note(self, lag: PartitionLag, now: float) -> None:
        samples = self._samples.setdefault((lag.topic, lag.partition), deque(maxlen=self._size))
        if not samples or samples[-1][0] != lag.end_offset:
            samples.append((lag.end_offset, now))

    def seconds_behind(self, lag: PartitionLag, now: float) -> float:
        """How long ago the oldest record not yet committed was appended (0 when none waits)."""
        samples = self._samples.get((lag.topic, lag.partition))
        if lag.records == 0 or not samples:
            return 0.0
        arrived = samples[0][1]  # older than the table: at least this old
        for (before, at_before), (after, at_after) in zip(samples, list(samples)[1:], strict=False):
            if before <= lag.committed < after:
                share = (lag.committed - before) / (after - before)
                arrived = at_before + share * (at_after - at_before)
                break
        return max(now - arrived, 0.0)


class LagMonitor:
    """Samples a service's group lag every ``interval`` seconds into its Prometheus registry."""

    def __init__(
        self,
        service: str,
        group: str,
        topics: Sequence[str],
        settings: AndinaSettings,
        registry: CollectorRegistry,
    ) -> None:
        declare = Declare(registry)
        self._service, self._group, self._topics = service, group, list(topics)
        self._bootstrap, self._auth = settings.kafka_bootstrap_servers.split(","), settings.kafka_auth()
        self._interval = settings.lag_sample_seconds
        self._history = EndOffsetHistory()
        self._task: asyncio.Task[None] | None = None
        labels = ["service", "topic", "partition"]
        self.records = declare.gauge(
            "andina_consumer_lag_records",
            "Records between the log end and the service's committed offset, per partition",
            labels,
        )
        self.seconds = declare.gauge(
            "andina_consumer_lag_seconds",
            "Age of the oldest record the service has not committed, per partition (0 when none waits)",
            labels,
        )
        self.committed = declare.gauge(
            "andina_consumer_committed_offset", "The service's committed offset, per partition", labels
        )

    def observe(self, lags: Sequence[PartitionLag], now: float) -> None:
        for lag in lags:
            labels = (self._service, lag.topic, str(lag.partition))
            self._history.note(lag, now)
            self.records.labels(*labels).set(lag.records)
            self.seconds.labels(*labels).set(self._history.seconds_behind(lag, now))
            self.committed.labels(*labels).set(lag.committed)

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="andina-lag-monitor")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run(self) -> None:
        while True:
            try:
                await self._sample()
            except Exception as error:  # an outage is the dependency alerts' to report: keep trying
                log.warning("consumer lag not sampled", error=repr(error))
            await asyncio.sleep(self._interval)

    async def _sample(self) -> None:
        """Sample on the same connections until one fails."""
        options = client_options(self._auth)
        admin = AIOKafkaAdminClient(bootstrap_servers=self._bootstrap, client_id="andina-lag", **options)
        ends = AIOKafkaConsumer(bootstrap_servers=self._bootstrap, enable_auto_commit=False, **options)
        try:
            await admin.start()
            await ends.start()
            while True:
                self.observe(await group_lag(admin, ends, self._group, self._topics), time.time())
                await asyncio.sleep(self._interval)
        finally:
            await ends.stop()
            await admin.close()
