"""Builds a service's FastStream application from its routes: the one wiring all four share.

Each service's ``app.py`` calls :func:`build_dependencies`, binds its handlers to the
ports they need, and passes the routes to :func:`service_app`.
"""

from __future__ import annotations

import asyncio
import gc
import json
import logging
from collections.abc import Awaitable, Callable, Coroutine, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Union, cast

import prometheus_client
import pymongo
from aiokafka import AIOKafkaConsumer
from faststream import AckPolicy
from faststream.asgi import AsgiFastStream, AsgiResponse, get
from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage
from pydantic import BaseModel
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

from andina.contract.countries import CountryRegistry
from andina.contract.events.receipts import receipts
from andina.contract.events.signals import SIGNALS
from andina.contract.published import typed_envelope
from andina.contract.sealing import DeliverySealer
from andina.contract.signing import KeyDirectory, SignerKey
from andina.contract.topics import DEAD_LETTER, DELIVERIES, SUBMISSIONS, TopicRegistry
from andina.shared.audit import AuditSealer, AuditTrail
from andina.shared.backoff import KAFKA, STORE, Backoff, DependencyStatus
from andina.shared.broker import kafka_broker
from andina.shared.changelog import ChangelogWriter
from andina.shared.consuming import (
    OffsetCommitter,
    fetch_when_drained,
    raw_decoder,
    tolerant_headers_parser,
    with_late_arrivals,
)
from andina.shared.dry_run import validate_route
from andina.shared.gate import Gate
from andina.shared.impersonation import INTERVAL_SECONDS, RefusalNotices
from andina.shared.lag import LagMonitor
from andina.shared.lanes import Lanes, Urgency, handle_in_lanes
from andina.shared.logs import configure_logging
from andina.shared.metrics import ServiceMetrics
from andina.shared.processing import EventProcessor, Route
from andina.shared.publishing import DeadLetters, EventPublisher
from andina.shared.settings import AndinaSettings
from andina.shared.store import Document, HasIndexes, Inbox, database_name, ensure_indexes, mongo_client
from andina.shared.timer_loop import TimerLoop
from andina.shared.timers import BoundTimerHandler, Timers

HEALTH_TIMEOUT = 2.0  # seconds /health waits for each dependency to answer


@dataclass(frozen=True)
class ServiceDependencies:
    """Everything a service's handlers may need, built once per process."""

    service: str
    settings: AndinaSettings
    countries: CountryRegistry
    topics: TopicRegistry
    metrics: ServiceMetrics
    broker: KafkaBroker
    mongo: AsyncMongoClient[Document]
    db: AsyncDatabase[Document]
    publisher: EventPublisher
    dead_letters: DeadLetters
    inbox: Inbox
    timers: Timers
    directory: KeyDirectory
    dependencies: DependencyStatus


def build_dependencies(service: str, settings: AndinaSettings) -> ServiceDependencies:
    countries = settings.countries()
    topics = settings.topics()
    topics.check_fits(countries)
    metrics = ServiceMetrics(service)
    broker = kafka_broker(
        settings.kafka_bootstrap_servers,
        countries,
        client_id=f"andina-{settings.instance or service}",
        metrics=metrics,
        auth=settings.kafka_auth(),
    )
    mongo = mongo_client(settings.mongo_url)
    db = mongo[database_name(settings.database_prefix, service)]
    key = SignerKey.load(settings.keys_dir, service)
    directory = KeyDirectory.load(settings.key_directory)
    DeliverySealer.check_recipients(countries.every_code, directory)
    deliveries = frozenset({topics.topic(service, DELIVERIES)})
    return ServiceDependencies(
        service=service,
        settings=settings,
        countries=countries,
        topics=topics,
        metrics=metrics,
        broker=broker,
        mongo=mongo,
        db=db,
        publisher=EventPublisher(broker, key, countries, metrics, DeliverySealer(key, directory), deliveries),
        dead_letters=DeadLetters(broker, topics.topic(service, DEAD_LETTER), countries, metrics),
        inbox=Inbox(db),
        timers=Timers(db),
        directory=directory,
        dependencies=DependencyStatus(
            service, metrics.registry, Backoff(settings.retry_initial_seconds, settings.retry_max_seconds)
        ),
    )


