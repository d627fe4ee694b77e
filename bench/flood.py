"""``python -m bench flood``: one member's FLASH alerts while another floods the 24/7 network.

CO raises FLASH alerts to EC at a steady 10 a second through the real alerts service (its own
process, as deployed). Measured three ways in one run: with no other traffic (the baseline);
while PE sends 20,000 validly signed ROUTINE alerts to BO as fast as it can; and while PE sends
them paced at 1,000 a second. Latency is from CO's send to EC's reader having the delivery.
A member's burst, a bug in its system or an attack with a valid key, must not hold up the others.

PE's system is a process of its own with its own producer, as another agency's is: sharing CO's
producer would queue CO's alerts behind PE's batches in the bench itself, and signing or sending
the flood in CO's process would hold up CO's reader, so the bench would count its own delays.
"""

from __future__ import annotations

import asyncio
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context

import httpx
import orjson
from aiokafka import AIOKafkaProducer
from prometheus_client.parser import text_string_to_metric_families

from andina.contract.client import agency_event
from andina.contract.envelope import Handling
from andina.contract.events.alerts import Priority
from andina.contract.kafka_auth import client_options
from bench.alerts import HEADERS, MEMBERS, RAISED, Latency, Readers, _causation, _percentiles, service_process
from bench.report import Result, ratio, table
from bench.stack import BenchStack, bench_stack

FLASH_PER_SECOND = 10
SERVICE_PORT = 18951


@dataclass(frozen=True)
class Config:
    flood: int  # ROUTINE alerts PE sends
    paced_rate: int  # per second, in the paced flood
    baseline_seconds: float


QUICK = Config(flood=5_000, paced_rate=1_000, baseline_seconds=4.0)
FULL = Config(flood=20_000, paced_rate=1_000, baseline_seconds=10.0)


def _alert(stack: BenchStack, origin: str, recipient: str, priority: Priority, n: int) -> bytes:
    data = {
        "priority": priority.value,
        "category": "vehicle",
        "title": f"Vehículo robado {origin}-{n}",
        "facts": "Camioneta blanca, placa ABC-123, vista cruzando el paso fronterizo hace 10 minutos.",
        "recipients": [recipient],
    }
    return agency_event(stack.keys[origin], "policia", RAISED, data, Handling.H1).wire


async def _flash_from_co(
    producer: AIOKafkaProducer, stack: BenchStack, seconds: float, first: int
) -> dict[bytes, float]:
    """CO's FLASH alerts to EC at a steady rate; when each was handed to the producer, by event id."""
    sent: dict[bytes, float] = {}
    start = time.perf_counter()
    for n in range(int(FLASH_PER_SECOND * seconds)):
        await asyncio.sleep(max(0.0, start + n / FLASH_PER_SECOND - time.perf_counter()))
        wire = _alert(stack, "CO", "EC", Priority.FLASH, first + n)
        sent[wire] = time.perf_counter()
        await producer.send(stack.submissions, wire, key=b"CO", partition=MEMBERS["CO"], headers=HEADERS)
    return {_event_id(wire): at for wire, at in sent.items()}


def _event_id(wire: bytes) -> bytes:
    return str(orjson.loads(wire)["id"]).encode()


def _flood_from_pe(bootstrap: str, topic: str, wires: list[bytes], rate: int | None) -> None:
    """PE's system (a process of its own): its ROUTINE alerts to BO, unpaced or at ``rate`` a second."""

    async def send() -> None:
        producer = AIOKafkaProducer(
            bootstrap_servers=bootstrap.split(","), acks="all", enable_idempotence=True, **client_options()
        )
        await producer.start()
        try:
            start = time.perf_counter()
            for n, wire in enumerate(wires):
                if rate is not None:
                    await asyncio.sleep(max(0.0, start + n / rate - time.perf_counter()))
                await producer.send(topic, wire, key=b"PE", partition=MEMBERS["PE"], headers=HEADERS)
            await producer.flush()
        finally:
            await producer.stop()

    asyncio.run(send())


async def _measure(
    stack: BenchStack,
    producer: AIOKafkaProducer,
    pe_system: ProcessPoolExecutor,
    label: int,
    seconds: float,
    flood: tuple[int, int | None] | None,
) -> Latency:
    """CO's FLASH latency over ``seconds``, with PE's flood (count, rate or None for unpaced) meanwhile.

    Returns once every FLASH alert reached EC and the service has drained the flood (its lag is 0),
    so that each measure starts with an idle service.
    """
    wires = [_alert(stack, "PE", "BO", Priority.ROUTINE, n) for n in range(flood[0])] if flood else []
    async with Readers(stack, stack.deliveries, partition=MEMBERS["EC"]) as readers:
        flooding = (
            asyncio.get_running_loop().run_in_executor(
                pe_system, _flood_from_pe, stack.bootstrap, stack.submissions, wires, flood[1]
            )
            if flood
            else None
        )
        sent = await _flash_from_co(producer, stack, seconds, first=label * 10_000)
        await producer.flush()
        if flooding is not None:
            await flooding
        await readers.wait_for(len(sent), within=300)
    await _drained(within=300)
    openers = stack.openers()
    latencies = [(at - sent[c]) * 1000 for at, value in readers.arrivals if (c := _causation(value, openers)) in sent]
    return _percentiles(label, latencies)


