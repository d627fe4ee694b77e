"""Declaration cross-checks: an export meets the import of the same shipment, or its deadline."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from andina.customs.adapters.audit import AuditLog
from andina.customs.adapters.declarations import DeclarationStore, Outcome
from andina.customs.adapters.metrics import CustomsMetrics
from andina.customs.adapters.unmatched import UnmatchedDeadlines
from andina.customs.domain.crosscheck import at_least
from andina.customs.domain.currency import CurrencyRates
from andina.customs.domain.declarations import FiledDeclaration, Filing, file_declaration
from andina.customs.domain.findings import FindingRules, discrepancy, discrepancy_alert, unmatched, unmatched_alert
from andina.customs.domain.hs import HsTable
from andina.customs.domain.matching import Match, PendingIndex
from andina.customs.domain.risk import Indicator, IndicatorIndex, hit_alert, risk_hit
from andina.customs.observatory import count_trade_finding
from andina.customs.outputs import Cause, Emitter, strictest
from andina.shared.countries import CountryRegistry
from andina.shared.events import customs as types
from andina.shared.events.customs.declarations import Declaration, DeclarationDiscrepancy, Flow
from andina.shared.events.customs.risk import RiskHit
from andina.shared.gate import Inbound
from andina.shared.ids import derived_event_id
from andina.shared.publishing import Outgoing
from andina.shared.timers import Clock, Timer, utc_now


@dataclass(frozen=True)
class CrossChecks:
    """What the declaration handlers work with."""

    countries: CountryRegistry
    hs: HsTable
    rates: CurrencyRates
    rules: FindingRules
    pending: PendingIndex
    indicators: IndicatorIndex
    store: DeclarationStore
    deadlines: UnmatchedDeadlines
    audit: AuditLog
    emitter: Emitter
    metrics: CustomsMetrics
    clock: Clock = utc_now

    def cross_checked(self, declaration: FiledDeclaration) -> bool:
        """Only trade between two members has a counterpart to wait for."""
        return declaration.exporter in self.countries and declaration.importer in self.countries


async def declaration_filed(inbound: Inbound[Declaration], *, ports: CrossChecks) -> list[Outgoing]:
    envelope = inbound.envelope
    filing = Filing(envelope.origin, envelope.id, envelope.correlationid, envelope.handling, ports.clock())
    declaration = file_declaration(inbound.payload, filing, ports.hs, ports.rates)
    cause = Cause.of(envelope)
    match = ports.pending.counterpart(declaration) if ports.cross_checked(declaration) else None
    finding = discrepancy(derived_event_id(cause.id, "discrepancy"), declaration, match, ports.rules.tolerances)
    hits = [
        (indicator, risk_hit(derived_event_id(cause.id, "risk-hit", str(indicator.id)), indicator, key, declaration))
        for indicator, key in ports.indicators.hits(declaration, declaration.received_at.date())
    ]
    outputs = _discrepancy_outputs(cause, declaration, match, finding, ports) + _hit_outputs(
        cause, declaration, hits, ports
    )
    outcome = await ports.store.add(declaration, Outcome(match.counterpart.key if match else None, outputs))
    if outcome.matched_with is not None:
        ports.pending.remove(outcome.matched_with)
    elif ports.cross_checked(declaration):
        ports.pending.add(declaration)
        if declaration.flow is Flow.EXPORT:
            await ports.deadlines.watch(declaration)
    await ports.audit.deliveries(outcome.outputs, f"declaration/{declaration.key}", "customs cross-check")
    if not outcome.replayed:
        _count(declaration, match, finding, [hit for _, hit in hits], ports.metrics)
    return outcome.outputs


def _discrepancy_outputs(
    cause: Cause,
    declaration: FiledDeclaration,
    match: Match | None,
    finding: DeclarationDiscrepancy | None,
    ports: CrossChecks,
) -> list[Outgoing]:
    if match is None or finding is None:
        return []
    export = declaration if declaration.flow is Flow.EXPORT else match.counterpart
    shared = dataclasses.replace(cause, handling=strictest(declaration.handling, match.counterpart.handling))
    recipients = [finding.exported.country, finding.imported.country]
    outputs = ports.emitter.deliver(shared, types.DECLARATION_DISCREPANCY, recipients, finding)
    if at_least(finding.severity, ports.rules.alert_from):
        outputs.append(ports.emitter.signal(shared, discrepancy_alert(finding, export)))
    return outputs


def _hit_outputs(
    cause: Cause, declaration: FiledDeclaration, hits: list[tuple[Indicator, RiskHit]], ports: CrossChecks
) -> list[Outgoing]:
    outputs: list[Outgoing] = []
    for indicator, hit in hits:
        shared = dataclasses.replace(cause, handling=strictest(declaration.handling, indicator.handling))
        recipients = [indicator.owner, declaration.country]
        outputs += ports.emitter.deliver(shared, types.RISK_HIT, recipients, hit, str(indicator.id))
        if at_least(hit.severity, ports.rules.alert_from):
            outputs.append(ports.emitter.signal(shared, hit_alert(hit, declaration)))
    return outputs


def _count(
    declaration: FiledDeclaration,
    match: Match | None,
    finding: DeclarationDiscrepancy | None,
    hits: list[RiskHit],
    metrics: CustomsMetrics,
) -> None:
    metrics.declarations.labels(declaration.country, declaration.flow.value).inc()
    if match is not None:
        metrics.matches.labels(declaration.exporter, declaration.importer, match.method.value).inc()
    if finding is not None:
        metrics.findings.labels("discrepancy", finding.severity.value, finding.imported.country).inc()
        count_trade_finding(metrics, "discrepancy", finding.exported)
    for hit in hits:
        metrics.findings.labels("risk-hit", hit.severity.value, declaration.country).inc()


async def unmatched_exports_due(timer: Timer, *, ports: CrossChecks) -> list[Outgoing]:
    """The exports of one slot still without import when its wait is over."""
    now = ports.clock()
    outputs: list[Outgoing] = []
    for export in ports.pending.exports_received(timer.data["exporter"], timer.data["start"], timer.data["end"]):
        cause = Cause(export.event_id, export.correlation_id, export.country, export.handling)
        finding = unmatched(derived_event_id(export.event_id, "unmatched"), export, now - export.received_at)
        found = ports.emitter.deliver(cause, types.UNMATCHED_SHIPMENT, [export.exporter, export.importer], finding)
        if at_least(finding.severity, ports.rules.alert_from):
            found.append(ports.emitter.signal(cause, unmatched_alert(finding, export)))
        await ports.audit.deliveries(found, f"declaration/{export.key}", "customs unmatched shipment")
        ports.metrics.findings.labels("unmatched-shipment", finding.severity.value, export.country).inc()
        count_trade_finding(ports.metrics, "unmatched-shipment", finding.exported)
        outputs += found
    ports.deadlines.forget(timer)
    ports.pending.evict_received_before(now - ports.rules.retention)
    return outputs
