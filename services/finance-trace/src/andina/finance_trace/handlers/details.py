"""Detail requests: an FIU asks the owner of a subject for details, the owner approves or refuses,
or the request expires unanswered."""

from __future__ import annotations

from uuid import UUID

from andina.finance_trace.domain import accesses
from andina.finance_trace.domain.details import check_detail_request
from andina.finance_trace.handlers.ports import Ports
from andina.shared.events.catalogs.finance_trace import DETAIL_ANSWERED, DETAIL_REQUEST_RECEIVED
from andina.shared.events.finance_trace import DetailAnswered, DetailDecision, DetailRequest, DetailRequestReceived
from andina.shared.gate import Inbound
from andina.shared.ids import derived_event_id
from andina.shared.outputs import Cause
from andina.shared.publishing import Outgoing
from andina.shared.rejections import Reason, Rejected
from andina.shared.timers import Timer

DETAIL_EXPIRY = "detail-expiry"


def expiry_timer_id(request_id: UUID) -> str:
    return f"detail/{request_id}"


async def detail_requested(inbound: Inbound[DetailRequest], ports: Ports) -> list[Outgoing]:
    envelope, request = inbound.envelope, inbound.payload
    subject = ports.state.aliases.canonical(request.subject)
    check_detail_request(envelope.origin, subject, request.owner, ports.state.subjects, ports.state.disclosures)
    now = ports.clock()
    due = now + ports.answer_within
    await ports.requests.open(envelope, request.owner, subject, due, request.purpose)
    await ports.timers.schedule(expiry_timer_id(envelope.id), DETAIL_EXPIRY, due, {"request": str(envelope.id)})
    await ports.audit.append(accesses.accessed(envelope, accesses.DETAIL_REQUEST, [subject], request.purpose, now))
    ports.metrics.detail_requests.labels(envelope.origin, request.owner).inc()
    received = DetailRequestReceived(
        request_id=envelope.id,
        subject=subject,
        requester=envelope.origin,
        purpose=request.purpose,
        reference=request.reference,
        answer_by=due,
    )
    return [ports.outbox.deliver(Cause.of(envelope), DETAIL_REQUEST_RECEIVED, request.owner, received)]


async def detail_decided(inbound: Inbound[DetailDecision], ports: Ports) -> list[Outgoing]:
    envelope, decision = inbound.envelope, inbound.payload
    if decision.decision == "refused" and decision.details:
        raise Rejected(Reason.INVALID_PAYLOAD, "a refusal discloses nothing: leave details empty")
    case = await ports.requests.decide(decision.request_id, envelope.origin, decision.decision, envelope.id)
    if decision.decision == "approved":
        await ports.requests.disclose(case, decision.details)
        ports.state.disclosures.grant(case.requester, case.subject, case.owner, decision.details)
    await ports.timers.cancel(expiry_timer_id(case.id))
    action = accesses.detail_decision(decision.decision)
    await ports.audit.append(accesses.accessed(envelope, action, [case.subject], decision.reason or "", ports.clock()))
    ports.metrics.detail_answers.labels(decision.decision).inc()
    answered = DetailAnswered(
        request_id=case.id,
        subject=case.subject,
        owner=case.owner,
        decision=decision.decision,
        details=decision.details,
        reason=decision.reason,
    )
    return [ports.outbox.deliver(Cause.of(envelope), DETAIL_ANSWERED, case.requester, answered)]


async def detail_expired(timer: Timer, ports: Ports) -> list[Outgoing]:
    """Nobody answered in time: the requester is told, and the request is closed."""
    case = await ports.requests.expire(UUID(timer.data["request"]), timer.id)
    if case is None:
        return []
    ports.metrics.detail_answers.labels("expired").inc()
    answered = DetailAnswered(request_id=case.id, subject=case.subject, owner=case.owner, decision="expired")
    cause = Cause(case.id, case.correlationid, case.owner, case.handling)
    event_id = derived_event_id(case.id, DETAIL_ANSWERED, "expired", case.requester)
    outbox = ports.outbox
    return [outbox.event(outbox.deliveries, case.requester, DETAIL_ANSWERED, answered, cause, event_id=event_id)]
