"""``python -m bench customs [--quick]``: declaration cross-checks through the customs service.

A generated stream of export/import declaration pairs between the members (1,000,000
declarations; 20,000 with --quick), some with planted discrepancies (bench/customs_data.py),
is written to the submissions topic; the customs service then consumes the backlog.
Measured: declarations/s through the service (its consumer group's committed offsets),
precision and recall of its discrepancy events on the planted truth, and, in a second
phase paced below capacity, the time from the second declaration of a pair to the
discrepancy event. Baseline, measured in the same run on the same declarations: an
exact join on the transport document only, with the same tolerances, in memory.
"""

from __future__ import annotations

import asyncio
import itertools
import random
import statistics
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from andina.customs.adapters.reference import load_hs_table, load_rates
from andina.customs.app import create_app
from andina.customs.settings import Settings
from andina.shared.client import AgencyClient, agency_event
from andina.shared.events import customs as types
from andina.shared.topics import DEAD_LETTER, SUBMISSIONS
from bench.customs_baseline import DocumentJoin, Filer
from bench.customs_data import Pair, Trade, interleaved
from bench.customs_service import SERVICE, Findings, Progress, committed, findings
from bench.outputs import record_count
from bench.report import Result, ratio, table
from bench.service_path import logs_to_devnull, service_settings
from bench.stack import BenchStack, add_service_keys, bench_stack, drop_databases, produce

CHUNK = 10_000
Declarations = list[tuple[str, dict[str, Any]]]


@dataclass(frozen=True)
class Config:
    mode: str
    pairs: int
    warmup: int
    paced_pairs: int
    paced_per_s: float
    timeout: float


QUICK = Config("quick", pairs=10_100, warmup=1_000, paced_pairs=300, paced_per_s=100.0, timeout=120.0)
FULL = Config("full", pairs=505_000, warmup=10_000, paced_pairs=2_000, paced_per_s=100.0, timeout=7_200.0)


@dataclass
class Truth:
    planted: set[tuple[str, str]] = field(default_factory=set)
    declarations: int = 0


def _recorded(pairs: Iterator[Pair], truth: Truth) -> Iterator[Pair]:
    for pair in pairs:
        if pair.planted:
            truth.planted.add(pair.key)
        yield pair


def _chunks(stream: Iterator[tuple[str, dict[str, Any]]]) -> Iterator[Declarations]:
    chunk: Declarations = []
    for item in stream:
        chunk.append(item)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


async def prepare(stack: BenchStack, config: Config, baseline: DocumentJoin) -> Truth:
    """Generate the stream, feed it to the baseline, sign it and write it to the submissions topic."""
    trade = Trade(list(stack.countries.codes), load_rates())
    truth = Truth()
    for chunk in _chunks(interleaved(_recorded(trade.pairs(config.pairs), truth), random.Random(7))):
        baseline.feed(chunk)
        signed = [(c, agency_event(stack.keys[c], "aduana", types.DECLARATION_FILED, d).wire) for c, d in chunk]
        await produce(stack, stack.topics.topic(SERVICE, SUBMISSIONS), signed)
        truth.declarations += len(chunk)
    return truth


async def paced(stack: BenchStack, config: Config) -> dict[str, float]:
    """Pairs with a planted discrepancy at a steady rate, export then import; the import's send time (ms) by number."""
    trade = Trade(list(stack.countries.codes), load_rates(), seed=99, prefix="L")
    planted = (p for p in trade.pairs(10 * config.paced_pairs, 0.0) if p.planted in ("weight", "value", "quantity"))
    pairs = list(itertools.islice(planted, config.paced_pairs))
    clients = [
        AgencyClient(stack.bootstrap, stack.keys[c], stack.countries, stack.topics) for c in stack.countries.codes
    ]
    agencies = {client.country: client for client in clients}
    sent: dict[str, float] = {}
    for client in clients:
        await client.__aenter__()
    try:
        for pair in pairs:
            assert pair.imported is not None, "paced pairs all have an import"
            for country, declaration in ((pair.exporter, pair.export), (pair.importer, pair.imported)):
                sent[declaration["number"]] = time.time() * 1000
                await agencies[country].submit(SERVICE, agencies[country].event(types.DECLARATION_FILED, declaration))
                await asyncio.sleep(1 / config.paced_per_s)
    finally:
        for client in clients:
            await client.__aexit__()
    return {number: at for number, at in sent.items() if "-IM-" in number}


