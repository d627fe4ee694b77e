"""The highly available shape under steady load on every service: a broker killed, one instance of each
service killed, every process restarted (a rolling upgrade: the brokers one after the other and,
meanwhile, each service's two instances one after the other, the four services at once).

A private stack of three Kafka brokers (every topic on the three, two in sync, no unclean
leader election) and FerretDB, reused by the tests of this module; two instances of each
service in its consumer group, as real processes, while the four countries send to all four
(alerts with FLASH alerts nobody acknowledges; intelligence reports, person records filed
again and officers' screenings, signed queries with sealed answers; customs mutual-assistance
requests, transaction reports and detail requests: their deadlines fall due seconds later). No
customs declarations: which filing of a pair completes it, and so the conversation its finding is
in, depends on the order they are handled in, and this load sends each input in a conversation of
its own (the kill test sends them, ``Load.paired_steady``). What is checked and reported is in
:mod:`tests.faults.ha_load`.
"""

from __future__ import annotations

import asyncio
import signal
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from andina.contract.topics import TopicRegistry
from andina.deploy.fleet import Fleet
from andina.shared.admin import delete_topics, ensure_topics
from andina.shared.backoff import KAFKA
from andina.shared.settings import AndinaSettings
from bench.mixed_load import COUNTRIES, LOADS
from tests.faults.ha_load import (
    SERVICES,
    Members,
    Shape,
    both_serving,
    held,
    in_sync,
    known_to_every_broker,
    under_load,
    until_held,
)
from tests.faults.private_stack import PrivateStack, private_stack

# The three brokers' start counts in a test's time; the stream, its fault and the drain follow.
pytestmark = [pytest.mark.integration, pytest.mark.faults, pytest.mark.timeout(900)]

OUTAGE = 10.0  # seconds the killed broker stays down
BROKER = 1  # the first of the bootstrap list


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PrivateStack]:
    with private_stack(tmp_path_factory.mktemp("ha"), ha=True) as started:
        yield started


@pytest.fixture
async def shape(cluster: PrivateStack, tmp_path: Path) -> AsyncIterator[Shape]:
    ends = cluster.ends
    topics = replace(TopicRegistry.load(), namespace=f"h{uuid.uuid4().hex[:10]}")
    await ensure_topics(ends.bootstrap_servers, topics, auth=cluster.auth, replication=3)
    await known_to_every_broker(cluster, topics)
    settings = cluster.settings_for(topics, AndinaSettings)
    fleet = Fleet(settings, tmp_path)
    instances = {s: [fleet.add(s, LOADS[s].env, instance=n) for n in (1, 2)] for s in SERVICES}
    try:
        await fleet.start()
        await asyncio.gather(*(both_serving(cluster, Shape(topics, settings, instances), s) for s in SERVICES))
        yield Shape(topics, settings, instances)
    finally:  # all at once: each instance's SIGTERM waits only for its own exit
        await asyncio.gather(*(asyncio.to_thread(s.stop) for s in fleet.services.values()))
        await asyncio.to_thread(cluster.restore)
        await delete_topics(ends.bootstrap_servers, topics, auth=cluster.auth)  # fewer logs for a broker to recover


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


def all_held_by(client: str) -> Callable[[Members], bool]:
    return lambda members: members.get(client) == set(COUNTRIES)


async def test_the_survivors_take_the_partitions_of_killed_instances_and_lose_nothing(
    cluster: PrivateStack, shape: Shape
) -> None:
    survivors = {s: shape.clients(s)[0] for s in SERVICES}
    before = {s: await held(cluster, shape, s) for s in SERVICES}

    async def kill_one_instance_of_each() -> dict[str, Any]:
        for instances in shape.instances.values():
            instances[1].kill()
        takeovers = await asyncio.gather(*(until_held(cluster, shape, s, all_held_by(survivors[s])) for s in SERVICES))
        return {
            "fault": "second instance SIGKILL",
            "its_countries": {s: " ".join(sorted(before[s][shape.clients(s)[1]])) for s in SERVICES},
            "takeover_s": {s: round(t, 1) for s, t in zip(SERVICES, takeovers, strict=True)},
        }

    await under_load(cluster, shape, kill_one_instance_of_each)
    for service in SERVICES:
        assert (await held(cluster, shape, service)) == {survivors[service]: set(COUNTRIES)}


async def roll(cluster: PrivateStack, shape: Shape, service: str) -> list[float]:
    """The service's instances restarted one after the other, each once the group serves from both again;
    seconds per restart. Services roll at once, as each one's deployment would (they share no group)."""
    restarts = []
    for instance in shape.instances[service]:
        started = time.monotonic()
        await asyncio.to_thread(instance.stop)
        await instance.restart()
        await both_serving(cluster, shape, service)
        restarts.append(round(time.monotonic() - started, 1))
    return restarts


async def test_a_rolling_restart_of_every_process_loses_nothing(cluster: PrivateStack, shape: Shape) -> None:
    async def roll_brokers() -> dict[int, float]:
        brokers = {}
        for node in range(1, cluster.settings.brokers + 1):
            started = time.monotonic()
            await asyncio.to_thread(cluster.stop, KAFKA, signal.SIGTERM, node)
            await asyncio.to_thread(cluster.start, KAFKA, node)
            await in_sync(cluster, shape.topics)
            brokers[node] = round(time.monotonic() - started, 1)
        return brokers

    async def rolling_upgrade() -> dict[str, Any]:
        # Each deployment rolls one process at a time; the brokers' and the services' roll at once,
        # so a service also restarts while a broker is down.
        brokers, *rolled = await asyncio.gather(roll_brokers(), *(roll(cluster, shape, s) for s in SERVICES))
        restarts = dict(zip(SERVICES, rolled, strict=True))
        return {"fault": "rolling restart, SIGTERM", "brokers_back_in_sync_s": brokers, "restarts_s": restarts}

    await under_load(cluster, shape, rolling_upgrade)
