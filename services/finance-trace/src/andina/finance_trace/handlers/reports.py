"""Reports of transactions: the receipt for the reporter, news of shared subjects, and the findings
its transfers complete, each to the FIUs whose reports they rest on (and the 24/7 network if urgent)."""

from __future__ import annotations

import asyncio

from andina.contract.events.catalogs.finance_trace import (
    ALERT_REQUESTED,
    PATTERN_DETECTED,
    REPORT_RECORDED,
    SUBJECT_SHARED,
)
from andina.contract.events.finance_trace import ReportRecorded, SubjectShared, TransactionReport
from andina.contract.events.finance_trace_flows import PatternDetected
from andina.finance_trace.adapters.observatory import count_pattern
from andina.finance_trace.domain import accesses
from andina.finance_trace.domain.findings import (
    POOLED_HANDLING,
    Revision,
    alert_requested,
    finding_event_id,
    pattern_detected,
    readers,
    told,
)
from andina.finance_trace.domain.graph import TransactionGraph
from andina.finance_trace.domain.model import Held
from andina.finance_trace.domain.patterns.detector import Finding
from andina.finance_trace.domain.sharing import SharedNotice
from andina.finance_trace.domain.validation import refused_parties, sorted_report, validate_report
from andina.finance_trace.handlers.policies import alert_told, finding_told, notices_told
from andina.finance_trace.handlers.ports import Ports
from andina.shared.gate import Inbound, PartlyRefused
from andina.shared.ids import derived_event_id
from andina.shared.outputs import Cause, Outbox, strictest
from andina.shared.publishing import Outgoing


def report_checked(inbound: Inbound[TransactionReport], ports: Ports) -> PartlyRefused:
    """The transactions and parties the report's receipt would list as refused, or the whole report
    refused: :func:`validate_report`'s rules, as its handler applies them."""
    _, refused = sorted_report(inbound.payload, inbound.envelope.origin, ports.clock(), ports.rules)
    return PartlyRefused([*refused, *refused_parties(inbound.payload, ports.rules)])


async def report_submitted(inbound: Inbound[TransactionReport], ports: Ports) -> list[Outgoing]:
    """Checks the report (refusing it whole, or single transactions), writes it to the store, then
    adds it to the graph and looks for the patterns its transfers complete."""
    envelope, state = inbound.envelope, ports.state
    report_id = str(envelope.id)
    now = ports.clock()
    valid = validate_report(inbound.payload, report_id, envelope.origin, now, ports.rules, state.aliases)
    plan = state.plan(report_id, envelope.origin, valid.transfers, now.timestamp())
    holdings = state.subjects.new_holdings(valid.holdings, report_id)
    renewed = state.subjects.renewed(valid.holdings, report_id)
    held = Held(holdings, renewed, now.timestamp(), *state.subjects.links_named(valid.parties, valid.reporter))
    filed = accesses.reported(envelope, len(valid.holdings), inbound.payload.kind.value, now)
    stored_past, _ = await asyncio.gather(
        ports.reports.record(envelope, inbound.payload, valid, plan, held), ports.audit.append([filed])
    )
    edges = state.apply(valid, plan, now.timestamp())
    if state.look_due():
        # A look scans all that is held (seconds for millions of items): in a thread, so that the
        # event loop keeps the consumer's heartbeats and the health endpoint going meanwhile.
        edges = await asyncio.to_thread(state.forget, now.timestamp(), edges)
    graph, cause = state.graph, Cause.of(envelope)
    revised, decisions = [], []
    for finding in state.detector.detect(edges):
        detected, told_to, decided = finding_told(
            ports.policies, envelope, pattern_detected(graph, finding), readers(graph, finding), now
        )
        revised.append((finding, detected, state.revisions.of(finding.id, detected, told_to)))
        decisions += decided
    notices, decided = notices_told(
        ports.policies, envelope, [notice for holding in holdings for notice in state.subjects.notices(holding)], now
    )
    await ports.findings.record([(f, [graph.transaction_id(e) for e in f.detection.edges], r) for f, _, r in revised])
    await ports.audit.append(decisions + decided)
    state.keep_findings(envelope.origin, [(finding.id, revision) for finding, _, revision in revised])
    receipt = ReportRecorded(
        report_id=envelope.id,
        transactions=len(valid.transfers),
        new_transactions=len(plan.new) + len(plan.mine) + stored_past,  # the same if the report is handled again
        total_usd=valid.total_usd,
        refused=valid.refused,
        refused_parties=valid.refused_parties,
    )
    outputs = [ports.outbox.deliver(cause, REPORT_RECORDED, envelope.origin, receipt)]
    outputs += [_subject_shared(ports.outbox, cause, notice) for notice in notices]
    for finding, detected, revision in revised:
        outputs += _finding(ports.outbox, cause, graph, finding, detected, revision)
    first_told = [finding for finding, _, revision in revised if revision.number == 1]
    _count_report(ports, envelope.origin, len(plan.new) + stored_past, first_told, notices)
    for refusal in valid.refused:
        ports.metrics.refused_transactions.labels(envelope.origin, refusal.rule.value).inc()
    for party in valid.refused_parties:
        ports.metrics.refused_parties.labels(envelope.origin, party.rule.value).inc()
    return outputs


def _subject_shared(outbox: Outbox, cause: Cause, notice: SharedNotice) -> Outgoing:
    payload = SubjectShared(subject=notice.subject, kind=notice.kind, shared_with=notice.shared_with)
    return outbox.event(outbox.deliveries, notice.recipient, SUBJECT_SHARED, payload, cause, event_id=notice.event_id())


def _finding(
    outbox: Outbox,
    cause: Cause,
    graph: TransactionGraph,
    finding: Finding,
    detected: PatternDetected,
    revision: Revision,
) -> list[Outgoing]:
    """The finding's revision for each FIU whose reports it rests on, and an alert request if it is urgent
    (once: the network is alerted by the first revision). Ids derive from the finding, not the report."""
    pooled = cause.handled_as(strictest(cause.handling, POOLED_HANDLING))
    outputs = [
        outbox.event(
            outbox.deliveries,
            reader,
            PATTERN_DETECTED,
            told(detected, revision, reader),
            pooled,
            event_id=finding_event_id(finding.id, reader, revision.number),
        )
        for reader in revision.readers
    ]
    if finding.urgent and revision.number == 1 and revision.readers:
        alert = alert_told(alert_requested(graph, finding, detected), revision.readers)
        event_id = derived_event_id(finding.id, ALERT_REQUESTED, alert.country)
        outputs.append(outbox.event(outbox.signals, alert.country, ALERT_REQUESTED, alert, pooled, event_id=event_id))
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
