"""Firearm traces: the asked countries answer from their registries before a deadline, or are overdue."""

from __future__ import annotations

from uuid import UUID

from andina.contract.envelope import Handling
from andina.contract.events.catalogs import intel_exchange as catalog
from andina.contract.events.intel_reports import (
    FirearmTraceAnswer,
    FirearmTraceAnswerDelivered,
    FirearmTraceOverdue,
    FirearmTraceReceived,
    FirearmTraceRequest,
)
from andina.contract.rejections import Reason, Rejected
from andina.intel_exchange.domain.sharing import others_named
from andina.intel_exchange.handlers.audit import refuse_unless_all_permitted
from andina.intel_exchange.handlers.ports import SOLE, Ports
from andina.shared.audit_log import caused_entry
from andina.shared.gate import Inbound
from andina.shared.outputs import Cause
from andina.shared.policy.engine import ASK_TRACE, Agency, Resource, summary_of
from andina.shared.policy.registry import agency_of
from andina.shared.publishing import Outgoing
from andina.shared.timers import Timer

DEADLINE = "firearm-trace-deadline"


def deadline_timer(request_id: UUID | str, country: str) -> str:
    """The id of the deadline of one asked country (cancelled by id when it answers)."""
    return f"firearm/{request_id}/{country}"


def _firearm(country: str, serial_number: str) -> Resource:
    """The firearm a trace asks ``country``'s registry about, as the members' policies see it."""
    return Resource("FirearmRecord", f"{country}/{serial_number}", country)


async def firearm_trace_requested(inbound: Inbound[FirearmTraceRequest], ports: Ports) -> list[Outgoing]:
    envelope, request = inbound.envelope, inbound.payload
    needed = "a trace request needs at least one other country to ask"
    asked = others_named(envelope.origin, request.recipients, envelope.handling, ports.countries, needed)
    asker = Agency(envelope.origin, agency_of(envelope.source))
    decisions = {c: ports.policies.decide(asker, ASK_TRACE, _firearm(c, request.serial_number), {}) for c in asked}
    await refuse_unless_all_permitted(envelope, "trace-refused", decisions, ports.audit)
    policies = {"policies": summary_of(decisions)}
    asking = caused_entry(envelope, "trace-asked", envelope.origin, str(envelope.id), request.serial_number, policies)
    await ports.audit.append([asking])
    due_at = envelope.time + (ports.urgent_trace_deadline if request.urgent else ports.routine_trace_deadline)
    await ports.traces.open(envelope, request.serial_number, asked)
    for country in asked:
        data = {
            "request_id": str(envelope.id),
            "requester": envelope.origin,
            "country": country,
            "due_at": due_at.isoformat(),
            "correlationid": str(envelope.correlationid),
            "handling": envelope.handling.value,
        }
        await ports.timers.schedule(deadline_timer(envelope.id, country), DEADLINE, due_at, data)
    received = FirearmTraceReceived(
        **request.model_dump(), request_id=envelope.id, requester=envelope.origin, due_at=due_at.isoformat()
    )
    return ports.outbox.deliver_each(Cause.of(envelope), catalog.FIREARM_TRACE_RECEIVED, asked, received, SOLE)


async def firearm_trace_answered(inbound: Inbound[FirearmTraceAnswer], ports: Ports) -> list[Outgoing]:
    envelope, answer = inbound.envelope, inbound.payload
    trace = await ports.traces.asked(envelope, answer.request_id)
    if trace is None:
        raise Rejected(
            Reason.UNAUTHORIZED, f"{envelope.origin} has no open trace request {answer.request_id} to answer"
        )
    # Decided again as the answer leaves: the policies may have changed since the request. Refused, the
    # answering country is told the rules and the trace stays open (its deadline still runs).
    requester = Agency(trace["requester"], agency_of(trace.get("agency", "")))
    firearm = _firearm(envelope.origin, trace.get("serial_number", ""))
    decisions = {trace["requester"]: ports.policies.decide(requester, ASK_TRACE, firearm, {})}
    await refuse_unless_all_permitted(envelope, "trace-answer-refused", decisions, ports.audit)
    policies = {"to": trace["requester"], "policies": summary_of(decisions)}
    answering = caused_entry(
        envelope, "trace-answered", envelope.origin, str(answer.request_id), answer.result, policies
    )
    await ports.audit.append([answering])
    await ports.traces.answer(envelope, answer.request_id)
    await ports.timers.cancel(deadline_timer(answer.request_id, envelope.origin))
    delivered = FirearmTraceAnswerDelivered(**answer.model_dump(), answered_by=envelope.origin)
    cause = Cause.of(envelope)
    return [ports.outbox.deliver(cause, catalog.FIREARM_TRACE_ANSWER_DELIVERED, trace["requester"], delivered, SOLE)]


async def firearm_trace_overdue(timer: Timer, ports: Ports) -> list[Outgoing]:
    """A deadline passed without an answer: tell the requester, and remind the silent country."""
    data = timer.data
    overdue = FirearmTraceOverdue(
        request_id=data["request_id"], requester=data["requester"], silent=data["country"], due_at=data["due_at"]
    )
    # On behalf of the requester, in the request's conversation; one per deadline timer.
    cause = Cause(UUID(data["request_id"]), UUID(data["correlationid"]), data["requester"], Handling(data["handling"]))
    recipients = {data["requester"], data["country"]}
    return ports.outbox.deliver_each(cause, catalog.FIREARM_TRACE_OVERDUE, recipients, overdue, timer.id)
