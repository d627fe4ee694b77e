"""``python -m bench alerts``: raise-to-delivery latency of the 24/7 network.

Agencies raise FLASH alerts at a steady rate, each to 4 recipients, through the real
alerts service (``python -m andina.alerts`` in its own process, as deployed, on the local
broker and store); each recipient reads its own partition. Latency is from the moment an
agency sends ``alert-raised`` to the moment a recipient's reader has the ``alert-delivered``.
Beside it, in the same run: a raw aiokafka produce-to-consume round trip at the same rates
(no service), and the highest rate the service sustains (a backlog drained at full speed).
The service's first seconds, when its store creates the run's fresh database, are a warm-up
at the first rate: reported on their own, not counted in the rates.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import statistics
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import orjson
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from andina.contract.client import agency_event
from andina.contract.envelope import CONTENT_TYPE, Handling
from andina.contract.events.catalogs import alerts as alerts_catalog
from andina.contract.kafka_auth import client_options
from andina.contract.sealing import DeliveryOpener
from andina.deploy.fleet import settings_environment
from bench.report import Result, ratio, table
from bench.service_path import service_settings
from bench.stack import BenchStack, bench_stack

# Six members, so that each alert has 4 recipients besides its origin.
MEMBERS = {"BO": 0, "CO": 1, "EC": 2, "PE": 3, "CL": 4, "AR": 5}
RAISED = alerts_catalog.ALERT_RAISED
HEADERS = [("content-type", CONTENT_TYPE.encode())]


@dataclass(frozen=True)
class Config:
    rates: tuple[int, ...]
    seconds: float
    backlog: int


QUICK = Config(rates=(100, 200, 500), seconds=4.0, backlog=1_000)
FULL = Config(rates=(100, 200, 500), seconds=20.0, backlog=5_000)
WARM_UP_SECONDS = 3.0


@dataclass(frozen=True)
class Latency:
    rate: int
    samples: int
    p50_ms: float
    p99_ms: float


def _percentiles(label_rate: int, values: list[float]) -> Latency:
    ordered = sorted(values)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] if ordered else float("nan")
    return Latency(label_rate, len(ordered), statistics.median(ordered) if ordered else float("nan"), p99)


def flash_alert(stack: BenchStack, i: int) -> tuple[str, Any]:
    """The ``i``-th FLASH alert: (origin, event), to 4 recipients in turn."""
    codes = list(MEMBERS)
    origin = codes[i % len(codes)]
    others = [c for c in codes if c != origin]
    recipients = others[i % len(others) :] + others[: i % len(others)]
    data = {
        "priority": "FLASH",
        "category": "vehicle",
        "title": f"Vehículo robado {i}",
        "facts": "Camioneta blanca, placa ABC-123, vista cruzando el paso fronterizo hace 10 minutos.",
        "recipients": recipients[:4],
    }
    return origin, agency_event(stack.keys[origin], "policia", RAISED, data, Handling.H1)


class Readers:
    """Every recipient reading its own partition; records when each delivery arrived."""

    def __init__(self, stack: BenchStack, topic: str, partition: int | None = None) -> None:
        """Every partition of ``topic``, or only ``partition`` (one recipient's)."""
        self._consumer = AIOKafkaConsumer(
            *([topic] if partition is None else []),
            bootstrap_servers=stack.bootstrap.split(","),
            fetch_max_wait_ms=5,
            auto_offset_reset="latest",
            **client_options(),
        )
        if partition is not None:
            self._consumer.assign([TopicPartition(topic, partition)])
        self.arrivals: list[tuple[float, bytes]] = []
        self._task: asyncio.Task[None] | None = None
        self._arrived = asyncio.Event()

    async def __aenter__(self) -> Readers:
        await self._consumer.start()
        await self._consumer.seek_to_end()
        self._task = asyncio.create_task(self._read())
        return self

    async def _read(self) -> None:
        while True:
            batches = await self._consumer.getmany(timeout_ms=50)
            now = time.perf_counter()
            self.arrivals.extend((now, r.value) for records in batches.values() for r in records)
            self._arrived.set()

    async def wait_for(self, count: int, within: float) -> None:
        """Until ``count`` records have arrived, or ``within`` seconds have passed."""
        deadline = time.perf_counter() + within
        while len(self.arrivals) < count and time.perf_counter() < deadline:
            self._arrived.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._arrived.wait(), timeout=1.0)

    async def __aexit__(self, *exc: object) -> None:
        assert self._task is not None
        self._task.cancel()
        await asyncio.gather(self._task, return_exceptions=True)
        await self._consumer.stop()


