"""``python -m bench changelog [--quick]``: how soon an instance holds what another one changed.

For customs, then finance-trace: two processes of the service (``python -m andina.<service>``,
one consumer group) each hold some countries' partitions, while a paced stream from the four
members is filed for ``seconds`` (customs: export/import declarations, bench/customs_data.py;
finance-trace: reports of transfers, bench/finance_data.py). Each change of the state the
service serves from goes out on its changelog with the batch's outputs, and both instances read
it whole. Figure: the changelog lag p99 on each instance, from an entry's publication by the
instance that handled the event to its application there (``andina_changelog_lag_seconds``, the
upper bound of its p99 bucket); ceiling 1 s.
"""

from __future__ import annotations

import asyncio
import random
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from andina.contract.client import agency_event
from andina.contract.events import customs as customs_types
from andina.contract.events.finance_trace import finance_type
from andina.contract.topics import SUBMISSIONS
from andina.customs.adapters.reference import load_rates
from andina.customs.settings import Settings as CustomsSettings
from andina.finance_trace.settings import Settings as FinanceSettings
from andina.shared.settings import AndinaSettings
from bench.customs_data import Trade, interleaved
from bench.failover import PORTS, Instance, lag_p99_seconds, until
from bench.finance_data import generate
from bench.finance_service import payload
from bench.report import Result, table
from bench.service_path import service_settings
from bench.stack import BenchStack, add_service_keys, bench_stack, drop_databases, produce

TICK = 1.0  # seconds between two writes of the paced stream (a write opens a producer: ~0.3 s)
REPORT_TRANSFERS = 20
Events = Iterator[tuple[str, bytes]]  # sender, signed event


@dataclass(frozen=True)
class Config:
    declarations_per_s: float
    reports_per_s: float
    seconds: float


QUICK = Config(declarations_per_s=100, reports_per_s=5, seconds=20)
FULL = Config(declarations_per_s=300, reports_per_s=15, seconds=120)


@dataclass(frozen=True)
class Lag:
    service: str
    events: int
    rate: float  # events filed per second
    instances: list[tuple[float, int]]  # p99 bound, entries applied


def declarations(stack: BenchStack, count: int) -> Events:
    trade = Trade(list(stack.countries.codes), load_rates(), prefix="L")
    for country, data in interleaved(trade.pairs(count // 2 + 1), random.Random(7)):
        yield country, agency_event(stack.keys[country], "aduana", customs_types.DECLARATION_FILED, data).wire


def reports(stack: BenchStack, count: int) -> Events:
    for report in generate(count * REPORT_TRANSFERS).reports(REPORT_TRANSFERS):
        event = agency_event(stack.keys[report.reporter], "uif", finance_type("report-submitted"), payload(report))
        yield report.reporter, event.wire


async def file_paced(
    stack: BenchStack, service: str, events: Events, per_s: float, seconds: float
) -> tuple[int, float]:
    """Write the events to the service's submissions topic at ``per_s``; how many, at what rate."""
    per_tick, written = max(1, round(per_s * TICK)), 0
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        chunk = [event for _, event in zip(range(per_tick), events, strict=False)]
        if not chunk:
            break
        await produce(stack, stack.topics.topic(service, SUBMISSIONS), chunk)
        written += len(chunk)
        await asyncio.sleep(max(0.0, started + written / per_s - time.monotonic()))
    return written, written / (time.monotonic() - started)


@dataclass(frozen=True)
class Load:
    settings: type[AndinaSettings]
    events: Callable[[BenchStack, int], Events]
    per_s: float


async def two_instances(stack: BenchStack, service: str, load: Load, seconds: float, folder: Path) -> Lag:
    settings = load.settings(**service_settings(stack).model_dump(exclude={"http_port"}))
    module = "andina." + service.replace("-", "_")
    instances = [Instance(settings, port, folder, module) for port in PORTS]
    try:
        await until("both instances hold partitions", lambda: all(i.held() for i in instances))
        events = load.events(stack, int(load.per_s * seconds))
        filed, rate = await file_paced(stack, service, events, load.per_s, seconds)
        await asyncio.sleep(2)  # the last batches handled and read back
        return Lag(service, filed, rate, [lag_p99_seconds(await instance.metrics()) for instance in instances])
    finally:
        for instance in instances:
            instance.stop()


async def run(quick: bool) -> tuple[str, Result]:
    config = QUICK if quick else FULL
    loads = {
        "customs": Load(CustomsSettings, declarations, config.declarations_per_s),
        "finance-trace": Load(FinanceSettings, reports, config.reports_per_s),
    }
    lags = []
    async with bench_stack() as stack:
        add_service_keys(stack, loads)
        try:
            for service, load in loads.items():
                with tempfile.TemporaryDirectory(prefix="andina-changelog-") as folder:
                    lags.append(await two_instances(stack, service, load, config.seconds, Path(folder)))
        finally:
            await drop_databases(stack, loads)
    return _report(quick, config, lags)


def _report(quick: bool, config: Config, lags: list[Lag]) -> tuple[str, Result]:
    rows = [
        [lag.service, f"{lag.events:,} at {lag.rate:.0f}/s", f"instance {i + 1}", f"<= {p99:.3f}", f"{entries:,}"]
        for lag in lags
        for i, (p99, entries) in enumerate(lag.instances)
    ]
    text = "\n".join(
        [
            f"bench changelog ({'quick' if quick else 'full'}): two instances of each service, {config.seconds:.0f} s"
            " of paced filings (customs: declarations; finance-trace: reports of"
            f" {REPORT_TRANSFERS} transfers)",
            "",
            table(["service", "filed", "instance", "changelog lag p99 s", "entries applied"], rows),
        ]
    )
    worst = {
        f"{lag.service.replace('-', '_')}_changelog_lag_p99_seconds": max(p for p, _ in lag.instances) for lag in lags
    }
    result = Result(
        name="changelog",
        mode="quick" if quick else "full",
        params={
            "seconds": config.seconds,
            "declarations_per_s": config.declarations_per_s,
            "reports_per_s": config.reports_per_s,
        },
        figures={**worst, **{f"{lag.service.replace('-', '_')}_filed_per_s": lag.rate for lag in lags}},
        ceilings=dict.fromkeys(worst, 1.0),
        checks={lag.service: [entries for _, entries in lag.instances] for lag in lags},
    )
    return text, result
