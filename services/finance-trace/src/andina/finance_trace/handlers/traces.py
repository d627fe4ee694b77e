"""Traces: where an FIU's money went (or came from), as far as the reports of all FIUs show."""

from __future__ import annotations

import time

from andina.contract.events.catalogs.finance_trace import TRACE_COMPLETED
from andina.contract.events.finance_trace_flows import TraceRequest
from andina.finance_trace.domain import accesses
from andina.finance_trace.domain.findings import POOLED_HANDLING, digest
from andina.finance_trace.domain.tracing import check_trace
from andina.finance_trace.handlers.policies import TRACE_DECIDED, DetailsShown, asker, traced_members
from andina.finance_trace.handlers.ports import Ports
from andina.shared.audit_log import caused_entry
from andina.shared.gate import Inbound
from andina.shared.outputs import Cause, strictest
from andina.shared.publishing import Outgoing


def trace_checked(inbound: Inbound[TraceRequest], ports: Ports) -> None:
    check_trace(inbound.payload, ports.trace_max_hops)


async def trace_requested(inbound: Inbound[TraceRequest], ports: Ports) -> list[Outgoing]:
    """The trace for the requester only, over the transfers of the members whose policies let it follow
    them; what it showed is recorded, audited and remembered (the requester may then ask the
    subjects' owners for details)."""
    envelope, request, tracer = inbound.envelope, inbound.payload, ports.state.tracer
    trace_checked(inbound, ports)
    cause = Cause.of(envelope)
    pooled = cause.handled_as(strictest(cause.handling, POOLED_HANDLING))
    requester = asker(envelope)
    decided = traced_members(ports.policies, requester, ports.countries.codes, pooled.handling)
    withheld = decided.withheld()
    details = DetailsShown(ports.policies, requester, pooled.handling, withheld)
    started, now = time.perf_counter(), ports.clock()
    flows = tracer.flows(request, withheld)
    answer = tracer.answer(envelope.id, request, envelope.origin, ports.state.disclosures, flows, withheld, details)
    ports.metrics.trace_seconds.observe(time.perf_counter() - started)
    shown = [node.ref for node in answer.nodes]
    await ports.requests.record_trace(envelope, request.model_dump(mode="json"), shown, len(answer.edges), now)
    why = request.reference or ""
    policies = decided.detail() | details.detail()
    decisions = caused_entry(envelope, TRACE_DECIDED, envelope.origin, str(envelope.id), why, policies, at=now)
    await ports.audit.append([decisions, *accesses.accessed(envelope, accesses.TRACE, shown, why, now)])
    ports.state.show(envelope.origin, shown, now.timestamp())
    ports.metrics.traces.labels(envelope.origin).inc()
    # Handled again (after a crash), the trace may show more (details disclosed since): another answer, another id.
    return [ports.outbox.deliver(pooled, TRACE_COMPLETED, envelope.origin, answer, digest(answer))]
