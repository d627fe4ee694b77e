"""Every service as two instances on a private three-broker stack, under a steady stream from the four
countries, and what a fault costs each: effects lost or doubled, FLASH alerts undelivered, the gap in answers.

The stream (every service at once) starts, the fault comes ``FAULT_AT`` seconds into it, and the
stream goes on until the fault is over. Afterwards, per service, every input has had one effect
(its documents and one inbox entry in the store), every expected output exists once by id, every
FLASH alert was delivered and no producer gave up. The longest silence in answers is reported, not
asserted, beside the longest gap in inputs one country sent (answers cannot come while nothing is asked).
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiokafka.client import AIOKafkaClient
from aiokafka.errors import KafkaError
from aiokafka.protocol.metadata import MetadataRequest

from andina.contract.countries import CountryRegistry
from andina.contract.kafka_auth import client_options
from andina.contract.topics import DELIVERIES, SUBMISSIONS, TopicRegistry
from andina.deploy.fleet import FleetService
from andina.deploy.lag_view import CLIENT_PREFIX, assignments
from andina.shared.admin import connect_admin
from andina.shared.settings import AndinaSettings
from andina.shared.store import database_name, mongo_client
from bench.mixed_load import COUNTRIES, DEADLINE, LOADS, Input, event_type
from tests.faults.conftest import report
from tests.faults.outcomes import (
    STORED,
    Key,
    Output,
    Pace,
    Submission,
    agencies,
    deliveries,
    expectations,
    stream,
    tally,
)
from tests.faults.private_stack import PrivateStack

SERVICES = tuple(LOADS)
PACE = Pace(inputs=200, timed_every=10, rate=10.0)  # per service: 20 s of stream at least, one in ten timed
FAULT_AT = 5.0  # seconds into the stream
DRAIN = 180.0  # seconds the outputs may take after the stream
READ_BACK = 30.0  # seconds to read outputs already there: sixteen readers at once on a busy machine


@dataclass
class Shape:
    """Two instances of every service on this test's topics and database."""

    topics: TopicRegistry
    settings: AndinaSettings
    instances: dict[str, list[FleetService]]

    def clients(self, service: str) -> list[str]:
        """The Kafka client ids of the service's instances, as its consumer group lists them."""
        return [CLIENT_PREFIX + i.key for i in self.instances[service]]


Members = dict[str, set[str]]  # a member's client id -> the countries whose submissions it holds


async def held(cluster: PrivateStack, shape: Shape, service: str) -> Members:
    assert cluster.auth is not None
    topic = shape.topics.topic(service, SUBMISSIONS)
    country_of = {CountryRegistry.load().partition_of(c): c for c in COUNTRIES}
    members = await assignments(cluster.ends.bootstrap_servers, cluster.auth, [shape.topics.consumer_group(service)])
    return {
        client: {country_of[tp.partition] for tp in partitions if tp.topic == topic and tp.partition in country_of}
        for client, partitions in members.items()
    }


async def until_held(cluster: PrivateStack, shape: Shape, service: str, wanted: Callable[[Members], bool]) -> float:
    """Seconds until the service's group assignment is as ``wanted`` (fails after DRAIN)."""
    started, members = time.monotonic(), Members()
    while not wanted(members):
        assert time.monotonic() - started < DRAIN, f"{service}'s group assignment is still {members}"
        await asyncio.sleep(0.25)
        try:
            members = await held(cluster, shape, service)
        except KafkaError as error:  # no coordinator yet (the offsets topic is made at the first join), or moving
            if not error.retriable:
                raise
    return time.monotonic() - started


async def both_serving(cluster: PrivateStack, shape: Shape, service: str) -> float:
    """Seconds until each instance of the service holds some countries."""
    clients = shape.clients(service)
    return await until_held(cluster, shape, service, lambda members: all(members.get(c) for c in clients))


async def in_sync(cluster: PrivateStack, topics: TopicRegistry) -> float:
    """Seconds until every partition of the test's topics and of the group offsets has all its replicas in sync."""
    started = time.monotonic()
    admin = await connect_admin(cluster.ends.bootstrap_servers, DRAIN, cluster.auth)
    try:
        while True:
            described = await admin.describe_topics([*topics.all_topics(), "__consumer_offsets"])
            partitions = [p for topic in described for p in topic["partitions"]]
            if partitions and all(len(p["isr"]) == len(p["replicas"]) for p in partitions):
                return time.monotonic() - started
            assert time.monotonic() - started < DRAIN, "replicas still out of sync"
            await asyncio.sleep(0.5)
    finally:
        await admin.close()


