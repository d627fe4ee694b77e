"""Mutual assistance: requests to one administration, their lifecycle and deadlines, spontaneous information.

A request is delivered to the requested administration only; its answer and status changes
go back to the requester only; a closure goes to the requested administration.
"""

from __future__ import annotations

import datetime as dt
from uuid import UUID

from andina.contract.envelope import Envelope
from andina.contract.events import customs as types
from andina.contract.events.customs.assistance import (
    AssistanceAnswer,
    AssistanceAnswerDelivered,
    AssistanceClosure,
    AssistanceDeadlineNotice,
    AssistanceRequest,
    AssistanceRequestDelivered,
    AssistanceStatusChanged,
    AssistanceStatusUpdate,
    RefusalGround,
    RequestStatus,
    SpontaneousAssistance,
    SpontaneousAssistanceDelivered,
)
from andina.contract.rejections import Reason, Rejected
from andina.customs.domain.assistance import Case, DeadlinePolicy, Record, Step, check_subject, not_received
from andina.customs.handlers.policies import Sharing, refuse_unless_all_permitted, send, sharing
from andina.customs.handlers.ports import Ports
from andina.shared.fanout import resolve_recipients
from andina.shared.gate import Inbound
from andina.shared.outputs import Cause
from andina.shared.publishing import Outgoing
from andina.shared.timers import Timer

REMINDER = "assistance-reminder"
OVERDUE = "assistance-overdue"
# After these the requested administration owes nothing more: its reminders and deadline are cancelled.
SETTLED = frozenset({RequestStatus.ANSWERED, RequestStatus.REFUSED, RequestStatus.CLOSED})


def _deadline_timers(request_id: UUID, policy: DeadlinePolicy) -> list[str]:
    """The ids of every reminder a request can have, then of its deadline (cancelled by id, not by pattern)."""
    prefix = f"assistance/{request_id}/"
    return [*(f"{prefix}reminder-{n}" for n in range(policy.most_reminders)), f"{prefix}overdue"]


async def assistance_requested(inbound: Inbound[AssistanceRequest], ports: Ports) -> list[Outgoing]:
    envelope, request = inbound.envelope, inbound.payload
    record = await ports.cases.get(envelope.id)
    owners = {request.requested: envelope.origin}
    shared = sharing(ports, types.ASSISTANCE_REQUEST_DELIVERED, envelope.id, envelope.handling, owners)
    case = record.case if record else await _open(inbound, shared, ports)
    if record is not None and case.owes_answer:
        # Handled again after a crash: the case is stored at once, its deadlines only with the batch.
        await _schedule_deadlines(case, record.received_at, ports)
    forwarded = AssistanceRequestDelivered(
        **request.model_dump(exclude={"deadline"}),
        request_id=case.request_id,
        requester=case.requester,
        deadline=case.deadline,
    )
    subject, why = f"assistance-request/{case.request_id}", request.legal_basis
    return await send(ports, Cause.of(envelope), types.ASSISTANCE_REQUEST_DELIVERED, shared, forwarded, subject, why)


def request_checked(inbound: Inbound[AssistanceRequest], ports: Ports, now: dt.datetime) -> dt.datetime:
    """The deadline of a request received ``now``, its content checked."""
    envelope, request = inbound.envelope, inbound.payload
    if request.requested == envelope.origin:
        raise Rejected(Reason.INVALID_PAYLOAD, "a request goes to another administration than the requester")
    if request.requested not in ports.countries:
        raise Rejected(Reason.UNKNOWN_COUNTRY, f"requested {request.requested!r} is not a member country")
    check_subject(request.subject, ports.hs)
    return ports.assistance_deadlines.deadline(request.urgency, request.deadline, now)


def request_check(inbound: Inbound[AssistanceRequest], ports: Ports) -> dt.datetime:
    return request_checked(inbound, ports, ports.clock())


