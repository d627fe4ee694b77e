"""Kafka or the store stopped mid-stream and started again: the service waits, says so, and loses nothing.

A private Kafka and FerretDB (built by the deploy code on a temporary state folder and
free ports) are stopped with SIGTERM or SIGKILL while a service, in-process, consumes a
steady stream from the four countries (bench.mixed_load); some of the inputs start
deadlines that fall due during the outage. The service must stay up, answer /health with 503 naming the
dependency, retry with back-off (few retries, no hot loop), and afterwards every input
has had one effect, every expected output exists (distinct deterministic ids), nothing
valid was dead-lettered, and each escalation step fired once.
"""

from __future__ import annotations

import asyncio
import signal
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field, replace
from importlib import import_module

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from andina.contract.topics import DEAD_LETTER, DELIVERIES, TopicRegistry
from andina.shared.admin import ensure_topics
from andina.shared.backoff import KAFKA, STORE, Backoff
from andina.shared.settings import AndinaSettings
from andina.shared.store import database_name, mongo_client
from bench.mixed_load import COUNTRIES, DEADLINE, LOADS, Input, Load
from tests.faults.conftest import report
from tests.faults.outcomes import Pace, agencies, deliveries, expectations, read, stream, tally
from tests.faults.private_stack import PrivateStack, private_stack

pytestmark = [pytest.mark.integration, pytest.mark.faults]

PACE = Pace(inputs=200, timed_every=25, rate=40.0)
FAULT_AT, OUTAGE = 2.0, 11.0  # seconds into the stream; seconds down (longer than the store client waits)
DRAIN = 120.0  # seconds the outputs may take once the dependency is back


@pytest.fixture(scope="module")
def dependencies(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PrivateStack]:
    with private_stack(tmp_path_factory.mktemp("stack")) as started:
        yield started


@dataclass
class Run:
    """What one test sent and observed."""

    load: Load
    topics: TopicRegistry
    settings: AndinaSettings
    sent: dict[str, Input] = field(default_factory=dict)  # by id (the correlation id of its outputs)
    unsent: set[str] = field(default_factory=set)  # ids of inputs the producer gave up on
    health: list[tuple[float, int, str]] = field(default_factory=list)  # time, status, body


@pytest.fixture
async def run(dependencies: PrivateStack, service: str, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Run]:
    """The service's settings: this test's topics and database, the load's short deadlines (from its env)."""
    ends, load = dependencies.ends, LOADS[service]
    topics = replace(TopicRegistry.load(), namespace=f"f{uuid.uuid4().hex[:10]}")
    await ensure_topics(ends.bootstrap_servers, topics, auth=dependencies.auth)
    for name, value in load.env.items():
        monkeypatch.setenv(name, value)
    settings_class: type[AndinaSettings] = import_module(f"andina.{package(service)}.settings").Settings
    settings = dependencies.settings_for(topics, settings_class, max_batch=50)
    yield Run(load, topics, settings)
    await asyncio.to_thread(dependencies.restore)


def package(service: str) -> str:
    return service.replace("-", "_")


def topic(run: Run, stream: str) -> str:
    return run.topics.topic(run.load.service, stream)


async def probe(http: httpx.AsyncClient, run: Run) -> None:
    """/health twice a second, as an orchestrator's liveness and readiness checks would ask it."""
    while True:
        response = await http.get("/health")
        run.health.append((time.monotonic(), response.status_code, response.text))
        await asyncio.sleep(0.5)


async def until_healthy(http: httpx.AsyncClient, within: float = 30.0) -> None:
    for _ in range(int(within / 0.5)):
        if (await http.get("/health")).status_code == 200:
            return
        await asyncio.sleep(0.5)
    raise AssertionError(f"/health did not answer 200 within {within} s")


async def metric(http: httpx.AsyncClient, name: str) -> float:
    exposition = (await http.get("/metrics")).text
    families = text_string_to_metric_families(exposition)
    return sum(s.value for f in families for s in f.samples if s.name == name)


