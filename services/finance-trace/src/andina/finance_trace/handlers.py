"""One plain function per inbound event type; each returns the events to emit.

Each checks its input first (raising :class:`Rejected`, nothing changed), then writes to
the store, then changes the in-memory state, then says what to emit. Every output goes
to one named FIU's partition: the sender, or the FIUs a finding rests on, never others.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from andina.finance_trace import SERVICE
from andina.finance_trace.adapters.cases import AuditLog, FindingStore, RequestStore
from andina.finance_trace.adapters.metrics import FinanceMetrics
from andina.finance_trace.adapters.reports import Held, ReportStore
from andina.finance_trace.domain.findings import pattern_detected, readers
from andina.finance_trace.domain.patterns.detector import Finding
from andina.finance_trace.domain.sharing import SharedNotice, check_detail_request
from andina.finance_trace.domain.state import FinanceState
from andina.finance_trace.domain.tracing import check_trace
from andina.finance_trace.domain.validation import ReportRules, validate_report
from andina.finance_trace.observatory import count_pattern
from andina.finance_trace.outputs import POOLED_HANDLING, Cause, Outbox, at_least
from andina.shared import outputs as shared_outputs
from andina.shared.countries import CountryRegistry
from andina.shared.events.catalogs.finance_trace import (
    DETAIL_ANSWERED,
    DETAIL_REQUEST_RECEIVED,
    REPORT_RECORDED,
    TRACE_COMPLETED,
)
from andina.shared.events.finance_trace import (
    DetailAnswered,
    DetailDecision,
    DetailRequest,
    DetailRequestReceived,
    ReportRecorded,
    TransactionReport,
)
from andina.shared.events.finance_trace_flows import TraceRequest
from andina.shared.events.messages import DirectedMessage
from andina.shared.fanout import deliveries
from andina.shared.gate import Inbound
from andina.shared.ids import derived_event_id
from andina.shared.publishing import Outgoing
from andina.shared.rejections import Reason, Rejected
from andina.shared.timers import Timer, Timers

DETAIL_EXPIRY = "detail-expiry"


@dataclass(frozen=True)
class Ports:
    state: FinanceState
    reports: ReportStore
    findings: FindingStore
    requests: RequestStore
    audit: AuditLog
    timers: Timers
    outbox: Outbox
    metrics: FinanceMetrics
    rules: ReportRules
    clock: Callable[[], datetime]
    trace_max_hops: int
    answer_within: timedelta


async def message_sent(
    inbound: Inbound[DirectedMessage], *, countries: CountryRegistry, deliveries_topic: str
) -> list[Outgoing]:
    return deliveries(inbound, shared_outputs.Outbox(SERVICE, deliveries_topic), countries)


async def report_submitted(inbound: Inbound[TransactionReport], *, ports: Ports) -> list[Outgoing]:
    envelope, state = inbound.envelope, ports.state
    report_id = str(envelope.id)
    now = ports.clock()
    valid = validate_report(inbound.payload, report_id, envelope.origin, now, ports.rules, state.aliases)
    plan = state.plan(report_id, envelope.origin, valid.transfers, now.timestamp())
    holdings = state.subjects.new_holdings(valid.holdings, report_id)
    renewed = state.subjects.renewed(valid.holdings, report_id)
    held = Held(holdings, renewed, now.timestamp(), *state.subjects.links_named(valid.parties))
    stored_past, _ = await asyncio.gather(
        ports.reports.record(envelope, inbound.payload, valid, plan, held),
        ports.audit.record(envelope, "report", [h.ref for h in valid.holdings], inbound.payload.kind.value),
    )
    edges = state.apply(valid, plan, now.timestamp())
    if state.look_due():
        # A look scans all that is held (seconds for millions of items): in a thread, so that the
        # event loop keeps the consumer's heartbeats and the health endpoint going meanwhile.
        edges = await asyncio.to_thread(state.forget, now.timestamp(), edges)
    graph = state.graph
    revised = []
    for finding in state.detector.detect(edges):
        detected = pattern_detected(graph, finding)
        revised.append((finding, detected, state.revisions.of(finding.id, detected, readers(graph, finding))))
    await ports.findings.record([(f, [graph.transaction_id(e) for e in f.detection.edges], r) for f, _, r in revised])
    for finding, _, revision in revised:
        state.revisions.keep(finding.id, revision)
    receipt = ReportRecorded(
        report_id=envelope.id,
        transactions=len(valid.transfers),
        new_transactions=len(plan.new) + stored_past,
        total_usd=valid.total_usd,
        refused=valid.refused,
    )
    cause = Cause.of(envelope)
    notices = [notice for holding in holdings for notice in state.subjects.notices(holding)]
    outputs = [ports.outbox.deliver(envelope.origin, REPORT_RECORDED, receipt, cause)]
    outputs += [ports.outbox.shared(cause, notice) for notice in notices]
    for finding, detected, revision in revised:
        outputs += ports.outbox.finding(cause, graph, finding, detected, revision)
    first_told = [finding for finding, _, revision in revised if revision.number == 1]
    _count_report(ports, envelope.origin, len(plan.new) + stored_past, first_told, notices)
    for refusal in valid.refused:
        ports.metrics.refused_transactions.labels(envelope.origin, refusal.rule.value).inc()
    return outputs


def _count_report(ports: Ports, origin: str, new: int, findings: list[Finding], notices: list[SharedNotice]) -> None:
    metrics, graph = ports.metrics, ports.state.graph
    metrics.transfers.labels(origin).inc(new)
    for finding in findings:
        metrics.findings.labels(finding.detection.pattern.value, finding.severity.value).inc()
        count_pattern(metrics, graph, finding)
        if finding.urgent:
            metrics.alerts.inc()
    for notice in notices:
        metrics.shared.labels(notice.recipient).inc()
    metrics.graph_transfers.set(len(graph))
    metrics.graph_accounts.set(len(graph.nodes))


async def trace_requested(inbound: Inbound[TraceRequest], *, ports: Ports) -> list[Outgoing]:
    envelope, request, tracer = inbound.envelope, inbound.payload, ports.state.tracer
    check_trace(request, ports.trace_max_hops)
    started, now = time.perf_counter(), ports.clock()
    flows = tracer.flows(request)
    answer = tracer.answer(envelope.id, request, envelope.origin, ports.state.disclosures, flows)
    ports.metrics.trace_seconds.observe(time.perf_counter() - started)
    shown = [node.ref for node in answer.nodes]
    await ports.requests.record_trace(envelope, request.model_dump(mode="json"), shown, len(answer.edges), now)
    await ports.audit.record(envelope, "trace", shown, request.reference or "")
    ports.state.disclosures.show(envelope.origin, shown, now.timestamp())
    ports.metrics.traces.labels(envelope.origin).inc()
    cause = Cause.of(envelope)
    pooled = Cause(cause.origin, cause.correlationid, cause.causationid, at_least(cause.handling, POOLED_HANDLING))
    return [ports.outbox.deliver(envelope.origin, TRACE_COMPLETED, answer, pooled)]


async def detail_requested(inbound: Inbound[DetailRequest], *, ports: Ports) -> list[Outgoing]:
    envelope, request = inbound.envelope, inbound.payload
    subject = ports.state.aliases.canonical(request.subject)
    check_detail_request(envelope.origin, subject, request.owner, ports.state.subjects, ports.state.disclosures)
    due = ports.clock() + ports.answer_within
    await ports.requests.open(envelope, request.owner, subject, due, request.purpose)
    await ports.timers.schedule(f"detail/{envelope.id}", DETAIL_EXPIRY, due, {"request": str(envelope.id)})
    await ports.audit.record(envelope, "detail-request", [subject], request.purpose)
    ports.metrics.detail_requests.labels(envelope.origin, request.owner).inc()
    received = DetailRequestReceived(
        request_id=envelope.id,
        subject=subject,
        requester=envelope.origin,
        purpose=request.purpose,
        reference=request.reference,
        answer_by=due,
    )
    return [ports.outbox.deliver(request.owner, DETAIL_REQUEST_RECEIVED, received, Cause.of(envelope))]


async def detail_decided(inbound: Inbound[DetailDecision], *, ports: Ports) -> list[Outgoing]:
    envelope, decision = inbound.envelope, inbound.payload
    if decision.decision == "refused" and decision.details:
        raise Rejected(Reason.INVALID_PAYLOAD, "a refusal discloses nothing: leave details empty")
    case = await ports.requests.decide(decision.request_id, envelope.origin, decision.decision, envelope.id)
    if decision.decision == "approved":
        await ports.requests.disclose(case, decision.details)
        ports.state.disclosures.grant(case.requester, case.subject, case.owner, decision.details)
    await ports.timers.cancel(f"detail/{case.id}")
    await ports.audit.record(envelope, f"detail-{decision.decision}", [case.subject], decision.reason or "")
    ports.metrics.detail_answers.labels(decision.decision).inc()
    answered = DetailAnswered(
        request_id=case.id,
        subject=case.subject,
        owner=case.owner,
        decision=decision.decision,
        details=decision.details,
        reason=decision.reason,
    )
    return [ports.outbox.deliver(case.requester, DETAIL_ANSWERED, answered, Cause.of(envelope))]


async def detail_expired(timer: Timer, *, ports: Ports) -> list[Outgoing]:
    """Nobody answered in time: the requester is told, and the request is closed."""
    case = await ports.requests.expire(UUID(timer.data["request"]), timer.id)
    if case is None:
        return []
    ports.metrics.detail_answers.labels("expired").inc()
    answered = DetailAnswered(request_id=case.id, subject=case.subject, owner=case.owner, decision="expired")
    cause = Cause(case.owner, case.correlationid, case.id, case.handling)
    event_id = derived_event_id(case.id, DETAIL_ANSWERED, "expired", case.requester)
    return [ports.outbox.event(ports.outbox.deliveries, case.requester, DETAIL_ANSWERED, answered, cause, id=event_id)]