async def _steady(
    producer: AIOKafkaProducer, stack: BenchStack, topic: str, rate: int, seconds: float, first: int
) -> dict[bytes, float]:
    """Send ``rate`` alerts per second; return when each was handed to the producer, by event id."""
    sent: dict[bytes, float] = {}
    start = time.perf_counter()
    for n in range(int(rate * seconds)):
        await asyncio.sleep(max(0.0, start + n / rate - time.perf_counter()))
        origin, event = flash_alert(stack, first + n)
        sent[str(event.id).encode()] = time.perf_counter()
        await producer.send(topic, event.wire, key=origin.encode(), partition=MEMBERS[origin], headers=HEADERS)
    await producer.flush()
    return sent


async def service_latencies(
    stack: BenchStack, producer: AIOKafkaProducer, config: Config
) -> tuple[Latency, list[Latency]]:
    """The warm-up's latencies, then each rate's."""
    results, first, openers = [], 0, stack.openers()
    for rate, seconds in [(config.rates[0], WARM_UP_SECONDS), *((r, config.seconds) for r in config.rates)]:
        async with Readers(stack, stack.deliveries) as readers:
            sent = await _steady(producer, stack, stack.submissions, rate, seconds, first)
            await asyncio.sleep(2.0)  # the last deliveries arrive
        latencies = [
            (arrived - sent[cause]) * 1000
            for arrived, value in readers.arrivals
            if (cause := _causation(value, openers)) in sent
        ]
        results.append(_percentiles(rate, latencies))
        first += len(sent)
    return results[0], results[1:]


def _causation(value: bytes, openers: dict[str, DeliveryOpener]) -> bytes:
    """The alert a delivery is for: opened with its recipient's key, after the run (not timed)."""
    event = openers[orjson.loads(value)["sealedfor"]].open_attributes(value)
    return str(event.get("causationid")).encode()


async def raw_latencies(stack: BenchStack, producer: AIOKafkaProducer, config: Config) -> list[Latency]:
    """The same rates through Kafka alone: produce a record, a reader consumes it."""
    topic, results = stack.bench_topic("relay-raw"), []
    for rate in config.rates:
        async with Readers(stack, topic) as readers:
            sent: dict[bytes, float] = {}
            start = time.perf_counter()
            for n in range(int(rate * config.seconds)):
                await asyncio.sleep(max(0.0, start + n / rate - time.perf_counter()))
                token = f"{rate}-{n}".encode()
                sent[token] = time.perf_counter()
                await producer.send(topic, token, partition=n % 4)
            await producer.flush()
            await asyncio.sleep(1.0)
        results.append(_percentiles(rate, [(t - sent[v]) * 1000 for t, v in readers.arrivals if v in sent]))
    return results


async def highest_rate(stack: BenchStack, producer: AIOKafkaProducer, backlog: int, first: int) -> float:
    """Alerts per second when the service drains a backlog (all 4 deliveries of each)."""
    async with Readers(stack, stack.deliveries) as readers:
        for n in range(backlog):
            origin, event = flash_alert(stack, first + n)
            await producer.send(stack.submissions, event.wire, key=origin.encode(), partition=MEMBERS[origin])
        await producer.flush()
        start = time.perf_counter()
        await readers.wait_for(4 * backlog, within=300)
        done = readers.arrivals[-1][0] if readers.arrivals else start
    return len(readers.arrivals) / 4 / max(done - start, 1e-9)


