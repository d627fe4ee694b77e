"""The consume path every service shares: gate -> dedup -> handler -> publish -> record.

Records are handled a poll batch at a time so that the store sees two writes per batch
(claim, finish) instead of round trips per event. At-least-once: the offsets are
committed only after the batch's outputs are published and its inbox entries marked
finished, so a crash anywhere leads to a redelivery. Outputs carry ids derived from the
input, so a re-publish is recognised downstream; the inbox recognises the input itself.

The finish marks are written off the hot path, just before the offsets are committed
(:meth:`EventProcessor.finish_published`): until then the processor itself knows those
events as finished, so a duplicate arriving meanwhile is still refused.
"""

from __future__ import annotations

import itertools
import logging
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Protocol
from uuid import UUID

import structlog
from pydantic import BaseModel

from andina.contract.envelope import Envelope, service_source, unsigned_event
from andina.contract.events.receipts import EventRejected, event_rejected_type
from andina.contract.fetching import refuse_undecodable
from andina.contract.rejections import Reason, Rejected, RejectedAuthenticated
from andina.shared.backoff import DependencyStatus, unavailable
from andina.shared.gate import ContentCheck, Gate, Inbound
from andina.shared.ids import derived_event_id
from andina.shared.impersonation import RefusalNotices
from andina.shared.metrics import ServiceMetrics
from andina.shared.publishing import DeadLetters, EventPublisher, Outgoing
from andina.shared.store import Inbox, RecordPosition, Seen, WriteBatch, write_batch

log = structlog.get_logger()
stdlib_log = logging.getLogger(__name__)  # where this module's structlog lines go: its level decides

Handler = Callable[[Inbound[Any], WriteBatch], Awaitable[list[Outgoing]]]  # with its poll batch's unit of work


@dataclass(frozen=True, slots=True)
class Route:
    """What a service does with one event type: its payload model, its handler, and the rules on the
    content its handler applies first (run alone by the dry run, ``POST /validate``)."""

    model: type[BaseModel]
    handler: Handler
    check: ContentCheck | None = None


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


@dataclass(frozen=True, slots=True)
class _Refusal:
    record: KafkaRecord
    rejection: Rejected


@dataclass(slots=True)
class _Batch:
    """What handling a batch produced; built afresh on each attempt, sent once it is complete."""

    seen: dict[UUID, Seen]
    refusals: list[_Refusal]
    outputs: list[Outgoing]
    handled: set[UUID] = field(default_factory=set)
    handled_types: list[tuple[str, str, float]] = field(default_factory=list)  # type, origin, seconds
    redelivered: int = 0
    retried: bool = False  # an earlier attempt was cut short by an outage, maybe after some of its writes


def _position(record: KafkaRecord) -> RecordPosition:
    return RecordPosition(record.topic, record.partition, record.offset)


