"""The consume path every service shares: gate -> dedup -> handler -> publish -> record.

Records are handled a poll batch at a time so that the store sees two writes per batch
(claim, finish) instead of round trips per event. At-least-once: the offsets are
committed only after this returns, so a crash anywhere leads to a redelivery. Outputs
carry ids derived from the input, so a re-publish is recognised downstream; the inbox
recognises the input itself.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol
from uuid import UUID

import structlog
from pydantic import BaseModel

from andina.shared.envelope import Envelope, service_source, unsigned_event
from andina.shared.events.receipts import EventRejected, event_rejected_type
from andina.shared.gate import Gate, Inbound
from andina.shared.ids import derived_event_id
from andina.shared.metrics import ServiceMetrics
from andina.shared.publishing import DeadLetters, EventPublisher, Outgoing
from andina.shared.rejections import Reason, Rejected, RejectedAuthenticated
from andina.shared.store import Inbox, RecordPosition, Seen, write_batch

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
    seen: dict[UUID, Seen]
    outputs: list[Outgoing] = field(default_factory=list)
    handled: set[UUID] = field(default_factory=set)
    redelivered: int = 0
    refused: int = 0


def _position(record: KafkaRecord) -> RecordPosition:
    return RecordPosition(record.topic, record.partition, record.offset)


class EventProcessor:
    def __init__(
        self,
        gate: Gate,
        routes: dict[str, Route],
        inbox: Inbox,
        publisher: EventPublisher,
        dead_letters: DeadLetters,
        metrics: ServiceMetrics,
        deliveries_topic: str,
    ) -> None:
        self._gate = gate
        self._routes = routes
        self._inbox = inbox
        self._publisher = publisher
        self._dead_letters = dead_letters
        self._metrics = metrics
        self._deliveries_topic = deliveries_topic

    async def process(self, records: Sequence[KafkaRecord]) -> None:
        """Handle a batch in order. Refusals go to the dead-letter topic; infrastructure errors raise."""
        admitted: list[tuple[KafkaRecord, Inbound[Any]]] = []
        notices: list[Outgoing] = []
        for record in records:
            try:
                admitted.append((record, self._gate.admit(record.key, record.value or b"")))
            except RejectedAuthenticated as rejection:
                await self._refuse(record, rejection, notices, rejection.envelope)
            except Rejected as rejection:
                await self._refuse(record, rejection, notices)
        seen = await self._inbox.claim([(inbound.envelope, _position(record)) for record, inbound in admitted])
        batch = _Batch(seen=seen, outputs=notices, refused=len(records) - len(admitted))
        async with write_batch():  # the handlers' inserts are written here, before anything is published
            for record, inbound in admitted:
                envelope = inbound.envelope
                with structlog.contextvars.bound_contextvars(
                    correlationid=str(envelope.correlationid), eventid=str(envelope.id), type=envelope.type
                ):
                    try:
                        await self._handle_once(record, inbound, batch)
                    except Rejected as rejection:
                        batch.refused += 1
                        await self._refuse(record, rejection, batch.outputs, envelope)
        await self._publisher.publish(batch.outputs)
        await self._inbox.finish(list(batch.handled))
        if records:
            log.info(
                "batch handled",
                records=len(records),
                handled=len(batch.handled),
                outputs=len(batch.outputs),
                refused=batch.refused,
                redelivered=batch.redelivered,
            )

    async def _handle_once(self, record: KafkaRecord, inbound: Inbound[Any], batch: _Batch) -> None:
        envelope = inbound.envelope
        position = _position(record)
        seen = batch.seen.get(envelope.id)
        if envelope.id in batch.handled:
            raise Rejected(Reason.DUPLICATE, f"event {envelope.id} came twice in one batch")
        if seen is not None and seen.finished:
            if seen.first != position:
                raise Rejected(Reason.DUPLICATE, f"event {envelope.id} was already processed at {seen.first}")
            batch.redelivered += 1
            self._metrics.redeliveries.labels(self._metrics.service).inc()
            return
        started = time.perf_counter()
        outputs = await self._routes[envelope.type].handler(inbound)
        batch.outputs.extend(outputs)
        batch.handled.add(envelope.id)
        self._metrics.received.labels(self._metrics.service, envelope.type, envelope.origin).inc()
        self._metrics.handling_seconds.labels(self._metrics.service, envelope.type).observe(
            time.perf_counter() - started
        )
        log.debug("event handled", origin=envelope.origin, outputs=len(outputs))

    async def _refuse(
        self, record: KafkaRecord, rejection: Rejected, notices: list[Outgoing], envelope: Envelope | None = None
    ) -> None:
        """Dead-letter the record; tell an authenticated country sender why, on its own partition."""
        position = _position(record)
        if envelope is not None and envelope.signer == envelope.origin:
            notices.append(self._rejection_notice(envelope, rejection))
        log.warning(
            "event refused",
            reason=rejection.reason.value,
            detail=rejection.detail,
            topic=position.topic,
            partition=position.partition,
            offset=position.offset,
        )
        await self._dead_letters.send(record.key, record.value or b"", position, rejection)

    def _rejection_notice(self, envelope: Envelope, rejection: Rejected) -> Outgoing:
        event_type = event_rejected_type(self._metrics.service)
        notice = EventRejected(
            event_id=envelope.id, event_type=envelope.type, reason=rejection.reason.value, detail=rejection.detail
        )
        return Outgoing(
            topic=self._deliveries_topic,
            recipient=envelope.origin,
            attributes=unsigned_event(
                id=derived_event_id(envelope.id, event_type, rejection.reason.value),
                type=event_type,
                source=service_source(self._metrics.service),
                origin=envelope.origin,
                data=notice.model_dump(mode="json"),
                handling=envelope.handling,
                correlationid=envelope.correlationid,
                causationid=envelope.id,
            ),
        )
