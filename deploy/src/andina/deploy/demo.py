"""``andina demo``: the README's scenario against the running stack.

Acting as Peru's agency system: a signed alert message to Colombia arrives, signed by
the alerts service, on Colombia's partition only; a malformed record goes to the
dead-letter topic on Peru's partition with its reason.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeAlias

import orjson
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from rich.table import Table

from andina.deploy import demo_alerts, demo_customs, demo_finance_trace, demo_intel_exchange
from andina.deploy.console import console, done, info
from andina.deploy.processes import StackError
from andina.deploy.settings import Endpoints, StackSettings
from andina.shared.envelope import CONTENT_TYPE, Handling, agency_source, unsigned_event
from andina.shared.events.messages import DirectedMessage, message_delivered_type, message_sent_type
from andina.shared.rejections import Rejected
from andina.shared.signing import KeyDirectory, SignerKey
from andina.shared.topics import DEAD_LETTER, DELIVERIES, SUBMISSIONS, CountryPartitioner

SERVICE = "alerts"
# Each service's own scene, after the bus scene above: (ends, patience) -> None.
SCENES: list[Callable[[Endpoints, float], Awaitable[None]]] = [
    demo_alerts.run,
    demo_intel_exchange.run,
    demo_customs.run,
    demo_finance_trace.run,
]
SENDER, RECIPIENT, BYSTANDER = "PE", "CO", "BO"
Record: TypeAlias = Any  # an aiokafka ConsumerRecord (aiokafka ships no type hints)


def _headers(record: Record) -> dict[str, str]:
    return {k: (v or b"").decode(errors="replace") for k, v in record.headers}


async def _read_until(
    consumer: AIOKafkaConsumer, partition: TopicPartition, match: Callable[[Record], bool], patience: float, what: str
) -> Record:
    deadline = time.monotonic() + patience
    while time.monotonic() < deadline:
        batches = await consumer.getmany(partition, timeout_ms=500)
        for record in batches.get(partition, []):
            if match(record):
                return record
    raise StackError(
        f"{what} did not arrive within {patience:.0f} s: is the {SERVICE} service up? (`andina stack status`)"
    )


def _event_table(title: str, record: Record, event: dict[str, Any]) -> Table:
    table = Table(title=title, show_header=False)
    table.add_column(style="bold")
    table.add_column()
    rows = {
        "topic": record.topic,
        "partition": str(record.partition),
        "offset": str(record.offset),
        "key": (record.key or b"").decode(),
        "type": event.get("type"),
        "id": event.get("id"),
        "origin": event.get("origin"),
        "signer": event.get("signer"),
        "causationid": event.get("causationid"),
        "subject": event.get("data", {}).get("subject"),
        "recipients": ", ".join(event.get("data", {}).get("recipients", [])),
    }
    for name, value in rows.items():
        table.add_row(name, str(value))
    return table


async def run(settings: StackSettings, ends: Endpoints, patience: float = 30.0) -> None:
    countries = ends.andina.countries()
    registry = ends.andina.topics()
    submissions = registry.topic(SERVICE, SUBMISSIONS)
    deliveries = registry.topic(SERVICE, DELIVERIES)
    dead_letters = registry.topic(SERVICE, DEAD_LETTER)
    key = SignerKey.load(ends.keys_dir, SENDER)
    directory = KeyDirectory.load(ends.key_directory)
    to_co = TopicPartition(deliveries, countries.partition_of(RECIPIENT))
    to_bo = TopicPartition(deliveries, countries.partition_of(BYSTANDER))
    dlq_pe = TopicPartition(dead_letters, countries.partition_of(SENDER))

    producer = AIOKafkaProducer(
        bootstrap_servers=ends.bootstrap_servers,
        acks="all",
        enable_idempotence=True,
        partitioner=CountryPartitioner(countries),
        request_timeout_ms=10_000,
    )
    consumer = AIOKafkaConsumer(bootstrap_servers=ends.bootstrap_servers, enable_auto_commit=False, group_id=None)
    try:
        await asyncio.wait_for(asyncio.gather(producer.start(), consumer.start()), 15)
    except Exception as exc:
        raise StackError(
            f"cannot reach Kafka at {ends.bootstrap_servers} ({type(exc).__name__}): run `andina stack up`"
        ) from None
    try:
        consumer.assign([to_co, to_bo, dlq_pe])
        start = await consumer.end_offsets([to_co, to_bo, dlq_pe])
        for partition, offset in start.items():
            consumer.seek(partition, offset)

        message = DirectedMessage(
            subject="Vehículo robado cruzando hacia Colombia",
            body="Placa ABC-123, camioneta blanca, vista en Tumbes rumbo al norte a las 03:10.",
            recipients=[RECIPIENT],
            reference="PNP-DEMO-001",
            evaluation="B2",
        )
        attributes = unsigned_event(
            type=message_sent_type(SERVICE),
            source=agency_source(SENDER, "pnp"),
            origin=SENDER,
            data=message.model_dump(mode="json", exclude_none=True),
            handling=Handling.H2,
        )
        sent = await producer.send_and_wait(
            submissions, key.sign(attributes), key=SENDER.encode(), headers=[("content-type", CONTENT_TYPE.encode())]
        )
        done(
            f"{SENDER} sent {attributes['type']}",
            f"id {attributes['id']} → {submissions}[{sent.partition}]@{sent.offset}",
        )

        def caused_by_ours(record: Record) -> bool:
            try:
                return bool(orjson.loads(record.value or b"").get("causationid") == attributes["id"])
            except orjson.JSONDecodeError:
                return False

        delivered = await _read_until(consumer, to_co, caused_by_ours, patience, f"the delivery to {RECIPIENT}")
        event = orjson.loads(delivered.value or b"")
        try:
            directory.verify(event)
        except Rejected as exc:
            raise StackError(f"the delivery's signature does not verify: {exc}") from None
        if event.get("type") != message_delivered_type(SERVICE):
            raise StackError(f"unexpected event type on {RECIPIENT}'s partition: {event.get('type')}")
        console.print(
            _event_table(f"delivered to {RECIPIENT} (signature verified: {event['signer']})", delivered, event)
        )

        await asyncio.sleep(1.0)  # a stray copy for the bystander would have arrived by now
        leaked = [r for r in (await consumer.getmany(to_bo, timeout_ms=1000)).get(to_bo, []) if caused_by_ours(r)]
        if leaked:
            raise StackError(f"{BYSTANDER}'s partition received the message meant for {RECIPIENT} only")
        done(f"{BYSTANDER}'s partition {to_bo.partition} got nothing of it", "(only the named recipient is served)")

        malformed = key.sign(attributes)[:80]  # cut mid-way: not JSON any more
        bad = await producer.send_and_wait(
            submissions, malformed, key=SENDER.encode(), headers=[("content-type", CONTENT_TYPE.encode())]
        )
        info(f"{SENDER} sent a malformed record (truncated JSON) → {submissions}[{bad.partition}]@{bad.offset}")

        def ours_dead(record: Record) -> bool:
            headers = _headers(record)
            return headers.get("andina-dlq-source-offset") == str(bad.offset) and headers.get(
                "andina-dlq-source-partition"
            ) == str(bad.partition)

        dead = await _read_until(consumer, dlq_pe, ours_dead, patience, "the dead letter")
        table = Table(title=f"dead letter on {dead_letters}[{dead.partition}]@{dead.offset}", show_header=False)
        table.add_column(style="bold")
        table.add_column(overflow="fold")
        table.add_row("key", (dead.key or b"").decode())
        for name, value in _headers(dead).items():
            table.add_row(name, value)
        table.add_row("value (original bytes)", repr(dead.value))
        console.print(table)
    finally:
        await consumer.stop()
        await producer.stop()
    for scene in SCENES:
        await scene(ends, patience)
    done("demo passed")

    console.print("\nWhere to look next:")
    for spec in registry.services:
        port = settings.service_port(spec)
        console.print(f"  {spec:15} http://127.0.0.1:{port}/metrics   http://127.0.0.1:{port}/health")
    console.print(
        f"  Prometheus UI   http://127.0.0.1:{settings.prometheus_port}/ "
        "(try: andina_dead_letters_total, andina_events_published_total)"
    )
