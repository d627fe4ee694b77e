"""Handlers of intelligence reports, entity connections and firearm traces (one function per type)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from andina.intel_exchange.adapters.audit import AuditEntry, AuditLog
from andina.intel_exchange.adapters.reports import ReportStore
from andina.intel_exchange.adapters.traces import FirearmTraces
from andina.intel_exchange.domain.entities import entity_key
from andina.intel_exchange.domain.policies import refusal_of, summary_of
from andina.intel_exchange.outputs import directed, emit
from andina.shared.countries import CountryRegistry
from andina.shared.envelope import Envelope, Handling
from andina.shared.events.catalogs import intel_exchange as catalog
from andina.shared.events.intel_reports import (
    Connection,
    ConnectionQuery,
    ConnectionsAnswered,
    EntityKind,
    FirearmTraceAnswer,
    FirearmTraceAnswerDelivered,
    FirearmTraceOverdue,
    FirearmTraceReceived,
    FirearmTraceRequest,
    IntelligenceReport,
    ReportDelivered,
)
from andina.shared.fanout import resolve_recipients
from andina.shared.gate import Inbound
from andina.shared.policy.book import PolicyBook
from andina.shared.policy.engine import ASK_TRACE, RECEIVE_REPORT, Agency, Decision, Member, Resource
from andina.shared.policy.registry import agency_of
from andina.shared.publishing import Outgoing
from andina.shared.rejections import Reason, Rejected
from andina.shared.timers import Timer, utc_now


@dataclass(frozen=True)
class IntelPorts:
    countries: CountryRegistry
    deliveries_topic: str
    reports: ReportStore
    traces: FirearmTraces
    audit: AuditLog
    policies: PolicyBook
    urgent_deadline: timedelta
    routine_deadline: timedelta
    clock: Callable[[], datetime] = utc_now


def _entity_key(kind: EntityKind, value: str) -> str:
    try:
        return entity_key(kind, value)
    except ValueError as exc:
        raise Rejected(Reason.INVALID_PAYLOAD, str(exc)) from None


async def report_submitted(inbound: Inbound[IntelligenceReport], *, ports: IntelPorts) -> list[Outgoing]:
    envelope, report = inbound.envelope, inbound.payload
    # Reports go to named recipients only, whatever their handling code.
    named = resolve_recipients(envelope.origin, report.recipients, Handling.H3, ports.countries)
    recipients = [c for c in named if c != envelope.origin]
    if not recipients:
        raise Rejected(Reason.INVALID_PAYLOAD, "a report needs at least one recipient besides its sender")
    entities = {_entity_key(e.kind, e.value): e.value for e in report.entities}
    attributes = {"handling": envelope.handling.value, "subject": report.topic.value}
    resource = Resource("Report", str(envelope.id), envelope.origin, attributes)
    decisions = {c: ports.policies.decide(Member(c), RECEIVE_REPORT, resource, {}) for c in recipients}
    await _all_permitted_or_refuse(envelope, "report-refused", decisions, ports.audit)
    filed = {
        "_id": str(envelope.id),
        "sender": envelope.origin,
        "at": envelope.time,
        "handling": envelope.handling.value,
    }
    await ports.audit.append(
        envelope,
        [
            AuditEntry(
                "report-filed",
                envelope.origin,
                str(envelope.id),
                report.subject,
                {"to": ",".join(recipients), "policies": summary_of(decisions)},
            )
        ],
    )
    await ports.reports.file(filed, report, entities, ports.clock())
    delivered = ReportDelivered(**report.model_dump(), report_id=envelope.id, sender=envelope.origin)
    return [emit(envelope, ports.deliveries_topic, c, catalog.REPORT_DELIVERED, delivered) for c in recipients]


async def _all_permitted_or_refuse(
    cause: Envelope, action: str, decisions: dict[str, Decision], audit: AuditLog
) -> None:
    """All or none: one refused recipient refuses the event, with the rules, and the sender sends it
    again without them rather than learning later that part of it went nowhere."""
    why = refusal_of(decisions)
    if why:
        refused = ",".join(sorted(c for c, d in decisions.items() if not d.permitted))
        await audit.append(cause, [AuditEntry(action, cause.origin, str(cause.id), why, {"to": refused})])
        raise Rejected(Reason.UNAUTHORIZED, f"refused by the policies in force: {why}")


async def connections_requested(inbound: Inbound[ConnectionQuery], *, ports: IntelPorts) -> list[Outgoing]:
    envelope, query = inbound.envelope, inbound.payload
    start = _entity_key(query.kind, query.value)
    reached = ports.reports.graph.connected(start, query.hops, envelope.origin, ports.clock().timestamp())
    connections = [
        Connection(
            kind=r.key.split(":", 1)[0], value=r.value, distance=r.distance, reports=[UUID(x) for x in r.reports]
        )
        for r in reached
    ]
    await ports.audit.append(
        envelope,
        [AuditEntry("connections", envelope.origin, start, f"{query.hops} hops", {"found": str(len(reached))})],
    )
    answer = ConnectionsAnswered(
        query_id=envelope.id, kind=query.kind, value=query.value, hops=query.hops, connections=connections
    )
    return [emit(envelope, ports.deliveries_topic, envelope.origin, catalog.CONNECTIONS_ANSWERED, answer)]


async def firearm_trace_requested(inbound: Inbound[FirearmTraceRequest], *, ports: IntelPorts) -> list[Outgoing]:
    envelope, request = inbound.envelope, inbound.payload
    recipients = resolve_recipients(envelope.origin, request.recipients, envelope.handling, ports.countries)
    asked = [c for c in recipients if c != envelope.origin]
    if not asked:
        raise Rejected(Reason.INVALID_PAYLOAD, "a trace request needs at least one other country to ask")
    asker = Agency(envelope.origin, agency_of(envelope.source))
    decisions = {
        c: ports.policies.decide(asker, ASK_TRACE, Resource("FirearmRecord", f"{c}/{request.serial_number}", c), {})
        for c in asked
    }
    await _all_permitted_or_refuse(envelope, "trace-refused", decisions, ports.audit)
    entry = AuditEntry(
        "trace-asked", envelope.origin, str(envelope.id), request.serial_number, {"policies": summary_of(decisions)}
    )
    await ports.audit.append(envelope, [entry])
    due_at = envelope.time + (ports.urgent_deadline if request.urgent else ports.routine_deadline)
    await ports.traces.open(envelope, asked, due_at)
    received = FirearmTraceReceived(
        **request.model_dump(), request_id=envelope.id, requester=envelope.origin, due_at=due_at.isoformat()
    )
    return [emit(envelope, ports.deliveries_topic, c, catalog.FIREARM_TRACE_RECEIVED, received) for c in asked]


async def firearm_trace_answered(inbound: Inbound[FirearmTraceAnswer], *, ports: IntelPorts) -> list[Outgoing]:
    envelope, answer = inbound.envelope, inbound.payload
    trace = await ports.traces.answer(envelope, answer.request_id)
    if trace is None:
        raise Rejected(
            Reason.UNAUTHORIZED, f"{envelope.origin} has no open trace request {answer.request_id} to answer"
        )
    delivered = FirearmTraceAnswerDelivered(**answer.model_dump(), answered_by=envelope.origin)
    return [
        emit(envelope, ports.deliveries_topic, trace["requester"], catalog.FIREARM_TRACE_ANSWER_DELIVERED, delivered)
    ]


async def firearm_trace_overdue(timer: Timer, *, ports: IntelPorts) -> list[Outgoing]:
    """A deadline passed without an answer: tell the requester, and remind the silent country."""
    data = timer.data
    overdue = FirearmTraceOverdue(
        request_id=data["request_id"], requester=data["requester"], silent=data["country"], due_at=data["due_at"]
    )
    return [
        directed(
            ports.deliveries_topic,
            recipient,
            catalog.FIREARM_TRACE_OVERDUE,
            overdue,
            cause_id=UUID(data["request_id"]),
            correlationid=UUID(data["correlationid"]),
            origin=data["requester"],
            handling=Handling(data["handling"]),
            part=timer.id,
        )
        for recipient in sorted({data["requester"], data["country"]})
    ]
