"""Detail requests: an FIU asks the owner of a subject for details, the owner approves or refuses,
or the request expires unanswered."""

from __future__ import annotations

from uuid import UUID

from andina.contract.envelope import Envelope
from andina.contract.events.catalogs.finance_trace import DETAIL_ANSWERED, DETAIL_REQUEST_RECEIVED
from andina.contract.events.finance_trace import DetailAnswered, DetailDecision, DetailRequest, DetailRequestReceived
from andina.contract.rejections import Reason, Rejected
from andina.finance_trace.domain import accesses
from andina.finance_trace.domain.details import DetailCase, check_detail_request
from andina.finance_trace.handlers.policies import (
    DETAIL_REQUEST_REFUSED,
    DETAIL_WITHHELD,
    asker,
    detail_release,
    with_policy,
)
from andina.finance_trace.handlers.ports import Ports
from andina.shared.audit_log import AuditEntry, caused_entry
from andina.shared.gate import Inbound
from andina.shared.ids import derived_event_id
from andina.shared.outputs import Cause
from andina.shared.policy.engine import Agency
from andina.shared.publishing import Outgoing
from andina.shared.timers import Timer

DETAIL_EXPIRY = "detail-expiry"


def expiry_timer_id(request_id: UUID) -> str:
    return f"detail/{request_id}"


async def detail_requested(inbound: Inbound[DetailRequest], ports: Ports) -> list[Outgoing]:
    envelope, request = inbound.envelope, inbound.payload
    subject = ports.state.aliases.canonical(request.subject)
    check_detail_request(envelope.origin, subject, request.owner, ports.state.subjects, ports.state.disclosures)
    now = ports.clock()
    release = detail_release(ports.policies, asker(envelope), subject, request.owner, envelope.handling)
    if not release.permitted:
        # Audited although refused (the batch still writes it); the owner never hears of the request.
        policy = {"policy": release.summary()}
        refused = caused_entry(envelope, DETAIL_REQUEST_REFUSED, envelope.origin, subject, release.refusal(), policy)
        await ports.audit.append([refused])
        raise Rejected(Reason.UNAUTHORIZED, f"refused by the policies in force: {release.refusal()}")
    due = now + ports.answer_within
    await ports.requests.open(envelope, request.owner, subject, due, request.purpose)
    await ports.timers.schedule(expiry_timer_id(envelope.id), DETAIL_EXPIRY, due, {"request": str(envelope.id)})
    asked = accesses.accessed(envelope, accesses.DETAIL_REQUEST, [subject], request.purpose, now)
    await ports.audit.append(with_policy(asked, release))
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


def decision_checked(inbound: Inbound[DetailDecision], ports: Ports) -> None:
    decision = inbound.payload
    if decision.decision == "refused" and decision.details:
        raise Rejected(Reason.INVALID_PAYLOAD, "a refusal discloses nothing: leave details empty")


async def detail_decided(inbound: Inbound[DetailDecision], ports: Ports) -> list[Outgoing]:
    envelope, decision = inbound.envelope, inbound.payload
    decision_checked(inbound, ports)
    case = await ports.requests.decide(decision.request_id, envelope.origin, decision.decision, envelope.id)
    await ports.timers.cancel(expiry_timer_id(case.id))
    action = accesses.detail_decision(decision.decision)
    entries = accesses.accessed(envelope, action, [case.subject], decision.reason or "", ports.clock())
    ports.metrics.detail_answers.labels(decision.decision).inc()
    answered = DetailAnswered(
        request_id=case.id,
        subject=case.subject,
        owner=case.owner,
        decision=decision.decision,
        details=decision.details,
        reason=decision.reason,
    )
    if decision.decision == "approved":
        answered, entries = await _released(envelope, case, answered, entries, ports)
    await ports.audit.append(entries)
    return [ports.outbox.deliver(Cause.of(envelope), DETAIL_ANSWERED, case.requester, answered)]


async def _released(
    envelope: Envelope, case: DetailCase, approved: DetailAnswered, entries: list[AuditEntry], ports: Ports
) -> tuple[DetailAnswered, list[AuditEntry]]:
    """The owner's approval as the policies in force let it reach the requester (they may have changed
    since the request): the details disclosed, or withheld with the rules that refused them."""
    requester = Agency(case.requester, case.agency)
    release = detail_release(ports.policies, requester, case.subject, case.owner, envelope.handling)
    if not release.permitted:
        policy = {"policy": release.summary()}
        withheld = caused_entry(envelope, DETAIL_WITHHELD, case.requester, case.subject, release.refusal(), policy)
        refusal = {"decision": "withheld", "details": {}, "reason": release.refusal()}
        return approved.model_copy(update=refusal), [*entries, withheld]
    await ports.requests.disclose(case, approved.details)
    ports.state.grant(case.requester, case.subject, case.owner, approved.details)
    return approved, with_policy(entries, release)


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