class _StepClock:
    """How long each step of a batch took, for its log line (``<step>_ms``)."""

    def __init__(self) -> None:
        self._last = time.perf_counter()
        self._laps: dict[str, float] = {}

    def lap(self, step: str) -> None:
        now = time.perf_counter()
        self._laps[f"{step}_ms"] = round((now - self._last) * 1000, 1)
        self._last = now

    def milliseconds(self) -> dict[str, float]:
        return self._laps


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
        dependencies: DependencyStatus,
        unverified: RefusalNotices,
    ) -> None:
        self._gate = gate
        self._routes = routes
        self._inbox = inbox
        self._publisher = publisher
        self._dead_letters = dead_letters
        self._metrics = metrics
        self._deliveries_topic = deliveries_topic
        self._dependencies = dependencies
        self._unverified = unverified  # notices of refusals before a signature was verified
        self._published: set[UUID] = set()  # handled, outputs published, finish mark not yet written

    async def process(self, records: Sequence[KafkaRecord]) -> None:
        """Handle a batch in order. Refusals go to the dead-letter topic; infrastructure errors raise.

        Each step is retried on its own while the store or the broker is unreachable, so an
        outage neither drops the batch nor repeats the steps that had succeeded.
        """
        steps = _StepClock()
        admitted: list[tuple[KafkaRecord, Inbound[Any]]] = []
        refusals: list[_Refusal] = []
        notices: list[Outgoing] = []
        for record in records:
            try:
                refuse_undecodable(record)
                admitted.append((record, self._gate.admit(record.key, record.value or b"")))
            except RejectedAuthenticated as rejection:
                self._refuse(record, rejection, refusals, notices, rejection.envelope)
            except Rejected as rejection:
                self._refuse(record, rejection, refusals, notices)
        claims = [(inbound.envelope, _position(record)) for record, inbound in admitted]
        steps.lap("admit")
        seen = self._as_finished_if_published(
            await self._dependencies.retry("claim", lambda: self._inbox.claim(claims))
        )
        steps.lap("claim")
        attempts = itertools.count()
        batch = await self._dependencies.retry(
            "handle",
            lambda: self._handle_all(admitted, _Batch(seen, list(refusals), list(notices), retried=next(attempts) > 0)),
        )
        self._count(batch)
        steps.lap("handle")
        await self._dependencies.retry("publish", lambda: self._send(batch))
        self._published |= batch.handled
        steps.lap("publish")
        if records:
            log.info(
                "batch handled",
                records=len(records),
                handled=len(batch.handled),
                outputs=len(batch.outputs),
                refused=len(batch.refusals),
                redelivered=batch.redelivered,
                **steps.milliseconds(),
            )

    async def finish_published(self) -> None:
        """Mark every event published so far as finished in the inbox (before its offset is committed)."""
        published = list(self._published)
        if published:
            await self._dependencies.retry("finish", lambda: self._inbox.finish(published))
            self._published.difference_update(published)

    def _as_finished_if_published(self, seen: dict[UUID, Seen]) -> dict[UUID, Seen]:
        return {i: replace(s, finished=True) if i in self._published else s for i, s in seen.items()}

    async def _handle_all(self, admitted: list[tuple[KafkaRecord, Inbound[Any]]], batch: _Batch) -> _Batch:
        async with write_batch() as unit:  # the handlers' writes are sent here, before anything is published
            for record, inbound in admitted:
                envelope = inbound.envelope
                # Bound and reset by token: structlog's bound_contextvars reads every context variable first.
                bound = structlog.contextvars.bind_contextvars(
                    correlationid=str(envelope.correlationid), eventid=str(envelope.id), type=envelope.type
                )
                try:
                    await self._handle_once(record, inbound, batch, unit)
                except Rejected as rejection:
                    self._refuse(record, rejection, batch.refusals, batch.outputs, envelope)
                except Exception as error:
                    if unavailable(error) is not None:
                        raise  # an outage: the whole step is retried once the dependency is back
                    # A bug or an input no rule foresaw: set this event aside, never block the others.
                    log.exception("handler failed")
                    # The sender is told the error's kind only: its text may hold other countries' data.
                    detail = f"{type(error).__name__} while handling it; the operators see it in the logs"
                    failed = Rejected(Reason.HANDLER_FAILED, detail)
                    self._refuse(record, failed, batch.refusals, batch.outputs, envelope)
                finally:
                    structlog.contextvars.reset_contextvars(**bound)
        return batch

    async def _handle_once(self, record: KafkaRecord, inbound: Inbound[Any], batch: _Batch, unit: WriteBatch) -> None:
        envelope = inbound.envelope
        position = _position(record)
        seen = batch.seen.get(envelope.id)
        if envelope.id in batch.handled:
            raise Rejected(Reason.DUPLICATE, f"event {envelope.id} came twice in one batch")
        if seen is not None and seen.finished:
            if seen.first != position:
                raise Rejected(Reason.DUPLICATE, f"event {envelope.id} was already processed at {seen.first}")
            batch.redelivered += 1
            return
        if seen is not None or batch.retried:
            inbound = replace(inbound, handled_before=True)
        started = time.perf_counter()
        outputs = await self._routes[envelope.type].handler(inbound, unit)
        batch.outputs.extend(outputs)
        batch.handled.add(envelope.id)
        batch.handled_types.append((envelope.type, envelope.origin, time.perf_counter() - started))
        if stdlib_log.isEnabledFor(logging.DEBUG):  # a line dropped by its level still costs ~10 µs per event
            log.debug("event handled", origin=envelope.origin, outputs=len(outputs))

    def _count(self, batch: _Batch) -> None:
        """Metrics of the attempt that succeeded (earlier attempts were cut short by an outage)."""
        metrics, service = self._metrics, self._metrics.service
        # One labels() lookup per type and origin of the batch, not per event: each costs a lock and checks.
        for (event_type, origin), received in Counter((t, o) for t, o, _ in batch.handled_types).items():
            metrics.received.labels(service, event_type, origin).inc(received)
        types = {event_type for event_type, _, _ in batch.handled_types}
        histograms = {event_type: metrics.handling_seconds.labels(service, event_type) for event_type in types}
        for event_type, _, seconds in batch.handled_types:
            histograms[event_type].observe(seconds)
        if batch.redelivered:
            metrics.redeliveries.labels(service).inc(batch.redelivered)

    async def _send(self, batch: _Batch) -> None:
        for refusal in batch.refusals:
            record = refusal.record
            await self._dead_letters.send(record.key, record.value or b"", _position(record), refusal.rejection)
        await self._publisher.publish(batch.outputs)

    def _refuse(
        self,
        record: KafkaRecord,
        rejection: Rejected,
        refusals: list[_Refusal],
        notices: list[Outgoing],
        envelope: Envelope | None = None,
    ) -> None:
        """Queue the record for the dead-letter topic; tell an authenticated country sender why, on its partition."""
        position = _position(record)
        if envelope is not None and envelope.signer == envelope.origin:
            notices.append(self._rejection_notice(envelope, rejection))
        elif envelope is None and (notice := self._unverified.notice(record.key, rejection.reason, position)):
            notices.append(notice)
        log.warning(
            "event refused",
            reason=rejection.reason.value,
            detail=rejection.detail,
            topic=position.topic,
            partition=position.partition,
            offset=position.offset,
        )
        refusals.append(_Refusal(record, rejection))

    def _rejection_notice(self, envelope: Envelope, rejection: Rejected) -> Outgoing:
        event_type = event_rejected_type(self._metrics.service)
        notice = EventRejected(
            event_id=envelope.id, event_type=envelope.type, reason=rejection.reason.value, detail=rejection.detail
        )
        return Outgoing(
            topic=self._deliveries_topic,
            recipient=envelope.origin,
            attributes=unsigned_event(
                # With the detail: a refusal saying something else (twice in a batch, then already processed) is
                # another notice, never other content under the first one's id.
                id=derived_event_id(envelope.id, event_type, rejection.reason.value, rejection.detail),
                type=event_type,
                source=service_source(self._metrics.service),
                origin=envelope.origin,
                data=notice.model_dump(mode="json"),
                handling=envelope.handling,
                correlationid=envelope.correlationid,
                causationid=envelope.id,
            ),
        )
