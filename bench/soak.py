"""``python -m bench soak``: all four services as deployed, under a steady mixed load for a long time.

Each service runs in its own process (the fleet), on the local broker and store, in a
namespace of its own. Agencies of the four countries send every service its valid input at
a steady rate (a few inputs also start deadlines that fall due during the run); each
country reads its own partitions. Per time window: inputs sent and outputs delivered per
second, p50/p99 latency (event sent -> output read by its recipient), each service's
resident memory, dead letters. At the end: every expected output found by id (lost = 0),
no dead letter (all input is valid). The baseline is the run's own first window: memory
growth and p99 drift are measured against it. Memory is also measured from the window by which
what the services hold has filled, to the end: a leak shows there, not hidden by that filling.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import math
import tempfile
import time
from collections import Counter
from dataclasses import astuple, dataclass, field
from pathlib import Path

from andina.contract.client import AgencyClient
from andina.contract.topics import DEAD_LETTER, DELIVERIES
from andina.deploy.fleet import Fleet
from bench.mixed_load import COUNTRIES, HORIZON, LOADS, Input, expected_outputs
from bench.output_log import Arrival, Key, OutputLog, Tally, tally
from bench.report import Result, ratio, table
from bench.screening import percentile
from bench.service_path import service_settings
from bench.stack import add_service_keys, bench_stack, drop_databases

TIMED_EVERY = 50  # one input in so many starts a deadline (services whose deadlines need no setup)
# Memory may grow by this share of the first window's RSS: what the services keep in memory by
# design grows with the data until it reaches the horizon (entity and transfer graphs, holdings;
# six minutes here, see mixed_load.HORIZON), and the allocator keeps freed arenas; a leak of a few
# KiB per event exceeds it within the run.
MEMORY_GROWTH_CEILING = 0.25
# Twice the horizon: by then the first data have passed it and the look that drops them has run.
SETTLED_AFTER = 2 * HORIZON
# From then on memory stays flat but for noise; a leak of 200 bytes per event exceeds this.
SETTLED_GROWTH_CEILING = 0.05


@dataclass(frozen=True)
class Config:
    seconds: float
    window: float
    rate: float  # inputs per second, per service
    drain: float  # seconds the last outputs (and deadlines) may take after the load stops


QUICK = Config(seconds=60.0, window=10.0, rate=20.0, drain=30.0)
FULL = Config(seconds=1800.0, window=60.0, rate=20.0, drain=60.0)


@dataclass
class ServiceRun:
    """What was sent to one service and what came back."""

    service: str
    sent: dict[str, tuple[float, Input]] = field(default_factory=dict)  # event id -> (time sent, input)
    rss_kib: list[int] = field(default_factory=list)  # at the end of each window


async def send_steadily(agencies: dict[str, AgencyClient], run: ServiceRun, config: Config, stop_at: float) -> None:
    load = LOADS[run.service]
    timed = not load.setup(1)
    n, start = 0, time.monotonic()
    while (due := start + n / config.rate) < stop_at:
        await asyncio.sleep(max(0.0, due - time.monotonic()))
        item = load.timed(n // TIMED_EVERY) if timed and n % TIMED_EVERY == TIMED_EVERY // 2 else load.steady(n)
        event = agencies[item.sender].event(item.type, item.data, item.handling)
        sent_at = time.time()
        await agencies[item.sender].submit(run.service, event)
        run.sent[str(event.id)] = (sent_at, item)
        n += 1


async def sample_memory(fleet: Fleet, runs: list[ServiceRun], config: Config, stop_at: float) -> list[float]:
    """Each service's RSS at the end of every window; returns when each window ended (time.time())."""
    ends = []
    while time.monotonic() < stop_at - 1e-3:
        await asyncio.sleep(min(config.window, stop_at - time.monotonic()))
        ends.append(time.time())
        for run in runs:
            run.rss_kib.append(fleet[run.service].resident_kib())
    return ends


@dataclass(frozen=True)
class Window:
    service: str
    index: int
    sent_per_s: float
    delivered_per_s: float
    p50_ms: float
    p99_ms: float
    rss_mib: float
    dead_letters: int


def _p(values: list[float], fraction: float) -> float:
    return percentile(values, fraction) if values else float("nan")


