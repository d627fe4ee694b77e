"""The highly available shape under steady load: one broker, or one instance of a service, killed with SIGKILL.

A private stack of three Kafka brokers (every topic on the three, two in sync, no unclean
leader election) and FerretDB; two instances of alerts in their one consumer group, as real
processes, while the four countries send a steady stream with FLASH alerts nobody
acknowledges among it (their escalations fall due seconds later). A broker is killed and
started again after a while, or one instance is killed and the other must take its
countries' partitions. Afterwards every input has had one effect (one alert and one inbox
entry in the store), every expected output exists once by id, every FLASH alert was
delivered, and no producer gave up. The longest silence in answers is reported, not asserted.
"""

from __future__ import annotations

import asyncio
import itertools
import signal
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from aiokafka.errors import KafkaError

from andina.deploy.fleet import Fleet, FleetService
from andina.deploy.lag_view import CLIENT_PREFIX, assignments
from andina.shared.admin import ensure_topics
from andina.shared.backoff import KAFKA
from andina.shared.countries import CountryRegistry
from andina.shared.settings import AndinaSettings
from andina.shared.store import database_name, mongo_client
from andina.shared.topics import DELIVERIES, SUBMISSIONS, TopicRegistry
from bench.mixed_load import COUNTRIES, DEADLINE, LOADS, Input, event_type
from tests.faults.conftest import report
from tests.faults.outcomes import Output, Pace, agencies, deliveries, expectations, stream, tally
from tests.faults.private_stack import PrivateStack, private_stack

# The three brokers' start counts in a test's time; the stream, its fault and the drain follow.
pytestmark = [pytest.mark.integration, pytest.mark.faults, pytest.mark.timeout(900)]

SERVICE = "alerts"
PACE = Pace(inputs=600, timed_every=10, rate=30.0)  # 20 s of stream, one FLASH alert in ten
FAULT_AT, OUTAGE = 5.0, 10.0  # seconds into the stream; seconds the broker stays down
BROKER = 1  # the first of the bootstrap list
DRAIN = 180.0  # seconds the outputs may take after the stream


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PrivateStack]:
    with private_stack(tmp_path_factory.mktemp("ha"), ha=True) as started:
        yield started


@dataclass
class Shape:
    """Two instances of the service on this test's topics and database."""

    topics: TopicRegistry
    settings: AndinaSettings
    instances: list[FleetService]


@pytest.fixture
async def shape(cluster: PrivateStack, tmp_path: Path) -> AsyncIterator[Shape]:
    ends = cluster.ends
    topics = replace(TopicRegistry.load(), namespace=f"h{uuid.uuid4().hex[:10]}")
    await ensure_topics(ends.bootstrap_servers, topics, auth=cluster.auth, replication=3)
    settings = cluster.settings_for(topics, AndinaSettings)
    fleet = Fleet(settings, tmp_path)
    instances = [fleet.add(SERVICE, LOADS[SERVICE].env, instance=n) for n in (1, 2)]
    try:
        await fleet.start()
        yield Shape(topics, settings, instances)
    finally:
        fleet.stop()
        await asyncio.to_thread(cluster.restore)


async def held(cluster: PrivateStack, shape: Shape) -> dict[str, set[str]]:
    """The countries whose submissions each instance (by its Kafka client id) holds now."""
    assert cluster.auth is not None
    topic = shape.topics.topic(SERVICE, SUBMISSIONS)
    country_of = {CountryRegistry.load().partition_of(c): c for c in COUNTRIES}
    members = await assignments(cluster.ends.bootstrap_servers, cluster.auth, [shape.topics.consumer_group(SERVICE)])
    return {
        client: {country_of[tp.partition] for tp in partitions if tp.topic == topic and tp.partition in country_of}
        for client, partitions in members.items()
    }


async def until_held(cluster: PrivateStack, shape: Shape, wanted: Callable[[dict[str, set[str]]], bool]) -> float:
    """Seconds until the group's assignment is as ``wanted`` (fails after DRAIN)."""
    started, members = time.monotonic(), dict[str, set[str]]()
    while not wanted(members):
        assert time.monotonic() - started < DRAIN, f"the group's assignment is still {members}"
        await asyncio.sleep(0.5)
        try:
            members = await held(cluster, shape)
        except KafkaError as error:  # no coordinator yet (the offsets topic is made at the first join), or moving
            if not error.retriable:
                raise
    return time.monotonic() - started


