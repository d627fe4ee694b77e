"""``python -m bench changelog [--quick]``: how soon a customs instance holds what another one changed.

Two customs processes (``python -m andina.customs``, one consumer group) each hold some
countries' partitions; a paced stream of export/import declarations between the four
members (bench/customs_data.py) is filed for ``seconds``. Each change of the cross-check state
(a declaration pending, paired or settled, a country's watermark) goes out on the
changelog with the batch's outputs, and both instances read it whole. Figure: the
changelog lag p99 on each instance, from an entry's publication by the instance that
handled the event to its application there (``andina_changelog_lag_seconds``); ceiling 1 s.
"""

from __future__ import annotations

import asyncio
import random
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from andina.customs.adapters.reference import load_rates
from andina.customs.settings import Settings
from andina.shared.client import agency_event
from andina.shared.events import customs as types
from andina.shared.topics import SUBMISSIONS
from bench.customs_data import Trade, interleaved
from bench.failover import PORTS, Instance, lag_p99_seconds, until
from bench.report import Result, table
from bench.service_path import service_settings
from bench.stack import BenchStack, add_service_keys, bench_stack, drop_databases, produce

SERVICE = "customs"
TICK = 1.0  # seconds between two writes of the paced stream (a write opens a producer: ~0.3 s)


@dataclass(frozen=True)
class Config:
    rate: float  # declarations per second, all members together
    seconds: float


QUICK = Config(rate=100, seconds=20)
FULL = Config(rate=300, seconds=120)


async def file_paced(stack: BenchStack, config: Config) -> tuple[int, float]:
    """Write the declarations to the submissions topic at ``config.rate``; how many, at what rate."""
    trade = Trade(list(stack.countries.codes), load_rates(), prefix="L")
    stream = interleaved(trade.pairs(int(config.rate * config.seconds / 2) + 1), random.Random(7))
    per_tick, written = max(1, round(config.rate * TICK)), 0
    started = time.monotonic()
    while time.monotonic() - started < config.seconds:
        chunk = [next(stream, None) for _ in range(per_tick)]
        declarations = [item for item in chunk if item is not None]
        if not declarations:
            break
        signed = [(c, agency_event(stack.keys[c], "aduana", types.DECLARATION_FILED, d).wire) for c, d in declarations]
        await produce(stack, stack.topics.topic(SERVICE, SUBMISSIONS), signed)
        written += len(signed)
        await asyncio.sleep(max(0.0, started + written / config.rate - time.monotonic()))
    return written, written / (time.monotonic() - started)


async def run(quick: bool) -> tuple[str, Result]:
    config = QUICK if quick else FULL
    async with bench_stack() as stack:
        add_service_keys(stack, [SERVICE])
        settings = Settings(**service_settings(stack).model_dump(exclude={"http_port"}))
        try:
            with tempfile.TemporaryDirectory(prefix="andina-changelog-") as folder:
                instances = [Instance(settings, port, Path(folder), "andina.customs") for port in PORTS]
                try:
                    await until("both instances hold partitions", lambda: all(i.held() for i in instances))
                    filed, rate = await file_paced(stack, config)
                    await asyncio.sleep(2)  # the last batches handled and read back
                    lags = [lag_p99_seconds(await instance.metrics()) for instance in instances]
                finally:
                    for instance in instances:
                        instance.stop()
        finally:
            await drop_databases(stack, [SERVICE])
    return _report(quick, config, filed, rate, lags)


def _report(quick: bool, config: Config, filed: int, rate: float, lags: list[tuple[float, int]]) -> tuple[str, Result]:
    worst = max(lag for lag, _ in lags)
    rows = [[f"instance {i + 1}", f"<= {lag:.3f}", f"{entries:,}"] for i, (lag, entries) in enumerate(lags)]
    text = "\n".join(
        [
            f"bench changelog ({'quick' if quick else 'full'}): two customs instances, {filed:,} declarations"
            f" filed at {rate:.0f}/s",
            "",
            table(["instance", "changelog lag p99 s", "entries applied"], rows),
        ]
    )
    result = Result(
        name="changelog",
        mode="quick" if quick else "full",
        params={"rate": config.rate, "seconds": config.seconds, "service": SERVICE},
        figures={"customs_changelog_lag_p99_seconds": worst, "declarations": float(filed), "rate": rate},
        ceilings={"customs_changelog_lag_p99_seconds": 1.0},
        checks={"entries_applied": [entries for _, entries in lags]},
    )
    return text, result