async def _open(inbound: Inbound[AssistanceRequest], shared: Sharing, ports: Ports) -> Case:
    envelope, request = inbound.envelope, inbound.payload
    now = ports.clock()
    deadline = request_checked(inbound, ports, now)
    await refuse_unless_all_permitted(envelope, shared, f"assistance-request/{envelope.id}", ports.audit)
    case = Case(
        envelope.id,
        envelope.origin,
        request.requested,
        RequestStatus.SUBMITTED,
        deadline,
        envelope.correlationid,
        envelope.handling,
        request.reference,
    )
    await ports.cases.add(case, request.urgency.value, now)
    await _schedule_deadlines(case, now, ports)
    ports.metrics.requests.labels(case.requester, case.requested, request.urgency.value).inc()
    return case


async def _schedule_deadlines(case: Case, received_at: dt.datetime, ports: Ports) -> None:
    """The reminders and the deadline of a request, the same ids and times however often it is handled."""
    *reminders, overdue = _deadline_timers(case.request_id, ports.assistance_deadlines)
    data = {"request_id": str(case.request_id)}
    for timer_id, at in zip(reminders, ports.assistance_deadlines.reminders(case.deadline, received_at), strict=False):
        await ports.timers.schedule(timer_id, REMINDER, at, data)
    await ports.timers.schedule(overdue, OVERDUE, case.deadline, data)


async def _move(
    envelope: Envelope, request_id: UUID, status: RequestStatus, sent_as: str, ports: Ports
) -> tuple[Case, Step, Sharing]:
    """Check and apply a status change (or recognise a re-run of it); refuse it when not allowed, or when the
    policies keep what it sends (as ``sent_as``) from the other administration."""
    record: Record | None = await ports.cases.get(request_id)
    if record is None:
        raise not_received(envelope.origin, request_id)
    case = record.case
    other = case.requested if status is RequestStatus.CLOSED else case.requester
    shared = sharing(ports, sent_as, envelope.id, envelope.handling, {other: envelope.origin})
    done = record.steps.get(envelope.id)
    if done is not None:
        return case, done, shared
    previous = case.close(envelope.origin) if status is RequestStatus.CLOSED else case.reply(envelope.origin, status)
    await refuse_unless_all_permitted(envelope, shared, f"assistance-request/{request_id}", ports.audit)
    step = Step(envelope.id, status, previous)
    await ports.cases.move(case, step, envelope.origin, ports.clock())
    if status in SETTLED:
        await ports.timers.cancel(*_deadline_timers(request_id, ports.assistance_deadlines))
    ports.metrics.transitions.labels(status.value, envelope.origin).inc()
    return case, step, shared


def _status_changed(
    case: Case, step: Step, by: str, ground: RefusalGround | None, note: str | None
) -> AssistanceStatusChanged:
    return AssistanceStatusChanged(
        request_id=case.request_id,
        status=step.status,
        previous=step.previous,
        changed_by=by,
        ground=ground,
        note=note,
        deadline=case.deadline,
    )


async def assistance_status_updated(inbound: Inbound[AssistanceStatusUpdate], ports: Ports) -> list[Outgoing]:
    envelope, update = inbound.envelope, inbound.payload
    case, step, shared = await _move(envelope, update.request_id, update.status, types.ASSISTANCE_STATUS_CHANGED, ports)
    changed = _status_changed(case, step, envelope.origin, update.ground, update.note)
    return await _status_sent(envelope, case, shared, changed, ports)


async def assistance_answered(inbound: Inbound[AssistanceAnswer], ports: Ports) -> list[Outgoing]:
    envelope, answer = inbound.envelope, inbound.payload
    case, _, shared = await _move(envelope, answer.request_id, answer.outcome, types.ASSISTANCE_ANSWER_DELIVERED, ports)
    forwarded = AssistanceAnswerDelivered(**answer.model_dump(), responder=envelope.origin)
    subject, why = f"assistance-request/{case.request_id}", "answer to the requester"
    return await send(ports, Cause.of(envelope), types.ASSISTANCE_ANSWER_DELIVERED, shared, forwarded, subject, why)