def longest_silence(outputs: list[Output], sent: dict[str, Input], since: float) -> float:
    """The longest time between two answers (deliveries, by the time the service stamped them) to the
    inputs of one sending country, after ``since``: the wait an agency of that country would notice."""
    delivered = event_type(SERVICE, "alert-delivered")
    times: dict[str, list[float]] = {}
    for _, output in outputs:
        item = sent.get(str(output.correlationid))
        if item is not None and output.type == delivered and output.time.timestamp() >= since:
            times.setdefault(item.sender, []).append(output.time.timestamp())
    return max((b - a for each in times.values() for a, b in itertools.pairwise(sorted(each))), default=0.0)


async def under_load(cluster: PrivateStack, shape: Shape, fault: Callable[[], Awaitable[dict[str, Any]]]) -> None:
    """The stream with ``fault`` FAULT_AT seconds into it; checks and reports the outcome."""
    sent: dict[str, Input] = {}
    unsent: set[str] = set()
    async with agencies(cluster, shape.topics) as clients:
        sending = asyncio.create_task(stream(clients, LOADS[SERVICE], PACE, sent, unsent))
        await asyncio.sleep(FAULT_AT)
        faulted = time.time()
        observed = await fault()
        await sending
    expected = expectations(sent)
    topic = shape.topics.topic(SERVICE, DELIVERIES)
    await deliveries(cluster, topic, expected, within=DRAIN)
    await asyncio.sleep(DEADLINE)  # time for a deadline to fire a second time
    outputs = await deliveries(cluster, topic, expected, within=2.0)
    mongo = mongo_client(cluster.ends.mongo_url)
    db = mongo[database_name(shape.settings.database_prefix, SERVICE)]
    stored = {name: await db[name].count_documents({}) for name in ("alerts", "inbox_finished")}
    await mongo.close()

    result = tally(expected, outputs, ignored=unsent)
    flash = {i for i, item in sent.items() if item.data["priority"] == "FLASH"}
    delivered = event_type(SERVICE, "alert-delivered")
    flash_delivered = {str(o.correlationid) for _, o in outputs if o.type == delivered} & flash
    report(
        {
            "service": SERVICE,
            "instances": len(shape.instances),
            **observed,
            "inputs": len(sent),
            "unsent": len(unsent),
            "lost": result.lost,
            "unexpected": result.unexpected,
            "republished": result.duplicates,
            "flash": len(flash),
            "flash_delivered": len(flash_delivered),
            "stored": stored,
            "longest_silence_s": round(longest_silence(outputs, sent, faulted - FAULT_AT), 2),
        }
    )
    assert unsent == set()
    assert (result.lost, result.unexpected) == (0, 0)
    assert flash_delivered == flash
    assert stored == {"alerts": len(sent), "inbox_finished": len(sent)}  # one effect per input


async def test_a_broker_killed_and_started_again_under_load_loses_nothing(cluster: PrivateStack, shape: Shape) -> None:
    async def kill_a_broker() -> dict[str, Any]:
        await asyncio.to_thread(cluster.stop, KAFKA, signal.SIGKILL, BROKER)
        await asyncio.sleep(OUTAGE)
        started = time.monotonic()
        await asyncio.to_thread(cluster.start, KAFKA, BROKER)
        return {
            "fault": f"kafka broker {BROKER} SIGKILL, {OUTAGE:.0f} s down",
            "broker_back_s": round(time.monotonic() - started, 1),
        }

    await under_load(cluster, shape, kill_a_broker)


async def test_the_survivor_takes_the_partitions_of_a_killed_instance_and_loses_nothing(
    cluster: PrivateStack, shape: Shape
) -> None:
    first, second = (CLIENT_PREFIX + i.key for i in shape.instances)  # their Kafka client ids
    await until_held(cluster, shape, lambda members: bool(members.get(first)) and bool(members.get(second)))
    before = await held(cluster, shape)

    async def kill_an_instance() -> dict[str, Any]:
        shape.instances[1].kill()
        takeover = await until_held(cluster, shape, lambda members: members.get(first) == set(COUNTRIES))
        return {
            "fault": f"{shape.instances[1].key} SIGKILL",
            "its_countries": " ".join(sorted(before[second])),
            "takeover_s": round(takeover, 1),
        }

    await under_load(cluster, shape, kill_an_instance)
    assert (await held(cluster, shape)) == {first: set(COUNTRIES)}
