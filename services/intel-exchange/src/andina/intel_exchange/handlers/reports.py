"""Intelligence reports for named recipients, and the connections between the entities they name."""

from __future__ import annotations

from uuid import UUID

from andina.contract.envelope import Handling
from andina.contract.events.catalogs import intel_exchange as catalog
from andina.contract.events.intel_reports import (
    Connection,
    ConnectionQuery,
    ConnectionsAnswered,
    EntityKind,
    IntelligenceReport,
    ReportDelivered,
)
from andina.contract.rejections import Reason, Rejected
from andina.intel_exchange.domain.entities import entity_key
from andina.intel_exchange.domain.sharing import others_named
from andina.intel_exchange.handlers.audit import refuse_unless_all_permitted
from andina.intel_exchange.handlers.ports import SOLE, Ports
from andina.shared.audit_log import caused_entry
from andina.shared.gate import Inbound
from andina.shared.outputs import Cause
from andina.shared.policy.engine import RECEIVE_REPORT, Member, Resource, summary_of
from andina.shared.publishing import Outgoing


def _entity_key(kind: EntityKind, value: str) -> str:
    try:
        return entity_key(kind, value)
    except ValueError as exc:
        raise Rejected(Reason.INVALID_PAYLOAD, str(exc)) from None


def report_checked(inbound: Inbound[IntelligenceReport], ports: Ports) -> tuple[list[str], dict[str, str]]:
    """The report's recipients and its entities by key, its content checked."""
    envelope, report = inbound.envelope, inbound.payload
    # Reports go to named recipients only, whatever their handling code.
    needed = "a report needs at least one recipient besides its sender"
    recipients = others_named(envelope.origin, report.recipients, Handling.H3, ports.countries, needed)
    return recipients, {_entity_key(e.kind, e.value): e.value for e in report.entities}


async def report_submitted(inbound: Inbound[IntelligenceReport], ports: Ports) -> list[Outgoing]:
    envelope, report = inbound.envelope, inbound.payload
    recipients, entities = report_checked(inbound, ports)
    attributes = {"handling": envelope.handling.value, "subject": report.topic.value}
    resource = Resource("Report", str(envelope.id), envelope.origin, attributes)
    decisions = {c: ports.policies.decide(Member(c), RECEIVE_REPORT, resource, {}) for c in recipients}
    await refuse_unless_all_permitted(envelope, "report-refused", decisions, ports.audit)
    filed = {
        "_id": str(envelope.id),
        "sender": envelope.origin,
        "at": envelope.time,
        "handling": envelope.handling.value,
    }
    detail = {"to": ",".join(recipients), "policies": summary_of(decisions)}
    await ports.audit.append(
        [caused_entry(envelope, "report-filed", envelope.origin, str(envelope.id), report.subject, detail)]
    )
    await ports.reports.file(filed, report, entities, ports.clock())
    delivered = ReportDelivered(**report.model_dump(), report_id=envelope.id, sender=envelope.origin)
    return ports.outbox.deliver_each(Cause.of(envelope), catalog.REPORT_DELIVERED, recipients, delivered, SOLE)


async def connections_requested(inbound: Inbound[ConnectionQuery], ports: Ports) -> list[Outgoing]:
    envelope, query = inbound.envelope, inbound.payload
    start = _entity_key(query.kind, query.value)
    reached = ports.reports.graph.connected(start, query.hops, envelope.origin, ports.clock().timestamp())
    connections = [
        Connection(
            kind=r.key.split(":", 1)[0], value=r.value, distance=r.distance, reports=[UUID(x) for x in r.reports]
        )
        for r in reached
    ]
    found = {"found": str(len(reached))}
    await ports.audit.append(
        [caused_entry(envelope, "connections", envelope.origin, start, f"{query.hops} hops", found)]
    )
    answer = ConnectionsAnswered(
        query_id=envelope.id, kind=query.kind, value=query.value, hops=query.hops, connections=connections
    )
    return [ports.outbox.deliver(Cause.of(envelope), catalog.CONNECTIONS_ANSWERED, envelope.origin, answer, SOLE)]
