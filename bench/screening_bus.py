"""``bench screening``'s officers' queries through the intel-exchange service on the bus, as agencies send them.

The generator's people are filed by their owners (each country signs its own records).
Agency clients of every member then send signed screening queries, paced, and the sealed
answers are opened from each asker's partition and matched to the queries by correlation
id; a refusal (event-rejected) counts as a miss. Latency is the answer's publish time
minus the query's send time. Last, a burst of queries written at once gives the queries/s
the service sustains, from the start of the writing to the last answer's publish time.

``python -m bench.screening_bus [--records N] [--paced N] [--rate R] [--burst N] [--background N]`` runs
this mode alone, the service's settings from ``ANDINA_*`` variables (e.g. ``ANDINA_CHUNK_RECORDS``).
``--background``: that many more records, of bench.andean's people, in the bank before the
service starts, seeded as its store snapshot.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from pymongo import monitoring

from andina.contract.client import AgencyClient, agency_event
from andina.contract.envelope import Handling
from andina.contract.events.catalogs.intel_exchange import (
    EVENT_REJECTED,
    RECORD_SUBMITTED,
    SCREENING_ANSWERED,
    SCREENING_REQUESTED,
)
from andina.contract.topics import DELIVERIES, SUBMISSIONS
from andina.intel_exchange.app import create_app
from andina.intel_exchange.settings import Settings
from andina.shared.service import build_dependencies
from bench.cpu_shares import cpu_profiler, shares, top_functions
from bench.outputs import RelayStalledError, read_back, record_count, wait_for_outputs
from bench.report import table
from bench.screening_officers import SUMMARY_HEADERS, Answer, Scored, kind_table, p99, summary_row, tally_figures
from bench.screening_queries import Person, Query, QueryGenerator, record_data
from bench.service_path import logs_to_devnull, service_settings
from bench.stack import BenchStack, add_service_keys, bench_stack, drop_databases, produce, recipients_opener

SERVICE = "intel-exchange"
POLL_SECONDS = 2.0
BUS_TARGETS = {"bus_recall": 0.98, "bus_precision": 0.99, "bus_burst_queries_per_s": 1000.0}
# The store's write commands, each with the field that lists its documents.
STORE_WRITES = {"insert": "documents", "update": "updates", "delete": "deletes"}
BUS_CEILINGS = {"bus_possible_per_names_only_query": 5.0, "bus_p99_ms": 50.0}


@dataclass(frozen=True)
class BusSizes:
    records: int
    paced: int  # queries sent one by one at ``rate``
    rate: float
    burst: int  # queries written at once
    timeout: float
    background: int = 0  # records of another generator's people in the bank before it starts (not filed on the bus)


class StoreWrites(monitoring.CommandListener):
    """The documents the store is given to insert, update or delete, by collection, while ``counting``."""

    def __init__(self) -> None:
        self.documents: Counter[str] = Counter()
        self.commands = 0
        self.counting = False

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        if self.counting:
            self.commands += 1
            listed = STORE_WRITES.get(event.command_name)
            if listed is not None:
                self.documents[str(event.command[event.command_name])] += len(event.command.get(listed, []))

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        pass

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        pass

    def per_query(self, queries: int) -> str:
        by_collection = ", ".join(f"{c} {n / queries:.2f}" for c, n in self.documents.most_common())
        return (
            f"store over the burst, per query: {self.commands / queries:.2f} commands, "
            f"{self.documents.total() / queries:.2f} documents written ({by_collection})"
        )


@dataclass(frozen=True)
class Answered:
    answer: Answer | None  # None: refused
    published_ms: int


async def answers(
    stack: BenchStack, wanted: set[str], before: int, give_up_after: float, opened: dict[bytes, dict[str, Any]]
) -> dict[str, Answered]:
    """The answer (or refusal) to each query id in ``wanted``, opened by its asker, once all are in.

    ``before``: deliveries there were before the queries. Each query gets at least one, and a
    hit a notice to the owner too, so the deliveries are opened only once there are enough and
    no more came for a poll's time: opening them while the service works would take the CPU it
    is measured on (the bench runs it in its own process). ``opened``: each delivery opened
    once, across calls.
    """
    topic = stack.topics.topic(SERVICE, DELIVERIES)
    openers = stack.openers()
    started = time.perf_counter()
    await wait_for_outputs(stack.bootstrap, topic, stack.topics.partitions, before + len(wanted), give_up_after)
    while True:
        await _until_quiet(stack)
        found: dict[str, Answered] = {}
        for timestamp, recipient, value in await read_back(stack.bootstrap, topic, stack.topics.partitions):
            if value not in opened:
                opened[value] = recipients_opener(openers, recipient).open_attributes(value)
            event = opened[value]
            correlation = event["correlationid"]
            if correlation in wanted and event["type"] in (SCREENING_ANSWERED, EVENT_REJECTED):
                answered = _answer(event["data"]) if event["type"] == SCREENING_ANSWERED else None
                found[correlation] = Answered(answered, timestamp)
        if len(found) >= len(wanted):
            return found
        if time.perf_counter() - started > give_up_after:
            raise RelayStalledError(f"{len(found)} of {len(wanted)} screening queries answered")


async def _until_quiet(stack: BenchStack) -> None:
    """Until no delivery came for ``POLL_SECONDS``."""
    count = await deliveries(stack)
    while True:
        await asyncio.sleep(POLL_SECONDS)
        count, previous = await deliveries(stack), count
        if count == previous:
            return


async def deliveries(stack: BenchStack) -> int:
    return await record_count(stack.bootstrap, stack.topics.topic(SERVICE, DELIVERIES), stack.topics.partitions)


def _answer(data: dict[str, Any]) -> Answer:
    return Answer(
        tuple(h["record_id"] for h in data["hits"]), tuple(p["record_id"] for p in data.get("possible_matches", []))
    )


async def file_records(stack: BenchStack, people: list[Person], give_up_after: float) -> float:
    """Every person filed by its owner; the seconds until every record is acknowledged."""
    signed = []
    for number, person in enumerate(people):
        owner = stack.keys[person.country]
        record = agency_event(owner, "policia", RECORD_SUBMITTED, record_data(number, person), Handling.H1)
        signed.append((person.country, record.wire))
    await produce(stack, stack.topics.topic(SERVICE, SUBMISSIONS), signed)
    topic = stack.topics.topic(SERVICE, DELIVERIES)
    return await wait_for_outputs(stack.bootstrap, topic, stack.topics.partitions, len(people), give_up_after)


async def paced(stack: BenchStack, queries: list[Query], rate: float) -> dict[str, float]:
    """Each query sent by an agency of a member in turn, ``rate`` per second; the send time (ms) by query id."""
    codes = stack.countries.codes
    clients = {
        c: AgencyClient(stack.bootstrap, stack.keys[c], stack.countries, stack.topics, "migracion") for c in codes
    }
    sent: dict[str, float] = {}
    for client in clients.values():
        await client.__aenter__()
    try:
        start = time.perf_counter()
        for i, query in enumerate(queries):
            client = clients[codes[i % len(codes)]]
            event = client.event(SCREENING_REQUESTED, query.data, Handling.H1)
            sent[str(event.id)] = time.time() * 1000
            await client.submit(SERVICE, event)
            await asyncio.sleep(max(0.0, start + (i + 1) / rate - time.perf_counter()))
    finally:
        for client in clients.values():
            await client.__aexit__()
    return sent


async def _seed_background(stack: BenchStack, settings: Settings, records: int) -> float:
    """``records`` of bench.andean's people as the store's snapshot, which the service starts from (filing a
    million through the bus takes hours here); the seconds it took."""
    if not records:
        return 0.0
    from bench.failover_start import seed_snapshot  # here: it builds on bench.screening, which runs this mode

    started = time.perf_counter()
    deps = build_dependencies(SERVICE, settings)
    try:
        await seed_snapshot(deps, stack, records)
    finally:
        await deps.mongo.close()
    return time.perf_counter() - started


async def burst(stack: BenchStack, queries: list[Query]) -> tuple[set[str], float]:
    """Every query signed, then all written at once; their ids and when the writing started (ms)."""
    codes = stack.countries.codes
    askers = [codes[i % len(codes)] for i in range(len(queries))]
    signed = [
        (asker, agency_event(stack.keys[asker], "migracion", SCREENING_REQUESTED, query.data, Handling.H1))
        for asker, query in zip(askers, queries, strict=True)
    ]
    started_ms = time.time() * 1000
    await produce(stack, stack.topics.topic(SERVICE, SUBMISSIONS), [(c, e.wire) for c, e in signed])
    return {str(e.id) for _, e in signed}, started_ms


async def through_the_bus(
    sizes: BusSizes, today: date, seed: int = 2413, cprofile_top: int = 0
) -> tuple[str, dict[str, float]]:
    """The scores, latencies and the burst's figures; with ``cprofile_top``, the burst's CPU by kind of work too."""
    generator = QueryGenerator(seed)
    people = generator.people(sizes.records)
    paced_queries = generator.queries(people, sizes.paced)
    burst_queries = generator.queries(people, sizes.burst)
    writes = StoreWrites()
    profiler = cpu_profiler() if cprofile_top else None
    monitoring.register(writes)  # before the service's store client is made
    async with bench_stack() as stack:
        add_service_keys(stack, [SERVICE])
        settings = Settings(**service_settings(stack).model_dump(exclude={"http_port"}))
        try:
            seeded = await _seed_background(stack, settings, sizes.background)
            with logs_to_devnull():
                async with create_app(settings).start_lifespan_context():
                    filed = await file_records(stack, people, sizes.timeout)
                    before = await deliveries(stack)
                    sent = await paced(stack, paced_queries, sizes.rate)
                    opened: dict[bytes, dict[str, Any]] = {}
                    found = await answers(stack, set(sent), before, sizes.timeout, opened)
                    before = await deliveries(stack)
                    cpu, writes.counting = time.process_time(), True
                    if profiler:
                        profiler.enable()
                    burst_ids, burst_started_ms = await burst(stack, burst_queries)
                    topic, partitions = stack.topics.topic(SERVICE, DELIVERIES), stack.topics.partitions
                    await wait_for_outputs(stack.bootstrap, topic, partitions, before + sizes.burst, sizes.timeout)
                    await _until_quiet(stack)
                    cpu, writes.counting = time.process_time() - cpu, False  # before the answers are opened
                    if profiler:
                        profiler.disable()
                    burst_found = await answers(stack, burst_ids, before, sizes.timeout, opened)
        finally:
            await drop_databases(stack, [SERVICE])
    scored = Scored()
    for (query_id, _), query in zip(sent.items(), paced_queries, strict=True):
        scored.add(query, found[query_id].answer)
    latencies = [found[query_id].published_ms - at for query_id, at in sent.items()]
    last_answer_ms = max(a.published_ms for a in burst_found.values())
    per_second = len(burst_found) / max((last_answer_ms - burst_started_ms) / 1000, 1e-3)
    text = "\n".join(
        [
            f"through the bus: {sizes.records:,} records filed by their owners in {filed:.1f} s"
            + (f" beside {sizes.background:,} already held ({seeded:.0f} s to seed)" if sizes.background else "")
            + f"; {sizes.paced:,} "
            f"signed queries paced at {sizes.rate:.0f}/s, sealed answers opened and matched by correlation id",
            table(SUMMARY_HEADERS, [summary_row("intel-exchange service on the bus", scored.overall, latencies)]),
            f"burst of {sizes.burst:,} queries written at once: {per_second:,.0f} answered/s "
            "(from the first query written to the last answer published); this process's CPU "
            f"{1000 * cpu / sizes.burst:.2f} ms a query (the service, and the bench writing the queries)",
            writes.per_query(sizes.burst),
            "",
            "by distortion kind, through the bus:",
            kind_table(scored),
        ]
    )
    if profiler:
        text += "\n\nthe burst's CPU by kind of work (cProfile: the figures above carry its cost)\n"
        text += shares(profiler, sizes.burst, 1) + "\n" + top_functions(profiler, cprofile_top)
    figures = {f"bus_{k}": v for k, v in tally_figures(scored.overall).items()}
    figures |= {"bus_p99_ms": p99(latencies), "bus_p50_ms": sorted(latencies)[len(latencies) // 2]}
    figures |= {"bus_burst_queries_per_s": per_second, "bus_records": float(sizes.records + sizes.background)}
    figures |= {"bus_burst_cpu_ms_per_query": 1000 * cpu / sizes.burst}
    figures |= {"bus_burst_store_documents_per_query": writes.documents.total() / sizes.burst}
    return text, figures


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.screening_bus", description=__doc__)
    parser.add_argument("--records", type=int, default=2_000)
    parser.add_argument("--paced", type=int, default=1_000, help="queries sent at --rate")
    parser.add_argument("--rate", type=float, default=200.0, help="paced queries per second")
    parser.add_argument("--burst", type=int, default=2_000, help="queries written at once")
    parser.add_argument("--timeout", type=float, default=600.0)
    parser.add_argument("--background", type=int, default=0, help="records already held, seeded as a snapshot")
    parser.add_argument("--cprofile", type=int, default=0, metavar="N", help="profile the burst: its top N functions")
    args = parser.parse_args()
    from bench.screening import TODAY  # here: bench.screening runs this mode too

    sizes = BusSizes(args.records, args.paced, args.rate, args.burst, args.timeout, args.background)
    text, figures = asyncio.run(through_the_bus(sizes, TODAY, cprofile_top=args.cprofile))
    print(text)
    print(json.dumps({k: round(v, 4) for k, v in figures.items()}))


if __name__ == "__main__":
    main()
