"""The shared consume path's own CPU per event, without I/O: ``python -m bench.path_cpu [--batches N]``.

``EventProcessor.process`` over batches of the same 64 signed ``message-sent`` events (the inbox
stand-in has seen none), each relayed to one recipient by the shared fan-out: the real gate
(signature check), log context, metrics, outputs, sealing and signing, and the service's log
configuration (lines written to memory); only the inbox and the broker are stand-ins that answer
at once. So the figures hold the Python work of the path and nothing of the store, Kafka or the
machine's other tenants' waits: the thread's CPU time per event (median and least over the
batches) and the Python function calls per event (cProfile over the last batches), which do not
depend on the machine at all.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import logging
import pstats
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any, cast
from uuid import UUID

from aiokafka import ConsumerRecord
from faststream.kafka import KafkaBroker
from prometheus_client import CollectorRegistry

from andina.contract.client import agency_event
from andina.contract.countries import CountryRegistry
from andina.contract.envelope import Envelope, Handling
from andina.contract.events.catalogs import alerts as catalog
from andina.contract.events.messages import DirectedMessage
from andina.contract.sealing import DeliverySealer
from andina.contract.signing import KeyDirectory, SignerKey, SignerKind
from andina.shared.backoff import DependencyStatus
from andina.shared.fanout import deliveries
from andina.shared.gate import Gate, Inbound
from andina.shared.impersonation import RefusalNotices
from andina.shared.logs import configure_logging
from andina.shared.metrics import ServiceMetrics
from andina.shared.outputs import Outbox
from andina.shared.processing import EventProcessor, Route
from andina.shared.publishing import DeadLetters, EventPublisher, Outgoing
from andina.shared.store import Inbox, RecordPosition, Seen, WriteBatch

SERVICE = "alerts"
BATCH = 64
PROFILED_BATCHES = 10
MESSAGE = {"subject": "Vehículo robado", "body": "Placa ABC-123 cruzó hacia Tumbes. " * 8, "recipients": ["CO"]}


class NewEvents:
    """An inbox that has seen none of the events."""

    async def claim(self, events: list[tuple[Envelope, RecordPosition]]) -> dict[UUID, Seen]:
        return {}

    async def finish(self, event_ids: list[UUID]) -> None:
        return None


class Acknowledging:
    """A broker that takes every batch at once (no dead letters come in this run)."""

    async def publish_batch(self, *messages: Any, **options: Any) -> asyncio.Future[None]:
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        done.set_result(None)
        return done


def record(offset: int, value: bytes) -> ConsumerRecord[bytes, bytes]:
    """A record of PE's partition of the submissions topic, as the consumer hands it over."""
    return ConsumerRecord("submissions", 3, offset, 0, 0, b"PE", value, None, 2, len(value), [])


def processor(countries: CountryRegistry, directory: KeyDirectory, service_key: SignerKey) -> EventProcessor:
    outbox = Outbox(SERVICE, "deliveries")

    async def relay(inbound: Inbound[Any], unit: WriteBatch) -> list[Outgoing]:
        return deliveries(inbound, outbox, countries)

    metrics = ServiceMetrics(SERVICE)
    broker = cast(KafkaBroker, Acknowledging())
    sealer = DeliverySealer(service_key, directory)
    return EventProcessor(
        Gate(countries, directory, {catalog.MESSAGE_SENT: DirectedMessage}, 262_144),
        {catalog.MESSAGE_SENT: Route(DirectedMessage, relay)},
        cast(Inbox, NewEvents()),
        EventPublisher(broker, service_key, countries, metrics, sealer, frozenset({"deliveries"})),
        cast(DeadLetters, None),
        metrics,
        "deliveries",
        DependencyStatus(SERVICE, CollectorRegistry()),
        RefusalNotices(SERVICE, countries, "deliveries"),
    )


async def measure(batches: int) -> str:
    configure_logging("INFO")
    # Lines are written, as a service's are, but into memory.
    cast(logging.StreamHandler[Any], logging.getLogger().handlers[0]).setStream(io.StringIO())
    countries = CountryRegistry.load()
    directory_file = Path(tempfile.mkdtemp()) / "directory.json"
    keys = {code: SignerKey.generate(code) for code in countries.codes}
    for key in keys.values():
        KeyDirectory.publish(directory_file, key, SignerKind.COUNTRY)
    service_key = SignerKey.generate(SERVICE)
    KeyDirectory.publish(directory_file, service_key, SignerKind.SERVICE)
    events = processor(countries, KeyDirectory.load(directory_file), service_key)
    wire = [agency_event(keys["PE"], "policia", catalog.MESSAGE_SENT, MESSAGE, Handling.H1).wire for _ in range(BATCH)]
    runs = [[record(n * BATCH + i, value) for i, value in enumerate(wire)] for n in range(batches)]
    for batch in runs[:3]:  # warm-up
        await events.process(batch)
    per_event: list[float] = []
    for batch in runs[3:-PROFILED_BATCHES]:
        started = time.thread_time()
        await events.process(batch)
        per_event.append(1e6 * (time.thread_time() - started) / BATCH)
    profiler = cProfile.Profile()
    profiler.enable()
    for batch in runs[-PROFILED_BATCHES:]:
        await events.process(batch)
    profiler.disable()
    calls = pstats.Stats(profiler).total_calls / (BATCH * PROFILED_BATCHES)  # type: ignore[attr-defined]
    return (
        f"the shared path without I/O, {len(per_event)} batches of {BATCH}: CPU per event median "
        f"{statistics.median(per_event):.0f} µs, least {min(per_event):.0f} µs; {calls:.0f} Python calls per event"
    )


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.path_cpu", description=__doc__)
    parser.add_argument("--batches", type=int, default=120)
    args = parser.parse_args()
    print(asyncio.run(measure(max(args.batches, PROFILED_BATCHES + 4))))


if __name__ == "__main__":
    main()
