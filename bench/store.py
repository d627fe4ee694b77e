"""``python -m bench store [--quick]``: the same workload on FerretDB/SQLite and FerretDB/PostgreSQL.

Each backend gets a store of its own (``andina.deploy.store.running``: a FerretDB and, for
PostgreSQL, a cluster in a temporary state folder, on free ports), beside the stack's, which
is not touched; the services still use the stack's Kafka, in a namespace of the run. On each:
single store operations (insert, find and update by _id, one at a time: the round trip a
service pays per write), declarations/s through the customs service consuming a backlog, and
the alerts service's raise-to-delivery p50/p99 at 200 alerts/s. Baseline in the same run:
a raw Kafka produce-to-consume round trip at 200/s (no service, no store).
"""

from __future__ import annotations

import dataclasses
import os
import statistics
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import ExitStack, asynccontextmanager, contextmanager
from dataclasses import dataclass
from pathlib import Path

from aiokafka import AIOKafkaProducer
from pymongo import AsyncMongoClient

from andina.contract.kafka_auth import client_options
from andina.customs.adapters.reference import load_hs_table, load_rates
from andina.customs.app import create_app
from andina.customs.settings import Settings
from andina.deploy import store
from andina.deploy.fleet import free_port
from andina.deploy.settings import StackSettings, StoreBackend
from andina.shared.store import Document
from bench import alerts, customs
from bench.customs_baseline import DocumentJoin, Filer
from bench.customs_service import SERVICE, committed
from bench.report import Result, ratio, table
from bench.service_path import logs_to_devnull, service_settings
from bench.stack import BenchStack, add_service_keys, bench_stack, drop_databases

BACKENDS: tuple[StoreBackend, ...] = ("sqlite", "postgresql")
RATE = 200


@dataclass(frozen=True)
class Config:
    mode: str
    operations: int  # of each kind, one at a time
    filled: int  # documents in the collection before the timed operations
    customs: customs.Config
    alerts: alerts.Config