def _launch(env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "andina.alerts"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


@asynccontextmanager
async def service_process(stack: BenchStack, port: int = 18950) -> AsyncIterator[int]:
    """The alerts service as deployed: its own process, settings from the environment; its pid."""
    settings = service_settings(stack, log_level="WARNING")
    env = {
        **os.environ,
        **settings_environment(settings),  # the SASL password revealed, not pydantic's "**********"
        "ANDINA_HTTP_PORT": str(port),
    }
    process = _launch(env)
    try:
        async with httpx.AsyncClient() as http:
            for _ in range(240):
                with contextlib.suppress(httpx.TransportError):
                    if (await http.get(f"http://127.0.0.1:{port}/health")).status_code == 200:
                        break
                await asyncio.sleep(0.25)
        yield process.pid
    finally:
        process.terminate()
        process.wait(timeout=30)


async def run(quick: bool) -> tuple[str, Result]:
    config = QUICK if quick else FULL
    async with bench_stack(MEMBERS) as stack:
        producer = AIOKafkaProducer(
            bootstrap_servers=stack.bootstrap.split(","), acks="all", enable_idempotence=True, **client_options()
        )
        await producer.start()
        try:
            raw = await raw_latencies(stack, producer, config)
            async with service_process(stack):
                warm_up, service = await service_latencies(stack, producer, config)
                highest = await highest_rate(stack, producer, config.backlog, first=10**6)
        finally:
            await producer.stop()
    return _report(quick, config, warm_up, service, raw, highest)


def _report(
    quick: bool, config: Config, warm_up: Latency, service: list[Latency], raw: list[Latency], highest: float
) -> tuple[str, Result]:
    rows = [
        [f"{s.rate}/s", s.samples, s.p50_ms, s.p99_ms, r.p50_ms, r.p99_ms, ratio(s.p99_ms, r.p99_ms)]
        for s, r in zip(service, raw, strict=True)
    ]
    text = "\n".join(
        [
            f"bench alerts ({'quick' if quick else 'full'}): FLASH alerts to 4 recipients each, "
            f"{config.seconds:.0f} s per rate, real alerts service on the local broker and store",
            "",
            table(["rate", "deliveries", "p50 ms", "p99 ms", "raw p50 ms", "raw p99 ms", "p99 vs raw"], rows),
            "",
            f"warm-up (the service's first {WARM_UP_SECONDS:.0f} s at {warm_up.rate}/s, not counted above): "
            f"p50 {warm_up.p50_ms:.1f} ms, p99 {warm_up.p99_ms:.1f} ms",
            f"highest sustained rate (a backlog of {config.backlog:,} drained): {highest:,.0f} alerts/s "
            f"({4 * highest:,.0f} deliveries/s)",
        ]
    )
    by_rate = {s.rate: s for s in service}
    result = Result(
        name="alerts",
        mode="quick" if quick else "full",
        params={"rates": list(config.rates), "seconds_per_rate": config.seconds, "recipients": 4},
        figures={
            **{f"p50_ms_at_{s.rate}": s.p50_ms for s in service},
            **{f"p99_ms_at_{s.rate}": s.p99_ms for s in service},
            "highest_alerts_per_s": highest,
            "p99_ms_warm_up": warm_up.p99_ms,
        },
        baseline={
            **{f"raw_p50_ms_at_{r.rate}": r.p50_ms for r in raw},
            **{f"raw_p99_ms_at_{r.rate}": r.p99_ms for r in raw},
        },
        ratio={f"p99_vs_raw_at_{s.rate}": ratio(s.p99_ms, r.p99_ms) for s, r in zip(service, raw, strict=True)},
        ceilings={"p99_ms_at_200": 50.0} if 200 in by_rate else {},
        checks={"deliveries_per_rate": {str(s.rate): s.samples for s in service}},
    )
    return text, result
