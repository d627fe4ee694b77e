"""Request relay: a counterpart receives, acknowledges, answers or refuses; the requester
closes. Updates go to the other party only; reminders and overdue notices are timers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from uuid import UUID

from andina.alerts.domain.relay import OPEN, RelayRequest
from andina.alerts.handlers import policies
from andina.alerts.handlers.ports import Ports
from andina.contract.events.alerts import RequestStatus
from andina.contract.events.catalogs.alerts import REQUEST_DEADLINE, REQUEST_UPDATE
from andina.contract.events.relay import (
    RequestAcknowledged,
    RequestAnswered,
    RequestClosed,
    RequestDeadline,
    RequestRefused,
    RequestSubmitted,
    RequestUpdate,
)
from andina.contract.rejections import Reason, Rejected
from andina.shared.gate import Inbound
from andina.shared.ids import derived_event_id
from andina.shared.outputs import Cause
from andina.shared.publishing import Outgoing
from andina.shared.timers import Timer, as_stored

REMINDER, OVERDUE = "request-reminder", "request-overdue"


def _deadline_timers(request_id: UUID) -> tuple[str, str]:
    """The ids of a request's reminder and deadline (cancelled by id, not by pattern)."""
    return f"request/{request_id}/reminder", f"request/{request_id}/overdue"


def _cause(request: RelayRequest, cause_id: UUID) -> Cause:
    """Outputs about ``request`` go out for its requester, in its conversation, as it is handled."""
    return Cause(cause_id, request.correlation or cause_id, request.requester, request.handling)


def _update(request: RelayRequest, to: str, cause: UUID, ports: Ports) -> Outgoing:
    payload = RequestUpdate(
        request_id=request.id,
        requester=request.requester,
        counterpart=request.counterpart,
        status=request.status,
        subject=request.subject,
        legal_basis=request.legal_basis,
        urgency=request.urgency,
        answer_by=request.answer_by,
        answer=request.answer,
        ground=request.ground,
        in_time=request.in_time,
    )
    return ports.outbox.deliver(_cause(request, cause), REQUEST_UPDATE, to, payload, request.status.value)


async def request_submitted(inbound: Inbound[RequestSubmitted], ports: Ports) -> list[Outgoing]:
    envelope = inbound.envelope
    # Handled again (a crash before the commit), the request keeps the time it was received: the same deadline.
    known = await ports.requests.get(envelope.id) if inbound.handled_before else None
    request = RelayRequest.submit(
        envelope.id,
        envelope.origin,
        inbound.payload,
        envelope.handling,
        as_stored(ports.clock()) if known is None else known.received_at,
        ports.request_deadlines,
        ports.countries,
    )
    request = replace(request, correlation=envelope.correlationid)
    await policies.relayed(request, envelope, ports)
    await ports.requests.add(request)
    ports.metrics.requests_submitted.labels(request.requester, request.counterpart, request.urgency.value).inc()
    ports.metrics.requests_open.inc()
    remind_at = request.received_at + (request.answer_by - request.received_at) * ports.request_reminder_at
    data = {"request_id": str(request.id)}
    reminder, overdue = _deadline_timers(request.id)
    await ports.timers.schedule(reminder, REMINDER, remind_at, data)
    await ports.timers.schedule(overdue, OVERDUE, request.answer_by, data)
    return [_update(request, request.counterpart, envelope.id, ports)]


async def _existing(request_id: UUID, ports: Ports) -> RelayRequest:
    request = await ports.requests.get(request_id)
    if request is None:
        raise Rejected(Reason.NOT_FOUND, f"no request {request_id}")
    return request


async def _progress(
    request_id: UUID, cause: UUID, ports: Ports, change: Callable[[RelayRequest], RelayRequest]
) -> list[Outgoing]:
    before = await _existing(request_id, ports)
    after = change(before)
    await ports.requests.save(after)
    if before.status in OPEN and after.status not in OPEN:
        ports.metrics.requests_open.dec()
        await ports.timers.cancel(*_deadline_timers(after.id))
    if after.status in (RequestStatus.ANSWERED, RequestStatus.REFUSED):
        in_time = str(after.in_time).lower()
        ports.metrics.requests_settled.labels(
            after.requester, after.counterpart, after.urgency.value, after.status.value, in_time
        ).inc()
    to = after.counterpart if after.status is RequestStatus.CLOSED else after.requester
    return [_update(after, to, cause, ports)]


async def request_acknowledged(inbound: Inbound[RequestAcknowledged], ports: Ports) -> list[Outgoing]:
    country = inbound.envelope.origin
    return await _progress(inbound.payload.request_id, inbound.envelope.id, ports, lambda r: r.acknowledged(country))


async def request_answered(inbound: Inbound[RequestAnswered], ports: Ports) -> list[Outgoing]:
    country, answer, now = inbound.envelope.origin, inbound.payload.answer, ports.clock()
    return await _progress(
        inbound.payload.request_id, inbound.envelope.id, ports, lambda r: r.answered(country, answer, now)
    )


async def request_refused(inbound: Inbound[RequestRefused], ports: Ports) -> list[Outgoing]:
    country, ground, now = inbound.envelope.origin, inbound.payload.ground, ports.clock()
    return await _progress(
        inbound.payload.request_id, inbound.envelope.id, ports, lambda r: r.refused(country, ground, now)
    )


async def request_closed(inbound: Inbound[RequestClosed], ports: Ports) -> list[Outgoing]:
    country = inbound.envelope.origin
    return await _progress(inbound.payload.request_id, inbound.envelope.id, ports, lambda r: r.closed(country))


async def request_deadline(timer: Timer, ports: Ports) -> list[Outgoing]:
    """A reminder to the counterpart before the deadline; an overdue notice to both after it."""
    request = await ports.requests.get(UUID(timer.data["request_id"]))
    if request is None or request.status not in OPEN:
        return []
    overdue = timer.kind == OVERDUE
    if overdue:
        ports.metrics.requests_overdue.labels(request.requester, request.counterpart, request.urgency.value).inc()
    notice = RequestDeadline(
        request_id=request.id,
        requester=request.requester,
        counterpart=request.counterpart,
        answer_by=request.answer_by,
        overdue=overdue,
    )
    cause = derived_event_id(request.id, timer.id)
    recipients = [request.counterpart, request.requester] if overdue else [request.counterpart]
    return ports.outbox.deliver_each(_cause(request, cause), REQUEST_DEADLINE, recipients, notice)