async def known_to_every_broker(cluster: PrivateStack, topics: TopicRegistry) -> None:
    """Until each broker serves the test's topics: each learns of a new topic on its own, and a service
    whose first metadata comes from one that has not yet refuses to start (its changelog is missing)."""
    names = topics.all_topics()
    client = AIOKafkaClient(bootstrap_servers=cluster.ends.bootstrap_servers.split(","), **client_options(cluster.auth))
    await client.bootstrap()
    try:
        for broker in client.cluster.brokers():
            started = time.monotonic()
            while True:
                response = await client.send(broker.nodeId, MetadataRequest(names))
                if all(t["error_code"] == 0 for t in response.to_object()["topics"]):
                    break
                assert time.monotonic() - started < DRAIN, f"broker {broker.nodeId} does not serve the topics"
                await asyncio.sleep(0.5)
    finally:
        await client.close()


@dataclass(frozen=True)
class Silence:
    seconds: float
    began: float  # the time (time.time()) of the last answer (or input) before it


def longest_gap(times: dict[str, list[float]]) -> Silence | None:
    """The widest gap between two successive times of one key (None without two times for any)."""
    gaps = (Silence(b - a, a) for each in times.values() for a, b in itertools.pairwise(sorted(each)))
    return max(gaps, key=lambda gap: gap.seconds, default=None)


def longest_silence(outputs: list[Output], sent: dict[str, Input], since: float) -> Silence:
    """The longest time between two answers (the immediate outputs, by the time the service stamped them)
    to the inputs of one sending country, after ``since``: the wait an agency of that country would notice."""
    times: dict[str, list[float]] = {}
    for country, output in outputs:
        item = sent.get(str(output.correlationid))
        if item is not None and (output.type, country) in item.outputs and output.time.timestamp() >= since:
            times.setdefault(item.sender, []).append(output.time.timestamp())
    return longest_gap(times) or Silence(0.0, since)


def longest_pause(sent: dict[str, Input], submitted: dict[str, Submission], since: float) -> Silence:
    """The longest time between two inputs of one sending country handed to its producer after ``since``:
    answers to that country cannot come in a time when it asks nothing."""
    times: dict[str, list[float]] = {}
    for input_id, submission in submitted.items():
        if submission.handed >= since and input_id in sent:
            times.setdefault(sent[input_id].sender, []).append(submission.handed)
    return longest_gap(times) or Silence(0.0, since)


def slowest_answer(outputs: list[Output], sent: dict[str, Input], submitted: dict[str, Submission]) -> float:
    """The longest time from an input handed to its producer to an answer to it: beside the longest
    submission, what the service added to the wait."""
    waits = [
        output.time.timestamp() - submitted[input_id].handed
        for country, output in outputs
        if (input_id := str(output.correlationid)) in submitted
        and input_id in sent
        and (output.type, country) in sent[input_id].outputs
    ]
    return max(waits, default=0.0)


@dataclass
class Run:
    """One service's inputs in a test: drained before the stream (setup), sent, those a producer gave up on,
    and each submission of the stream."""

    setup: dict[str, Input]
    sent: dict[str, Input]
    unsent: set[str]
    submitted: dict[str, Submission]


