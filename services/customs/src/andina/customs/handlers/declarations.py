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
from andina.customs.domain.event_time import EventTime
from andina.customs.domain.findings import (
    FindingRules,
    discrepancy,
    discrepancy_alert,
    unmatched,
    unmatched_alert,
    unmatched_severity,
)
from andina.customs.domain.hs import HsTable
from andina.customs.domain.matching import Match, PendingIndex, Rematch, ScoredPair, ScoredPairs
from andina.customs.domain.risk import Indicator, IndicatorIndex, hit_alert, risk_hit
from andina.customs.observatory import count_trade_finding
from andina.customs.outputs import Cause, Emitter, strictest
from andina.shared.countries import CountryRegistry
from andina.shared.events import customs as types
from andina.shared.events.customs.declarations import (
    Declaration,
    DeclarationDiscrepancy,
    DiscrepancyWithdrawn,
    Flow,
    MatchMethod,
)
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
    scored: ScoredPairs
    indicators: IndicatorIndex
    store: DeclarationStore
    event_time: EventTime
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
    checked = ports.cross_checked(declaration)
    match = ports.pending.counterpart(declaration) if checked else None
    weak = match is None or match.method is MatchMethod.SCORED
    rematch = ports.scored.better(declaration) if checked and weak else None
    if rematch is not None:
        match = Match(rematch.side, rematch.method, 1.0)
    finding = discrepancy(derived_event_id(cause.id, "discrepancy"), declaration, match, ports.rules.tolerances)
    hits = [
        (indicator, risk_hit(derived_event_id(cause.id, "risk-hit", str(indicator.id)), indicator, key, declaration))
        for indicator, key in ports.indicators.hits(declaration, declaration.received_at.date())
    ]
    waits = checked and match is None and declaration.flow is Flow.EXPORT
    overdue = _overdue(declaration, match, waits, ports)
    outputs = _discrepancy_outputs(cause, declaration, match, finding, ports) + _hit_outputs(
        cause, declaration, hits, ports
    )
    outputs += _withdrawal_outputs(cause, declaration, rematch, ports)
    for export in overdue:
        outputs += _unmatched_outputs(export, ports)
    closed = [export.key for export in overdue]
    released = rematch.released.key if rematch else None
    outcome = await ports.store.add(
        declaration, Outcome(match.counterpart.key if match else None, outputs, closed, released)
    )
    if not outcome.replayed:
        _keep_scored_pairs(declaration, match, finding, rematch, ports)
    if outcome.matched_with is not None:
        ports.pending.remove(outcome.matched_with)
    elif checked:
        ports.pending.add(declaration)
        if waits:
            await ports.deadlines.watch(declaration)
    ports.event_time.record(declaration, waits and declaration.key not in outcome.closed)
    for key in outcome.closed:
        ports.pending.remove(key)
    await ports.audit.deliveries(outcome.outputs, f"declaration/{declaration.key}", "customs cross-check")
    if not outcome.replayed:
        _count(declaration, match, finding, [hit for _, hit in hits], ports.metrics)
        for export in overdue:
            _count_unmatched(export, ports)
    return outcome.outputs


def _keep_scored_pairs(
    declaration: FiledDeclaration,
    match: Match | None,
    finding: DeclarationDiscrepancy | None,
    rematch: Rematch | None,
    ports: CrossChecks,
) -> None:
    """A scored match stays open to a better one; one undone puts its other side back to wait."""
    if rematch is not None:
        ports.scored.remove(rematch.pair)
        released = rematch.released
        ports.pending.add(released)
        if released.flow is Flow.EXPORT:
            ports.event_time.watch(released)
    elif match is not None and match.method is MatchMethod.SCORED:
        ports.scored.add(ScoredPair(declaration, match.counterpart, finding))


def _withdrawal_outputs(
    cause: Cause, declaration: FiledDeclaration, rematch: Rematch | None, ports: CrossChecks
) -> list[Outgoing]:
    """The discrepancy reported on a scored pair now undone, withdrawn for the countries that had it."""
    if rematch is None or rematch.pair.finding is None:
        return []
    withdrawn = rematch.pair.finding
    pair = rematch.pair
    handling = strictest(declaration.handling, pair.declaration.handling, pair.counterpart.handling)
    notice = DiscrepancyWithdrawn(
        finding_id=derived_event_id(cause.id, "withdrawn"),
        supersedes=withdrawn.finding_id,
        reason=f"{declaration.flow.value} {declaration.summary.number} is the counterpart of "
        f"{rematch.side.summary.number} ({rematch.method.value})"[:200],
        exported=withdrawn.exported,
        imported=withdrawn.imported,
    )
    recipients = [withdrawn.exported.country, withdrawn.imported.country]
    shared = dataclasses.replace(cause, handling=handling)
    return ports.emitter.deliver(shared, types.DISCREPANCY_WITHDRAWN, recipients, notice)


def _overdue(
    declaration: FiledDeclaration, match: Match | None, waits: bool, ports: CrossChecks
) -> list[FiledDeclaration]:
    """The exports still pending that this declaration shows overdue (its own counterpart is not)."""
    matched = match.counterpart.key if match else None
    overdue = []
    for key in ports.event_time.overdue(declaration, waits):
        export = declaration if key == declaration.key else ports.pending.get(key)
        if export is not None and key != matched:
            overdue.append(export)
    return overdue


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


def _unmatched_outputs(export: FiledDeclaration, ports: CrossChecks) -> list[Outgoing]:
    """The finding of an export without import: caused by the export, so its ids are the same however reached."""
    cause = Cause(export.event_id, export.correlation_id, export.country, export.handling)
    finding = unmatched(derived_event_id(export.event_id, "unmatched"), export, ports.rules.unmatched_after)
    found = ports.emitter.deliver(cause, types.UNMATCHED_SHIPMENT, [export.exporter, export.importer], finding)
    if at_least(finding.severity, ports.rules.alert_from):
        found.append(ports.emitter.signal(cause, unmatched_alert(finding, export)))
    return found


def _count_unmatched(export: FiledDeclaration, ports: CrossChecks) -> None:
    ports.metrics.findings.labels("unmatched-shipment", unmatched_severity(export).value, export.country).inc()
    count_trade_finding(ports.metrics, "unmatched-shipment", export.summary)


async def unmatched_exports_due(timer: Timer, *, ports: CrossChecks) -> list[Outgoing]:
    """The fallback for a partner that files nothing new: the exports of one slot still without import."""
    outputs: list[Outgoing] = []
    for export in ports.pending.exports_received(timer.data["exporter"], timer.data["start"], timer.data["end"]):
        found = _unmatched_outputs(export, ports)
        await ports.audit.deliveries(found, f"declaration/{export.key}", "customs unmatched shipment")
        _count_unmatched(export, ports)
        ports.pending.remove(export.key)
        outputs += found
    ports.deadlines.forget(timer)
    ports.pending.evict_received_before(ports.clock() - ports.rules.retention)
    ports.scored.evict_received_before(ports.clock() - ports.rules.retention)
    return outputs
