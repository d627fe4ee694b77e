"""``bench failover``'s start-up: intel-exchange's records loaded from a snapshot and the changelog, or a store scan.

``records`` record versions are written to the store as the service writes them. The state
is then loaded as on a first start (a scan of the store: what every start did before the
changelog) and a snapshot written; then ``since`` more records are published on the
changelog, as instances file them, and the state is loaded again as on any later start:
the snapshot, then the changelog since its offsets. Both are what the service does before
it consumes a single event.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime

from aiokafka import AIOKafkaProducer

from andina.intel_exchange.adapters.record_table import RecordTable, entry_value, listing_document
from andina.intel_exchange.adapters.records import STORED, RecordStore
from andina.intel_exchange.domain.screening import ScreeningIndex
from andina.intel_exchange.settings import Settings
from andina.shared.broker import client_options
from andina.shared.changelog import global_table
from andina.shared.service import ServiceDependencies, build_dependencies
from andina.shared.topics import CHANGELOG
from bench.andean import Population
from bench.screening import listing_of
from bench.stack import BenchStack

SERVICE = "intel-exchange"
WRITE_CHUNK = 5_000


@dataclass(frozen=True)
class Start:
    seconds: float  # loading the state as a starting instance does
    cpu_seconds: float  # of this process (not the store's nor the broker's): what a loaded machine inflates least
    snapshot_seconds: float  # then writing a snapshot, if asked
    source: str  # where the state came from


@dataclass(frozen=True)
class StartFigures:
    records: int
    seed_seconds: float  # writing the records to the store (set-up, not a start)
    scan: Start  # the first start: a scan of the store, then a snapshot written
    snapshot: Start  # a later start: the snapshot and the changelog since
    changelog_since: int


async def _seed(deps: ServiceDependencies, records: int) -> list[tuple[str, str, bytes]]:
    """``records`` versions in the store; the changelog entries of 1 % more, filed later (owner, id, value)."""
    population = Population(seed=11)
    versions = deps.db["record_versions"]
    now = datetime.now(UTC)
    batch = []
    for number in range(records):
        listing = listing_of(number, population.person())
        doc = {"_id": f"seed-{number}", "record_id": listing.record_id, "owner": listing.owner, "status": STORED}
        batch.append(doc | {"version": 1, "at": now, "handling": "H1", "listing": listing_document(listing)})
        if len(batch) == WRITE_CHUNK:
            await versions.insert_many(batch, ordered=False)
            batch = []
    if batch:
        await versions.insert_many(batch, ordered=False)
    later = [listing_of(records + n, population.person()) for n in range(max(1, records // 100))]
    return [(x.owner, x.record_id, entry_value(x.owner, 1, listing_document(x))) for x in later]


async def _publish(stack: BenchStack, deps: ServiceDependencies, entries: list[tuple[str, str, bytes]]) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=stack.bootstrap.split(","), acks="all", **client_options())
    await producer.start()
    try:
        topic = stack.topics.topic(SERVICE, CHANGELOG)
        for owner, key, value in entries:
            await producer.send(topic, value, key=key.encode(), partition=deps.countries.partition_of(owner))
        await producer.flush()
    finally:
        await producer.stop()


async def _start(settings: Settings, stack: BenchStack, snapshot: bool) -> Start:
    deps = build_dependencies(SERVICE, settings)
    table = RecordTable(ScreeningIndex(), lambda owner, key, value: None)
    topic = stack.topics.topic(SERVICE, CHANGELOG)
    shared = global_table(deps, table, topic, RecordStore(deps.db, table).latest_entries)
    started, cpu_started = time.perf_counter(), time.process_time()
    try:
        await shared.start()
        loaded, cpu = time.perf_counter(), time.process_time() - cpu_started
        if snapshot:
            await shared.snapshot()
        await shared.close()
    finally:
        await deps.mongo.close()
    return Start(loaded - started, cpu, time.perf_counter() - loaded, shared.source)


async def start_times(stack: BenchStack, settings: Settings, records: int) -> StartFigures:
    deps = build_dependencies(SERVICE, settings)
    try:
        started = time.perf_counter()
        later = await _seed(deps, records)
        seeded = time.perf_counter()
    finally:
        await deps.mongo.close()
    scan = await _start(settings, stack, snapshot=True)
    await _publish(stack, deps, later)
    restart = await _start(settings, stack, snapshot=False)
    return StartFigures(records, seeded - started, scan, restart, len(later))
