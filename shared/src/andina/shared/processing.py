"""The consume path every service shares: gate -> dedup -> handler -> publish -> record.

Records are handled a poll batch at a time so that the store sees two round trips per
batch (look up, record) instead of two per event. At-least-once: the offsets are
committed only after this returns, so a crash anywhere leads to a redelivery. Outputs
carry ids derived from the input, so a re-publish is recognised downstream; the inbox
recognises the input itself.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol
from uuid import UUID

import structlog
from pydantic import BaseModel

from andina.shared.envelope import Envelope
from andina.shared.gate import Gate, Inbound
from andina.shared.metrics import ServiceMetrics
from andina.shared.publishing import DeadLetters, EventPublisher, Outgoing
from andina.shared.rejections import Reason, Rejected
from andina.shared.store import Inbox, RecordPosition

log = structlog.get_logger()

Handler = Callable[[Inbound[Any]], Awaitable[list[Outgoing]]]


@dataclass(frozen=True, slots=True)
class Route:
    """What a service does with one event type: its payload model and its handler."""

    model: type[BaseModel]
    handler: Handler


class KafkaRecord(Protocol):
    @property
    def topic(self) -> str: ...
    @property
    def partition(self) -> int: ...
    @property
    def offset(self) -> int: ...
    @property
    def key(self) -> bytes | None: ...
    @property
    def value(self) -> bytes | None: ...


@dataclass(slots=True)
class _Batch:
    outputs: list[Outgoing]
    processed: list[tuple[Envelope, RecordPosition]]


class EventProcessor:
    def __init__(
        self,
        gate: Gate,
        routes: dict[str, Route],
        inbox: Inbox,
        publisher: EventPublisher,
        dead_letters: DeadLetters,
        metrics: ServiceMetrics,
    ) -> None:
        self._gate = gate
        self._routes = routes
        self._inbox = inbox
        self._publisher = publisher
        self._dead_letters = dead_letters
        self._metrics = metrics

    async def process(self, records: Sequence[KafkaRecord]) -> None:
        """Handle a batch in order. Refusals go to the dead-letter topic; infrastructure errors raise."""
        admitted: list[tuple[KafkaRecord, Inbound[Any]]] = []
        for record in records:
            try:
                admitted.append((record, self._gate.admit(record.key, record.value or b"")))
            except Rejected as rejection:
                await self._refuse(record, rejection)
        first_seen = await self._inbox.positions_of([inbound.envelope.id for _, inbound in admitted])
        batch = _Batch(outputs=[], processed=[])
        for record, inbound in admitted:
            envelope = inbound.envelope
            with structlog.contextvars.bound_contextvars(
                correlationid=str(envelope.correlationid), eventid=str(envelope.id), type=envelope.type
            ):
                try:
                    await self._handle_once(record, inbound, first_seen, batch)
                except Rejected as rejection:
                    await self._refuse(record, rejection)
        await self._publisher.publish(batch.outputs)
        await self._inbox.record(batch.processed)

    async def _handle_once(
        self,
        record: KafkaRecord,
        inbound: Inbound[Any],
        first_seen: dict[UUID, RecordPosition],
        batch: _Batch,
    ) -> None:
        envelope = inbound.envelope
        position = RecordPosition(record.topic, record.partition, record.offset)
        first = first_seen.get(envelope.id)
        if first == position:
            self._metrics.redeliveries.labels(self._metrics.service).inc()
            log.info("redelivery of a processed event skipped", offset=position.offset)
            return
        if first is not None:
            raise Rejected(Reason.DUPLICATE, f"event {envelope.id} was already processed at {first}")
        started = time.perf_counter()
        outputs = await self._routes[envelope.type].handler(inbound)
        first_seen[envelope.id] = position
        batch.outputs.extend(outputs)
        batch.processed.append((envelope, position))
        self._metrics.received.labels(self._metrics.service, envelope.type, envelope.origin).inc()
        self._metrics.handling_seconds.labels(self._metrics.service, envelope.type).observe(
            time.perf_counter() - started
        )
        log.info("event handled", origin=envelope.origin, outputs=len(outputs))

    async def _refuse(self, record: KafkaRecord, rejection: Rejected) -> None:
        position = RecordPosition(record.topic, record.partition, record.offset)
        log.warning(
            "event refused",
            reason=rejection.reason.value,
            detail=rejection.detail,
            topic=position.topic,
            partition=position.partition,
            offset=position.offset,
        )
        await self._dead_letters.send(record.key, record.value or b"", position, rejection)
