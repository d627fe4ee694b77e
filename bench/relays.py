"""Hand-written aiokafka relays: the ceilings the service path is compared with.

Both read a poll batch with ``getmany`` (as the service's batch subscriber does, same
batch size and timeout), produce every output with an idempotent ``acks=all`` producer
routed by the country partitioner, wait for the acknowledgements, then commit the batch.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from andina.contract.kafka_auth import client_options
from andina.contract.sealing import DeliverySealer
from andina.contract.signing import SignerKey
from andina.contract.topics import CountryPartitioner
from andina.shared.fanout import deliveries
from andina.shared.gate import Gate, Inbound
from andina.shared.outputs import Outbox
from andina.shared.settings import AndinaSettings
from bench.stack import HEADERS, SERVICE, BenchStack

Output = tuple[bytes | None, bytes]
Work = Callable[[Any], list[Output]]

BATCH = AndinaSettings.model_fields["max_batch"].default
BATCH_TIMEOUT_MS = 200  # FastStream's batch subscriber default


def forward(record: Any) -> list[Output]:
    """(a) The bare transport: the record goes out as it came in, never decoded."""
    return [(record.key, record.value)]


def service_work(gate: Gate, key: SignerKey, stack: BenchStack, target: str) -> Work:
    """(b) What the alerts service does per event, without FastStream, store, metrics or logs.

    Admit (size, JSON, envelope, membership, key, signature, payload), build the delivery
    with its derived id, seal it for the recipient, sign it with the service key.
    """
    countries = stack.countries
    sealer = DeliverySealer(key, stack.directory())
    outbox = Outbox(SERVICE, target)

    def work(record: Any) -> list[Output]:
        inbound: Inbound[Any] = gate.admit(record.key, record.value)
        return [
            (o.recipient.encode(), key.sign(sealer.seal(o.attributes, o.recipient)))
            for o in deliveries(inbound, outbox, countries)
        ]

    return work


async def relay(stack: BenchStack, source: str, target: str, group: str, work: Work, stop: asyncio.Event) -> int:
    """Relay ``source`` to ``target`` until ``stop`` is set; return the number of outputs."""
    consumer = AIOKafkaConsumer(
        source,
        bootstrap_servers=stack.bootstrap.split(","),
        group_id=group,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        **client_options(),
    )
    producer = AIOKafkaProducer(
        bootstrap_servers=stack.bootstrap.split(","),
        acks="all",
        enable_idempotence=True,
        linger_ms=2,
        partitioner=CountryPartitioner(stack.countries),
        **client_options(),
    )
    await consumer.start()
    await producer.start()
    sent = 0
    try:
        while not stop.is_set():
            batches = await consumer.getmany(timeout_ms=BATCH_TIMEOUT_MS, max_records=BATCH)
            pending = [
                await producer.send(target, value, key=key, headers=HEADERS)
                for records in batches.values()
                for record in records
                for key, value in work(record)
            ]
            if pending:
                await asyncio.gather(*pending)
                await consumer.commit()
                sent += len(pending)
        return sent
    finally:
        await consumer.stop()
        await producer.stop()
