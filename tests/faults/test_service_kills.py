"""Each service killed with SIGKILL at random points of a steady stream, and started again.

Afterwards every input has had exactly one effect in the service's store, every expected
output exists (counted by distinct deterministic ids; re-publishes of an id are allowed
and reported), no output appears that should not, nothing valid was dead-lettered, and
the deadlines that fell due while the service was down or restarting fired once each.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import random
import zlib
from collections import Counter
from datetime import UTC, datetime

import pytest
from pymongo.asynchronous.database import AsyncDatabase

from andina.contract.client import AgencyClient
from andina.contract.countries import CountryRegistry
from andina.contract.events.signals import SIGNALS
from andina.contract.topics import DEAD_LETTER, DELIVERIES, TopicRegistry
from andina.deploy.fleet import Fleet, FleetService, metric_total
from andina.shared.store import Document, database_name, mongo_client
from andina.shared.timers import LEASE
from bench.mixed_load import COUNTRIES, DEADLINE, LOADS, Input, Load, event_type, expected_outputs
from bench.output_log import Key, OutputLog, Tally, tally
from tests.conftest import Keys
from tests.faults.conftest import report
from tests.faults.outcomes import STORED

pytestmark = [pytest.mark.integration, pytest.mark.faults]

STEADY, TIMED = 1500, 16  # inputs per service; TIMED of them start a deadline
RATE = 50.0  # inputs per second: the stream lasts as long as the kills (each waits for a rejoin)
KILLS = 3
DRAIN = 120.0  # seconds the outputs may take after the stream, restarts included
GRACE = DEADLINE  # then as long again, for a timer or an output to show a second time

Sent = list[tuple[str, Input]]


async def submit(agencies: dict[str, AgencyClient], service: str, item: Input) -> tuple[str, Input]:
    """The input sent; its conversation, where its outputs are expected, with it."""
    agency = agencies[item.sender]
    conversation = {"correlationid": item.conversation} if item.conversation else {}
    event = agency.event(item.type, item.data, item.handling, **conversation)
    await agency.submit(service, event)
    return str(item.conversation or event.id), item


async def stream(agencies: dict[str, AgencyClient], load: Load, sent: Sent) -> None:
    """STEADY inputs at RATE, with TIMED deadline-starting ones spread among them. The steady ones are numbered
    on without the timed ones, which take no steady input's place (a customs pair stays whole)."""
    every, steady = STEADY // TIMED, load.paired_steady or load.steady
    numbers = itertools.count()
    plan = [load.timed(n // every) if n % every == every // 2 else steady(next(numbers)) for n in range(STEADY)]
    loop = asyncio.get_running_loop()
    start = loop.time()
    for n, item in enumerate(plan):
        await asyncio.sleep(max(0.0, start + n / RATE - loop.time()))
        sent.append(await submit(agencies, load.service, item))


async def consuming(service: FleetService, within: float = 30.0) -> None:
    """Until the service admitted an event since it started: it rejoined its consumer group and took work."""
    for _ in range(int(within / 0.1)):
        if metric_total(await service.metrics(), "andina_events_received_total"):
            return
        await asyncio.sleep(0.1)


async def kill_at_random(service: FleetService, rng: random.Random) -> None:
    """KILLS times, each a random moment (within a second) after the service took work again, so amid
    the backlog that built up while it was down: SIGKILL, a short pause, start again, wait until healthy."""
    for _ in range(KILLS):
        await consuming(service)
        await asyncio.sleep(rng.uniform(0.0, 1.0))
        service.kill()
        await asyncio.sleep(rng.uniform(0.2, 1.5))
        await service.restart()


async def settled(logs: list[OutputLog], expected: Counter[Key], country_of: dict[int, str], within: float) -> Tally:
    """The tally over every output stream (deliveries, and signals where expected) once nothing expected is
    missing, or after ``within`` seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while (result := tally(expected, [a for log in logs for a in log.arrivals], country_of)).lost:
        if loop.time() >= deadline:
            break
        for log in logs:
            assert log.failed() is None, f"reading {log.topic} failed: {log.failed()!r}"
        await asyncio.sleep(0.5)
    return result


async def prepared(log: OutputLog, setup: Sent, country_of: dict[int, str]) -> None:
    """Until the outputs of the setup inputs arrived, in whichever conversation (their order decides it)."""
    wanted = Counter(output for _, item in setup for output in item.outputs)
    while wanted - Counter((a.type, country_of[a.partition]) for a in log.arrivals):
        assert log.failed() is None, f"reading {log.topic} failed: {log.failed()!r}"
        await asyncio.sleep(0.5)


async def no_timer_due(db: AsyncDatabase[Document]) -> None:
    """Until every due timer fired and was deleted: one a killed process had claimed comes back after its lease."""
    for _ in range(int(LEASE.total_seconds()) + 15):
        if not await db["timers"].count_documents({"due_at": {"$lte": datetime.now(UTC)}}):
            return
        await asyncio.sleep(1.0)


async def stored(db: AsyncDatabase[Document], service: str) -> dict[str, int]:
    """Documents per collection that inputs add, inbox entries, and timers due but not fired."""
    counts = {name: await db[name].count_documents({}) for name in (*STORED[service], "inbox_finished")}
    counts["timers_due"] = await db["timers"].count_documents({"due_at": {"$lte": datetime.now(UTC)}})
    return counts


@pytest.mark.parametrize("service", list(LOADS))
async def test_a_service_killed_at_random_points_loses_nothing_and_does_nothing_twice(
    service: str,
    fleet: Fleet,
    agencies: dict[str, AgencyClient],
    topics: TopicRegistry,
    countries: CountryRegistry,
    kafka_bootstrap: str,
    mongo_url: str,
    keys: Keys,
) -> None:
    load = LOADS[service]
    seed = zlib.crc32(service.encode())
    process = fleet.add(service, {**load.env, "ANDINA_TIMER_POLL_SECONDS": "0.2", "ANDINA_LOG_LEVEL": "WARNING"})
    country_of = {countries.partition_of(c): c for c in COUNTRIES}
    streams = [DELIVERIES, *([SIGNALS] if SIGNALS in topics.streams[service] else [])]
    dead_letter_partitions = [*country_of, countries.unattributed_partition]
    sent: Sent = []
    await fleet.start()
    async with contextlib.AsyncExitStack() as readers:
        client = mongo_client(mongo_url)
        readers.push_async_callback(client.close)
        db = client[database_name(f"{topics.namespace}_", service)]
        logs = [
            await readers.enter_async_context(
                OutputLog(
                    kafka_bootstrap,
                    topics.topic(service, s),
                    country_of,
                    {p: keys.decoder(country, s) for p, country in country_of.items()},
                )
            )
            for s in streams
        ]
        deliveries = logs[0]
        dead_letters = await readers.enter_async_context(
            OutputLog(kafka_bootstrap, topics.topic(service, DEAD_LETTER), dead_letter_partitions)
        )
        setup = [await submit(agencies, service, item) for item in load.setup(TIMED)]
        await asyncio.wait_for(prepared(deliveries, setup, country_of), DRAIN)
        await asyncio.gather(stream(agencies, load, sent), kill_at_random(process, random.Random(seed)))
        await settled(logs, expected_outputs(sent), country_of, within=DRAIN)
        await no_timer_due(db)
        await asyncio.sleep(GRACE)
        before = {event_id for event_id, _ in setup}
        arrivals = [a for log in logs for a in log.arrivals if a.correlationid not in before]
        found = tally(expected_outputs(sent), arrivals, country_of)
        timers = tally(expected_outputs(sent, later_only=True), arrivals, country_of)
        exposition = await process.metrics()  # of the last process: since the last restart
        counts = await stored(db, service)
    report(
        {
            "service": service,
            "namespace": topics.namespace,
            "seed": seed,
            "inputs": len(setup) + len(sent),
            "kills": process.kills,
            "outputs_expected": found.expected,
            "distinct_found": found.distinct,
            "lost": found.lost,
            "unexpected": len(found.unexpected),
            "republished": found.republished,
            "timers_expected": timers.expected,
            "timers_fired": timers.distinct,
            "dead_letters": len(dead_letters.arrivals),
            "redeliveries_recognised_after_last_restart": metric_total(exposition, "andina_redeliveries_total"),
            "missing_types": dict(Counter(key[1] for key in found.missing)),
            "unexpected_types": dict(Counter(f"{key[1]} to {key[2]}" for key in found.unexpected)),
        }
    )

    assert process.kills == KILLS
    assert (found.missing[:5], found.unexpected[:5], len(dead_letters.arrivals)) == ([], [], 0)
    assert timers.distinct == timers.expected == sum(len(i.later) for _, i in sent) > 0
    types = Counter(i.type for _, i in setup + sent)
    wanted = {name: types[event_type(service, kind)] for name, kind in STORED[service].items()}
    assert counts == {**wanted, "inbox_finished": len(setup + sent), "timers_due": 0}