def most_retries(window: float) -> int:
    """Retries two retry loops (events, timers) can make in ``window`` seconds with the shortest delays."""
    policy, attempts, waited = Backoff(), 0, 0.0
    while waited <= window:
        attempts += 1
        waited += policy.delay(attempts, draw=lambda: 1.0)
    return 2 * attempts


TERM, KILL = signal.SIGTERM, signal.SIGKILL
# Alerts (the simplest service) under every fault but Kafka's SIGTERM (every broker of the HA stack has
# one under load in its rolling restart); intel-exchange, with its firearm-trace deadlines, under one.
FAULTS = [
    ("alerts", KAFKA, KILL),
    ("alerts", STORE, TERM),
    ("alerts", STORE, KILL),
    ("intel-exchange", STORE, KILL),
]


@pytest.mark.parametrize(("service", "dependency", "how"), FAULTS, ids=[f"{s}-{d}-{h.name}" for s, d, h in FAULTS])
async def test_the_service_waits_out_a_restart_and_loses_nothing(
    dependencies: PrivateStack, run: Run, service: str, dependency: str, how: signal.Signals
) -> None:
    app = import_module(f"andina.{package(service)}.app").create_app(run.settings)
    transport = httpx.ASGITransport(app=app)
    async with (
        app.start_lifespan_context(),
        agencies(dependencies, run.topics) as clients,
        httpx.AsyncClient(transport=transport, base_url=f"http://{service}") as http,
    ):
        await until_healthy(http)
        probing = asyncio.create_task(probe(http, run))
        sending = asyncio.create_task(stream(clients, run.load, PACE, run.sent, run.unsent))
        try:
            await asyncio.sleep(FAULT_AT)
            stopped = time.monotonic()
            await asyncio.to_thread(dependencies.stop, dependency, how)
            await asyncio.sleep(OUTAGE)
            await asyncio.to_thread(dependencies.start, dependency)
            back = time.monotonic()
            await sending
            expected = expectations(run.sent)
            await deliveries(dependencies, topic(run, DELIVERIES), expected, within=DRAIN)
            caught_up = time.monotonic() - back
        finally:
            sending.cancel()
            probing.cancel()
        await asyncio.sleep(DEADLINE)  # time for a deadline to fire a second time
        outputs = await deliveries(dependencies, topic(run, DELIVERIES), expected, within=2.0)
        dead_letters = (read(dependencies, topic(run, DEAD_LETTER), c, 1, within=1.0) for c in COUNTRIES)
        dead = [e for each in await asyncio.gather(*dead_letters) for e in each]
        retries = await metric(http, "andina_dependency_retries_total")
        await until_healthy(http)  # fails the test if it never is again
    mongo = mongo_client(dependencies.ends.mongo_url)
    inbox = mongo[database_name(run.settings.database_prefix, service)]["inbox_finished"]
    inputs_finished = await inbox.count_documents({})
    await mongo.close()

    result = tally(expected, outputs, ignored=run.unsent)
    unhealthy = [body for at, status, body in run.health if status == 503 and f'"{dependency}": false' in body]
    healthy_again = next((at - back for at, status, _ in run.health if at > back and status == 200), None)
    summary = {
        "service": service,
        "fault": f"{dependency} {how.name}",
        "inputs": len(run.sent),
        "unsent": len(run.unsent),
        "expected": result.expected,
        "distinct": result.distinct,
        "lost": result.lost,
        "unexpected": result.unexpected,
        "duplicates": result.duplicates,
        "dead_letters": len(dead),
        "unhealthy_observed": "yes" if unhealthy else "no",
        "retries": int(retries),
        "healthy_again_s": None if healthy_again is None else round(healthy_again, 1),
        "recovery_s": round(caught_up, 1),
    }
    report(summary)
    assert result.lost == 0
    assert result.unexpected == 0
    assert dead == []
    assert inputs_finished == len(run.sent)  # each input handled, and recorded as handled, once
    assert unhealthy, f"/health never said {dependency} was down: {run.health}"
    assert retries <= most_retries(back - stopped + caught_up)
    if dependency == STORE:  # outputs are published once their writes are done: a store outage repeats none
        assert result.duplicates == 0