def _config(mode: str, operations: int, filled: int, pairs: int, seconds: float) -> Config:
    declarations = dataclasses.replace(customs.QUICK, pairs=pairs, warmup=pairs // 6)
    return Config(mode, operations, filled, declarations, alerts.Config(rates=(RATE,), seconds=seconds, backlog=0))


QUICK = _config("quick", operations=300, filled=10_000, pairs=3_000, seconds=5.0)
FULL = _config("full", operations=2_000, filled=50_000, pairs=20_000, seconds=20.0)


@dataclass(frozen=True)
class Figures:
    backend: StoreBackend
    operation_ms: dict[str, tuple[float, float]]  # p50, p99 of each single operation
    declarations_per_s: float
    alerts: alerts.Latency


@contextmanager
def private_store(backend: StoreBackend, state: Path) -> Iterator[str]:
    """A store of ``backend`` on free ports in ``state``; its binary built once in this checkout's .stack."""
    shared_build = StackSettings(state_dir=StackSettings().root / ".stack" / "bench-store")
    store.ensure_binary(shared_build)
    state.mkdir(mode=0o755)  # PostgreSQL's own account must reach its data folder
    (state / "bin").symlink_to(store.binary_path(shared_build).parent)
    settings = StackSettings(state_dir=state, mongo_port=free_port(), postgres_port=free_port(), store_backend=backend)
    with store.running(settings) as mongo_url:
        yield mongo_url


async def _operations(mongo_url: str, config: Config) -> dict[str, tuple[float, float]]:
    """Each operation's p50/p99 on a collection that already holds ``config.filled`` documents.

    String ids, as the services' (event ids, alert ids): a filled collection shows whether a
    lookup by _id uses the index or reads every document.
    """
    client: AsyncMongoClient[Document] = AsyncMongoClient(mongo_url)
    timings: dict[str, list[float]] = {"insert": [], "find by _id": [], "update by _id": []}
    things = client["bench_store_operations"]["things"]
    try:
        for start in range(0, config.filled, 1_000):
            await things.insert_many([_thing(f"filled-{n}") for n in range(start, start + 1_000)])
        for n in range(config.operations):
            key = f"timed-{n}"
            for name, operation in (
                ("insert", things.insert_one(_thing(key))),
                ("find by _id", things.find_one({"_id": key})),
                ("update by _id", things.update_one({"_id": key, "status": "raised"}, {"$set": {"status": "seen"}})),
            ):
                started = time.perf_counter()
                await operation
                timings[name].append((time.perf_counter() - started) * 1000)
    finally:
        await client.drop_database("bench_store_operations")
        await client.close()
    return {name: _p50_p99(values) for name, values in timings.items()}


def _thing(key: str) -> Document:
    return {"_id": key, "status": "raised", "facts": "x" * 200}


def _p50_p99(values: list[float]) -> tuple[float, float]:
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return cuts[49], cuts[98]


async def _declarations_per_s(stack: BenchStack, config: customs.Config) -> float:
    add_service_keys(stack, [SERVICE])
    settings = Settings(**service_settings(stack).model_dump(exclude={"http_port"}))
    try:
        truth = await customs.prepare(stack, config, DocumentJoin(Filer(load_hs_table(), load_rates())))
        with logs_to_devnull():
            async with create_app(settings).start_lifespan_context():
                progress = await committed(stack, truth.declarations, config.warmup, config.timeout)
    finally:
        await drop_databases(stack, [SERVICE])
    return progress.rate()


@asynccontextmanager
async def _producer(stack: BenchStack) -> AsyncIterator[AIOKafkaProducer]:
    producer = AIOKafkaProducer(
        bootstrap_servers=stack.bootstrap.split(","), acks="all", enable_idempotence=True, **client_options()
    )
    await producer.start()
    try:
        yield producer
    finally:
        await producer.stop()


async def _measure(stores: dict[StoreBackend, str], config: Config) -> list[Figures]:
    """Each phase on every store in turn, so that the machine's load weighs on both alike."""
    operations = {backend: await _operations(url, config) for backend, url in stores.items()}
    rates = {}
    for backend, url in stores.items():
        async with bench_stack() as stack:
            rates[backend] = await _declarations_per_s(dataclasses.replace(stack, mongo_url=url), config.customs)
    latencies = {}
    for backend, url in stores.items():
        async with bench_stack(alerts.MEMBERS) as stack:
            on_store = dataclasses.replace(stack, mongo_url=url)
            async with _producer(stack) as producer, alerts.service_process(on_store, port=free_port()):
                _, (latencies[backend],) = await alerts.service_latencies(on_store, producer, config.alerts)
    return [Figures(b, operations[b], rates[b], latencies[b]) for b in stores]


async def _raw_round_trip(config: Config) -> alerts.Latency:
    async with bench_stack(alerts.MEMBERS) as stack, _producer(stack) as producer:
        (raw,) = await alerts.raw_latencies(stack, producer, config.alerts)
    return raw


async def run(quick: bool) -> tuple[str, Result]:
    config = QUICK if quick else FULL
    with tempfile.TemporaryDirectory(prefix="andina-bench-store-") as state, ExitStack() as running:
        os.chmod(state, 0o755)
        stores = {b: running.enter_context(private_store(b, Path(state) / b)) for b in BACKENDS}
        measured = await _measure(stores, config)
    raw = await _raw_round_trip(config)
    return _report(config, measured, raw)


def _report(config: Config, measured: list[Figures], raw: alerts.Latency) -> tuple[str, Result]:
    operations = list(measured[0].operation_ms)
    rows = [
        *([f"{name} p50 / p99 ms", *(_pair(m.operation_ms[name]) for m in measured)] for name in operations),
        ["customs declarations/s", *(f"{m.declarations_per_s:,.0f}" for m in measured)],
        [f"alerts p50 ms at {RATE}/s", *(f"{m.alerts.p50_ms:.1f}" for m in measured)],
        [f"alerts p99 ms at {RATE}/s", *(f"{m.alerts.p99_ms:.1f}" for m in measured)],
    ]
    text = "\n".join(
        [
            f"bench store ({config.mode}): the same workload on each FerretDB backend, stores of the run's own",
            "",
            table(["", *(f"FerretDB/{m.backend}" for m in measured)], rows),
            "",
            f"baseline: raw Kafka round trip at {RATE}/s p50 {raw.p50_ms:.1f} ms, p99 {raw.p99_ms:.1f} ms",
            f"({config.customs.pairs:,} declaration pairs; {config.operations} operations of each kind, one at a "
            f"time, on a collection of {config.filled:,} documents)",
        ]
    )
    figures: dict[str, float] = {}
    for m in measured:
        figures |= {
            f"{m.backend}_declarations_per_s": m.declarations_per_s,
            f"{m.backend}_alerts_p50_ms_at_{RATE}": m.alerts.p50_ms,
            f"{m.backend}_alerts_p99_ms_at_{RATE}": m.alerts.p99_ms,
            **{f"{m.backend}_{_key(name)}_p50_ms": p50 for name, (p50, _) in m.operation_ms.items()},
        }
    result = Result(
        name="store",
        mode=config.mode,
        params={"backends": list(BACKENDS), "declaration_pairs": config.customs.pairs, "alerts_per_s": RATE},
        figures=figures,
        baseline={f"raw_p50_ms_at_{RATE}": raw.p50_ms, f"raw_p99_ms_at_{RATE}": raw.p99_ms},
        ratio={f"{m.backend}_alerts_p99_vs_raw": ratio(m.alerts.p99_ms, raw.p99_ms) for m in measured},
        checks={"alert_deliveries": {m.backend: m.alerts.samples for m in measured}},
    )
    return text, result


def _pair(p50_p99: tuple[float, float]) -> str:
    return f"{p50_p99[0]:.2f} / {p50_p99[1]:.2f}"


def _key(name: str) -> str:
    return name.replace(" by _id", "").replace(" ", "_")
