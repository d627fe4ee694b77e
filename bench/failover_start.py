"""``bench failover``'s start-up: intel-exchange's records loaded from an image, a snapshot or a store scan.

``records`` record versions are written to the store as the service writes them. The state
is then loaded as on a first start (a scan of the store: what every start did before the
changelog) and a snapshot and an image of the built index written; then 1 % more records
are published on the changelog, as instances file them, and the state is loaded again as
on any later start: the image on local disk, then the changelog since its offsets; and, as
an instance without the image does, the store's snapshot (the index built again from its
entries), then the changelog since. All are what the service does before it consumes a
single event. ``python -m bench failover-start`` measures only these; at a million records
(its full mode) the store's snapshot is written directly instead of a million record versions
(a scan of them from FerretDB would take longer than the run may), so the first start is from
that snapshot, and it is the baseline.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from aiokafka import AIOKafkaProducer

from andina.contract.kafka_auth import client_options
from andina.contract.topics import CHANGELOG
from andina.intel_exchange.adapters.record_table import RecordTable, entry_value, listing_document
from andina.intel_exchange.adapters.records import STORED, RecordStore
from andina.intel_exchange.domain.screening import ScreeningIndex
from andina.intel_exchange.settings import Settings
from andina.shared.changelog import global_table
from andina.shared.service import ServiceDependencies, build_dependencies
from andina.shared.snapshots import SnapshotStore, pack
from bench.andean import Population
from bench.report import Result, ratio, table
from bench.screening import listing_of
from bench.service_path import logs_to_devnull, service_settings
from bench.stack import BenchStack, add_service_keys, bench_stack, drop_databases

SERVICE = "intel-exchange"
WRITE_CHUNK = 5_000
QUICK_RECORDS, FULL_RECORDS = 100_000, 1_000_000  # python -m bench failover-start
READY_WITHIN_SECONDS = 10.0  # at a million records (issue 27)


@dataclass(frozen=True)
class Start:
    seconds: float  # loading the state as a starting instance does
    cpu_seconds: float  # of this process (not the store's nor the broker's): what a loaded machine inflates least
    snapshot_seconds: float  # then writing a snapshot (and an image, if the start has a folder for it), if asked
    source: str  # where the state came from


@dataclass(frozen=True)
class StartFigures:
    records: int
    seed_seconds: float  # writing the records (or the snapshot) to the store (set-up, not a start)
    first: Start  # a scan of the store (or the seeded snapshot), then a snapshot and an image written
    snapshot: Start  # without the image: the store's snapshot and the changelog since (the first, if it was one)
    image: Start  # a later start: the image and the changelog since
    changelog_since: int
    image_bytes: int


def _changelog_entries(population: Population, first: int, count: int) -> Iterator[tuple[str, str, bytes]]:
    """Records ``first`` to ``first + count`` as changelog entries (owner, record id, value)."""
    for number in range(first, first + count):
        listing = listing_of(number, population.person())
        yield listing.owner, listing.record_id, entry_value(listing.owner, 1, listing_document(listing))


async def seed_snapshot(deps: ServiceDependencies, stack: BenchStack, records: int) -> list[tuple[str, str, bytes]]:
    """A store snapshot of ``records`` records, covering none of the changelog; the entries of 1 % more."""
    population = Population(seed=11)
    entries = ((key, value) for _, key, value in _changelog_entries(population, 0, records))
    await SnapshotStore(deps.db, stack.topics.topic(SERVICE, CHANGELOG)).save({}, pack(entries))
    return list(_changelog_entries(population, records, max(1, records // 100)))


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
    return list(_changelog_entries(population, records, max(1, records // 100)))


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


async def _start(settings: Settings, stack: BenchStack, snapshot: bool, images: Path | None) -> Start:
    deps = build_dependencies(SERVICE, settings.model_copy(update={"changelog_image_dir": str(images or "")}))
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


async def start_times(stack: BenchStack, settings: Settings, records: int, scan: bool = True) -> StartFigures:
    """``scan`` False: the store's snapshot seeded instead of the records, and no start without the image after."""
    deps = build_dependencies(SERVICE, settings)
    try:
        started = time.perf_counter()
        later = await (_seed(deps, records) if scan else seed_snapshot(deps, stack, records))
        seeded = time.perf_counter()
    finally:
        await deps.mongo.close()
    with tempfile.TemporaryDirectory(prefix="andina-images-") as folder:
        first = await _start(settings, stack, snapshot=True, images=Path(folder))
        await _publish(stack, deps, later)
        image = await _start(settings, stack, snapshot=False, images=Path(folder))
        image_bytes = await asyncio.to_thread(lambda: sum(path.stat().st_size for path in Path(folder).iterdir()))
    restart = await _start(settings, stack, snapshot=False, images=None) if scan else first
    return StartFigures(records, seeded - started, first, restart, image, len(later), image_bytes)


def start_report(start: StartFigures) -> tuple[str, Result]:
    """The three starts side by side; the figures, for a :class:`Result` of their own or of ``bench failover``."""
    scan = start.first if start.first.source == "store" else None
    starts = [("store scan", scan)] if scan else []
    starts += [("store snapshot + changelog since", start.snapshot), ("local image + changelog since", start.image)]
    rows = [[name, f"{s.seconds:.1f}", f"{s.cpu_seconds:.1f}", s.source] for name, s in starts]
    text = "\n".join(
        [
            f"start-up at {start.records:,} records ({start.changelog_since:,} changelog entries since the snapshot;"
            f" the store seeded in {start.seed_seconds:.0f} s):",
            table(["start from", "ready after s", "CPU s here", "source"], rows),
            f"writing the snapshot and the image ({start.image_bytes / 1e6:.0f} MB) after the first start:"
            f" {start.first.snapshot_seconds:.1f} s",
        ]
    )
    result = Result(
        name="failover-start",
        mode="",
        params={"records": start.records, "changelog_since": start.changelog_since},
        figures={
            "start_image_seconds": start.image.seconds,
            "start_image_cpu_seconds": start.image.cpu_seconds,
            "start_snapshot_seconds": start.snapshot.seconds,
            "start_snapshot_cpu_seconds": start.snapshot.cpu_seconds,
            "snapshot_write_seconds": start.first.snapshot_seconds,
            "image_bytes": float(start.image_bytes),
        },
        baseline={"start_store_scan_seconds": scan.seconds, "start_store_scan_cpu_seconds": scan.cpu_seconds}
        if scan
        else {},
        ratio={"start_image_vs_snapshot": ratio(start.image.seconds, start.snapshot.seconds)}
        | ({"start_image_vs_scan": ratio(start.image.seconds, scan.seconds)} if scan else {}),
        checks={"start_sources": [s.source for _, s in starts]},
    )
    return text, result


def intel_settings(stack: BenchStack) -> Settings:
    common = service_settings(stack, log_level="INFO")
    return Settings(**{name: getattr(common, name) for name in common.model_fields_set})


async def run(quick: bool) -> tuple[str, Result]:
    """Only the starts, at a million records (100,000 with ``--quick``)."""
    async with bench_stack() as stack:
        add_service_keys(stack, [SERVICE])
        try:
            with logs_to_devnull():
                records = QUICK_RECORDS if quick else FULL_RECORDS
                start = await start_times(stack, intel_settings(stack), records, scan=quick)
        finally:
            await drop_databases(stack, [SERVICE])
    text, result = start_report(start)
    result.mode = "quick" if quick else "full"
    if start.records >= FULL_RECORDS:
        result.ceilings = {"start_image_seconds": READY_WITHIN_SECONDS}
    return f"bench failover-start ({result.mode})\n\n{text}", result
