"""``andina replay``: submit a service's dead letters again, as they were, after a fix.

A dead letter keeps the original bytes and key, so replaying is sending them back to
the service's submissions topic. Each selection (all reasons, or the ones named) has
its own consumer group, so a dead letter is replayed once per selection; a record that
fails again becomes a new dead letter, after the ones this run reads. A replayed event
that was processed meanwhile is refused as a ``duplicate``: replays never act twice.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import Any, TypeAlias

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from andina.contract.countries import CountryRegistry
from andina.contract.envelope import CONTENT_TYPE
from andina.contract.kafka_auth import client_options
from andina.contract.rejections import Reason
from andina.contract.topics import DEAD_LETTER, SUBMISSIONS, CountryPartitioner, TopicRegistry
from andina.deploy.processes import StackError
from andina.deploy.reach import reach_kafka
from andina.deploy.settings import Endpoints

Record: TypeAlias = Any  # an aiokafka ConsumerRecord (aiokafka ships no type hints)
# Already processed once: sending it again can only make another duplicate.
NOT_BY_DEFAULT = frozenset({Reason.DUPLICATE.value})


@dataclass
class ReplaySummary:
    replayed: Counter[str] = field(default_factory=Counter)  # by dead-letter reason
    skipped: Counter[str] = field(default_factory=Counter)  # by why not
    group: str = ""


def headers_of(record: Record) -> dict[str, str]:
    return {k: (v or b"").decode(errors="replace") for k, v in record.headers}


def why_not(record: Record, reasons: Collection[str], countries: CountryRegistry) -> str | None:
    """None when the record is to be replayed, else why it is left where it is."""
    headers = headers_of(record)
    reason = headers.get("andina-dlq-reason", "")
    if not reason:
        return "not a dead letter (no reason header)"
    if reasons and reason not in reasons:
        return "another reason"
    if not reasons and reason in NOT_BY_DEFAULT:
        return f"{reason} (already processed once)"
    if record.key is None or record.key.decode(errors="replace") not in countries:
        return "no member country as key"
    value = record.value or b""
    if int(headers.get("andina-dlq-original-bytes", len(value))) > len(value):
        return "truncated (oversized)"
    return None


def replay_group(registry: TopicRegistry, service: str, reasons: Collection[str]) -> str:
    selection = "+".join(sorted(reasons)) if reasons else "all"
    return f"{registry.namespace}-replay-{service}-{selection}"


@dataclass
class _Run:
    """One replay: what it selects, where it sends, and what it did so far."""

    consumer: AIOKafkaConsumer
    producer: AIOKafkaProducer
    submissions: str
    reasons: Collection[str]
    countries: CountryRegistry
    limit: int | None
    dry_run: bool
    progress: Callable[[int, int], None]
    total: int = 0
    done: int = 0
    summary: ReplaySummary = field(default_factory=ReplaySummary)

    def full(self) -> bool:
        return self.limit is not None and sum(self.summary.replayed.values()) >= self.limit

    async def send(self, record: Record) -> asyncio.Future[object]:
        headers = [
            ("content-type", CONTENT_TYPE.encode()),
            ("andina-replay-of", f"{record.topic}/{record.partition}/{record.offset}".encode()),
        ]
        future: asyncio.Future[object] = await self.producer.send(
            self.submissions, record.value, key=record.key, headers=headers
        )
        return future

    async def partition(self, tp: TopicPartition, start: int, end: int) -> int:
        """Replay ``tp`` from ``start`` up to ``end`` (or the limit); returns the next offset to read."""
        self.consumer.seek(tp, start)
        position = start
        while position < end and not self.full():
            batch = [r for r in (await self.consumer.getmany(tp, timeout_ms=1000)).get(tp, []) if r.offset < end]
            if not batch:
                break  # nothing readable below the end (e.g. transaction markers)
            sends = []
            for record in batch:
                if self.full():
                    break
                why = why_not(record, self.reasons, self.countries)
                if why is not None:
                    self.summary.skipped[why] += 1
                else:
                    self.summary.replayed[headers_of(record)["andina-dlq-reason"]] += 1
                    if not self.dry_run:
                        sends.append(await self.send(record))
                position = record.offset + 1
                self.done += 1
            await asyncio.gather(*sends)
            self.progress(self.done, self.total)
        return position


async def replay(
    ends: Endpoints,
    service: str,
    reasons: Collection[str],
    *,
    limit: int | None = None,
    dry_run: bool = False,
    progress: Callable[[int, int], None] = lambda done, total: None,
) -> ReplaySummary:
    """Replay the dead letters not yet seen by this selection's group, up to ``limit``."""
    registry, countries = ends.andina.topics(), ends.andina.countries()
    if service not in registry.services:
        raise StackError(f"unknown service {service!r}: one of {', '.join(registry.services)}")
    dead_letters = registry.topic(service, DEAD_LETTER)
    servers = ends.bootstrap_servers.split(",")
    group = replay_group(registry, service, reasons)
    admin = client_options(ends.admin_auth())  # the operator replays on the senders' behalf
    consumer = AIOKafkaConsumer(bootstrap_servers=servers, group_id=group, enable_auto_commit=False, **admin)
    producer = AIOKafkaProducer(
        bootstrap_servers=servers,
        acks="all",
        enable_idempotence=True,
        partitioner=CountryPartitioner(countries),
        **admin,
    )
    await reach_kafka(ends.bootstrap_servers, consumer.start(), producer.start())
    run = _Run(consumer, producer, registry.topic(service, SUBMISSIONS), reasons, countries, limit, dry_run, progress)
    run.summary.group = group
    try:
        if dead_letters not in await consumer.topics():
            raise StackError(f"no topic {dead_letters} on the broker: `andina topics create` makes it")
        partitions = [TopicPartition(dead_letters, i) for i in range(registry.partitions)]  # every topic has them all
        consumer.assign(partitions)
        end = await consumer.end_offsets(partitions)  # this run stops there: not at its own new dead letters
        first = await consumer.beginning_offsets(partitions)
        start = {tp: max(await consumer.committed(tp) or 0, first[tp]) for tp in partitions}
        run.total = sum(end[tp] - start[tp] for tp in partitions)
        progress(0, run.total)
        for tp in partitions:
            position = await run.partition(tp, start[tp], end[tp])
            if not dry_run and position > start[tp]:
                await consumer.commit({tp: position})
        return run.summary
    finally:
        await asyncio.gather(consumer.stop(), producer.stop())
