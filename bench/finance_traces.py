"""The traces of ``bench finance``: 4-hop forward traces on the service's index beside networkx, and the
memory of each."""

from __future__ import annotations

import gc
import os
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from typing import TypeVar
from uuid import uuid4

from andina.contract.events.finance_trace import Direction
from andina.contract.events.finance_trace_flows import TraceRequest
from andina.finance_trace.domain.aliases import Aliases
from andina.finance_trace.domain.graph import TransactionGraph
from andina.finance_trace.domain.patterns.policy import DAY
from andina.finance_trace.domain.sharing import Disclosures, Subjects
from andina.finance_trace.domain.trace import TraceQuery, follow
from andina.finance_trace.domain.tracing import Tracer
from bench import finance_baseline
from bench.finance_world import PERIOD

T = TypeVar("T")
TRACE_HOPS = 4
TRACE_WINDOW = 90 * DAY


def resident_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


@dataclass
class Traces:
    """One set of trace queries, timed on both graphs."""

    ours_ms: list[float]
    answer_ms: list[float]
    baseline_ms: list[float]
    mean_accounts: float
    agree: bool


@dataclass
class Baseline:
    memory_mb: float
    build_s: float


def _timed(action: Callable[[], T]) -> tuple[T, float]:
    started = time.perf_counter()
    value = action()
    return value, (time.perf_counter() - started) * 1000


def trace_queries(graph: TransactionGraph, count: int, period_start: float, busiest: bool) -> list[TraceQuery]:
    """From random accounts over a random 90 days, or from the busiest 1% of accounts over the whole period."""
    rng = random.Random(5)
    senders = sorted(
        (n for n in range(len(graph.nodes)) if len(graph.nodes[n].out_e)), key=lambda n: len(graph.nodes[n].out_e)
    )
    if busiest:
        hubs = senders[-max(10, len(senders) // 100) :]
        return [
            TraceQuery([rng.choice(hubs)], period_start, period_start + PERIOD, TRACE_HOPS, 0.0, 10**7)
            for _ in range(count)
        ]
    queries = []
    for _ in range(count):
        since = period_start + rng.uniform(0, PERIOD - TRACE_WINDOW)
        queries.append(TraceQuery([rng.choice(senders)], since, since + TRACE_WINDOW, TRACE_HOPS, 0.0, 10**7))
    return queries


def time_traces(graph: TransactionGraph, g: object, queries: list[TraceQuery]) -> Traces:
    """Each query on both graphs in turn, so both see the same noise from the rest of the machine."""
    ours, baseline, agree, reached = [], [], True, 0
    for query in queries:
        flow, ours_ms = _timed(partial(follow, graph, query, forward=True))
        got, baseline_ms = _timed(partial(finance_baseline.follow_forward, g, query))
        ours.append(ours_ms)
        baseline.append(baseline_ms)
        reached += len(flow.reached)
        agree &= got.keys() == flow.reached.keys() and all(abs(got[n] - flow.reached[n]) < 0.01 for n in got)
    tracer, answers = Tracer(graph, Subjects(), Aliases(), 10**7), []
    for query in queries[: max(20, len(queries) // 5)]:  # the whole answer, as the service builds it
        request = TraceRequest(
            account=graph.nodes[query.starts[0]].ref,
            direction=Direction.FORWARD,
            since=datetime.fromtimestamp(query.since, UTC),
            until=datetime.fromtimestamp(query.until, UTC),
            max_hops=TRACE_HOPS,
        )
        answers.append(_timed(partial(_answer, tracer, request))[1])
    return Traces(ours, answers, baseline, reached / len(queries), agree)


def _answer(tracer: Tracer, request: TraceRequest) -> object:
    return tracer.answer(uuid4(), request, "PE", Disclosures(), tracer.flows(request))


def traces(graph: TransactionGraph, count: int, period_start: float) -> tuple[Traces, Traces, Baseline]:
    gc.collect()
    before, started = resident_mb(), time.perf_counter()
    g = finance_baseline.build(graph)
    baseline = Baseline(resident_mb() - before, time.perf_counter() - started)
    gc.collect()
    gc.freeze()  # as the service does once its graph is loaded: long-lived objects are not rescanned
    ordinary = time_traces(graph, g, trace_queries(graph, count, period_start, busiest=False))
    busiest = time_traces(graph, g, trace_queries(graph, max(20, count // 5), period_start, busiest=True))
    gc.unfreeze()
    return ordinary, busiest, baseline