def quantiles(values: list[float]) -> tuple[float, float]:
    """p50 and p99."""
    if len(values) < 2:
        return (values[0], values[0]) if values else (float("nan"), float("nan"))
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return cuts[49], cuts[98]


def precision_recall(found: set[tuple[str, str]], planted: set[tuple[str, str]]) -> tuple[float, float]:
    hits = len(found & planted)
    return ratio(hits, len(found)), ratio(hits, len(planted))


async def run(quick: bool) -> tuple[str, Result]:
    config = QUICK if quick else FULL
    async with bench_stack() as stack:
        add_service_keys(stack, [SERVICE])
        baseline = DocumentJoin(Filer(load_hs_table(), load_rates()))
        settings = Settings(**service_settings(stack).model_dump(exclude={"http_port"}))
        try:
            started = time.perf_counter()
            truth = await prepare(stack, config, baseline)
            prepared = time.perf_counter() - started
            with logs_to_devnull():
                async with create_app(settings).start_lifespan_context():
                    progress = await committed(stack, truth.declarations, config.warmup, config.timeout)
                    sent = await paced(stack, config)
                    await committed(stack, truth.declarations + 2 * len(sent), 0, config.timeout)
            found = await findings(stack)
            dead = await record_count(stack.bootstrap, stack.topics.topic(SERVICE, DEAD_LETTER), 16)
        finally:
            await drop_databases(stack, [SERVICE])
    return _report(config, truth, prepared, progress, found, sent, baseline, dead)


def _report(
    config: Config,
    truth: Truth,
    prepared: float,
    progress: Progress,
    found: Findings,
    sent: dict[str, float],
    baseline: DocumentJoin,
    dead: int,
) -> tuple[str, Result]:
    backlog = {pair for pair in found.pairs if pair[1] not in sent}
    precision, recall = precision_recall(backlog, truth.planted)
    base_precision, base_recall = precision_recall(baseline.found, truth.planted)
    p50, p99 = quantiles([found.published_ms[n] - at for n, at in sent.items() if n in found.published_ms])
    rate = progress.rate()
    result = Result(
        name="customs",
        mode=config.mode,
        params={"declarations": truth.declarations, "planted": len(truth.planted), "paced_pairs": len(sent)},
        figures={
            "declarations_per_s": rate,
            "first_tenth_per_s": progress.rate(0.0, 0.1),
            "last_tenth_per_s": progress.rate(0.9, 1.0),
            "discrepancy_p50_ms": p50,
            "discrepancy_p99_ms": p99,
            "precision": precision,
            "recall": recall,
        },
        baseline={"declarations_per_s": baseline.per_second, "precision": base_precision, "recall": base_recall},
        ratio={
            "precision_vs_baseline": ratio(precision, base_precision),
            "recall_vs_baseline": ratio(recall, base_recall),
            "declarations_per_s_vs_baseline": ratio(rate, baseline.per_second),
        },
        checks={"dead_letters": dead, "findings": len(backlog), "paced_findings": len(found.pairs) - len(backlog)},
    )
    rows = [
        ["customs service (Kafka, gate, store, index)", rate, precision, recall, len(backlog)],
        [
            "baseline: exact join on transport document",
            baseline.per_second,
            base_precision,
            base_recall,
            len(baseline.found),
        ],
    ]
    text = "\n".join(
        [
            f"bench customs ({config.mode}): {truth.declarations:,} declarations, {len(truth.planted):,} pairs with a "
            f"planted discrepancy; stream prepared and written in {prepared:.1f} s",
            "",
            table(["cross-check", "declarations/s", "precision", "recall", "findings"], rows),
            "",
            f"service throughput over {progress.declarations:,} declarations after {config.warmup:,} warm-up: "
            f"first tenth {progress.rate(0.0, 0.1):,.0f}/s, last tenth {progress.rate(0.9, 1.0):,.0f}/s "
            "(the baseline runs in memory, without bus, signatures or store)",
            f"second declaration -> discrepancy event, {len(sent)} pairs paced at {config.paced_per_s:.0f} "
            f"declarations/s: p50 {p50:.0f} ms, p99 {p99:.0f} ms",
            f"checks: dead letters {dead}",
        ]
    )
    return text, result