@dataclass(frozen=True)
class ServiceDefinition:
    """What a service does, as its ``app.py`` binds it.

    ``routes``: inbound event type -> payload model and handler. ``emits``: event types it
    publishes on its deliveries topic (keyed by recipient); ``signals``: those on its
    signals topic (keyed by the country concerned, for the alerts service). ``consumes``:
    topics read besides its own submissions (another service's signals). ``timers``:
    timer kind -> handler, fired by the timer loop. ``audit``: the trail its handlers
    append to, sealed into its hash chain in the background. ``programmes``: inbound event
    type -> the programme it belongs to, the only types admitted from that programme's
    programme-only members. ``urgent``: the submissions handled before others
    (:mod:`andina.shared.lanes`). ``background``: loops that run while the service runs
    (cancelled when it stops). ``changelogs``: the state changes its handlers note, published
    with each batch's outputs (:mod:`andina.shared.changelog`).
    """

    routes: dict[str, Route]
    emits: Mapping[str, type[BaseModel]]
    signals: Mapping[str, type[BaseModel]] = field(default_factory=dict)
    consumes: Sequence[str] = ()
    repositories: Sequence[HasIndexes] = ()
    timers: Mapping[str, BoundTimerHandler] = field(default_factory=dict)
    startup: Sequence[Callable[[], Awaitable[None]]] = ()
    http_routes: Sequence[tuple[str, Any]] = ()
    audit: AuditTrail | None = None
    programmes: Mapping[str, str] = field(default_factory=dict)
    urgent: Urgency | None = None
    background: Sequence[Callable[[], Coroutine[Any, Any, None]]] = ()
    changelogs: Sequence[ChangelogWriter] = ()