async def under_load(cluster: PrivateStack, shape: Shape, fault: Callable[[], Awaitable[dict[str, Any]]]) -> None:
    """Every service's stream with ``fault`` FAULT_AT seconds into it; checks and reports each one's outcome."""
    runs = {s: Run({}, {}, set(), {}) for s in SERVICES}
    over = asyncio.Event()
    async with agencies(cluster, shape.topics) as clients:
        for service, run in runs.items():  # what timed inputs need (finance-trace: the accounts both report)
            for item in LOADS[service].setup(PACE.inputs // PACE.timed_every):
                event = clients[item.sender].event(item.type, item.data, item.handling)
                await clients[item.sender].submit(service, event)
                run.setup[str(event.id)] = item
        await every_output(cluster, shape, {s: run.setup for s, run in runs.items()}, DRAIN)
        sending = [
            asyncio.create_task(stream(clients, LOADS[s], PACE, run.sent, run.unsent, over, run.submitted))
            for s, run in runs.items()
        ]
        await asyncio.sleep(FAULT_AT)
        faulted = time.time()
        try:
            observed = await fault()
        finally:
            over.set()
        await asyncio.gather(*sending)
    await every_output(cluster, shape, {s: {**run.setup, **run.sent} for s, run in runs.items()}, DRAIN)
    await asyncio.sleep(DEADLINE)  # time for a deadline to fire a second time
    failures = await asyncio.gather(*(outcome(cluster, shape, s, run, observed, faulted) for s, run in runs.items()))
    assert not any(failures), failures


async def every_output(cluster: PrivateStack, shape: Shape, inputs: dict[str, dict[str, Input]], within: float) -> None:
    """Until each service's deliveries hold as many outputs as its ``inputs`` cause (the services read at once)."""
    topic = shape.topics.topic
    await asyncio.gather(
        *(deliveries(cluster, topic(s, DELIVERIES), expectations(i), within) for s, i in inputs.items())
    )


def stray_copies(outputs: list[Output], strays: list[Key]) -> list[tuple[str, ...]]:
    """(key, id, causation id, event time) of each output under an unexpected key."""
    keys = set(strays)
    return [
        (*key, str(o.id), str(o.causationid), o.time.isoformat())
        for country, o in outputs
        if (key := (str(o.correlationid), o.type, country)) in keys
    ]


async def outcome(
    cluster: PrivateStack, shape: Shape, service: str, run: Run, observed: dict[str, Any], faulted: float
) -> list[str]:
    """Reports one service's outcome; what went wrong, if anything."""
    everything = {**run.setup, **run.sent}
    outputs = await deliveries(cluster, shape.topics.topic(service, DELIVERIES), expectations(everything), READ_BACK)
    mongo = mongo_client(cluster.ends.mongo_url)
    db = mongo[database_name(shape.settings.database_prefix, service)]
    stored = {name: await db[name].count_documents({}) for name in (*STORED[service], "inbox_finished")}
    await mongo.close()
    kinds = [item.type for item in everything.values()]
    wanted = {name: kinds.count(event_type(service, kind)) for name, kind in STORED[service].items()}
    # Alerts the other services' findings asked for (their signals): each signal handled once, each a new alert.
    signalled = [o for _, o in outputs if str(o.correlationid) not in everything]
    signals = {str(o.causationid) for o in signalled}
    wanted = {name: count + len(signals) for name, count in wanted.items()}

    ignored = run.unsent | set(run.setup) | {str(o.correlationid) for o in signalled}
    result = tally(expectations(run.sent), outputs, ignored=ignored)
    flash = {i for i, item in run.sent.items() if item.data.get("priority") == "FLASH"}
    delivered = event_type("alerts", "alert-delivered")
    flash_delivered = {str(o.correlationid) for _, o in outputs if o.type == delivered} & flash
    silence = longest_silence(outputs, run.sent, faulted - FAULT_AT)
    pause = longest_pause(run.sent, run.submitted, faulted - FAULT_AT)
    slowest = max((s.acknowledged - s.handed for s in run.submitted.values()), default=0.0)
    report(
        {
            "service": service,
            "instances": len(shape.instances[service]),
            **{k: v[service] if isinstance(v, dict) and service in v else v for k, v in observed.items()},
            "inputs": len(run.sent),
            "unsent": len(run.unsent),
            "lost": result.lost,
            "unexpected": result.unexpected,
            # Every copy of an unexpected output's key: which one is new, what caused each, and when.
            **({"unexpected_outputs": sorted(stray_copies(outputs, result.strays))} if result.strays else {}),
            **({"lost_outputs": result.missing} if result.missing else {}),
            "copies_refused": result.copies_refused,
            "republished": result.duplicates,
            "signals": len(signals),
            "flash": len(flash),
            "flash_delivered": len(flash_delivered),
            "stored": stored,
            "longest_silence_s": round(silence.seconds, 2),
            # Where the silence sits against the fault: from its start, or later (a stall the fault set off).
            "silence_began_after_fault_s": round(silence.began - faulted, 2),
            # The longest time a country sent nothing to the service: a silence no longer than it is the load's.
            "longest_input_gap_s": round(pause.seconds, 2),
            "input_gap_began_after_fault_s": round(pause.began - faulted, 2),
            "longest_submit_s": round(slowest, 2),  # an agency's producer waiting out the fault
            "slowest_answer_s": round(slowest_answer(outputs, run.sent, run.submitted), 2),
        }
    )
    checks = {
        "producer gave up": bool(run.unsent),
        "outputs lost or unexpected": (result.lost, result.unexpected) != (0, 0),
        "FLASH undelivered": flash_delivered != flash,
        "not one effect per input": stored != {**wanted, "inbox_finished": len(everything) + len(signals)},
    }
    return [f"{service}: {what}" for what, failed in checks.items() if failed]