async def _drained(within: float) -> None:
    """Until the service's consumer lag, read from its /metrics, is 0 on every partition."""
    deadline = time.perf_counter() + within
    async with httpx.AsyncClient() as http:
        while time.perf_counter() < deadline:
            text = (await http.get(f"http://127.0.0.1:{SERVICE_PORT}/metrics")).text
            waiting = [
                sample.value
                for family in text_string_to_metric_families(text)
                if family.name == "andina_consumer_lag_records"
                for sample in family.samples
            ]
            if waiting and not any(waiting):
                return
            await asyncio.sleep(1.0)


async def run(quick: bool) -> tuple[str, Result]:
    config = QUICK if quick else FULL
    async with bench_stack(MEMBERS) as stack:
        producer = AIOKafkaProducer(
            bootstrap_servers=stack.bootstrap.split(","), acks="all", enable_idempotence=True, **client_options()
        )
        await producer.start()
        pe_system = ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn"))
        try:
            async with service_process(stack, SERVICE_PORT):
                await _measure(stack, producer, pe_system, 0, 3.0, None)  # warm-up: the run's fresh database
                await asyncio.get_running_loop().run_in_executor(pe_system, time.sleep, 0)  # PE's process started
                baseline = await _measure(stack, producer, pe_system, 1, config.baseline_seconds, None)
                unpaced_seconds = max(config.baseline_seconds, config.flood / 2_000)
                unpaced = await _measure(stack, producer, pe_system, 2, unpaced_seconds, (config.flood, None))
                paced_seconds = config.flood / config.paced_rate
                paced = await _measure(stack, producer, pe_system, 3, paced_seconds, (config.flood, config.paced_rate))
        finally:
            pe_system.shutdown()
            await producer.stop()
    return _report(quick, config, baseline, unpaced, paced)


def _report(quick: bool, config: Config, baseline: Latency, unpaced: Latency, paced: Latency) -> tuple[str, Result]:
    rows = [
        ["none (baseline)", baseline.samples, baseline.p50_ms, baseline.p99_ms, 1.0],
        [
            f"{config.flood:,} unpaced",
            unpaced.samples,
            unpaced.p50_ms,
            unpaced.p99_ms,
            ratio(unpaced.p99_ms, baseline.p99_ms),
        ],
        [
            f"{config.flood:,} at {config.paced_rate:,}/s",
            paced.samples,
            paced.p50_ms,
            paced.p99_ms,
            ratio(paced.p99_ms, baseline.p99_ms),
        ],
    ]
    text = "\n".join(
        [
            f"bench flood ({'quick' if quick else 'full'}): CO's FLASH alerts to EC at {FLASH_PER_SECOND}/s while PE"
            " floods BO with ROUTINE alerts, real alerts service on the local broker and store",
            "",
            table(["PE's flood", "FLASH delivered", "p50 ms", "p99 ms", "p99 vs baseline"], rows),
        ]
    )
    result = Result(
        name="flood",
        mode="quick" if quick else "full",
        params={"flood": config.flood, "paced_rate": config.paced_rate, "flash_per_s": FLASH_PER_SECOND},
        figures={
            "flash_p50_ms_unpaced_flood": unpaced.p50_ms,
            "flash_p99_ms_unpaced_flood": unpaced.p99_ms,
            "flash_p50_ms_paced_flood": paced.p50_ms,
            "flash_p99_ms_paced_flood": paced.p99_ms,
        },
        baseline={"flash_p50_ms_no_flood": baseline.p50_ms, "flash_p99_ms_no_flood": baseline.p99_ms},
        ratio={
            "p99_unpaced_vs_baseline": ratio(unpaced.p99_ms, baseline.p99_ms),
            "p99_paced_vs_baseline": ratio(paced.p99_ms, baseline.p99_ms),
        },
        ceilings={"flash_p99_ms_unpaced_flood": 50.0, "flash_p99_ms_paced_flood": 50.0},
        checks={"flash_delivered": {"baseline": baseline.samples, "unpaced": unpaced.samples, "paced": paced.samples}},
    )
    return text, result