def service_app(deps: ServiceDependencies, definition: ServiceDefinition) -> AsgiFastStream:
    """The runnable service: consumes its topics, fires its timers, serves /metrics, /health and AsyncAPI."""
    settings = deps.settings
    configure_logging(settings.log_level, settings.log_json)
    routes = definition.routes
    catalog = {event_type: route.model for event_type, route in routes.items()}
    gate = Gate.configured(settings, deps.directory, catalog, definition.programmes)
    refusals = RefusalNotices(deps.service, deps.countries, deps.topics.topic(deps.service, DELIVERIES))
    processor = EventProcessor(
        gate,
        routes,
        deps.inbox,
        deps.publisher,
        deps.dead_letters,
        deps.metrics,
        deps.topics.topic(deps.service, DELIVERIES),
        deps.dependencies,
        refusals,
    )
    committer = OffsetCommitter(before_commit=processor.finish_published)
    submissions_topic = deps.topics.topic(deps.service, SUBMISSIONS)
    group = deps.topics.consumer_group(deps.service)
    lag = LagMonitor(deps.service, group, [submissions_topic, *definition.consumes], settings, deps.metrics.registry)
    timer_loop = TimerLoop(
        deps.timers,
        definition.timers,
        deps.publisher,
        deps.dependencies,
        settings.timer_poll_seconds,
        definition.changelogs,
    )

    submissions = deps.broker.subscriber(
        submissions_topic,
        *definition.consumes,
        group_id=deps.topics.consumer_group(deps.service),
        group_instance_id=settings.kafka_group_instance_id,
        session_timeout_ms=settings.consumer_session_timeout_ms,
        heartbeat_interval_ms=settings.consumer_heartbeat_interval_ms,
        batch=True,
        max_records=settings.max_batch,
        # FastStream sleeps for this long again after an empty poll: keep it short for latency.
        batch_timeout_ms=settings.poll_timeout_ms,
        fetch_max_wait_ms=settings.fetch_max_wait_ms,
        auto_offset_reset="earliest",
        ack_policy=AckPolicy.MANUAL,  # offsets are committed by the committer, once handled
        parser=tolerant_headers_parser,
        decoder=raw_decoder,
        title=f"{deps.service} submissions",
        description="Signed CloudEvents submitted by agency systems, keyed by the sending country.",
    )

    lanes = Lanes(definition.urgent, settings.chunk_records, settings.max_batch)

    async def process_and_publish_changes(records: Sequence[Any]) -> None:
        await processor.process(records)
        for changelog in definition.changelogs:  # before the offsets are noted for commit
            await deps.dependencies.retry("changelog", changelog.publish)

    @submissions
    async def on_submissions(message: KafkaMessage) -> None:
        consumer = cast(AIOKafkaConsumer, message.consumer)  # the real broker's; FastStream types a protocol
        lanes.add(await with_late_arrivals(consumer, message.raw_message, settings.late_arrival_ms, settings.max_batch))
        await handle_in_lanes(
            consumer,
            lanes,
            process_and_publish_changes,
            partial(committer.handled, consumer),
            top_up_until=4 * settings.max_batch,
        )

    deps.broker.publisher(
        deps.topics.topic(deps.service, DELIVERIES),
        title=f"{deps.service} deliveries",
        description=(
            "Events for one country, on its own partition (record key = recipient country). On the wire"
            " each travels whole, sealed for that country, as an event of type andina.<service>.sealed.v1"
            " (data_base64, sealedfor, sealkeyid; see docs/integrating.md): the schema shows an event once opened."
        ),
        schema=Union[tuple(typed_envelope(t, m) for t, m in {**definition.emits, **receipts(deps.service)}.items())],  # noqa: UP007
    )
    if definition.signals:
        deps.broker.publisher(
            deps.topics.topic(deps.service, SIGNALS),
            title=f"{deps.service} signals",
            description="Findings that need the 24/7 network, for the alerts service (key = country concerned).",
            schema=Union[tuple(typed_envelope(t, m) for t, m in definition.signals.items())],  # noqa: UP007
        )
    deps.broker.publisher(
        deps.topics.topic(deps.service, DEAD_LETTER),
        title=f"{deps.service} dead letters",
        description="Refused records as received (value), with andina-dlq-* headers giving the reason and position.",
        schema=bytes,
    )

    @get(include_in_schema=False)
    async def health(scope: Any) -> AsgiResponse:
        checks = {KAFKA: await deps.broker.ping(timeout=HEALTH_TIMEOUT), STORE: await _store_answers(deps.mongo)}
        for dependency, up in checks.items():
            deps.dependencies.mark(dependency, up)
        body = json.dumps(checks).encode()
        return AsgiResponse(body, 200 if all(checks.values()) else 503, headers={"content-type": "application/json"})

    audit_sealer = AuditSealer(definition.audit, deps.service, deps.metrics.registry)
    loops: list[asyncio.Task[None]] = []

    async def prepare_store() -> None:
        await ensure_indexes(deps.inbox, *definition.repositories, *audit_sealer.trails)
        for step in definition.startup:
            await step()

    async def start_background_work() -> None:
        # What start-up built (modules, schemas, state loaded from the store) lives as long as the
        # process; a full collection walked all of it (35-57 ms in the alerts service), stalling
        # every handler meanwhile. Frozen, it is never walked again.
        gc.collect()
        gc.freeze()
        fetch_when_drained(submissions.consumer)
        if definition.timers:
            timer_loop.start()
        audit_sealer.start()
        lag.start()
        loops.extend(asyncio.create_task(loop()) for loop in (*definition.background, tell_refusals_when_due))

    async def tell_refusals_when_due() -> None:
        """Refusals in a member's name counted within a minute are told when it ends, whatever comes next."""
        while True:
            await asyncio.sleep(INTERVAL_SECONDS / 6)
            if due := refusals.due():
                try:
                    await deps.publisher.publish(due)
                except Exception:  # the broker is away: these counts are lost, later refusals are told as usual
                    logging.getLogger(f"andina.{deps.service}.refusals").exception("refusal notices not sent")

    async def stop_background_work() -> None:
        gc.unfreeze()  # a service started in-process (tests) must not leave its cycles uncollectable
        await timer_loop.stop()
        await audit_sealer.stop()
        await lag.stop()
        for task in loops:
            task.cancel()
        await asyncio.gather(*loops, return_exceptions=True)
        loops.clear()
        await committer.flush()  # the consumer still runs: what was handled is marked finished and committed

    async def close_store_and_commits() -> None:
        await committer.close()
        await deps.mongo.close()

    return AsgiFastStream(
        deps.broker,
        asgi_routes=[
            ("/health", health),
            validate_route(gate, {t: route.check for t, route in routes.items() if route.check}),
            ("/metrics", prometheus_client.make_asgi_app(deps.metrics.registry)),
            *definition.http_routes,
        ],
        asyncapi_path="/docs/asyncapi",
        logger=logging.getLogger(f"andina.{deps.service}.app"),
        on_startup=[prepare_store],
        after_startup=[start_background_work],
        on_shutdown=[stop_background_work],
        after_shutdown=[close_store_and_commits],
    )


async def _store_answers(mongo: AsyncMongoClient[Document]) -> bool:
    try:
        with pymongo.timeout(HEALTH_TIMEOUT):  # else a ping waits out the whole server selection timeout
            await mongo.admin.command("ping")
    except Exception:  # any failure to reach the store means unhealthy
        return False
    return True


def run_service(app: AsgiFastStream, settings: AndinaSettings) -> None:
    """Serve the application until SIGINT/SIGTERM (the entry point of ``python -m``)."""
    import uvicorn

    uvicorn.run(app, host=settings.http_host, port=settings.http_port, log_level="warning")