def latencies(run: ServiceRun, deliveries: list[Arrival], partitions: dict[int, str]) -> list[tuple[float, float]]:
    """(arrival time, ms since sent) of each output an input causes at once (not those of its deadline)."""
    immediate = {(i, t, r) for i, (_, item) in run.sent.items() for t, r in item.outputs}
    return [
        (a.arrived, (a.arrived - run.sent[a.correlationid][0]) * 1000)
        for a in deliveries
        if (a.correlationid, a.type, partitions[a.partition]) in immediate
    ]


def windows(
    run: ServiceRun, delivered: list[tuple[float, float]], dead: list[Arrival], ends: list[float]
) -> list[Window]:
    """The run cut into windows: what was sent in each, and what arrived in each (by arrival time)."""
    result = []
    for index, (begin, end) in enumerate(itertools.pairwise(ends)):
        seconds = end - begin
        sent = sum(begin <= at < end for at, _ in run.sent.values())
        within = [ms for at, ms in delivered if begin <= at < end]
        dead_letters = sum(begin <= a.arrived < end for a in dead)
        rss = run.rss_kib[index] / 1024
        rates = (sent / seconds, len(within) / seconds)
        result.append(Window(run.service, index, *rates, _p(within, 0.5), _p(within, 0.99), rss, dead_letters))
    return result


def expected(run: ServiceRun) -> Counter[Key]:
    return expected_outputs((i, item) for i, (_, item) in run.sent.items())


async def drained(
    runs: list[ServiceRun], logs: dict[str, OutputLog], partitions: dict[int, str], within: float
) -> None:
    """Until every expected output arrived, or ``within`` seconds passed (what is missing then is lost)."""
    for _ in range(int(within)):
        if not any(tally(expected(r), logs[r.service].arrivals, partitions).lost for r in runs):
            return
        await asyncio.sleep(1.0)


async def soak(config: Config) -> tuple[list[Window], dict[str, dict[str, float]]]:
    rows: list[Window] = []
    totals: dict[str, dict[str, float]] = {}
    runs = [ServiceRun(s) for s in LOADS]
    async with bench_stack() as stack, contextlib.AsyncExitStack() as opened:
        add_service_keys(stack, LOADS)
        opened.push_async_callback(drop_databases, stack, LOADS)
        partitions = {stack.countries.partition_of(c): c for c in COUNTRIES}
        fleet = Fleet(
            service_settings(stack, log_level="WARNING"),
            Path(opened.enter_context(tempfile.TemporaryDirectory(prefix="andina-soak-"))),
        )
        opened.callback(fleet.stop)
        for service in LOADS:
            fleet.add(service, {**LOADS[service].env, "ANDINA_TIMER_POLL_SECONDS": "0.5"})
        await fleet.start()
        agencies = {
            c: await opened.enter_async_context(
                AgencyClient(stack.bootstrap, stack.keys[c], stack.countries, stack.topics)
            )
            for c in COUNTRIES
        }
        openers = stack.openers()
        decoders = {p: openers[c].open_attributes for p, c in partitions.items()}
        logs, dead = {}, {}
        for s in LOADS:
            logs[s] = await opened.enter_async_context(
                OutputLog(stack.bootstrap, stack.topics.topic(s, DELIVERIES), partitions, decoders)
            )
            dead[s] = await opened.enter_async_context(
                OutputLog(
                    stack.bootstrap,
                    stack.topics.topic(s, DEAD_LETTER),
                    [*partitions, stack.countries.unattributed_partition],
                )
            )
        start, stop_at = time.time(), time.monotonic() + config.seconds
        senders = [asyncio.create_task(send_steadily(agencies, r, config, stop_at)) for r in runs]
        ends = [start, *await sample_memory(fleet, runs, config, stop_at)]
        await asyncio.gather(*senders)
        await drained(runs, logs, partitions, config.drain)
        for r in runs:
            delivered = latencies(r, logs[r.service].arrivals, partitions)
            rows += windows(r, delivered, dead[r.service].arrivals, ends)
            found = tally(expected(r), logs[r.service].arrivals, partitions)
            totals[r.service] = _totals(r, found, [ms for _, ms in delivered], dead[r.service].arrivals)
    return rows, totals


def _totals(run: ServiceRun, found: Tally, latencies_ms: list[float], dead: list[Arrival]) -> dict[str, float]:
    return {
        "inputs": len(run.sent),
        "outputs_expected": found.expected,
        "lost": found.lost,
        "unexpected": len(found.unexpected),
        "republished": found.republished,
        "dead_letters": len(dead),
        "rss_first_mib": run.rss_kib[0] / 1024,
        "rss_end_mib": run.rss_kib[-1] / 1024,
        "p50_ms": _p(latencies_ms, 0.5),
        "p99_ms": _p(latencies_ms, 0.99),
    }