async def assistance_closed(inbound: Inbound[AssistanceClosure], ports: Ports) -> list[Outgoing]:
    envelope = inbound.envelope
    closed = RequestStatus.CLOSED
    case, step, shared = await _move(
        envelope, inbound.payload.request_id, closed, types.ASSISTANCE_STATUS_CHANGED, ports
    )
    changed = _status_changed(case, step, envelope.origin, None, inbound.payload.note)
    return await _status_sent(envelope, case, shared, changed, ports)


async def _status_sent(
    envelope: Envelope, case: Case, shared: Sharing, changed: AssistanceStatusChanged, ports: Ports
) -> list[Outgoing]:
    """A status change for the other administration (its note is the sender's)."""
    subject, why = f"assistance-request/{case.request_id}", f"request {changed.status.value}"
    return await send(ports, Cause.of(envelope), types.ASSISTANCE_STATUS_CHANGED, shared, changed, subject, why)


async def deadline_reminder(timer: Timer, ports: Ports) -> list[Outgoing]:
    """A reminder to the requested administration, while it owes an answer."""
    return await _deadline_notice(timer, ports, overdue=False)


async def deadline_passed(timer: Timer, ports: Ports) -> list[Outgoing]:
    """The overdue notice to both administrations, when the deadline passed without an answer."""
    return await _deadline_notice(timer, ports, overdue=True)


async def _deadline_notice(timer: Timer, ports: Ports, *, overdue: bool) -> list[Outgoing]:
    record = await ports.cases.get(UUID(timer.data["request_id"]))
    if record is None or not record.case.owes_answer:
        return []
    case = record.case
    notice = AssistanceDeadlineNotice(
        request_id=case.request_id,
        requester=case.requester,
        requested=case.requested,
        status=case.status,
        deadline=case.deadline,
        reference=case.reference,
    )
    cause = Cause(case.request_id, case.correlation_id, case.requester, case.handling)
    if overdue:
        ports.metrics.overdue.labels(case.requested).inc()
        return ports.outbox.deliver_each(cause, types.ASSISTANCE_OVERDUE, [case.requester, case.requested], notice)
    return [ports.outbox.deliver(cause, types.ASSISTANCE_REMINDER, case.requested, notice, timer.id)]


def spontaneous_checked(inbound: Inbound[SpontaneousAssistance], ports: Ports) -> list[str]:
    """The members spontaneous information goes to, its content checked."""
    envelope, information = inbound.envelope, inbound.payload
    recipients = resolve_recipients(envelope.origin, information.recipients, envelope.handling, ports.countries)
    if envelope.origin in recipients:
        raise Rejected(Reason.INVALID_PAYLOAD, "spontaneous assistance goes to other administrations")
    check_subject(information.subject, ports.hs)
    return recipients


async def spontaneous_assistance_sent(inbound: Inbound[SpontaneousAssistance], ports: Ports) -> list[Outgoing]:
    envelope, information = inbound.envelope, inbound.payload
    recipients = spontaneous_checked(inbound, ports)
    owners = dict.fromkeys(recipients, envelope.origin)
    shared = sharing(ports, types.SPONTANEOUS_ASSISTANCE_DELIVERED, envelope.id, envelope.handling, owners)
    subject = f"spontaneous-assistance/{envelope.id}"
    await refuse_unless_all_permitted(envelope, shared, subject, ports.audit)
    forwarded = SpontaneousAssistanceDelivered(
        **information.model_dump(exclude={"recipients"}),
        recipients=recipients,
        information_id=envelope.id,
        sender=envelope.origin,
    )
    why = "spontaneous assistance"
    return await send(
        ports, Cause.of(envelope), types.SPONTANEOUS_ASSISTANCE_DELIVERED, shared, forwarded, subject, why
    )
