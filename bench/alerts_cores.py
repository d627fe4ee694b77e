"""``python -m bench alerts-cores [--quick]``: does a second alerts process use the second core?

The alerts service verifies a signature, seals four deliveries and signs each in Python, on one
event loop: one process uses one core. Two processes of it in one consumer group (as the HA
deployment runs them) split the members' partitions. Measured in the same run, alternating: the
highest rate at which one process, then two, drain a backlog of FLASH alerts to 4 recipients
each (bench alerts' ``highest sustained rate``), the CPU per alert of the service processes, the
broker and the store (the stack's processes, from its pid files), and how busy the machine's two
cores were meanwhile.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import os
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient

from andina.contract.kafka_auth import client_options
from andina.deploy.settings import StackSettings
from bench.alerts import MEMBERS, highest_rate, service_process
from bench.report import Result, ratio, table
from bench.stack import SERVICE, BenchStack, bench_stack

PORTS = (18950, 18951)
ROUNDS = 2  # of each kind, alternating
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Drain:
    processes: int
    alerts_per_s: float
    cpu_ms_per_alert: float  # the service processes' user + system time
    broker_cpu_ms_per_alert: float
    store_cpu_ms_per_alert: float
    agencies_cpu_ms_per_alert: float  # this process: signing the alerts, sending them, reading the deliveries
    machine_busy: float  # share of both cores' time not idle, during the drain


def _stack_pids(prefix: str) -> list[int]:
    """The local stack's processes whose pid file starts with ``prefix`` (``kafka``, ``kafka-2``...)."""
    return [int(path.read_text().split()[0]) for path in (StackSettings().state / "run").glob(f"{prefix}*.pid")]


def _process_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime, stime


def _machine_ticks() -> tuple[int, int]:
    """(busy, total) clock ticks of all cores since boot."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]  # idle, iowait
    return sum(values) - idle, sum(values)


async def _stable(stack: BenchStack, members: int) -> None:
    """Until the service's consumer group has ``members`` members and no rebalance under way."""
    admin = AIOKafkaAdminClient(bootstrap_servers=stack.bootstrap.split(","), **client_options())
    await admin.start()
    try:
        for _ in range(600):
            (group,) = await admin.describe_consumer_groups([stack.topics.consumer_group(SERVICE)])
            described = group.groups[0]  # (error, id, state, protocol type, protocol, members, ...)
            if described[2] == "Stable" and len(described[5]) == members:
                return
            await asyncio.sleep(0.1)
        raise TimeoutError(f"the alerts group did not settle with {members} members")
    finally:
        await admin.close()


@asynccontextmanager
async def _processes(stack: BenchStack, count: int) -> AsyncIterator[list[int]]:
    async with contextlib.AsyncExitStack() as started:
        pids = [await started.enter_async_context(service_process(stack, port)) for port in PORTS[:count]]
        await _stable(stack, count)
        yield pids


async def _drain(stack: BenchStack, producer: AIOKafkaProducer, count: int, backlog: int, first: int) -> Drain:
    groups = [_stack_pids("kafka"), [*_stack_pids("ferretdb"), *_stack_pids("postgresql")], [os.getpid()]]
    async with _processes(stack, count) as pids:
        groups.insert(0, pids)
        before, (busy_before, total_before) = [sum(map(_process_seconds, g)) for g in groups], _machine_ticks()
        rate = await highest_rate(stack, producer, backlog, first)
        after, (busy_after, total_after) = [sum(map(_process_seconds, g)) for g in groups], _machine_ticks()
    service, broker, store, agencies = ((a - b) * 1000 / backlog for a, b in zip(after, before, strict=True))
    busy = (busy_after - busy_before) / max(total_after - total_before, 1)
    return Drain(count, rate, service, broker, store, agencies, busy)


async def run(quick: bool) -> tuple[str, Result]:
    backlog = 2_000 if quick else 10_000
    drains: list[Drain] = []
    async with bench_stack(MEMBERS) as stack:
        producer = AIOKafkaProducer(
            bootstrap_servers=stack.bootstrap.split(","), acks="all", enable_idempotence=True, **client_options()
        )
        await producer.start()
        try:
            for n, count in enumerate([c for _ in range(ROUNDS) for c in (1, 2)]):
                started = time.perf_counter()
                drains.append(await _drain(stack, producer, count, backlog, first=n * backlog))
                print(f"  {count} process(es): {drains[-1]} ({time.perf_counter() - started:.0f} s)", flush=True)
        finally:
            await producer.stop()
    return _report(quick, backlog, drains)


def _mean(drains: list[Drain], count: int, field: str) -> float:
    values: list[float] = [getattr(d, field) for d in drains if d.processes == count]
    return sum(values) / len(values)


def _report(quick: bool, backlog: int, drains: list[Drain]) -> tuple[str, Result]:
    fields = (
        "alerts_per_s",
        "cpu_ms_per_alert",
        "broker_cpu_ms_per_alert",
        "store_cpu_ms_per_alert",
        "agencies_cpu_ms_per_alert",
        "machine_busy",
    )
    one, two = ({f: _mean(drains, c, f) for f in fields} for c in (1, 2))
    rows = [
        [label, one[f], two[f], ratio(two[f], one[f])]
        for label, f in zip(
            (
                "highest sustained, alerts/s",
                "service CPU ms per alert",
                "broker CPU ms per alert",
                "store CPU ms per alert",
                "agencies CPU ms per alert (this bench)",
                "both cores busy (share)",
            ),
            fields,
            strict=True,
        )
    ]
    text = "\n".join(
        [
            f"bench alerts-cores ({'quick' if quick else 'full'}): a backlog of {backlog:,} FLASH alerts "
            f"(4 recipients each) drained by one alerts process, then two, {ROUNDS} rounds each, alternating",
            "",
            table(["", "one process", "two processes", "two / one"], rows),
        ]
    )
    result = Result(
        "alerts-cores",
        "quick" if quick else "full",
        params={"backlog": backlog, "rounds": ROUNDS, "recipients": 4},
        figures={f"two_processes_{f}": two[f] for f in fields},
        baseline={f"one_process_{f}": one[f] for f in fields},
        ratio={"alerts_per_s_two_vs_one": ratio(two["alerts_per_s"], one["alerts_per_s"])},
        checks={"rounds": [dataclasses.astuple(d) for d in drains]},
    )
    return text, result