# The per-service totals shown in the summary table, in this order.
TOTALS = (
    "inputs",
    "outputs_expected",
    "lost",
    "unexpected",
    "republished",
    "dead_letters",
    "rss_first_mib",
    "rss_end_mib",
)


def settled_window(config: Config) -> int | None:
    """The first window that ends after SETTLED_AFTER, if another follows it; else None."""
    index = math.ceil(SETTLED_AFTER / config.window) - 1
    return index if index < round(config.seconds / config.window) - 1 else None


def settled_growth(rows: list[Window], settled: int | None) -> dict[str, float]:
    """Each service's memory growth from the end of the settled window to the end of the run."""
    if settled is None:
        return {}
    at_settled = {w.service: w.rss_mib for w in rows if w.index == settled}
    at_end = {w.service: w.rss_mib for w in sorted(rows, key=lambda w: w.index)}
    return {s: ratio(at_end[s] - rss, rss) for s, rss in at_settled.items()}


async def run(quick: bool) -> tuple[str, Result]:
    config = QUICK if quick else FULL
    rows, totals = await soak(config)
    return _report(quick, config, rows, totals)


def _report(quick: bool, config: Config, rows: list[Window], totals: dict[str, dict[str, float]]) -> tuple[str, Result]:
    first = {w.service: w for w in rows if w.index == 0}
    last = {w.service: w for w in rows}  # the last window of each service
    lines = [
        f"bench soak ({'quick' if quick else 'full'}): the four services as processes, {config.rate:.0f} inputs/s "
        f"each for {config.seconds:.0f} s, windows of {config.window:.0f} s, on the local broker and store",
        "",
        table(
            ["window", "service", "sent/s", "delivered/s", "p50 ms", "p99 ms", "RSS MiB", "dead letters"],
            [[w.index + 1, w.service, *astuple(w)[2:]] for w in sorted(rows, key=lambda w: (w.index, w.service))],
        ),
        "",
        table(["service", *TOTALS], [[s, *(t[k] for k in TOTALS)] for s, t in totals.items()]),
    ]
    growth = {s: ratio(t["rss_end_mib"] - t["rss_first_mib"], t["rss_first_mib"]) for s, t in totals.items()}
    settled = settled_window(config)
    growth_settled = settled_growth(rows, settled)
    if settled is not None:
        shares = ", ".join(f"{s} {g:.1%}" for s, g in growth_settled.items())
        lines += ["", f"memory growth from the end of window {settled + 1} (what the horizon holds filled): {shares}"]
    seconds = config.seconds
    result = Result(
        name="soak",
        mode="quick" if quick else "full",
        params={"seconds": seconds, "window_seconds": config.window, "rate_per_service": config.rate},
        figures={
            "sent_per_s": sum(t["inputs"] for t in totals.values()) / seconds,
            "lost_total": sum(t["lost"] for t in totals.values()),
            "unexpected_total": sum(t["unexpected"] for t in totals.values()),
            "dead_letters_total": sum(t["dead_letters"] for t in totals.values()),
            **{f"{s}_p50_ms": t["p50_ms"] for s, t in totals.items()},
            **{f"{s}_p99_ms": t["p99_ms"] for s, t in totals.items()},
            **{f"{s}_p99_ms_last_window": last[s].p99_ms for s in totals},
            **{f"{s}_rss_end_mib": t["rss_end_mib"] for s, t in totals.items()},
            **{f"{s}_memory_growth": g for s, g in growth.items()},
            **{f"{s}_memory_growth_settled": g for s, g in growth_settled.items()},
        },
        baseline={
            **{f"{s}_p99_ms_first_window": first[s].p99_ms for s in totals},
            **{f"{s}_rss_first_mib": t["rss_first_mib"] for s, t in totals.items()},
        },
        ratio={f"{s}_p99_last_vs_first_window": ratio(last[s].p99_ms, first[s].p99_ms) for s in totals},
        ceilings={
            "lost_total": 0,
            "unexpected_total": 0,
            "dead_letters_total": 0,
            **{f"{s}_memory_growth": MEMORY_GROWTH_CEILING for s in totals},
            **{f"{s}_memory_growth_settled": SETTLED_GROWTH_CEILING for s in growth_settled},
        },
        checks={s: {k: round(v, 2) for k, v in t.items()} for s, t in totals.items()},
    )
    return "\n".join(lines), result
