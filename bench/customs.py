"""``python -m bench customs [--quick]``: declaration cross-checks through the customs service.

A generated stream of export/import declaration pairs between the members (1,000,000
declarations; 20,000 with --quick), some with planted discrepancies, some exports never
imported (bench/customs_data.py, apart from the service's code), is written to the
submissions topic; the customs service then consumes the backlog. Measured:
declarations/s through the service (its consumer group's committed offsets), precision
and recall of its findings (discrepancies and unmatched exports) on the planted truth.
Then another stream goes through a fresh service twice, replayed as a backlog and paced
(bench/customs_replay.py): precision and recall of each, whether their findings are the
same, and the time from the second declaration of a pair to the discrepancy event when
paced. Baseline, measured in the same run on the same declarations: an exact join on the
transport document only, with the same tolerances, in memory (discrepancies only: it
has no notion of time, so it finds no unmatched export).
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from andina.contract.client import agency_event
from andina.contract.events import customs as types
from andina.contract.topics import DEAD_LETTER, SUBMISSIONS
from andina.customs.adapters.reference import load_hs_table, load_rates
from andina.customs.app import create_app
from andina.customs.settings import Settings
from bench.customs_baseline import DocumentJoin, Filer
from bench.customs_data import Trade, interleaved
from bench.customs_replay import RUNS, Compared, Key, Truth, compare, run_letter, without_run
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
    compared_pairs: int
    paced_per_s: float
    timeout: float


QUICK = Config("quick", pairs=10_100, warmup=1_000, compared_pairs=600, paced_per_s=100.0, timeout=120.0)
FULL = Config("full", pairs=505_000, warmup=10_000, compared_pairs=3_000, paced_per_s=100.0, timeout=7_200.0)


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
    for chunk in _chunks(interleaved(truth.recorded(trade.pairs(config.pairs)), random.Random(7))):
        baseline.feed(chunk)
        signed = [(c, agency_event(stack.keys[c], "aduana", types.DECLARATION_FILED, d).wire) for c, d in chunk]
        await produce(stack, stack.topics.topic(SERVICE, SUBMISSIONS), signed)
        truth.declarations += len(chunk)
    return truth


def quantiles(values: list[float]) -> tuple[float, float]:
    """p50 and p99."""
    if len(values) < 2:
        return (values[0], values[0]) if values else (float("nan"), float("nan"))
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return cuts[49], cuts[98]


def precision_recall(found: set[Key], planted: set[Key]) -> tuple[float, float]:
    hits = len(found & planted)
    return ratio(hits, len(found)), ratio(hits, len(planted))


def kind(key: Key) -> str:
    """A discrepancy names both declarations; an unmatched export, the export alone."""
    return "discrepancy" if key[1] else "unmatched export"


def per_kind(found: set[Key], planted: set[Key]) -> dict[str, tuple[float, float]]:
    """Precision and recall of each kind of finding."""
    return {
        each: precision_recall({k for k in found if kind(k) == each}, {k for k in planted if kind(k) == each})
        for each in ("discrepancy", "unmatched export")
    }


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
            compared = await compare(stack, settings, config.compared_pairs, config.paced_per_s, truth.declarations)
            found = await findings(stack)
            dead = await record_count(stack.bootstrap, stack.topics.topic(SERVICE, DEAD_LETTER), 16)
        finally:
            await drop_databases(stack, [SERVICE])
    return _report(
        config, truth.findings(settings), truth.declarations, prepared, progress, found, compared, baseline, dead
    )


def _report(
    config: Config,
    planted: set[Key],
    declarations: int,
    prepared: float,
    progress: Progress,
    found: Findings,
    compared: Compared,
    baseline: DocumentJoin,
    dead: int,
) -> tuple[str, Result]:
    by_run = {run: {without_run(k) for k in found.pairs if run_letter(k[0]) == letter} for run, letter in RUNS.items()}
    backlog = {k for k in found.pairs if run_letter(k[0]) == "B"}
    precision, recall = precision_recall(backlog, planted)
    base_precision, base_recall = precision_recall(baseline.found, planted)
    scores = {run: precision_recall(by_run[run], compared.truth[run]) for run in RUNS}
    identical = by_run["replayed"] == by_run["paced"]
    kinds = {"backlog": per_kind(backlog, planted)} | {run: per_kind(by_run[run], compared.truth[run]) for run in RUNS}
    sent = compared.sent
    p50, p99 = quantiles([found.published_ms[n] - at for n, at in sent.items() if n in found.published_ms])
    rate = progress.rate()
    run_figures = {
        f"{run}_{name}": score[i] for run, score in scores.items() for i, name in enumerate(("precision", "recall"))
    }
    kind_figures = {
        f"{run}_{each.replace(' ', '_')}_{name}": score[i]
        for run, scores_by_kind in kinds.items()
        for each, score in scores_by_kind.items()
        for i, name in enumerate(("precision", "recall"))
    }
    result = Result(
        name="customs",
        mode=config.mode,
        params={"declarations": declarations, "planted": len(planted), "compared_declarations": compared.declarations},
        figures={
            "declarations_per_s": rate,
            "first_tenth_per_s": progress.rate(0.0, 0.1),
            "last_tenth_per_s": progress.rate(0.9, 1.0),
            "discrepancy_p50_ms": p50,
            "discrepancy_p99_ms": p99,
            "precision": precision,
            "recall": recall,
            **run_figures,
            **kind_figures,
        },
        baseline={"declarations_per_s": baseline.per_second, "precision": base_precision, "recall": base_recall},
        ratio={
            "precision_vs_baseline": ratio(precision, base_precision),
            "recall_vs_baseline": ratio(recall, base_recall),
            "declarations_per_s_vs_baseline": ratio(rate, baseline.per_second),
        },
        targets={name: 0.98 for name in ("precision", "recall", *run_figures)},
        checks={
            "dead_letters": dead,
            "findings": len(backlog),
            "paced_and_replayed_identical": identical,
            "paced_only": len(by_run["paced"] - by_run["replayed"]),
            "replayed_only": len(by_run["replayed"] - by_run["paced"]),
        },
    )
    rows = [
        ["customs service, backlog (Kafka, gate, store, index)", rate, precision, recall, len(backlog)],
        *([f"customs service, {run}", float("nan"), *scores[run], len(by_run[run])] for run in RUNS),
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
            f"bench customs ({config.mode}): {declarations:,} declarations, {len(planted):,} planted findings "
            f"(discrepancies and unmatched exports due); stream prepared and written in {prepared:.1f} s",
            "",
            table(["cross-check", "declarations/s", "precision", "recall", "findings"], rows),
            "",
            table(
                ["finding kind", *(f"{run} {name}" for run in kinds for name in ("P", "R")), "planted (backlog)"],
                [
                    [
                        each,
                        *(v for run in kinds for v in kinds[run][each]),
                        len({k for k in planted if kind(k) == each}),
                    ]
                    for each in ("discrepancy", "unmatched export")
                ],
            ),
            "",
            f"service throughput over {progress.declarations:,} declarations after {config.warmup:,} warm-up: "
            f"first tenth {progress.rate(0.0, 0.1):,.0f}/s, last tenth {progress.rate(0.9, 1.0):,.0f}/s "
            "(the baseline runs in memory, without bus, signatures or store)",
            f"the same {compared.declarations:,} declarations replayed as a backlog and paced at "
            f"{config.paced_per_s:.0f}/s: findings {'identical' if identical else 'DIFFER'} "
            f"({len(by_run['paced'] - by_run['replayed'])} paced only, "
            f"{len(by_run['replayed'] - by_run['paced'])} replayed only)",
            f"second declaration -> discrepancy event, paced: p50 {p50:.0f} ms, p99 {p99:.0f} ms",
            f"checks: dead letters {dead}",
        ]
    )
    return text, result
